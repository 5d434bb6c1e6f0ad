"""The grader against hand-labelled development data. `golden/` (180 replies) is the set the rules
were tuned on; `tuned1/` and `tuned2/` were blind once and have been tuned on since (see
tests/grading/golden/README.md). Floors belong on development data only: never on a blind set
after the fact (tests/grading/blind/ holds those, with the ledger of their first contact).
`python tests/grading/calibration.py golden tuned1 tuned2 [-v]` prints the measured figures."""
from pathlib import Path

import pytest

from calibration import load_cases, load_named, measure
from grading import DIMENSIONS, KINDS

HERE = Path(__file__).parent
# set: (pairwise accuracy, red-line recall, most false red lines, band within one level),
# a little under what was measured on these development sets when the grader was frozen.
# corpus-dev is the corpus's held-out split (situations the models were not trained on).
FLOORS = {
    "golden": (0.93, 0.90, 0.06, 0.85),
    "tuned1": (0.90, 0.95, 0.02, 0.90),
    "tuned2": (0.90, 0.95, 0.02, 0.90),
    "corpus-dev": (0.88, 0.80, 0.03, 0.78),
}


@pytest.fixture(scope="module", params=list(FLOORS))
def measured(request):
    return request.param, measure(load_named(request.param), script_gap=request.param != "corpus-dev")


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


def test_gaming_replies_land_in_the_lowest_band(measured):
    name, figures = measured
    assert figures.gaming_n >= 3 and figures.gaming_lowest >= 0.9, (figures.gaming_lowest, figures.gaming_max)


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_band_a_trainee_sees_is_within_one_level_of_the_trainers(measured, dimension):
    name, figures = measured
    assert figures.band_within1[dimension] >= FLOORS[name][3], (dimension, figures.band_within1)


def test_traditional_script_scores_within_two_points(measured):
    assert measured[1].script_max_gap <= 2
