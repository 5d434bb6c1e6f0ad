"""Finished attempts are final: "retry this turn" is refused once an attempt has ended (it used to
reopen it and drop a coach's grade), and a red line crossed in a turn later retried stays on the
coach's dashboard."""
from __future__ import annotations

import re

import pytest

from test_coach_flow import SPLIT
from trainer.extensions import db
from trainer.models import Attempt
from trainer.services.attempts import start_attempt, submit_reply
from trainer.services.cohorts import override_turn
from trainer.services.users import issue_token

RED = "您放心，钱肯定丢不了，这种事保本的，跌不了。"
COACH_GRADE = {"etiquette": 20, "structure": 20, "empathy": 20, "compliance": 10}


@pytest.fixture
def people(make_user, make_cohort):
    coach = make_user("coach1", "coach")
    cohort = make_cohort("秋季", coach)
    return make_user("amy", cohort=cohort), coach


def finished_and_overridden(amy, coach):
    attempt = start_attempt(amy, "aml_split_withdrawal", "practice", seed=32)
    submit_reply(attempt, SPLIT)
    assert attempt.status == "finished"
    override_turn(attempt.turns[0], coach, COACH_GRADE, "教唆拆分取现，红线")
    return attempt.id, attempt.total


def test_retry_on_a_finished_attempt_is_refused_and_the_coach_grade_stands(client, auth, people):
    amy, coach = people
    attempt_id, total = finished_and_overridden(amy, coach)
    auth.login("amy")
    response = client.post(f"/attempts/{attempt_id}/retry", data={"csrf_token": auth.csrf("/catalogue")},
                           follow_redirects=True)
    assert "this attempt has ended and is final" in response.get_data(as_text=True)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "finished" and attempt.total == total
    assert not attempt.turns[0].superseded and attempt.turns[0].overrides


def test_the_finished_report_offers_no_retry(client, auth, people):
    amy, coach = people
    attempt_id, _ = finished_and_overridden(amy, coach)
    auth.login("amy")
    assert "Retry this turn" not in client.get(f"/attempts/{attempt_id}?lang=en").get_data(as_text=True)


def test_a_retried_red_line_stays_on_the_coach_dashboard(client, auth, people):
    amy, coach = people
    attempt = start_attempt(amy, "transfer_not_arrived", "practice", seed=7)
    submit_reply(attempt, RED)
    assert attempt.turns[0].red_lines
    auth.login("amy")
    client.post(f"/attempts/{attempt.id}/retry", data={"csrf_token": auth.csrf("/catalogue")})
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).turns[0].superseded
    auth.logout()
    auth.login("coach1")
    page = client.get("/coach/?lang=en").get_data(as_text=True)
    incidents = re.search(r'<table class="incidents">.*?</table>', page, re.S)
    assert incidents, page
    assert "保本" in incidents.group(0) and "Retried" in incidents.group(0)
