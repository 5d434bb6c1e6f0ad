"""Nothing typed is lost: a reply sent through the API is stored even when grading crashes,
and opening the attempt afterwards grades it and moves the customer on."""
from __future__ import annotations

import pytest

from test_api import OPENING, Api, assert_error, is_a_strong_opening
from trainer.extensions import db
from trainer.models import Attempt, Turn
from trainer.services import attempts as attempts_service
from trainer.services.users import issue_token


@pytest.fixture
def amy(make_user):
    return make_user("amy")


@pytest.fixture
def api(client, amy):
    return Api(client, issue_token(amy))


@pytest.fixture
def grader_crashes_once(monkeypatch):
    """The grader raises on its first call, then works again."""
    real, calls = attempts_service.grade, []

    def flaky(reply, context):
        calls.append(reply)
        if len(calls) == 1:
            raise RuntimeError("grader crashed")
        return real(reply, context)

    monkeypatch.setattr("trainer.services.attempts.grade", flaky)
    return calls


def crash_a_reply(api):
    """Start an attempt and send a reply whose grading crashes; returns (attempt id, reply)."""
    started = api.start(seed=7)
    reply = OPENING.format(address=started["persona"]["address"])
    response = api.post(f"/attempts/{started['attempt_id']}/turns", {"reply": reply})
    assert_error(response, 500, "your reply was saved but could not be graded; do not send it again")
    return started["attempt_id"], reply


def test_a_reply_is_stored_when_grading_raises_and_the_page_recovers_it(auth, client, api, grader_crashes_once):
    attempt_id, reply = crash_a_reply(api)
    turn = Turn.query.filter_by(attempt_id=attempt_id).one()
    assert turn.reply == reply and turn.report_json is None          # stored, not yet graded
    assert db.session.get(Attempt, attempt_id).state["step"] == "opening"

    auth.login("amy")
    page = client.get(f"/attempts/{attempt_id}")
    assert page.status_code == 200
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.turns[0].report_json is not None and attempt.turns[0].total == attempt.turns[0].report["total"]
    assert is_a_strong_opening(attempt.turns[0].report), attempt.turns[0].report
    assert attempt.state["step"] == "details" and attempt.state["turn"] == 1
    assert attempt.state["customer_line"] in page.get_data(as_text=True)
    assert grader_crashes_once == [reply, reply]


def test_the_api_get_recovers_the_reply_too(api, grader_crashes_once):
    attempt_id, reply = crash_a_reply(api)
    shown = api.get(f"/attempts/{attempt_id}").get_json()
    assert shown["turns"][0]["reply"] == reply and shown["turns"][0]["graded"] is True
    assert is_a_strong_opening(shown["turns"][0]["report"]), shown["turns"][0]["report"]["scores"]
    assert shown["state"]["step"] == "details" and "名字" in shown["customer"]


def test_replying_again_before_reading_the_recovered_line_is_409(api, grader_crashes_once):
    attempt_id, reply = crash_a_reply(api)
    again = api.post(f"/attempts/{attempt_id}/turns", {"reply": reply})
    assert_error(again, 409, "your previous reply has just been graded")
    turns = Turn.query.filter_by(attempt_id=attempt_id).all()
    assert [t.reply for t in turns] == [reply] and turns[0].report_json is not None
    # Having read the customer's answer, the trainee carries on normally.
    assert api.post(f"/attempts/{attempt_id}/turns", {"reply": "好的，我先核对一下收款人的户名。"}).status_code == 200


def test_sending_the_saved_reply_again_gets_its_result_not_a_second_turn(api, grader_crashes_once):
    attempt_id, reply = crash_a_reply(api)
    again = api.post(f"/attempts/{attempt_id}/turns", {"reply": reply, "turn": 0})
    assert again.status_code == 200, again.get_json()
    body = again.get_json()
    stored = Turn.query.filter_by(attempt_id=attempt_id).one()
    assert body["duplicate"] is True and body["turn_index"] == 0 and body["report"]["total"] == stored.total
    assert body["next_turn"] == 1 and body["customer"] == db.session.get(Attempt, attempt_id).state["customer_line"]
    assert stored.reply == reply
