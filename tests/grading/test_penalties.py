"""scoring.penalties (one walk for every dimension) gives what _penalty_and_cap gives for each."""
import random

from grading import scoring
from grading.engine import _rules
from grading.model import Finding


def test_penalties_match_the_per_dimension_walk():
    by_id = _rules()[1]
    ids = list(by_id)[:30] + ["step.forbidden", "model.gift"]
    rng = random.Random(7)
    for _ in range(2000):
        findings = [Finding(rule=rng.choice(ids), dimension=rng.choice(list(scoring.WEIGHTS)),
                            level=rng.choice(["good", "warning", "red_line", "suggestion"]), message="")
                    for _ in range(rng.randint(0, 9))]
        pens = scoring.penalties(findings, by_id)
        for dim in scoring.WEIGHTS:
            assert pens[dim] == scoring._penalty_and_cap(findings, dim, by_id)
