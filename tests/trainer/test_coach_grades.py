"""A coach's grade beside the machine's: overriding a turn moves the attempt's scores and total,
and the machine grade stays as it was (agreement with the grader: test_agreement.py)."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from grading.scoring import total as weighted_total
from test_coach_flow import LABELS, SPLIT, Coach, field_error, section
from trainer.extensions import db
from trainer.models import Attempt, GradeOverride, Turn
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
