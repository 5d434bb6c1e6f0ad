"""POST /api/v1/grade gives exactly what `rmtrainer grade` gives for the same records."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from test_api import Api, assert_error
from trainer.cli import main
from trainer.commands.grade import grade_record
from trainer.services.users import issue_token

GUARANTEE = {"id": "a1", "context": {"kind": "product_sale", "customer_risk": "C1", "product_risk": "R4"},
             "customer": "这个基金能保本吗？", "reply": "您放心，这款基金保本，跌不了。"}
GIFT = {"id": "a2", "context": {"kind": "gift"}, "customer": "一点心意您收下。",
        "reply": "谢谢您的心意，按照规定我们不能收礼品，请您收回。"}
UNKNOWN_KIND = {"id": "k", "context": {"kind": "sales"}, "reply": "您好"}
NO_REPLY = {"id": "m", "context": {"kind": "gift"}}
NO_KIND = {"id": "n", "context": {}, "reply": "您好"}
BATCH = [GUARANTEE, GIFT, UNKNOWN_KIND, NO_REPLY, ["not", "an", "object"], NO_KIND]


@pytest.fixture
def api(client, make_user):
    return Api(client, issue_token(make_user("amy")))


def cli_lines(records):
    """What `rmtrainer grade` writes for these records, one per line, parsed."""
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    result = CliRunner().invoke(main, ["grade", "-"], input=text)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_record_is_graded_like_the_cli(api):
    response = api.post("/grade", GUARANTEE)
    assert response.status_code == 200
    body = response.get_json()
    assert body == grade_record(GUARANTEE, 1) == cli_lines([GUARANTEE])[0]
    assert body["id"] == "a1" and body["scores"]["compliance"] == 0
    guarantee = next(v for v in body["violations"] if v["category"] == "guarantee")
    assert guarantee["severity"] == "red_line"
    assert GUARANTEE["reply"][guarantee["start"]:guarantee["end"]] == guarantee["evidence"]


def test_a_batch_is_graded_like_the_cli_bad_records_included(api):
    response = api.post("/grade", {"items": BATCH})
    assert response.status_code == 200
    body = response.get_json()
    expected = [grade_record(r, n) for n, r in enumerate(BATCH, 1)]
    assert body["items"] == expected == cli_lines(BATCH)
    assert body["failed"] == 4
    assert [item.get("id") for item in body["items"]] == ["a1", "a2", "k", "m", None, "n"]
    assert body["items"][1]["violations"] == [] and body["items"][1]["total"] > 60
    assert body["items"][2] == {"id": "k", "line": 3, "error": body["items"][2]["error"]}
    assert "unknown kind 'sales'" in body["items"][2]["error"]
    assert body["items"][4]["error"] == "each line must be a JSON object"


def test_an_empty_batch_is_an_empty_answer(api):
    assert api.post("/grade", {"items": []}).get_json() == {"items": [], "failed": 0}


@pytest.mark.parametrize("record, message", [
    (UNKNOWN_KIND, "unknown kind 'sales'"),
    (NO_REPLY, "missing reply (a string)"),
    (NO_KIND, "missing context.kind"),
    ({"id": 3, "context": {"kind": "gift"}, "reply": ["您好"]}, "missing reply (a string)"),
])
def test_a_single_bad_record_is_422_with_its_error_record(api, record, message):
    response = api.post("/grade", record)
    assert_error(response, 422, message)
    body = response.get_json()
    assert body == {**grade_record(record, 1), "status": 422}
    assert body["id"] == record["id"] and body["line"] == 1


@pytest.mark.parametrize("data, status, message", [
    ("{\"id\": 1,", 400, "invalid JSON"),
    ("[]", 400, "the body must be a JSON object, not an array"),
    ("42", 400, "the body must be a JSON object, not a number"),
    ('{"items": {"id": 1}}', 422, "items must be an array of records"),
    (json.dumps({"items": [GIFT] * 101}, ensure_ascii=False), 413, "at most 100 per request"),
    ("x" * 300_000, 413, "the body is larger than 262144 bytes"),
])
def test_a_bad_body_is_refused_with_its_status(api, data, status, message):
    assert_error(api.post("/grade", data=data), status, message)


def test_grading_needs_a_token(client):
    response = client.post("/api/v1/grade", json=GIFT)
    assert_error(response, 401, "missing bearer token")
