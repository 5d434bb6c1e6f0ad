"""The same turn sent twice (a double-click 100-300 ms apart, parallel API posts, a stale tab) is
stored once: a duplicate gets the stored result, another reply for a turn already answered gets
409 and where the attempt is. Run on SQLite and PostgreSQL (RMTRAINER_TEST_DATABASE_URL)."""
from __future__ import annotations

import json
import re

import pytest

from concurrency import at_once
from conftest import PASSWORD
from test_api import OPENING, assert_error
from trainer.extensions import db
from trainer.models import Turn
from trainer.services.users import issue_token

SCENARIO = "transfer_not_arrived"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")


@pytest.fixture
def amy(make_user):
    return make_user("amy")


@pytest.fixture
def token(amy):
    return issue_token(amy)


def api_post(app, token, path, body):
    return app.test_client().post("/api/v1" + path, json=body, headers={"Authorization": f"Bearer {token}"})


def start(app, token):
    response = api_post(app, token, "/attempts", {"scenario_id": SCENARIO, "seed": 7})
    assert response.status_code == 201
    return response.get_json()


def stored_replies(attempt_id):
    db.session.expire_all()
    return [t.reply for t in Turn.query.filter_by(attempt_id=attempt_id).order_by(Turn.index)]


def test_parallel_posts_of_the_same_turn_store_it_once_and_all_get_its_result(app, token):
    started = start(app, token)
    assert started["next_turn"] == 0
    reply = OPENING.format(address=started["persona"]["address"])
    path = f"/attempts/{started['attempt_id']}/turns"
    responses = at_once(8, lambda i: api_post(app, token, path, {"reply": reply, "turn": 0}))
    assert [r.status_code for r in responses] == [200] * 8, [r.get_json() for r in responses]
    bodies = [r.get_json() for r in responses]
    assert sum(not b["duplicate"] for b in bodies) == 1
    assert {b["turn_index"] for b in bodies} == {0}
    assert len({json.dumps(b["report"], sort_keys=True) for b in bodies}) == 1   # one grade, the stored one
    assert {b["next_turn"] for b in bodies} == {1} and len({b["customer"] for b in bodies}) == 1
    assert stored_replies(started["attempt_id"]) == [reply]


def test_parallel_different_replies_to_one_turn_one_wins_the_rest_get_409(app, token):
    started = start(app, token)
    path = f"/attempts/{started['attempt_id']}/turns"
    responses = at_once(6, lambda i: api_post(app, token, path, {"reply": f"您好，我马上帮您查询第{i}笔。", "turn": 0}))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 5, [r.get_json() for r in responses]
    for r in responses:
        if r.status_code == 409:
            assert "turn 0 was already answered with another reply" in r.get_json()["error"]
            assert "waiting for the reply to turn 1" in r.get_json()["error"]
    assert len(stored_replies(started["attempt_id"])) == 1


def test_parallel_posts_without_a_turn_number_never_answer_500(app, token):
    started = start(app, token)
    path = f"/attempts/{started['attempt_id']}/turns"
    responses = at_once(6, lambda i: api_post(app, token, path, {"reply": "您好，我马上帮您查询这笔转账。"}))
    assert all(r.status_code in (200, 409) for r in responses), [r.get_json() for r in responses]
    assert len(stored_replies(started["attempt_id"])) == sum(
        r.status_code == 200 and not r.get_json()["duplicate"] for r in responses)


def test_a_resend_after_the_attempt_moved_on_gets_the_stored_turn(app, token):
    started = start(app, token)
    path = f"/attempts/{started['attempt_id']}/turns"
    first = api_post(app, token, path, {"reply": "您好，我马上帮您查询。", "turn": 0}).get_json()
    api_post(app, token, path, {"reply": "请告诉我收款人的户名。", "turn": 1})
    again = api_post(app, token, path, {"reply": "您好，我马上帮您查询。", "turn": 0})
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    assert again.get_json()["report"] == first["report"]
    shown = app.test_client().get(f"/api/v1/attempts/{started['attempt_id']}",
                                  headers={"Authorization": f"Bearer {token}"}).get_json()
    assert again.get_json()["next_turn"] == shown["next_turn"] and len(shown["turns"]) == 2


def test_a_turn_not_reached_is_409_with_the_turn_expected(app, token):
    started = start(app, token)
    response = api_post(app, token, f"/attempts/{started['attempt_id']}/turns", {"reply": "您好。", "turn": 3})
    assert_error(response, 409, "turn 3 has not been reached: the customer is waiting for the reply to turn 0")
    bad = api_post(app, token, f"/attempts/{started['attempt_id']}/turns", {"reply": "您好。", "turn": "0"})
    assert_error(bad, 422, "turn must be a whole number")


# ---- the web form ---------------------------------------------------------------------------

def logged_in_browser(app, username="amy"):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf}).status_code == 302
    return client


def reply_form(client, url):
    html = client.get(url).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    turn = re.search(r'name="turn"[^>]*value="([^"]*)"', html) or re.search(r'value="([^"]*)"[^>]*name="turn"', html)
    return {"csrf_token": csrf, "turn": turn.group(1)}


def tab_sharing(app, client):
    """Another connection of the same browser (same session cookie), as a double-click makes."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def test_a_double_click_on_the_reply_form_stores_the_reply_once(app, amy):
    browser = logged_in_browser(app)
    from trainer.services.attempts import start_attempt
    attempt = start_attempt(amy, SCENARIO, "practice", seed=7)
    url = f"/attempts/{attempt.id}"
    form = reply_form(browser, url)
    assert form["turn"] == "0"
    clicks = [browser] + [tab_sharing(app, browser) for _ in range(3)]
    reply = "您好，非常抱歉让您着急了，我马上帮您查询这笔转账，今天下午三点前给您回电话。"
    responses = at_once(4, lambda i: clicks[i].post(url + "/reply", data={**form, "reply": reply}))
    assert [r.status_code for r in responses] == [302] * 4
    assert stored_replies(attempt.id) == [reply]
    page = browser.get(url).get_data(as_text=True)
    assert re.search(r'name="turn" type="hidden" value="1"', page), page


def test_a_stale_tab_answering_an_answered_turn_is_told_and_stores_nothing(app, amy):
    browser = logged_in_browser(app)
    from trainer.services.attempts import start_attempt
    attempt = start_attempt(amy, SCENARIO, "practice", seed=7)
    url = f"/attempts/{attempt.id}"
    form = reply_form(browser, url)
    browser.post(url + "/reply", data={**form, "reply": "您好，我马上帮您查询。"})
    stale = browser.post(url + "/reply", data={**form, "reply": "另一句话"}, follow_redirects=True)
    assert "turn 0 was already answered with another reply" in stale.get_data(as_text=True)
    assert stored_replies(attempt.id) == ["您好，我马上帮您查询。"]


def test_a_server_error_during_a_request_renders_the_error_page_with_security_headers(app, amy, monkeypatch):
    browser = logged_in_browser(app)
    from trainer.services.attempts import start_attempt
    attempt = start_attempt(amy, SCENARIO, "practice", seed=7)
    url = f"/attempts/{attempt.id}"
    form = reply_form(browser, url)

    def broken_store(attempt, *args, **kwargs):
        # a failed flush leaves the session needing a rollback, as the duplicate index did
        db.session.add(Turn(attempt_id=attempt.id, index=0, step_id="x", customer_line="x", reply="x",
                            state_before_json="{}"))
        db.session.add(Turn(attempt_id=attempt.id, index=0, step_id="x", customer_line="x", reply="x",
                            state_before_json="{}"))
        db.session.flush()

    monkeypatch.setattr("trainer.trainee.views.submit_reply", broken_store)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = browser.post(url + "/reply", data={**form, "reply": "您好"})
    assert response.status_code == 500
    assert all(h in response.headers for h in SECURITY_HEADERS), dict(response.headers)
    html = response.get_data(as_text=True)
    assert "500" in html and "<main" in html


def test_when_even_the_error_page_fails_a_plain_500_with_security_headers_is_shown(app, amy, monkeypatch):
    browser = logged_in_browser(app)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("trainer.trainee.views.history_view", broken)
    monkeypatch.setattr("trainer.errors.render_template", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = browser.get("/history")
    assert response.status_code == 500
    assert all(h in response.headers for h in SECURITY_HEADERS)
    assert "Internal server error" in response.get_data(as_text=True)
