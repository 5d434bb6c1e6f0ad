"""Who may see and play what, by page and by API: a trainee never reads or writes another
trainee's attempt, never reaches coach pages, and a session cookie never opens the API."""
from __future__ import annotations

import pytest

from test_api import Api, assert_error
from trainer.models import Attempt, Turn
from trainer.services.attempts import submit_reply
from trainer.services.users import issue_token

COACH_PAGES = ["/coach/", "/coach/cohorts", "/coach/agreement"]
HELLO = "您好，真的很抱歉让您着急了，这件事由我来跟进，我马上帮您查。"


@pytest.fixture
def people(make_user, make_cohort):
    """amy and bob in carol's cohort; dave coaches nobody here; root is an admin."""
    carol = make_user("carol", role="coach")
    cohort = make_cohort("秋季新员工", coach=carol)
    return {"amy": make_user("amy", cohort=cohort), "bob": make_user("bob", cohort=cohort),
            "carol": carol, "dave": make_user("dave", role="coach"), "root": make_user("root", role="admin")}


@pytest.fixture
def bobs_attempt(people, make_attempt):
    """bob's practice attempt with one graded turn."""
    attempt = make_attempt(people["bob"])
    submit_reply(attempt, HELLO)
    return attempt


def api_as(client, user):
    return Api(client, issue_token(user))


# ---- pages --------------------------------------------------------------------------------

def test_a_trainee_cannot_open_another_trainees_attempt_page(auth, client, people, bobs_attempt, make_attempt):
    own = make_attempt(people["amy"])
    auth.login("amy")
    assert client.get(f"/attempts/{own.id}").status_code == 200
    response = client.get(f"/attempts/{bobs_attempt.id}")
    assert response.status_code == 404
    assert bobs_attempt.turns[0].customer_line not in response.get_data(as_text=True)
    # Exactly what an id that does not exist gives: nothing tells amy the attempt is there.
    assert client.get("/attempts/9999").status_code == 404


def test_a_trainee_cannot_reply_in_or_retry_another_trainees_attempt(auth, client, people, bobs_attempt):
    auth.login("amy")
    token = auth.csrf("/catalogue")
    assert token
    reply = client.post(f"/attempts/{bobs_attempt.id}/reply", data={"reply": "我替他回答", "csrf_token": token})
    assert reply.status_code == 404
    retry = client.post(f"/attempts/{bobs_attempt.id}/retry", data={"csrf_token": token})
    assert retry.status_code == 404
    turns = Turn.query.filter_by(attempt_id=bobs_attempt.id).all()
    assert [t.reply for t in turns] == [HELLO] and not turns[0].superseded


def test_the_trainees_coach_can_read_the_attempt_page_but_another_coach_cannot(auth, client, bobs_attempt):
    auth.login("carol")
    page = client.get(f"/attempts/{bobs_attempt.id}")
    assert page.status_code == 200
    assert bobs_attempt.turns[0].customer_line in page.get_data(as_text=True)
    auth.logout()
    auth.login("dave")
    assert client.get(f"/attempts/{bobs_attempt.id}").status_code in (403, 404)


@pytest.mark.parametrize("path", COACH_PAGES)
def test_a_trainee_cannot_reach_coach_pages(auth, client, people, path):
    auth.login("amy")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", COACH_PAGES)
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, people, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_coach_reaches_the_coach_dashboard(auth, client, people):
    auth.login("carol")
    assert client.get("/coach/").status_code == 200


def test_an_attempt_page_needs_a_login(client, bobs_attempt):
    response = client.get(f"/attempts/{bobs_attempt.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# ---- API ----------------------------------------------------------------------------------

def test_a_trainee_cannot_read_another_trainees_attempt_by_api(client, people, bobs_attempt):
    amy = api_as(client, people["amy"])
    response = amy.get(f"/attempts/{bobs_attempt.id}")
    assert response.get_json() == {"error": f"no attempt {bobs_attempt.id}", "status": 404}
    assert amy.get("/attempts/9999").get_json() == {"error": "no attempt 9999", "status": 404}


def test_a_trainee_cannot_reply_in_another_trainees_attempt_by_api(client, people, bobs_attempt):
    amy = api_as(client, people["amy"])
    response = amy.post(f"/attempts/{bobs_attempt.id}/turns", {"reply": "我替他回答"})
    assert_error(response, 404, f"no attempt {bobs_attempt.id}")
    assert [t.reply for t in Turn.query.filter_by(attempt_id=bobs_attempt.id)] == [HELLO]


@pytest.mark.parametrize("reader", ["carol", "root"])
def test_the_coach_and_an_admin_read_but_do_not_reply(client, people, bobs_attempt, reader):
    api = api_as(client, people[reader])
    shown = api.get(f"/attempts/{bobs_attempt.id}")
    assert shown.status_code == 200
    body = shown.get_json()
    assert body["user"] == "bob" and body["turns"][0]["reply"] == HELLO and body["turns"][0]["report"]
    response = api.post(f"/attempts/{bobs_attempt.id}/turns", {"reply": "我替他回答"})
    assert_error(response, 403, "only the trainee who owns this attempt may reply")
    assert Turn.query.filter_by(attempt_id=bobs_attempt.id).count() == 1


def test_a_coach_of_another_cohort_gets_404_by_api(client, people, bobs_attempt):
    dave = api_as(client, people["dave"])
    assert_error(dave.get(f"/attempts/{bobs_attempt.id}"), 404, "no attempt")
    assert_error(dave.post(f"/attempts/{bobs_attempt.id}/turns", {"reply": "您好"}), 404, "no attempt")


def test_a_logged_in_session_does_not_open_the_api(auth, client, people, make_attempt):
    own = make_attempt(people["amy"])
    auth.login("amy")
    assert client.get(f"/attempts/{own.id}").status_code == 200     # the cookie works for pages
    assert_error(client.get(f"/api/v1/attempts/{own.id}"), 401, "missing bearer token")
    started = client.post("/api/v1/attempts", json={"scenario_id": "transfer_not_arrived"})
    assert_error(started, 401, "missing bearer token")
    replied = client.post(f"/api/v1/attempts/{own.id}/turns", json={"reply": "您好"})
    assert_error(replied, 401, "missing bearer token")
    assert Attempt.query.count() == 1 and Turn.query.count() == 0
