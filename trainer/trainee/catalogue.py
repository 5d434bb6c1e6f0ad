"""What the catalogue shows per scenario: a one-line description, its length, the tracks it is
in (each scenario once, however many tracks list it) and where this trainee stands with it."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from trainer.models import Attempt
from trainer.services import library
from trainer.services.attempts import retry_refusal, stopped_on_red_line
from trainer.trainee.report import verdict

# A turn is reading the customer's line, typing two or three sentences and reading the feedback:
# about two minutes for a trainee at the counter pace the scenarios are written for.
MINUTES_PER_STEP = 2
DESCRIPTION_CHARS = 70


@dataclass
class ScenarioEntry:
    """One scenario of the catalogue with this trainee's status."""
    scenario: object
    description: str
    steps: int
    minutes: int
    tracks: list                            # Track objects, in tracks.yml order
    resume: Optional[Attempt] = None        # the newest unfinished attempt
    best: Optional[int] = None              # best total of a finished attempt
    passed: bool = False
    finished: int = 0

    @property
    def status(self) -> str:
        """not_started | in_progress | passed | finished (a best score, not passed)."""
        if self.passed:
            return "passed"
        if self.resume is not None:
            return "in_progress"
        return "finished" if self.finished else "not_started"


@lru_cache(maxsize=64)
def description(path: str) -> str:
    """The scenario's premise: the first line of its file's header comment, up to the first
    full stop, without what it tests (考点), which is for the debrief, not the catalogue."""
    # TODO(convo): a `description: {zh, en}` field in the scenario format would give an English
    # line too; until then the header comment every library file starts with is the source.
    try:
        first = Path(path).read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return ""
    if not first.startswith("#"):
        return ""
    text = first.lstrip("# ").split("考点")[0].split("——")[0].strip()
    text = text.split("。")[0] + "。" if "。" in text else text.rstrip("，；、") + "…"
    return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS - 1] + "…"


def entries(user) -> list:
    """Every scenario once, by difficulty then id, with the tracks it is in and the user's status."""
    tracks = library.tracks()
    mine = Attempt.query.filter_by(user_id=user.id).order_by(Attempt.started_at.desc()).all()
    out = []
    for s in sorted(library.scenarios().values(), key=lambda s: (s.difficulty, s.id)):
        entry = ScenarioEntry(scenario=s, description=description(s.path), steps=len(s.steps),
                              minutes=len(s.steps) * MINUTES_PER_STEP,
                              tracks=[t for t in tracks.values() if t.id in s.tracks])
        for attempt in (a for a in mine if a.scenario_id == s.id):
            _count(entry, attempt)
        out.append(entry)
    return out


def _count(entry: ScenarioEntry, attempt: Attempt) -> None:
    """Fold one of the user's attempts (newest first) into the entry's status."""
    if attempt.status == "active":
        entry.resume = entry.resume or attempt
        return
    if stopped_on_red_line(attempt) and retry_refusal(attempt) is None:
        entry.resume = entry.resume or attempt     # stopped at a red line: the turn can be retried
    entry.finished += 1
    if attempt.total is not None:
        entry.best = attempt.total if entry.best is None else max(entry.best, attempt.total)
    result = verdict(attempt)
    entry.passed = entry.passed or bool(result and result["passed"])
