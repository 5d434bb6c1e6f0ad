"""What a coach's grade of a turn changes: which machine feedback it contradicts, whether the
turn's red line still stands, and the attempt's pass/fail under its track."""
from __future__ import annotations

from typing import Optional

from scenarios import State
from trainer.models import Attempt, Turn
from trainer.services.attempts import effective_total

NEGATIVE = ("red_line", "warning", "suggestion")
# Feedback lines are plain sentences; these openings say which dimension a line is about
# (grading/feedback.py writes the Chinese ones, the English messages the others).
FEEDBACK_OPENINGS = {
    "compliance": ("合规", "Compliance"), "etiquette": ("礼仪化", "Etiquette"),
    "structure": ("结构化", "Structure"), "empathy": ("同理心", "Empathy"),
}
RED_LINE_OPENINGS = ("红线", "Red line")


def latest_scores(turn: Turn) -> Optional[dict]:
    """The scores of the turn's latest coach grade, or None when no coach graded it."""
    return turn.overrides[-1].scores if turn.overrides else None


def red_line_stands(turn: Turn) -> bool:
    """A red line the grader found stands unless the coach's grade gives compliance above 0."""
    if not turn.red_lines:
        return False
    coach = latest_scores(turn)
    return coach is None or coach["compliance"] == 0


def contradicts(finding: dict, machine: dict, coach: Optional[dict]) -> bool:
    """True when the coach's scores disagree with a finding: a fault in a dimension the coach
    scored higher than the grader (a red line: compliance above 0), or a good move in one the
    coach scored lower."""
    if coach is None:
        return False
    dimension = finding.get("dimension")
    if finding.get("level") == "red_line":
        return coach["compliance"] > 0
    if dimension not in coach or dimension not in machine:
        return False
    if finding.get("level") in NEGATIVE:
        return coach[dimension] > machine[dimension]
    if finding.get("level") == "good":
        return coach[dimension] < machine[dimension]
    return False


def _feedback_contradicted(line: str, machine: dict, coach: dict) -> bool:
    if line.startswith(RED_LINE_OPENINGS):
        return coach["compliance"] > 0
    for dimension, openings in FEEDBACK_OPENINGS.items():
        if line.startswith(openings):
            return coach[dimension] > machine[dimension]   # feedback lines are all about faults
    return False


def marked_report(report: dict, coach: Optional[dict]) -> dict:
    """A copy of the machine report whose findings and feedback lines carry `overridden` where
    the coach's grade contradicts them (the page strikes those through instead of showing both)."""
    if not report or coach is None:
        return report
    machine = report.get("scores", {})
    findings = [{**f, "overridden": contradicts(f, machine, coach)} for f in report.get("findings", [])]
    feedback = [_feedback_contradicted(line, machine, coach) for line in report.get("feedback", [])]
    return {**report, "findings": findings, "feedback_overridden": feedback}


def coach_graded(attempt: Attempt) -> bool:
    """True when a coach graded any turn of the attempt that counts."""
    return any(t.overrides for t in attempt.counted_turns)


def standing_red_lines(attempt: Attempt) -> tuple:
    """(the red-line categories that still stand with coach grades counted, whether the attempt
    still counts as breached)."""
    turns = attempt.counted_turns
    red_lines = sorted({f.get("category") or "uncategorised" for t in turns if red_line_stands(t)
                        for f in t.report.get("findings", []) if f.get("level") == "red_line"})
    # A breach ending the grader's red lines led to falls with them when the coach overrules them
    # all; one reached without any red line (going along with the request) still stands.
    breached = bool(red_lines) or (attempt.outcome == "red_line_breach" and not any(t.red_lines for t in turns))
    return red_lines, breached


def attempt_result(attempt: Attempt, track) -> dict:
    """Pass/fail of a finished attempt under `track` with coach grades counted: the average of the
    turns' effective totals, and only the red lines that still stand."""
    turns = attempt.counted_turns
    if not coach_graded(attempt):
        return track.result(State.from_dict(attempt.state), attempt.outcome)
    totals = [effective_total(t) for t in turns]
    average = round(sum(totals) / len(totals)) if totals else 0
    red_lines, breached = standing_red_lines(attempt)
    passed = None
    if track.pass_mark is not None:
        passed = average >= track.pass_mark and not (track.red_line_fails and breached)
    return {"track": track.id, "average": average, "red_lines": red_lines, "passed": passed}
