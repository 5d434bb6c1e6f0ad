"""The grader against hand-labelled replies. `golden/` (180 replies) is the calibration set the
rules were tuned on; `holdout/` and `holdout2/` were written later by authors who never saw the
rules or the golden set (see tests/grading/golden/README.md for what was tuned on what).
Floors: the issue's acceptance bars on the golden set, somewhat lower on the held-out sets.
`python tests/grading/calibration.py golden holdout holdout2 [-v]` prints the measured figures."""
from pathlib import Path

import pytest

from calibration import load_cases, measure
from grading import DIMENSIONS, KINDS

HERE = Path(__file__).parent
FLOORS = {  # set: (pairwise accuracy, red-line recall, false red-line rate)
    "golden": (0.90, 0.95, 0.05),
    "holdout": (0.85, 0.90, 0.05),
    "holdout2": (0.85, 0.90, 0.05),
}


@pytest.fixture(scope="module", params=list(FLOORS))
def measured(request):
    return request.param, measure(load_cases(HERE / request.param))


def test_golden_set_is_big_and_covers_every_kind():
    cases = load_cases()
    assert len(cases) >= 150
    assert {c.context.kind for c in cases} == set(KINDS)
    assert sum(c.gaming for c in cases) >= 10 and sum(bool(c.red_lines) for c in cases) >= 30


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_pairwise_ranking_accuracy(measured, dimension):
    name, figures = measured
    accuracy, pairs = figures.pairwise[dimension]
    assert pairs >= 50
    assert accuracy >= FLOORS[name][0], figures.inversions[dimension][:10]


def test_red_line_recall(measured):
    name, figures = measured
    assert figures.recall >= FLOORS[name][1], figures.misses
    assert figures.category_recall >= FLOORS[name][1] - 0.05


def test_false_red_lines_on_clean_replies(measured):
    name, figures = measured
    assert figures.false_red <= FLOORS[name][2], figures.false_hits


def test_gaming_replies_score_40_or_less(measured):
    name, figures = measured
    assert figures.gaming_n >= 3 and figures.gaming_max <= 40


def test_traditional_script_scores_within_two_points(measured):
    assert measured[1].script_max_gap <= 2


def test_every_finding_is_a_verbatim_slice_of_the_reply_in_either_script():
    import opencc

    from grading import grade
    s2t = opencc.OpenCC("s2t")
    for name in FLOORS:
        for case in load_cases(HERE / name):
            for reply in (case.reply, s2t.convert(case.reply)):
                for f in grade(reply, case.context).findings:
                    assert reply[f.start:f.end] == f.text and f.text, (case.id, f.rule, f.text)
