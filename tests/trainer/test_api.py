"""The JSON API as a client sees it: tokens, playing a scenario to its end, exam rules, errors."""
from __future__ import annotations

import pytest

from trainer.extensions import db
from trainer.models import ApiToken, Attempt, Turn
from trainer.services import library
from trainer.services.attempts import exam_seed
from trainer.services.users import issue_token

SCENARIO = "transfer_not_arrived"
# A good trainee's replies for transfer_not_arrived: apologise and own it (asking for the payee's
# name uncovers the likely cause), then say the money comes back and when you will call.
OPENING = ("{address}您好，真的很抱歉，钱扣了对方却没收到，换谁都着急。这件事由我来跟进：麻烦您告诉我"
           "转账的时间和收款人的户名、卡号，我马上帮您查。")
DETAILS = "好的，谢谢您。我先跟您核对一下：收款人的户名您是按对方身份证上的名字填的吗？跨行转账户名和账号对不上会被退回。"
CAUSE = ("您放心，钱不会丢：对方银行会把钱退回，原路回到您卡上，一般1到3个工作日。如果货款今天就要付，"
         "您可以先核对全名后重新转一笔；我今天下午四点前给您打电话确认进度。")
STATE_KEYS = {"step", "turn", "mood", "trust", "mood_band", "trust_band", "uncovered", "ended", "ending"}
# What a trainer gives OPENING: it apologises, names his worry in his terms, owns it and asks for
# what it needs, but makes no time commitment — level 4 on etiquette, empathy and compliance and
# level 3 on structure (rubric: 80–100 / 60–79). So every dimension is at least level 3 and the
# total sits in the top half of level 3, above the 70 pass mark (the grader gives 79: 82/71/80/84).
OPENING_MIN_TOTAL, OPENING_MIN_DIMENSION = 75, 60


def is_a_strong_opening(report: dict) -> bool:
    return (report["total"] >= OPENING_MIN_TOTAL
            and min(report["scores"].values()) >= OPENING_MIN_DIMENSION)


class Api:
    """A JSON client holding one user's bearer token."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path):
        return self.client.get("/api/v1" + path, headers=self.headers())

    def post(self, path, body=None, data=None):
        if data is not None:
            return self.client.post("/api/v1" + path, data=data, headers=self.headers())
        return self.client.post("/api/v1" + path, json=body, headers=self.headers())

    def start(self, scenario_id=SCENARIO, **fields):
        response = self.post("/attempts", {"scenario_id": scenario_id, **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def api_for(client):
    """api_for(user) -> an Api client with a fresh token of that user."""
    return lambda user: Api(client, issue_token(user))


@pytest.fixture
def api(api_for, make_user):
    return api_for(make_user("amy"))


def assert_error(response, status, message):
    assert response.status_code == status, response.get_json()
    assert response.is_json
    body = response.get_json()
    assert body["status"] == status and message in body["error"], body


# ---- tokens -------------------------------------------------------------------------------

def test_a_request_without_a_token_gets_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/scenarios")
    assert_error(response, 401, "missing bearer token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header, message", [
    ("Bearer not-a-real-token", "invalid or revoked token"),
    ("Bearer ", "invalid or revoked token"),
    ("Basic YW15OmNvcnJlY3QtaG9yc2UtOQ==", "must use the Bearer scheme"),
    ("Bearer " + "x" * 1000, "invalid or revoked token"),
])
def test_a_wrong_authorization_header_gets_401(client, header, message):
    response = client.get("/api/v1/scenarios", headers={"Authorization": header})
    assert_error(response, 401, message)
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_a_revoked_token_stops_working(api):
    assert api.get("/scenarios").status_code == 200
    ApiToken.query.delete()
    db.session.commit()
    response = api.get("/scenarios")
    assert_error(response, 401, "invalid or revoked token")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_the_scheme_name_is_case_insensitive(api):
    response = api.client.get("/api/v1/scenarios", headers={"Authorization": f"bearer {api.token}"})
    assert response.status_code == 200


def test_only_the_digest_of_a_token_is_stored(api):
    stored = ApiToken.query.one()
    assert stored.token_hash != api.token and stored.token_hash == ApiToken.digest(api.token)


# ---- scenarios ----------------------------------------------------------------------------

def test_scenarios_lists_the_library(api):
    response = api.get("/scenarios")
    assert response.status_code == 200
    body = response.get_json()
    entry = next(s for s in body["scenarios"] if s["id"] == SCENARIO)
    assert entry["title"] == {"zh": "跨行转账扣款未到账", "en": "A transfer that never arrived"}
    assert entry["kind"] == "complaint" and entry["difficulty"] == 1 and entry["tracks"] == ["onboarding"]
    assert entry["steps"] == len(library.scenario(SCENARIO).steps) > 1
    assert {"id": "resolved", "outcome": "resolved"} in entry["endings"]
    assert "onboarding" in {t["id"] for t in body["tracks"]}
    # The list says what a scenario is, never how to answer it.
    assert set(entry) == {"id", "version", "title", "kind", "difficulty", "tracks", "steps",
                          "max_turns", "endings"}


def test_scenarios_filter_by_track(api):
    body = api.get("/scenarios?track=onboarding").get_json()
    assert body["scenarios"] and all("onboarding" in s["tracks"] for s in body["scenarios"])
    assert_error(api.get("/scenarios?track=nope"), 404, "unknown track 'nope'")


# ---- playing ------------------------------------------------------------------------------

def test_a_trainee_plays_transfer_not_arrived_to_a_resolved_ending(api):
    started = api.start(seed=7, track_id="onboarding")
    assert set(started["state"]) == STATE_KEYS
    assert started["state"]["step"] == "opening" and started["state"]["turn"] == 0
    assert "转" in started["customer"] and started["hint"]
    persona = started["persona"]
    assert persona["address"] and "hidden_facts" not in persona and persona["found"] == []
    path = f"/attempts/{started['attempt_id']}/turns"

    first_reply = OPENING.format(address=persona["address"])
    first = api.post(path, {"reply": first_reply}).get_json()
    report = first["report"]
    assert is_a_strong_opening(report), report["scores"]
    assert report["violations"] == [] and report["missing_moves"] == []
    assert set(report["scores"]) == {"etiquette", "structure", "empathy", "compliance"}
    ownership = next(f for f in report["findings"] if f["rule"] == "structure.Ownership")
    assert ownership["level"] == "good" and first_reply[ownership["start"]:ownership["end"]] == ownership["text"]
    # Asking for the payee's name uncovered the likely cause; the customer calmed down.
    assert first["state"]["uncovered"] == ["wrong_name"] and first["state"]["step"] == "details"
    assert first["state"]["mood"] > started["state"]["mood"]
    assert "名字" in first["customer"] and "ending" not in first
    assert first["model_answer"]

    second = api.post(path, {"reply": DETAILS}).get_json()
    assert second["state"]["step"] == "cause_found"
    assert isinstance(second["report"]["total"], int) and "wrong_name" in second["state"]["uncovered"]

    last = api.post(path, {"reply": CAUSE})
    assert last.status_code == 200
    last = last.get_json()
    assert "customer" not in last
    assert last["ending"]["id"] == "resolved" and last["ending"]["outcome"] == "resolved"
    assert "首问负责" in last["ending"]["debrief"]["zh"] and last["ending"]["customer"]
    assert last["state"]["ended"] is True and last["state"]["ending"] == "resolved"
    next_step = next(f for f in last["report"]["findings"] if f["rule"] == "structure.NextStep")
    assert CAUSE[next_step["start"]:next_step["end"]] == next_step["text"]
    assert set(last["scores"]) == {"etiquette", "structure", "empathy", "compliance"}
    assert last["total"] == round((first["report"]["total"] + second["report"]["total"]
                                   + last["report"]["total"]) / 3)
    assert last["red_line_count"] == 0
    assert last["track_result"] == {"track": "onboarding", "average": last["total"], "red_lines": [],
                                    "passed": None}

    shown = api.get(f"/attempts/{started['attempt_id']}").get_json()
    assert shown["status"] == "finished" and shown["mode"] == "practice" and shown["seed"] == 7
    assert shown["scenario"]["id"] == SCENARIO and shown["ending"]["id"] == "resolved"
    assert shown["scores"] == last["scores"] and shown["total"] == last["total"]
    assert [t["reply"] for t in shown["turns"]] == [first_reply, DETAILS, CAUSE]
    assert shown["turns"][0]["report"] == report and shown["turns"][0]["model_answer"]
    assert shown["customer"] is None and shown["hint"] is None


def test_starting_returns_201_with_a_location(api):
    response = api.post("/attempts", {"scenario_id": SCENARIO, "mode": "practice", "seed": 11})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/attempts/{body['attempt_id']}")
    assert body["seed"] == 11 and body["mode"] == "practice"
    assert db.session.get(Attempt, body["attempt_id"]).user.username == "amy"


def test_the_same_seed_meets_the_same_customer(api):
    assert api.start(seed=42)["customer"] == api.start(seed=42)["customer"]


def test_an_exam_withholds_reports_until_it_ends(api_for, make_user):
    amy, bob = api_for(make_user("amy")), api_for(make_user("bob"))
    started, bobs = amy.start(mode="exam"), bob.start(mode="exam")
    # the same customer for both, from a seed neither is shown
    assert started["seed"] is None and bobs["seed"] is None and started["persona"] == bobs["persona"]
    assert db.session.get(Attempt, started["attempt_id"]).seed == exam_seed(SCENARIO, library.scenario(SCENARIO).version)
    assert started["hint"] is None
    path = f"/attempts/{started['attempt_id']}"

    first = amy.post(path + "/turns", {"reply": "这个不归我们管，你自己去查。"}).get_json()
    assert first["report"] is None and "exam" in first["note"] and first["customer"]
    assert "model_answer" not in first
    during = amy.get(path).get_json()
    assert during["status"] == "active" and during["scores"] is None and during["total"] is None
    assert during["turns"][0]["report"] is None and during["turns"][0]["graded"] is True
    assert "model_answer" not in during["turns"][0] and "exam" in during["note"]

    last = amy.post(path + "/turns", {"reply": "等着吧，流程就是这样。"}).get_json()
    assert last["ending"]["id"] == "complaint_filed"
    assert last["report"]["scores"]["empathy"] < 40 and "note" not in last
    assert last["total"] is not None and last["total"] < 40
    after = amy.get(path).get_json()
    assert all(t["report"] for t in after["turns"]) and "note" not in after
    assert any(f["rule"] == "empathy.BrushOff" for f in after["turns"][1]["report"]["findings"])


# ---- errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("body, status, message", [
    ({}, 422, "scenario_id is required"),
    ({"scenario_id": 5}, 422, "scenario_id must be a string, not a number"),
    ({"scenario_id": ""}, 422, "scenario_id must not be empty"),
    ({"scenario_id": "no_such_scenario"}, 404, "unknown scenario 'no_such_scenario'"),
    ({"scenario_id": SCENARIO, "mode": "quiz"}, 422, "mode must be one of practice, exam"),
    ({"scenario_id": SCENARIO, "mode": ["exam"]}, 422, "mode must be a string"),
    ({"scenario_id": SCENARIO, "seed": "7"}, 422, "seed must be a whole number, not a string"),
    ({"scenario_id": SCENARIO, "seed": 1.5}, 422, "seed must be a whole number"),
    ({"scenario_id": SCENARIO, "seed": True}, 422, "seed must be a whole number, not a boolean"),
    ({"scenario_id": SCENARIO, "seed": -1}, 422, "seed must be a whole number from 0 to 2147483647"),
    ({"scenario_id": SCENARIO, "seed": 2**31}, 422, "from 0 to 2147483647"),
    ({"scenario_id": SCENARIO, "mode": "exam", "seed": 3}, 422, "exam mode uses the scenario's fixed seed"),
    ({"scenario_id": SCENARIO, "track_id": "nope"}, 404, "unknown track 'nope'"),
    ({"scenario_id": SCENARIO, "track_id": 1}, 422, "track_id must be a string"),
    ({"scenario_id": SCENARIO, "scenario": "x"}, 422, "unknown field 'scenario'"),
])
def test_starting_an_attempt_with_a_bad_field_says_which(api, body, status, message):
    assert_error(api.post("/attempts", body), status, message)
    assert Attempt.query.count() == 0


@pytest.mark.parametrize("data, message", [
    ("", "the body is empty"),
    ("{scenario_id: 1}", "invalid JSON: Expecting property name"),
    ("[1, 2]", "the body must be a JSON object, not an array"),
    ('"transfer_not_arrived"', "the body must be a JSON object, not a string"),
    ("null", "the body must be a JSON object, not null"),
    (b"\xff\xfe{", "invalid JSON"),
])
def test_a_body_that_is_not_a_json_object_is_400(api, data, message):
    assert_error(api.post("/attempts", data=data), 400, message)


def test_a_body_over_the_size_limit_is_413(api):
    assert_error(api.post("/attempts", data="x" * 300_000), 413, "the body is larger than")


@pytest.mark.parametrize("body, status, message", [
    ({}, 422, "reply is required"),
    ({"reply": ""}, 422, "reply must not be empty"),
    ({"reply": "   \n"}, 422, "reply must not be empty"),
    ({"reply": 42}, 422, "reply must be a string, not a number"),
    ({"reply": None}, 422, "reply is required"),
    ({"reply": "您好", "mood": 100}, 422, "unknown field 'mood'"),
    ({"reply": "您" * 2001}, 413, "the reply is 2001 characters; at most 2000 are accepted"),
])
def test_a_bad_reply_is_refused_and_nothing_is_stored(api, body, status, message):
    attempt_id = api.start(seed=7)["attempt_id"]
    assert_error(api.post(f"/attempts/{attempt_id}/turns", body), status, message)
    assert Turn.query.count() == 0


def test_a_reply_of_exactly_2000_characters_is_taken(api):
    attempt_id = api.start(seed=7)["attempt_id"]
    assert api.post(f"/attempts/{attempt_id}/turns", {"reply": "您好" * 1000}).status_code == 200


def test_replying_to_an_ended_attempt_is_409(api):
    attempt_id = api.start(mode="exam")["attempt_id"]
    for text in ("这个不归我们管，你自己去查。", "等着吧，流程就是这样。"):
        api.post(f"/attempts/{attempt_id}/turns", {"reply": text})
    assert_error(api.post(f"/attempts/{attempt_id}/turns", {"reply": "您好"}), 409, "this attempt has ended")


def test_a_missing_attempt_is_404(api):
    assert_error(api.get("/attempts/999"), 404, "no attempt 999")
    assert_error(api.post("/attempts/999/turns", {"reply": "您好"}), 404, "no attempt 999")


def test_unknown_routes_and_methods_answer_in_json(api):
    assert_error(api.get("/nothing-here"), 404, "Not found")
    assert_error(api.get("/grade"), 405, "Method not allowed")
