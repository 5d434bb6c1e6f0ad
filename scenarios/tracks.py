"""Training tracks (tracks.yml): what each track shows the trainee and how an attempt passes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from scenarios.fields import Checker, as_list
from scenarios.yamlmap import Document, Problem

# When the trainee may see a step's model answer: after each graded reply, or only at the end.
MODEL_ANSWERS = ("each_turn", "debrief")


@dataclass(frozen=True)
class Track:
    """A training track: its guidance level and, for graded tracks, the pass rule."""
    id: str
    title: dict
    description: dict
    hints: bool
    model_answers: str
    difficulties: tuple
    red_line_trap: bool
    red_line_fails: bool
    pass_mark: Optional[int] = None

    def result(self, state, outcome: Optional[str] = None) -> dict:
        """Pass/fail of a finished attempt: average total, red lines, verdict (None: ungraded).

        `outcome` is the ending's outcome: going along with a breach without saying a red-line
        phrase (a `red_line_breach` ending) fails a track that fails red lines, too.
        """
        totals = [turn["total"] for turn in state.history]
        average = round(sum(totals) / len(totals)) if totals else 0
        red_lines = sorted({c for turn in state.history for c in turn["red_lines"]})
        breached = bool(red_lines) or outcome == "red_line_breach"
        passed = None
        if self.pass_mark is not None:
            passed = average >= self.pass_mark and not (self.red_line_fails and breached)
        return {"track": self.id, "average": average, "red_lines": red_lines, "passed": passed}


def check_tracks(doc: Document) -> list[Problem]:
    """Every problem of a tracks file: keys, types, values."""
    c = Checker(doc)
    if c.mapping((), "tracks_file") is None:
        return c.problems
    seen = set()
    for i, track in enumerate(as_list(doc.data.get("tracks"))):
        path = ("tracks", i)
        if c.mapping(path, "track") is None:
            continue
        c.ident(path + ("id",))
        if track.get("id") in seen:
            c.add(path + ("id",), f"track id '{track['id']}' is used twice")
        seen.add(track.get("id"))
        c.one_of(path + ("model_answers",), MODEL_ANSWERS, "model_answers setting")
        c.int_range(path + ("pass_mark",), 0, 100)
        for j, level in enumerate(as_list(track.get("difficulties"))):
            if level not in (1, 2, 3):
                c.add(path + ("difficulties", j), f"difficulty must be 1, 2 or 3, got {level!r}")
        for key in ("title", "description"):
            if isinstance(track.get(key), dict) and set(track[key]) != {"zh", "en"}:
                c.add(path + (key,), "expected exactly the keys zh and en")
    if not seen:
        c.add(("tracks",), "expected a non-empty list of tracks")
    return c.problems


def build_tracks(data: dict) -> dict:
    """Track objects by id, in file order (call only after check_tracks passed)."""
    return {t["id"]: Track(id=t["id"], title=t["title"], description=t["description"],
                           hints=t["hints"], model_answers=t["model_answers"],
                           difficulties=tuple(t["difficulties"]), red_line_trap=t["red_line_trap"],
                           red_line_fails=t["red_line_fails"], pass_mark=t.get("pass_mark"))
            for t in data["tracks"]}


def membership_problems(c: Checker, scenario: dict, tracks: dict) -> None:
    """A scenario's tracks must accept it: difficulty in range, a red-line branch where required."""
    has_trap = any(isinstance(t, dict) and isinstance(t.get("when"), dict) and "red_line" in t["when"]
                   for s in as_list(scenario.get("steps")) if isinstance(s, dict)
                   for t in as_list(s.get("transitions")))
    difficulty = scenario.get("difficulty")
    for i, track_id in enumerate(as_list(scenario.get("tracks"))):
        track = tracks.get(track_id)
        if track is None:
            continue
        if isinstance(difficulty, int) and difficulty not in track.difficulties:
            c.add(("tracks", i), f"track '{track_id}' takes difficulty "
                                 f"{', '.join(map(str, track.difficulties))}; this scenario is "
                                 f"{scenario.get('difficulty')}")
        if track.red_line_trap and not has_trap:
            c.add(("tracks", i), f"track '{track_id}' needs a red-line trap: "
                                 "a transition with `when: {red_line: ...}`")
