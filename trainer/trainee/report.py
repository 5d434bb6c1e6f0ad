"""What the final report and the red-line stop show: the verdict, the customer's last line and a
debrief of the turns actually played. Computed without a request, so tests call it directly."""
from __future__ import annotations

from typing import Optional

from grading.conversation import LEGITIMATE, catalogue
from scenarios import State
from scenarios.persona import render

from trainer.models import Attempt
from trainer.services import library
from trainer.services.exams import track_policy
from trainer.services.overrides import attempt_result, coach_graded, standing_red_lines


def graded_track(attempt: Attempt):
    """The track whose pass mark judges the attempt: its own, else the strictest of the
    scenario's graded tracks (the way model answers follow the strictest track); None if none."""
    scenario = library.scenario(attempt.scenario_id)
    if scenario is None:
        return None
    graded = [t for t in track_policy(scenario, attempt.track_id) if t.pass_mark is not None]
    return max(graded, key=lambda t: (t.pass_mark, t.red_line_fails), default=None)


def verdict(attempt: Attempt) -> Optional[dict]:
    """Pass/fail of a finished attempt with the reasons a trainee can read (None while active).

    passed is None when no track of the scenario has a pass mark, except in an exam: there a red
    line fails the attempt whatever the track says."""
    if attempt.status != "finished":
        return None
    track = graded_track(attempt)
    state = State.from_dict(attempt.state)
    red_lines = sorted({c for turn in state.history for c in turn["red_lines"]})
    breached = bool(red_lines) or attempt.outcome == "red_line_breach"
    if coach_graded(attempt):        # the coach's grades count: a red line the coach overruled is gone
        red_lines, breached = standing_red_lines(attempt)
    out = {"track": track, "pass_mark": track.pass_mark if track else None, "total": attempt.total,
           "breached": breached, "red_lines": red_lines, "passed": None, "below_mark": False}
    if track is not None:
        result = attempt_result(attempt, track)      # the turns' totals as the coach graded them
        out.update(passed=result["passed"], average=result["average"],
                   below_mark=result["average"] < track.pass_mark,
                   red_line_rule=track.red_line_fails)
    elif attempt.mode == "exam" and breached:
        out.update(passed=False, red_line_rule=True)
    return out


def final_line(attempt: Attempt) -> str:
    """What the customer said last, once the attempt has ended: the whole last turn, so the
    reaction to the trainee's last reply ("……行吧，规矩是规矩。") is shown before the ending's words."""
    if attempt.status != "finished":
        return ""
    return attempt.state.get("customer_line") or attempt.state.get("final_line", "")


def debrief(attempt: Attempt) -> dict:
    """The turns actually played, summed up: requests refused or gone along with, red lines
    with their regulation, and the hidden facts found (retried turns left out); `events` is the
    engine's debrief of what happened ({"zh": [...], "en": [...]}, built from the state's
    history, which a retry winds back, so it too leaves retried turns out)."""
    requests, stances = catalogue()
    scenario = library.scenario(attempt.scenario_id)
    offers, red_lines = [], []
    for turn in attempt.counted_turns:
        report = turn.report
        reading = report.get("reading") or {}
        request = requests.get(reading.get("request") or "")
        stance = stances.get(reading.get("stance") or "")
        if request is not None and request.id != LEGITIMATE and stance is not None:
            offers.append({"turn": turn.index + 1, "request": request.title, "stance": stance.title,
                           "complied": stance.complies_with_request})
        for f in report.get("findings", []):
            if f["level"] == "red_line":
                red_lines.append({"turn": turn.index + 1, **f})
    persona = attempt.state["persona"]
    found = set(attempt.state.get("uncovered", []))
    facts = [render(f.fact, persona) for f in (scenario.facts if scenario else ()) if f.id in found]
    missed = len(scenario.facts) - len(facts) if scenario else 0
    events = (attempt.state.get("debrief") or {}) if attempt.status == "finished" else {}
    return {"offers": offers, "red_lines": red_lines, "facts": facts, "facts_missed": missed,
            "events": events}


def last_red_lines(attempt: Attempt) -> list:
    """The rules the last counted turn broke (what stopped a practice attempt): each rule once,
    with its message, regulation, suggestion and every piece of the reply that broke it."""
    turns = attempt.counted_turns
    found = [f for f in turns[-1].report.get("findings", []) if f["level"] == "red_line"] if turns else []
    # Several rules often mark the same words, and one rule several places: the trainee needs
    # each rule once, with all its evidence.
    rules = {}
    for f in found:
        rule = rules.setdefault(f["message"], {"message": f["message"], "source": f.get("source", ""),
                                               "suggestion": f.get("suggestion", ""), "texts": []})
        if f["text"] not in rule["texts"]:
            rule["texts"].append(f["text"])
        rule["source"] = rule["source"] or f.get("source", "")
    return list(rules.values())
