"""Hostile input: script payloads render as text wherever a person's words or scenario text
appear; an oversized reply is refused with a clear message and nothing is stored; malformed JSON,
unknown ids, SQL fragments, wrong types, missing CSRF tokens and wrong roles each get the right
status, never a 500 (the test app propagates exceptions, so a 500 would fail the test outright).
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from markupsafe import escape

from conftest import PASSWORD
from test_api import Api
from test_coach_flow import SPLIT
from trainer import MAX_ID
from trainer.extensions import db
from trainer.models import Assignment, Attempt, Cohort, GradeOverride, Turn, User
from trainer.services import library
from trainer.services.attempts import submit_reply, summarize
from trainer.services.users import issue_token

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
PAYLOADS = [SCRIPT, ATTRIBUTE_BREAK]
SQL = ["' OR 1=1 --", "1; DROP TABLE user", "'; DELETE FROM attempt; --", "\" OR \"\"=\""]
HELLO = "您好，真的很抱歉让您着急了，这件事由我来跟进，我马上帮您查。"
SCENARIO = "transfer_not_arrived"
DIMENSIONS = ("etiquette", "structure", "empathy", "compliance")


# ---- fixtures and helpers -------------------------------------------------------------------

@pytest.fixture
def people(make_user, make_cohort):
    """carol coaches amy in cohort A; dave coaches nobody here; root is an admin; eve has no cohort."""
    carol = make_user("carol", role="coach")
    cohort = make_cohort("A班", coach=carol)
    return {"amy": make_user("amy", cohort=cohort), "carol": carol, "dave": make_user("dave", role="coach"),
            "root": make_user("root", role="admin"), "eve": make_user("eve"), "cohort": cohort}


@pytest.fixture
def attempt(people, make_attempt):
    """amy's practice attempt with one graded turn."""
    attempt = make_attempt(people["amy"])
    submit_reply(attempt, HELLO)
    return attempt


class Browser:
    """One logged-in person's browser: pages, and form posts carrying the session's CSRF token."""

    def __init__(self, client, auth, username=None):
        self.client, self.auth = client, auth
        if username:
            assert auth.login(username).status_code == 302

    def get(self, path, **kw):
        response = self.client.get(path, **kw)
        assert response.status_code < 500
        return response

    def post(self, path, data=None, csrf=True, token_field="csrf_token", **kw):
        data = dict(data or {})
        if csrf:
            data[token_field] = self.auth.csrf("/catalogue")
        response = self.client.post(path, data=data, **kw)
        assert response.status_code < 500
        return response

    def page(self, path) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)


def without_marks(html: str) -> str:
    """The page with the grader's <mark> highlighting removed (it may split a reply)."""
    return re.sub(r"</?mark[^>]*>", "", html)


def assert_shown_as_text(html: str, payload: str) -> None:
    """The payload is on the page, escaped, and no tag of it is live."""
    assert payload not in html
    assert "<script>alert" not in html.lower() and "<img src=x" not in html.lower()
    assert str(escape(payload)) in without_marks(html), f"{payload!r} is not shown (escaped) on the page"


def counts() -> dict:
    db.session.expire_all()
    return {m.__name__: m.query.count() for m in (User, Cohort, Assignment, Attempt, Turn, GradeOverride)}


# ---- script payloads render as text ----------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_reply_with_a_script_renders_as_text_for_the_trainee_and_the_coach(client, auth, people, make_attempt, payload):
    attempt = make_attempt(people["amy"])
    amy = Browser(client, auth, "amy")
    assert amy.post(f"/attempts/{attempt.id}/reply", {"reply": "您好，" + payload}).status_code == 302
    assert Turn.query.filter_by(attempt_id=attempt.id).one().reply == "您好，" + payload   # stored as typed
    assert_shown_as_text(amy.page(f"/attempts/{attempt.id}"), payload)
    auth.logout()
    carol = Browser(client, auth, "carol")
    assert_shown_as_text(carol.page(f"/coach/attempts/{attempt.id}"), payload)
    assert_shown_as_text(carol.page(f"/attempts/{attempt.id}"), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_exam_reply_with_a_script_renders_as_text(client, auth, people, make_attempt, payload):
    attempt = make_attempt(people["amy"], mode="exam", seed=None)
    amy = Browser(client, auth, "amy")
    amy.post(f"/attempts/{attempt.id}/reply", {"reply": payload})
    assert_shown_as_text(amy.page(f"/attempts/{attempt.id}"), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_display_names_with_a_script_render_as_text_everywhere_they_appear(client, auth, people, attempt, payload):
    people["amy"].display_name = payload
    people["carol"].display_name = payload + "教练"
    db.session.commit()
    amy = Browser(client, auth, "amy")
    for path in ("/catalogue", "/history", f"/attempts/{attempt.id}"):
        assert_shown_as_text(amy.page(path), payload)
    auth.logout()
    carol = Browser(client, auth, "carol")
    for path in ("/coach/", "/coach/cohorts", f"/coach/cohorts/{people['cohort'].id}", f"/coach/attempts/{attempt.id}"):
        assert_shown_as_text(carol.page(path), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_admin_pages_render_hostile_usernames_and_searches_as_text(client, auth, people, make_user, payload):
    hostile = make_user(payload)
    hostile.display_name = payload + "名"
    db.session.commit()
    # a failed login under that name lands in the audit log
    assert client.post("/login", data={"username": payload, "password": "wrong-password",
                                       "csrf_token": auth.csrf()}).status_code == 401
    root = Browser(client, auth, "root")
    for path in ("/admin/users", "/admin/audit", f"/admin/users/{hostile.id}/delete-data"):
        assert_shown_as_text(root.page(path), payload)
    searched = root.get("/admin/users", query_string={"q": payload})
    assert searched.status_code == 200
    assert_shown_as_text(searched.get_data(as_text=True), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cohort_name_with_a_script_renders_as_text(client, auth, people, attempt, payload):
    carol = Browser(client, auth, "carol")
    created = carol.post("/coach/cohorts", {"name": payload})
    assert created.status_code == 302
    cohort = Cohort.query.filter_by(name=payload).one()
    page = carol.page(created.headers["Location"])          # with the "created" flash message
    assert_shown_as_text(page, payload)
    for path in ("/coach/", "/coach/cohorts"):
        assert_shown_as_text(carol.page(path), payload)
    # amy's cohort renamed to it: her coach's transcript page links to it by name
    people["cohort"].name, cohort.name = payload + "A", "other"
    db.session.commit()
    assert_shown_as_text(carol.page(f"/coach/attempts/{attempt.id}"), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_coach_comment_with_a_script_renders_as_text_for_coach_and_trainee(client, auth, people, make_attempt, payload):
    finished = make_attempt(people["amy"], "aml_split_withdrawal", seed=32)
    submit_reply(finished, SPLIT)
    assert finished.status == "finished"
    turn = finished.turns[0]
    carol = Browser(client, auth, "carol")
    data = {f"t{turn.id}-{d}": "50" for d in DIMENSIONS} | {f"t{turn.id}-comment": payload}
    assert carol.post(f"/coach/attempts/{finished.id}/turns/{turn.id}/override", data,
                      token_field=f"t{turn.id}-csrf_token").status_code == 302
    assert_shown_as_text(carol.page(f"/coach/attempts/{finished.id}"), payload)
    auth.logout()
    amy = Browser(client, auth, "amy")
    assert_shown_as_text(amy.page(f"/attempts/{finished.id}"), payload)     # her report


@pytest.mark.parametrize("payload", PAYLOADS)
def test_scenario_text_with_a_script_renders_as_text(client, auth, people, attempt, monkeypatch, payload):
    """Titles, the customer's lines and the persona come from scenario files: as text too."""
    monkeypatch.setitem(library.scenario(SCENARIO).title, "zh", payload)
    state = attempt.state
    state["customer_line"] = payload + "（顾客）"
    state["persona"]["name"] = payload + "先生"
    attempt.state_json = json.dumps(state, ensure_ascii=False)
    attempt.turns[0].customer_line = payload + "（上一句）"
    db.session.commit()
    amy = Browser(client, auth, "amy")
    assert_shown_as_text(amy.page("/catalogue"), payload)
    page = amy.page(f"/attempts/{attempt.id}")
    assert_shown_as_text(page, payload)
    for text in (payload + "（顾客）", payload + "先生", payload + "（上一句）"):
        assert str(escape(text)) in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_typed_input_echoed_in_errors_and_forms_is_escaped(client, auth, people, payload):
    # the login form keeps the username typed; a failed login answers 401
    response = client.post("/login", data={"username": payload, "password": "wrong-password",
                                           "csrf_token": auth.csrf()})
    assert response.status_code == 401
    assert_shown_as_text(response.get_data(as_text=True), payload)
    carol = Browser(client, auth, "carol")
    # "If “...” is a trainee, they have been invited" (whatever the name)
    refused = carol.post(f"/coach/cohorts/{people['cohort'].id}/members", {"username": payload})
    assert refused.status_code in (200, 422)
    assert_shown_as_text(refused.get_data(as_text=True), payload)
    # an impossible due date is quoted back in its error
    refused = carol.post(f"/coach/cohorts/{people['cohort'].id}/assignments",
                         {"work": f"scenario:{SCENARIO}", "mode": "practice", "due": payload})
    assert refused.status_code == 422
    assert_shown_as_text(refused.get_data(as_text=True), payload)
    auth.logout()
    # "unknown scenario '...'" flashed on the catalogue
    amy = Browser(client, auth, "amy")
    started = amy.post("/attempts", {"scenario_id": payload, "mode": "practice"})
    assert started.status_code == 302
    assert_shown_as_text(amy.page("/catalogue"), payload)


def test_a_script_in_the_url_is_not_echoed_on_error_pages(client, auth, people):
    for path in ["/<script>alert(1)</script>", "/attempts/<script>", "/coach/cohorts/%3Cscript%3E"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "<script>alert" not in response.get_data(as_text=True)
    response = client.get("/language/<img src=x onerror=alert(1)>")
    assert response.status_code == 302 and "<img" not in response.headers["Location"]


def test_api_answers_carry_the_payload_as_json_data_never_as_a_page(client, people, make_attempt):
    api = Api(client, issue_token(people["amy"]))
    started = api.start()
    response = api.post(f"/attempts/{started['attempt_id']}/turns", {"reply": SCRIPT})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    shown = api.get(f"/attempts/{started['attempt_id']}")
    assert shown.mimetype == "application/json" and shown.get_json()["turns"][0]["reply"] == SCRIPT


# ---- oversized input is refused with a clear message, nothing stored ---------------------------

BIG_REPLY = "好" * 10 + "a" * (100 * 1024)            # ~100 KB of text
HUGE_REPLY = "您" * (100 * 1024)                       # 100 K characters, ~300 KB of UTF-8


def test_a_100kb_reply_on_the_page_is_refused_with_a_message_and_not_stored(client, auth, people, attempt):
    before = counts()
    amy = Browser(client, auth, "amy")
    response = amy.post(f"/attempts/{attempt.id}/reply", {"reply": BIG_REPLY})
    assert response.status_code == 302
    page = amy.page(response.headers["Location"])
    assert "回复最多2000个字" in page            # "A reply can be at most 2000 characters"
    assert counts() == before
    assert BIG_REPLY[:200] not in page


def test_a_reply_larger_than_the_request_limit_gets_413_on_the_page(client, auth, people, attempt):
    before = counts()
    amy = Browser(client, auth, "amy")
    response = amy.post(f"/attempts/{attempt.id}/reply", {"reply": HUGE_REPLY})
    assert response.status_code == 413
    assert "提交的内容过大" in response.get_data(as_text=True)     # "The request is too large"
    assert counts() == before


def test_a_100kb_reply_by_api_gets_413_json_and_is_not_stored(client, people, attempt):
    api = Api(client, issue_token(people["amy"]))
    before = counts()
    response = api.post(f"/attempts/{attempt.id}/turns", {"reply": BIG_REPLY})
    assert response.status_code == 413 and response.is_json
    assert response.get_json() == {"status": 413, "error": f"the reply is {len(BIG_REPLY)} characters; "
                                                          "at most 2000 are accepted"}
    assert counts() == before
    too_big = api.post(f"/attempts/{attempt.id}/turns", {"reply": HUGE_REPLY})
    assert too_big.status_code == 413 and "the body is larger than" in too_big.get_json()["error"]
    assert counts() == before


def test_the_reply_limit_is_exact(client, people, make_attempt):
    api = Api(client, issue_token(people["amy"]))
    attempt_id = api.start()["attempt_id"]
    assert api.post(f"/attempts/{attempt_id}/turns", {"reply": "好" * 2001}).status_code == 413
    assert Turn.query.count() == 0
    assert api.post(f"/attempts/{attempt_id}/turns", {"reply": "您好" + "好" * 1998}).status_code == 200
    assert Turn.query.count() == 1


def test_oversized_coach_input_is_refused_with_a_message(client, auth, people, attempt):
    attempt.status = "finished"            # a coach grades an attempt once it has ended
    summarize(attempt)
    db.session.commit()
    before = counts()
    carol = Browser(client, auth, "carol")
    turn = attempt.turns[0]
    data = {f"t{turn.id}-{d}": "50" for d in DIMENSIONS} | {f"t{turn.id}-comment": "x" * (100 * 1024)}
    response = carol.post(f"/coach/attempts/{attempt.id}/turns/{turn.id}/override", data,
                          token_field=f"t{turn.id}-csrf_token")
    assert response.status_code == 422 and "评语最多1000个字" in response.get_data(as_text=True)
    response = carol.post("/coach/cohorts", {"name": "班" * 81})
    assert response.status_code == 422 and "学员组名称最多80个字" in response.get_data(as_text=True)
    assert counts() == before


# ---- malformed JSON, wrong types and unknown fields (API) --------------------------------------

MALFORMED = [
    (b"{", "invalid JSON"),
    (b"not json at all", "invalid JSON"),
    (b"{'reply': 'single quotes'}", "invalid JSON"),
    (b'{"reply": "unterminated}', "invalid JSON"),
    (b"[1, 2, 3]", "must be a JSON object, not an array"),
    (b'"a string"', "must be a JSON object, not a string"),
    (b"null", "must be a JSON object, not null"),
    (b"42", "must be a JSON object"),
    (b"", "the body is empty"),
    (b"   \n ", "the body is empty"),
    (b'{"reply": "\xff\xfe"}', "UTF-8"),
    (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    (b'{"seed": 1' + b"0" * 5000 + b"}", "invalid JSON"),
    (b"\x00\x01\x02", "invalid JSON"),
]


@pytest.mark.parametrize("body, message", MALFORMED, ids=range(len(MALFORMED)))
@pytest.mark.parametrize("path", ["/grade", "/attempts", "/attempts/{id}/turns"])
def test_malformed_json_gets_400_with_a_message(client, people, attempt, path, body, message):
    api = Api(client, issue_token(people["amy"]))
    before = counts()
    response = api.post(path.format(id=attempt.id), data=body)
    assert response.status_code == 400 and response.is_json
    error = response.get_json()
    assert error["status"] == 400 and message in error["error"], error
    assert counts() == before


WRONG_TYPES = [
    ("/attempts", {"scenario_id": 1}, "scenario_id must be a string, not a number"),
    ("/attempts", {"scenario_id": ["transfer_not_arrived"]}, "scenario_id must be a string, not an array"),
    ("/attempts", {"scenario_id": {"$ne": ""}}, "scenario_id must be a string, not an object"),
    ("/attempts", {"scenario_id": True}, "scenario_id must be a string, not a boolean"),
    ("/attempts", {"scenario_id": None}, "scenario_id is required"),
    ("/attempts", {"scenario_id": "   "}, "scenario_id must not be empty"),
    ("/attempts", {}, "scenario_id is required"),
    ("/attempts", {"scenario_id": SCENARIO, "mode": 1}, "mode must be a string"),
    ("/attempts", {"scenario_id": SCENARIO, "mode": "godmode"}, "mode must be one of"),
    ("/attempts", {"scenario_id": SCENARIO, "seed": "7"}, "seed must be a whole number, not a string"),
    ("/attempts", {"scenario_id": SCENARIO, "seed": 7.5}, "seed must be a whole number, not a fraction"),
    ("/attempts", {"scenario_id": SCENARIO, "seed": True}, "seed must be a whole number, not a boolean"),
    ("/attempts", {"scenario_id": SCENARIO, "seed": -1}, "seed must be a whole number from 0"),
    ("/attempts", {"scenario_id": SCENARIO, "seed": 2**31}, "seed must be a whole number from 0"),
    ("/attempts", {"scenario_id": SCENARIO, "seed": 10**40}, "seed must be a whole number from 0"),
    ("/attempts", {"scenario_id": SCENARIO, "track_id": []}, "track_id must be a string"),
    ("/attempts", {"scenario_id": SCENARIO, "user_id": 1}, "unknown field 'user_id'"),
    ("/attempts/{id}/turns", {"reply": 1}, "reply must be a string, not a number"),
    ("/attempts/{id}/turns", {"reply": ["您好"]}, "reply must be a string, not an array"),
    ("/attempts/{id}/turns", {"reply": {"text": "您好"}}, "reply must be a string, not an object"),
    ("/attempts/{id}/turns", {"reply": ""}, "reply must not be empty"),
    ("/attempts/{id}/turns", {"reply": " \n\t "}, "reply must not be empty"),
    ("/attempts/{id}/turns", {}, "reply is required"),
    ("/attempts/{id}/turns", {"reply": "您好", "attempt_id": 1}, "unknown field 'attempt_id'"),
    ("/grade", {"items": "not a list"}, "items must be an array"),
    ("/grade", {"items": [{}] * 101}, "at most 100 per request"),
]


@pytest.mark.parametrize("path, body, message", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
def test_wrong_types_get_422_or_413_with_a_message_naming_the_field(client, people, attempt, path, body, message):
    api = Api(client, issue_token(people["amy"]))
    before = counts()
    response = api.post(path.format(id=attempt.id), body)
    assert response.status_code in (413, 422) and response.is_json
    assert message in response.get_json()["error"], response.get_json()
    assert counts() == before


@pytest.mark.parametrize("record", [
    {"reply": 1, "context": {"kind": "complaint"}},
    {"reply": "您好", "context": "complaint"},
    {"reply": "您好", "context": ["kind", "complaint"]},
    {"reply": "您好", "context": 7},
    {"reply": "您好", "context": {"kind": ["complaint"]}},
    {"reply": "您好", "context": {"kind": "' OR 1=1 --"}},
    {"reply": "您好", "context": {"kind": "complaint", "customer_risk": 5}},
    {"reply": "您好", "context": {"kind": "complaint", "product_risk": "R9"}},
    {"reply": "您好", "context": {"kind": "complaint", "surprise": True}},
    {"reply": "您好", "context": {"kind": "complaint"}, "customer": ["not", "a", "line"]},
    {"reply": "您好", "context": {"kind": "complaint"}, "customer": {"x": 1}},
    {"reply": "您好", "context": {"kind": "complaint", "customer_line": 3}},
    {"reply": "您好", "context": {"kind": "complaint", "model_answer": ["x"]}},
    {"reply": "您好", "context": {"kind": "complaint"}, "customer": 5},
    {"reply": "您好", "context": {"kind": "complaint", "expected_moves": [1, {}]}},
    {"reply": "您好", "context": {"kind": "complaint", "expected_moves": "apologise"}},
    {"reply": "您好", "context": {"kind": "complaint", "forbidden": "保本"}},
], ids=range(17))
def test_a_bad_grade_record_is_a_422_naming_the_problem(client, people, record):
    api = Api(client, issue_token(people["amy"]))
    response = api.post("/grade", record)
    assert response.status_code == 422 and response.is_json
    body = response.get_json()
    assert body["status"] == 422 and body["error"]
    batch = api.post("/grade", {"items": [record]})
    assert batch.status_code == 200 and batch.get_json()["failed"] == 1


@pytest.mark.parametrize("forbidden", [
    [{"pattern": "(a+)+$", "message": "catastrophic backtracking"}],
    [{"pattern": "(", "message": "not a regex"}],
    [{"pattern": "保本", "message": "an innocent one"}],
], ids=["redos", "invalid", "plain"])
def test_the_api_does_not_run_a_callers_regular_expressions(client, people, forbidden):
    """`forbidden` patterns are regexes run on the reply: over the API a caller could send one
    that backtracks for minutes and hold a worker (scenarios supply them; the CLI takes them)."""
    api = Api(client, issue_token(people["amy"]))
    record = {"id": "r", "reply": "a" * 40 + "!", "context": {"kind": "general", "forbidden": forbidden}}
    response = api.post("/grade", record)
    assert response.status_code == 422 and "context.forbidden" in response.get_json()["error"]
    batch = api.post("/grade", {"items": [record, {"id": "ok", "reply": "您好", "context": {"kind": "gift"}}]})
    assert batch.status_code == 200
    items = batch.get_json()["items"]
    assert items[0] == {"id": "r", "line": 1, "error": response.get_json()["error"]} and "scores" in items[1]


@pytest.mark.parametrize("bad", [
    {"pattern": "(", "message": "m"}, {"pattern": 1, "message": "m"}, {"pattern": "x"},
    {"pattern": "x", "message": "m", "dimension": "nope"}, {"pattern": "x", "message": "m", "category": []},
    "保本",
], ids=range(6))
def test_the_cli_contract_names_a_bad_forbidden_item_instead_of_crashing(bad):
    from trainer.commands.grade import grade_record
    out = grade_record({"id": 1, "reply": "您好", "context": {"kind": "general", "forbidden": [bad]}}, 3)
    assert out["line"] == 3 and "context.forbidden" in out["error"]


def test_a_long_reply_to_the_grader_api_is_refused_like_a_turn(client, people):
    """Grading time grows faster than a reply's length: 100 KB would hold a worker for seconds."""
    api = Api(client, issue_token(people["amy"]))
    response = api.post("/grade", {"reply": BIG_REPLY, "context": {"kind": "complaint"}})
    assert response.status_code == 413
    assert response.get_json()["error"] == f"the reply is {len(BIG_REPLY)} characters; at most 2000 are accepted"
    batch = api.post("/grade", {"items": [{"id": "long", "reply": "好" * 2001, "context": {"kind": "gift"}}]})
    assert batch.get_json() == {"failed": 1, "items": [
        {"id": "long", "line": 1, "error": "the reply is 2001 characters; at most 2000 are accepted"}]}


# ---- text that cannot be stored: NUL characters, half a surrogate pair --------------------------

@pytest.mark.parametrize("text", [r"您好\u0000", r"\ud800您好", r"您好\udfff", r"\ud800\u0041"])
def test_text_that_cannot_be_stored_or_sent_back_is_a_422_by_api(client, people, attempt, text):
    """JSON may escape a NUL or half a surrogate pair; PostgreSQL cannot store the first and no
    UTF-8 response can carry the second (both were 500s)."""
    api = Api(client, issue_token(people["amy"]))
    before = counts()
    for path, body in [(f"/attempts/{attempt.id}/turns", '{"reply": "%s"}'),
                       ("/attempts", '{"scenario_id": "%s"}'),
                       ("/attempts", '{"scenario_id": "transfer_not_arrived", "track_id": "%s"}'),
                       ("/attempts", '{"%s": 1}'),
                       ("/grade", '{"reply": "%s", "context": {"kind": "gift"}}'),
                       ("/grade", '{"reply": "ok", "context": {"kind": "gift"}, "id": ["%s"]}')]:
        response = api.post(path, data=(body % text).encode())
        assert response.status_code == 422 and response.is_json, (path, response.status_code)
    assert counts() == before
    # a well-formed pair is a character like any other
    response = api.post(f"/attempts/{attempt.id}/turns", data=r'{"reply": "您好\ud83d\ude00"}'.encode())
    assert response.status_code == 200


@pytest.mark.parametrize("where", ["login", "reply", "cohort", "member", "comment", "query"])
def test_a_nul_character_in_a_form_or_query_is_a_400(client, auth, people, attempt, where):
    """PostgreSQL cannot store NUL, nor compare text holding it: a 500 there, so a 400 here."""
    before = counts()
    turn = attempt.turns[0]
    if where == "login":
        response = client.post("/login", data={"username": "amy\x00", "password": "x" * 9, "csrf_token": auth.csrf()})
    else:
        who = "amy" if where == "reply" else "carol"
        browser = Browser(client, auth, who)
        response = {
            "reply": lambda: browser.post(f"/attempts/{attempt.id}/reply", {"reply": "您好\x00"}),
            "cohort": lambda: browser.post("/coach/cohorts", {"name": "班\x00"}),
            "member": lambda: browser.post(f"/coach/cohorts/{people['cohort'].id}/members", {"username": "eve\x00"}),
            "comment": lambda: browser.post(f"/coach/attempts/{attempt.id}/turns/{turn.id}/override",
                                            {f"t{turn.id}-{d}": "50" for d in DIMENSIONS}
                                            | {f"t{turn.id}-comment": "理由\x00"}, token_field=f"t{turn.id}-csrf_token"),
            "query": lambda: browser.get("/admin/users?q=a%00b"),
        }[where]()
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert counts() == before


# ---- unknown ids ------------------------------------------------------------------------------

UNKNOWN_IDS = ["0", "9999", str(2**31 - 1), str(2**31), str(2**63), "9" * 40]
NOT_IDS = ["-1", "abc", "1.5", "1e3", "%F0%9F%98%80", "1%3B%20DROP%20TABLE%20user", "%27%20OR%201%3D1%20--"]


@pytest.mark.parametrize("ident", UNKNOWN_IDS + NOT_IDS)
def test_unknown_or_malformed_ids_are_404_on_pages_and_api(client, auth, people, attempt, ident):
    api = Api(client, issue_token(people["root"]))       # an admin: sees every real attempt
    for response in (api.get(f"/attempts/{ident}"), api.post(f"/attempts/{ident}/turns", {"reply": "您好"})):
        assert response.status_code == 404 and response.is_json, (ident, response.status_code)
    root = Browser(client, auth, "root")
    turn, cohort = attempt.turns[0].id, people["cohort"].id
    for path in (f"/attempts/{ident}", f"/coach/attempts/{ident}", f"/coach/cohorts/{ident}",
                 f"/coach/cohorts/{ident}/results.csv"):
        assert root.get(path).status_code == 404, path
    for path in (f"/attempts/{ident}/reply", f"/attempts/{ident}/retry",
                 f"/coach/attempts/{attempt.id}/turns/{ident}/override",
                 f"/coach/attempts/{ident}/turns/{turn}/override",
                 f"/coach/cohorts/{ident}/members", f"/coach/cohorts/{ident}/assignments",
                 f"/coach/cohorts/{ident}/members/1/remove", f"/coach/cohorts/{cohort}/members/{ident}/remove"):
        response = root.post(path, {"reply": "您好"})
        if path.endswith(f"/members/{ident}/remove") and ident in UNKNOWN_IDS and int(ident) <= MAX_ID:
            # a possible id of nobody in the cohort: a message, no change
            assert response.status_code == 302, path
        else:
            assert response.status_code == 404, (path, response.status_code)
    assert Turn.query.count() == 1 and people["amy"].cohort_ids == {cohort}


def test_an_assignment_id_that_is_not_the_trainees_is_not_stored(client, auth, people, make_user, make_cohort):
    """The catalogue's hidden assignment_id comes back from the browser: a made-up, foreign,
    huge or non-ASCII-digit id never reaches the database (it used to be a 500, or a link to
    another cohort's work)."""
    dave_cohort = make_cohort("B班", coach=people["dave"])
    foreign = Assignment(cohort_id=dave_cohort.id, scenario_id=SCENARIO, mode="practice",
                         due=date.today() + timedelta(days=3), created_by=people["dave"].id)
    mine = Assignment(cohort_id=people["cohort"].id, scenario_id=SCENARIO, mode="practice",
                      due=date.today() + timedelta(days=3), created_by=people["carol"].id)
    db.session.add_all([foreign, mine])
    db.session.commit()
    amy = Browser(client, auth, "amy")
    for value in [str(foreign.id), "9999", "9" * 30, "²", "١", "-1", "1 OR 1=1", SQL[1], str(mine.id)]:
        response = amy.post("/attempts", {"scenario_id": SCENARIO, "mode": "practice", "assignment_id": value})
        assert response.status_code == 302 and "/attempts/" in response.headers["Location"], value
    db.session.expire_all()
    stored = [a.assignment_id for a in Attempt.query.order_by(Attempt.id)]
    assert stored == [None] * 8 + [mine.id]


# ---- SQL fragments are just text ------------------------------------------------------------------

@pytest.mark.parametrize("fragment", SQL)
def test_sql_fragments_are_treated_as_text_everywhere(client, auth, people, attempt, fragment):
    before = counts()
    # logging in with one: wrong username or password, nothing more
    response = client.post("/login", data={"username": fragment, "password": fragment, "csrf_token": auth.csrf()})
    assert response.status_code == 401
    response = client.post("/login", data={"username": "amy", "password": fragment, "csrf_token": auth.csrf()})
    assert response.status_code == 401
    carol = Browser(client, auth, "carol")
    assert carol.post(f"/coach/cohorts/{people['cohort'].id}/members", {"username": fragment}).status_code in (200, 422)
    assert carol.post(f"/coach/cohorts/{people['cohort'].id}/assignments",
                      {"work": f"scenario:{fragment}", "mode": "practice",
                       "due": (date.today() + timedelta(days=1)).isoformat()}).status_code == 422
    assert carol.post("/coach/cohorts", {"name": fragment}).status_code == 302     # a name is a name
    assert Cohort.query.filter_by(name=fragment).count() == 1
    assert carol.get(f"/coach/?q={fragment}").status_code == 200
    auth.logout()
    api = Api(client, issue_token(people["amy"]))
    assert api.post("/attempts", {"scenario_id": fragment}).status_code == 404
    assert api.post("/attempts", {"scenario_id": SCENARIO, "track_id": fragment}).status_code == 404
    assert api.get(f"/scenarios?track={fragment}").status_code == 404
    replied = api.post(f"/attempts/{attempt.id}/turns", {"reply": fragment})
    assert replied.status_code == 200
    assert Turn.query.filter_by(reply=fragment).count() == 1
    graded = api.post("/grade", {"reply": fragment, "context": {"kind": "complaint"}, "id": fragment})
    assert graded.status_code == 200 and graded.get_json()["id"] == fragment
    after = counts()
    assert after == before | {"Cohort": before["Cohort"] + 1, "Turn": before["Turn"] + 1}
    assert {u.username for u in User.query} == {"amy", "carol", "dave", "root", "eve"}


# ---- wrong form values get a 422 (or a message), never a 500 --------------------------------------

@pytest.mark.parametrize("value", ["abc", "-1", "101", "1e3", "50.5", "", " ", "0x10", "五十", "99999999999999999999"])
def test_a_bad_score_is_refused_with_a_message(client, auth, people, attempt, value):
    attempt.status = "finished"            # a coach grades an attempt once it has ended
    summarize(attempt)
    db.session.commit()
    turn = attempt.turns[0]
    carol = Browser(client, auth, "carol")
    data = {f"t{turn.id}-{d}": "50" for d in DIMENSIONS} | {f"t{turn.id}-empathy": value,
                                                           f"t{turn.id}-comment": "理由"}
    response = carol.post(f"/coach/attempts/{attempt.id}/turns/{turn.id}/override", data,
                          token_field=f"t{turn.id}-csrf_token")
    assert response.status_code == 422
    assert GradeOverride.query.count() == 0


@pytest.mark.parametrize("due", ["2026-02-30", "tomorrow", "' OR 1=1 --", "9999999-01-01", "2020-01-01", "", "０２"])
def test_a_bad_due_date_is_refused_with_a_message(client, auth, people, due):
    carol = Browser(client, auth, "carol")
    response = carol.post(f"/coach/cohorts/{people['cohort'].id}/assignments",
                          {"work": f"scenario:{SCENARIO}", "mode": "practice", "due": due})
    assert response.status_code == 422
    assert Assignment.query.count() == 0


@pytest.mark.parametrize("data", [
    {"scenario_id": SCENARIO, "mode": "exam' --"},
    {"scenario_id": SCENARIO, "mode": ""},
    {"scenario_id": "", "mode": "practice"},
    {"scenario_id": SCENARIO, "mode": "practice", "track_id": "' OR 1=1 --"},
    {"scenario_id": "../../etc/passwd", "mode": "practice"},
    {"scenario_id": "x" * 10_000, "mode": "practice"},
], ids=range(6))
def test_a_bad_start_form_is_a_message_on_the_catalogue(client, auth, people, data):
    amy = Browser(client, auth, "amy")
    response = amy.post("/attempts", data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/catalogue")
    assert 'class="flash error"' in amy.page("/catalogue")
    assert Attempt.query.count() == 0


@pytest.mark.parametrize("role", ["superuser", "' OR 1=1 --", "", "admin\n", "coach" * 1000])
def test_the_admin_forms_refuse_hostile_values(client, auth, people, attempt, role):
    root = Browser(client, auth, "root")
    before = counts()
    amy = people["amy"].id
    assert root.post(f"/admin/users/{amy}/role", {"role": role}).status_code == 400
    refused = root.post(f"/admin/users/{amy}/delete-data", {"confirm": "amy' OR 1=1 --"})
    assert refused.status_code == 422
    for path in (f"/admin/users/{2**31}/role", f"/admin/users/{10**30}/unlock", "/admin/users/-1/delete-data"):
        assert root.post(path, {"role": "coach", "confirm": "amy"}).status_code == 404
    assert root.get("/admin/users?page=-1&q=%27%20OR%201%3D1%20--").status_code == 200
    assert root.get("/admin/audit?page=abc&action=%27%20OR%201%3D1").status_code == 200
    db.session.expire_all()
    assert counts() == before and db.session.get(User, amy).role == "trainee"


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
def test_a_huge_page_number_on_the_admin_pages_is_not_a_500(client, auth, people, path):
    root = Browser(client, auth, "root")
    assert root.get(path, query_string={"page": "9" * 25}).status_code == 200


def test_replying_to_an_ended_attempt_or_retrying_nothing_is_a_message_not_an_error(client, auth, people, make_attempt):
    fresh = make_attempt(people["amy"])
    finished = make_attempt(people["amy"], "aml_split_withdrawal", seed=32)
    submit_reply(finished, SPLIT)
    amy = Browser(client, auth, "amy")
    assert amy.post(f"/attempts/{fresh.id}/retry").status_code == 302
    assert amy.post(f"/attempts/{finished.id}/reply", {"reply": "您好"}).status_code == 302
    for field in ("", "   "):
        assert amy.post(f"/attempts/{fresh.id}/reply", {"reply": field}).status_code == 302
    assert Turn.query.filter_by(attempt_id=fresh.id).count() == 0
    api = Api(client, issue_token(people["amy"]))
    response = api.post(f"/attempts/{finished.id}/turns", {"reply": "您好"})
    assert response.status_code == 409 and "ended" in response.get_json()["error"]


def test_the_language_switch_never_sends_you_to_another_site(client):
    for referrer in ["http://evil.example/x", "//evil.example/x", "http://localhost//evil.example/x",
                     "http://localhost/\t/evil.example/x", "http://localhost/\\evil.example", "javascript:alert(1)"]:
        response = client.get("/language/en", headers={"Referer": referrer})
        location = response.headers["Location"]
        assert response.status_code == 302 and location.startswith("/") and not location.startswith("//"), \
            (referrer, location)
        assert "evil.example" not in location.split("/")[2:3], (referrer, location)
    assert client.get("/language/en", headers={"Referer": "http://localhost/history?x=1"}).headers["Location"] == "/history"


def test_the_login_page_never_redirects_to_another_site(client, people, auth):
    for target in ["//evil.example", "https://evil.example", "/\t/evil.example", "/%0a/evil.example",
                   "%2F%2Fevil.example", "javascript:alert(1)"]:
        response = client.post("/login", query_string={"next": target},
                               data={"username": "amy", "password": PASSWORD, "csrf_token": auth.csrf()})
        location = response.headers["Location"]
        assert response.status_code == 302 and location.startswith("/") and not location.startswith("//"), \
            (target, location)
        auth.logout()


# ---- missing CSRF tokens and wrong roles: the right status ---------------------------------------

def test_a_reply_without_a_csrf_token_is_400_and_not_stored(client, auth, people, attempt):
    amy = Browser(client, auth, "amy")
    response = amy.post(f"/attempts/{attempt.id}/reply", {"reply": "您好"}, csrf=False)
    assert response.status_code == 400 and "安全令牌" in response.get_data(as_text=True)
    json_error = amy.post(f"/attempts/{attempt.id}/reply", {"reply": "您好"}, csrf=False,
                          headers={"Accept": "application/json"})
    assert json_error.status_code == 400 and "security token" in json_error.get_json()["error"]
    assert Turn.query.count() == 1


@pytest.mark.parametrize("who, method, path, status", [
    ("amy", "get", "/coach/", 403),
    ("amy", "post", "/coach/cohorts", 403),
    ("amy", "post", "/coach/cohorts/{cohort}/members", 403),
    ("amy", "get", "/coach/attempts/{attempt}", 403),
    ("dave", "get", "/coach/cohorts/{cohort}", 403),
    ("dave", "post", "/coach/cohorts/{cohort}/members/{amy}/remove", 403),
    ("dave", "get", "/coach/attempts/{attempt}", 404),
    ("dave", "get", "/attempts/{attempt}", 404),
    ("carol", "post", "/attempts/{attempt}/reply", 404),
    ("root", "post", "/attempts/{attempt}/retry", 404),
    ("eve", "get", "/attempts/{attempt}", 404),
])
def test_wrong_roles_get_the_right_status(client, auth, people, attempt, who, method, path, status):
    browser = Browser(client, auth, who)
    before = counts()
    url = path.format(cohort=people["cohort"].id, attempt=attempt.id, amy=people["amy"].id)
    response = browser.get(url) if method == "get" else browser.post(url, {"reply": "您好", "name": "新班",
                                                                          "username": "eve"})
    assert response.status_code == status
    assert counts() == before and people["amy"].cohort_ids == {people["cohort"].id}


@pytest.mark.parametrize("who, method, path, body, status", [
    ("carol", "post", "/attempts/{attempt}/turns", {"reply": "您好"}, 403),
    ("root", "post", "/attempts/{attempt}/turns", {"reply": "您好"}, 403),
    ("dave", "get", "/attempts/{attempt}", None, 404),
    ("eve", "post", "/attempts/{attempt}/turns", {"reply": "您好"}, 404),
    (None, "get", "/attempts/{attempt}", None, 401),
    (None, "post", "/grade", {"reply": "您好", "context": {"kind": "complaint"}}, 401),
])
def test_wrong_roles_get_the_right_status_by_api(client, people, attempt, who, method, path, body, status):
    api = Api(client, issue_token(people[who]) if who else "")
    url = path.format(attempt=attempt.id)
    before = counts()
    if who is None:
        response = client.open("/api/v1" + url, method=method.upper(), json=body)
    else:
        response = api.get(url) if method == "get" else api.post(url, body)
    assert response.status_code == status and response.is_json
    assert response.get_json()["status"] == status
    assert counts() == before


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_unsupported_methods_get_405_not_500(client, people, attempt, method):
    api = Api(client, issue_token(people["amy"]))
    for path in (f"/api/v1/attempts/{attempt.id}", "/api/v1/attempts", "/api/v1/grade"):
        response = client.open(path, method=method, headers=api.headers(), json={})
        assert response.status_code == 405 and response.is_json, (path, response.status_code)
    assert client.open(f"/attempts/{attempt.id}", method=method).status_code == 405
