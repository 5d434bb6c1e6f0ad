"""Builders for the scenario tests: paths, and grade reports made by hand."""
from pathlib import Path

from grading import DIMENSIONS, Finding, Report

HERE = Path(__file__).parent
REPO = HERE.parent.parent
BROKEN = HERE / "broken"
TRANSCRIPTS = HERE / "transcripts"


def make_report(reply="您好。", total=70, red=(), moves=(), flags=(), **scores) -> Report:
    """A Report as the grader would give it: every score = total unless named; red = categories."""
    findings = [Finding(rule="test.RedLine", dimension="compliance", level="red_line",
                        message="red line", category=c) for c in red]
    findings += [Finding(rule="test.Move", dimension="structure", level="good",
                         message="move", move=m) for m in moves]
    all_scores = {d: scores.get(d, total) for d in DIMENSIONS}
    return Report(reply=reply, scores=all_scores, total=total, findings=findings, flags=list(flags))
