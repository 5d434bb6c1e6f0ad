"""Agreement between coaches and the grader at /coach/agreement: over every turn a coach
reviewed, overridden or confirmed as graded (the button on the transcript turn); per dimension
the number of turns, exact and within-one agreement on rubric levels, and quadratic weighted
kappa, which must equal scikit-learn's cohen_kappa_score(weights="quadratic")."""
from __future__ import annotations

import json
import math
import random
import warnings
import re

import pytest
from sklearn.metrics import cohen_kappa_score

from grading.scoring import total as weighted_total
from test_coach_flow import Coach, section
from trainer.extensions import db
from trainer.models import AuditEvent, Turn, TurnConfirmation, User
from trainer.services.agreement import agreement_for, level, quadratic_weighted_kappa
from trainer.services.cohorts import override_turn

DIMS = ("etiquette", "structure", "empathy", "compliance")


def scores(*values) -> dict:
    return dict(zip(DIMS, values))


@pytest.fixture
def cohort(make_user, make_cohort):
    """carol coaches amy; dave coaches bob in another cohort; root is an admin."""
    carol, dave = make_user("carol", role="coach"), make_user("dave", role="coach")
    make_user("root", role="admin")
    mine = make_cohort("A", coach=carol)
    make_user("amy", cohort=mine)
    make_user("bob", cohort=make_cohort("B", coach=dave))
    return mine


def ended(attempt):
    """The attempt, marked as ended (a coach overrides grades only of ended attempts)."""
    attempt.status = "finished"
    db.session.commit()
    return attempt


def graded_turn(attempt, index, machine):
    """A turn whose machine grade is exactly `machine` (a constructed case, not the grader's)."""
    report = {"scores": machine, "total": weighted_total(machine, red_line=False, gaming=False), "findings": []}
    turn = Turn(attempt_id=attempt.id, index=index, step_id="s", customer_line="…", reply="…",
                report_json=json.dumps(report), total=report["total"], state_before_json=attempt.state_json)
    db.session.add(turn)
    db.session.commit()
    return turn


@pytest.mark.parametrize("seed", range(40))
def test_qwk_is_scikit_learns(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 30)
    a = [rng.randint(0, 4) for _ in range(n)]
    b = [min(4, max(0, x + rng.choice((-2, -1, 0, 0, 0, 1, 2)))) if seed % 3 else rng.randint(0, 4) for x in a]
    expected = cohen_kappa_score(a, b, weights="quadratic", labels=list(range(5)))
    assert quadratic_weighted_kappa(a, b) == pytest.approx(expected, abs=1e-12)


def test_qwk_is_undefined_where_scikit_learns_is_not_a_number():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        undefined = cohen_kappa_score([3, 3], [3, 3], weights="quadratic", labels=list(range(5)))
    assert math.isnan(undefined)
    assert quadratic_weighted_kappa([3, 3], [3, 3]) is None and quadratic_weighted_kappa([], []) is None
    assert quadratic_weighted_kappa([0, 4], [4, 0]) == pytest.approx(
        cohen_kappa_score([0, 4], [4, 0], weights="quadratic", labels=list(range(5))))


def test_rubric_levels_follow_the_rubric_bands():
    assert [level(s) for s in (0, 19, 20, 39, 40, 59, 60, 79, 80, 99, 100)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4]


def test_agreement_counts_confirmed_and_overridden_turns(client, auth, cohort, make_attempt):
    amy, bob = cohort.members[0], User.query.filter_by(username="bob").one()
    carol = cohort.coach
    attempt = ended(make_attempt(amy))
    a = graded_turn(attempt, 0, scores(80, 50, 30, 90))
    b = graded_turn(attempt, 1, scores(60, 20, 55, 100))
    c = graded_turn(attempt, 2, scores(10, 10, 10, 10))
    graded_turn(attempt, 3, scores(45, 45, 45, 45))                     # never reviewed: not counted
    override_turn(a, carol, scores(85, 70, 30, 40), "a")
    override_turn(b, carol, scores(0, 0, 0, 0), "superseded")
    override_turn(b, carol, scores(61, 39, 75, 95), "b")               # the latest review counts
    elsewhere = graded_turn(ended(make_attempt(bob)), 0, scores(0, 0, 0, 0))  # dave's trainee: not carol's
    override_turn(elsewhere, bob.cohorts[0].coach, scores(100, 100, 100, 100), "x")

    coach = Coach(client, auth, "carol")
    transcript = coach.page(f"/coach/attempts/{attempt.id}")
    assert transcript.count("Confirm this grade") == 4
    action = f"/coach/attempts/{attempt.id}/turns/{c.id}/confirm"
    assert f'action="{action}"' in transcript
    assert coach.post(action, {}).status_code == 302                    # the button on turn 3
    assert f"Confirmed by carol" in coach.page(f"/coach/attempts/{attempt.id}")
    confirmation = TurnConfirmation.query.one()
    assert (confirmation.turn_id, confirmation.scores) == (c.id, scores(10, 10, 10, 10))
    assert AuditEvent.query.filter_by(action="turn_confirm", actor="carol", target=f"turn:{c.id}").count() == 1

    machine = {"a": (4, 2, 1, 4), "b": (3, 1, 2, 4), "c": (0, 0, 0, 0)}   # rubric levels per dimension
    coach_l = {"a": (4, 3, 1, 2), "b": (3, 1, 3, 4), "c": (0, 0, 0, 0)}
    qwk = [cohen_kappa_score([machine[t][i] for t in "abc"], [coach_l[t][i] for t in "abc"],
                             weights="quadratic", labels=list(range(5))) for i in range(4)]
    # per dimension: turns, exact, within one level, QWK, mean difference coach - machine
    expected = {"etiquette": ("3", "100%", "100%", f"{qwk[0]:.2f}", "+2.0"),     # +5, +1, 0
                "structure": ("3", "67%", "100%", f"{qwk[1]:.2f}", "+13.0"),    # +20, +19, 0
                "empathy": ("3", "67%", "100%", f"{qwk[2]:.2f}", "+6.7"),       # 0, +20, 0
                "compliance": ("3", "67%", "67%", f"{qwk[3]:.2f}", "-18.3")}    # -50, -5, 0
    page = coach.page("/coach/agreement")
    table = section(page, r'<table class="agreement">')
    for d, cells in expected.items():
        row = re.search(rf'<tr data-dimension="{d}">.*?</tr>', table, re.S).group(0)
        assert tuple(re.findall(r"<td>([^<]*)</td>", row)) == cells, d
    assert "Quadratic weighted kappa" in table and "Within one level" in table
    chart = section(page, r'<svg class="barchart"')
    assert "Etiquette 礼仪化 · Exact agreement (same level): 100%" in chart
    assert "<script" not in page and "style=" not in page
    assert agreement_for(User.query.filter_by(username="root").one())["etiquette"]["turns"] == 4   # admin: all


def test_the_chart_legend_covers_no_bar_value_or_label(client, auth, cohort, make_attempt):
    attempt = ended(make_attempt(cohort.members[0]))
    turn = graded_turn(attempt, 0, scores(90, 90, 90, 90))
    override_turn(turn, cohort.coach, scores(95, 95, 95, 95), "full marks")     # bars at 100%
    chart = section(Coach(client, auth, "carol").page("/coach/agreement"), r'<svg class="barchart"')
    legend_bottom = max(float(y) + 12 for y in re.findall(r'<rect x="[^"]*" y="([^"]*)" width="12" height="12"', chart))
    value_tops = [float(y) - 10 for y in re.findall(r'<text x="[^"]*" y="([^"]*)" text-anchor="middle" class="value">', chart)]
    axis_tops = [float(y) - 11 for y in re.findall(r'<text x="[^"]*" y="([^"]*)" text-anchor="middle" class="axis">', chart)]
    assert len(value_tops) == 8 and len(axis_tops) == 4
    assert min(value_tops + axis_tops) > legend_bottom        # nothing drawn under the legend


def test_agreement_with_no_reviews_says_so(client, auth, cohort):
    page = Coach(client, auth, "carol").page("/coach/agreement")
    assert "No turn has been reviewed yet" in page


def test_a_coach_cannot_confirm_another_coachs_trainee(client, auth, cohort, make_attempt):
    bob = User.query.filter_by(username="bob").one()
    attempt = make_attempt(bob)
    turn = graded_turn(attempt, 0, scores(50, 50, 50, 50))
    coach = Coach(client, auth, "carol")
    assert coach.post(f"/coach/attempts/{attempt.id}/turns/{turn.id}/confirm", {}).status_code == 404
    assert TurnConfirmation.query.count() == 0
