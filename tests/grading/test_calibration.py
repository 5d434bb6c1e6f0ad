"""The grader against the hand-labelled golden set (tests/grading/golden, written independently of
the rules). Floors are the issue's acceptance bars; `python tests/grading/calibration.py` prints
the measured figures."""
import pytest

from calibration import load_cases, measure
from grading import DIMENSIONS


@pytest.fixture(scope="module")
def figures():
    return measure()


def test_golden_set_is_big_and_covers_every_kind():
    cases = load_cases()
    assert len(cases) >= 150
    from grading import KINDS
    assert {c.context.kind for c in cases} == set(KINDS)
    assert sum(c.gaming for c in cases) >= 10 and sum(bool(c.red_lines) for c in cases) >= 30


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_pairwise_ranking_accuracy(figures, dimension):
    accuracy, pairs = figures.pairwise[dimension]
    assert pairs >= 100
    assert accuracy >= 0.90, figures.inversions[dimension][:10]


def test_red_line_recall(figures):
    assert figures.recall >= 0.95, figures.misses
    assert figures.category_recall >= 0.90


def test_false_red_lines_on_clean_replies(figures):
    assert figures.false_red <= 0.05, figures.false_hits


def test_gaming_replies_score_40_or_less(figures):
    assert figures.gaming_n >= 10 and figures.gaming_max <= 40


def test_traditional_script_scores_within_two_points(figures):
    assert figures.script_max_gap <= 2
