"""A coach's grade beside the machine's: overriding a turn moves the attempt's scores and total,
the machine grade stays as it was, and the agreement page measures coaches against the grader."""
from __future__ import annotations

import html as htmllib
import json
import re

import pytest

from grading.scoring import total as weighted_total
from test_coach_flow import LABELS, SPLIT, Coach, field_error, section
from trainer.extensions import db
from trainer.models import Attempt, GradeOverride, Turn, User
from trainer.services import coaching
from trainer.services.attempts import submit_reply
from trainer.services.cohorts import override_turn


@pytest.fixture
def cohort(make_user, make_cohort):
    """carol coaches amy; dave coaches bob in another cohort; root is an admin."""
    carol = make_user("carol", role="coach")
    dave = make_user("dave", role="coach")
    make_user("root", role="admin")
    mine = make_cohort("A", coach=carol)
    make_user("amy", cohort=mine)
    make_user("bob", cohort=make_cohort("B", coach=dave))
    return mine


@pytest.fixture
def finished(cohort, make_attempt):
    """amy's finished attempt: one turn that crossed a red line."""
    attempt = make_attempt(cohort.members[0], "aml_split_withdrawal", seed=32)
    submit_reply(attempt, SPLIT)
    assert attempt.status == "finished"
    return attempt


def override_data(turn, scores, comment="The customer was handled better than the grader thinks."):
    """The override form of a turn, filled in (prefixed field names, as the page sends them)."""
    data = {f"t{turn.id}-{d}": str(v) for d, v in scores.items()}
    data[f"t{turn.id}-comment"] = comment
    return data


def side_by_side(page: str, dimension: str) -> tuple:
    """(machine, coach) as the transcript's side-by-side table shows them for a dimension."""
    row = re.search(rf'<tr data-dimension="{dimension}">.*?</tr>', page, re.S).group(0)
    machine = re.search(r'<td class="machine">([^<]*)</td>', row).group(1)
    coach = re.search(r'<td class="coach">([^<]*)</td>', row).group(1)
    return machine, coach


def test_an_override_changes_the_attempts_total_and_is_shown_beside_the_machine_grade(client, auth, finished):
    turn = finished.turns[0]
    machine = dict(turn.report["scores"])
    machine_json, machine_total = turn.report_json, finished.total
    coach_scores = {"etiquette": 70, "structure": 60, "empathy": 55, "compliance": 10}
    carol = Coach(client, auth, "carol")
    before = carol.page(f"/coach/attempts/{finished.id}")
    assert side_by_side(before, "compliance") == (str(machine["compliance"]), "—")

    response = carol.post(f"/coach/attempts/{finished.id}/turns/{turn.id}/override",
                          override_data(turn, coach_scores), token_field=f"t{turn.id}-csrf_token")
    assert response.status_code == 302 and response.location.endswith(f"/coach/attempts/{finished.id}#turn-1")

    attempt = db.session.get(Attempt, finished.id)
    db.session.refresh(attempt)
    expected_total = weighted_total(coach_scores, red_line=False, gaming=False)
    assert attempt.scores == coach_scores and attempt.total == expected_total != machine_total
    stored = db.session.get(Turn, turn.id)
    assert stored.report_json == machine_json                       # the machine grade is kept as it was
    assert [(o.coach.username, o.scores) for o in stored.overrides] == [("carol", coach_scores)]

    page = carol.page(f"/coach/attempts/{finished.id}")
    for d in LABELS:
        assert side_by_side(page, d) == (str(machine[d]), str(coach_scores[d]))
    assert side_by_side(page, "total") == (str(turn.report["total"]), str(expected_total))
    assert "carol: The customer was handled better than the grader thinks." in page


def test_the_latest_override_counts(finished):
    turn = finished.turns[0]
    coach = finished.user.cohorts[0].coach
    override_turn(turn, coach, {"etiquette": 10, "structure": 10, "empathy": 10, "compliance": 10}, "first")
    override_turn(turn, coach, {"etiquette": 90, "structure": 80, "empathy": 70, "compliance": 60}, "second")
    assert finished.scores == {"etiquette": 90, "structure": 80, "empathy": 70, "compliance": 60}
    assert GradeOverride.query.count() == 2


@pytest.mark.parametrize("changes, field, message", [
    ({"etiquette": "101"}, "etiquette", "A score must be a whole number from 0 to 100"),
    ({"structure": "-1"}, "structure", "A score must be a whole number from 0 to 100"),
    ({"empathy": "sixty"}, "empathy", "A score must be a whole number from 0 to 100"),
    ({"compliance": ""}, "compliance", "Please give a score from 0 to 100"),
    ({"comment": "   "}, "comment", "Please say why you changed the grade"),
])
def test_a_bad_override_is_refused_with_the_reason_next_to_the_field(client, auth, finished, changes, field, message):
    turn = finished.turns[0]
    data = override_data(turn, {"etiquette": 50, "structure": 50, "empathy": 50, "compliance": 50})
    data.update({f"t{turn.id}-{k}": v for k, v in changes.items()})
    carol = Coach(client, auth, "carol")
    response = carol.post(f"/coach/attempts/{finished.id}/turns/{turn.id}/override", data,
                          token_field=f"t{turn.id}-csrf_token")
    assert response.status_code == 422
    page = htmllib.unescape(response.get_data(as_text=True))
    assert field_error(page, f"t{turn.id}-{field}") == message
    assert GradeOverride.query.count() == 0


def ended(attempt):
    """The attempt, marked as ended (a coach grades only ended attempts)."""
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


def test_the_agreement_page_measures_coaches_against_the_grader(client, auth, cohort, make_attempt):
    amy, bob = cohort.members[0], User.query.filter_by(username="bob").one()
    carol = cohort.coach
    attempt = ended(make_attempt(amy))
    a = graded_turn(attempt, 0, {"etiquette": 80, "structure": 50, "empathy": 30, "compliance": 90})
    b = graded_turn(attempt, 1, {"etiquette": 60, "structure": 20, "empathy": 55, "compliance": 100})
    override_turn(a, carol, {"etiquette": 85, "structure": 70, "empathy": 30, "compliance": 40}, "a")
    override_turn(b, carol, {"etiquette": 0, "structure": 0, "empathy": 0, "compliance": 0}, "superseded")
    override_turn(b, carol, {"etiquette": 61, "structure": 39, "empathy": 75, "compliance": 95}, "b")
    graded_turn(attempt, 2, {"etiquette": 10, "structure": 10, "empathy": 10, "compliance": 10})   # never overridden
    elsewhere = graded_turn(ended(make_attempt(bob)), 0, {"etiquette": 0, "structure": 0, "empathy": 0, "compliance": 0})
    override_turn(elsewhere, bob.cohorts[0].coach, {"etiquette": 100, "structure": 100, "empathy": 100, "compliance": 100}, "x")

    # per dimension: overrides, mean |diff|, mean diff, within 10 points, same rubric level
    expected = {"etiquette": ("2", "3.0", "+3.0", "100%", "100%"),     # +5 (4=4), +1 (3=3)
                "structure": ("2", "19.5", "+19.5", "0%", "50%"),      # +20 (2≠3), +19 (1=1)
                "empathy": ("2", "10.0", "+10.0", "50%", "50%"),       # 0 (1=1), +20 (2≠3)
                "compliance": ("2", "27.5", "-27.5", "50%", "50%")}    # -50 (4≠2), -5 (4=4)
    page = Coach(client, auth, "carol").page("/coach/agreement")
    table = section(page, r'<table class="agreement">')
    for d, cells in expected.items():
        row = re.search(rf'<tr data-dimension="{d}">.*?</tr>', table, re.S).group(0)
        assert tuple(re.findall(r"<td>([^<]*)</td>", row)) == cells, d
    chart = section(page, r'<svg class="barchart"')
    assert chart.count("<rect") == 8 + 2          # two bars per dimension, two legend keys
    assert "Etiquette 礼仪化: 100%" in chart and "Structure 结构化: 0%" in chart
    assert "<script" not in page and "style=" not in page

    admin = coaching.agreement_for(User.query.filter_by(username="root").one())
    assert admin["etiquette"]["overrides"] == 3       # the admin also sees dave's cohort


def test_rubric_levels_follow_the_rubric_bands():
    assert [coaching.level(s) for s in (0, 19, 20, 39, 40, 59, 60, 79, 80, 99, 100)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4]


def test_agreement_with_no_overrides_says_so(client, auth, cohort):
    page = Coach(client, auth, "carol").page("/coach/agreement")
    assert "No grade has been overridden yet." in page
    assert coaching.agreement([])["empathy"] == {"overrides": 0, "mean_abs_diff": None, "mean_diff": None,
                                                 "within_10": None, "same_level": None}
