"""POST /api/v1/grade refuses what it does not take whatever the JSON's shape, and bounds what a
request may cost: records, reply characters in all, and the size of the answer (issue 12)."""
from __future__ import annotations

import json

import pytest

from test_api import Api, assert_error
from trainer.services.users import issue_token

REDOS = [{"pattern": "(a+)+$", "message": "catastrophic backtracking"}]
OK = {"id": "ok", "reply": "您好，请问有什么可以帮您？", "context": {"kind": "general"}}


@pytest.fixture
def api(client, make_user):
    return Api(client, issue_token(make_user("amy")))


@pytest.mark.parametrize("record, message", [
    # a context given as a list of pairs is not an object: it was read as one, forbidden and all
    ({"reply": "a" * 20 + "!", "context": [["kind", "general"], ["forbidden", REDOS]]},
     "context must be a JSON object, not an array"),
    ({"reply": "您好", "context": [["kind", "general"]]}, "context must be a JSON object, not an array"),
    ({"reply": "您好", "context": "kind=general"}, "context must be a JSON object, not a string"),
    ({"reply": "您好", "context": {"kind": "general", "forbidden": []}}, "context.forbidden is not accepted"),
    ({"reply": "您好", "context": {"kind": "general", "forbidden": None}}, "context.forbidden is not accepted"),
    ({"reply": "您好", "context": {"kind": "general", "Forbidden": REDOS}}, "unknown context field 'Forbidden'"),
    ({"reply": "您好", "context": {"kind": "general"}, "forbidden": REDOS}, "unknown field 'forbidden'"),
    ({"reply": "您好", "context": {"kind": "general"}, "extra": 1}, "unknown field 'extra'"),
], ids=["pairs-with-redos", "pairs", "string", "empty-forbidden", "null-forbidden", "cased-key",
        "top-level-forbidden", "unknown-field"])
def test_a_record_of_the_wrong_shape_is_refused_before_grading(api, record, message):
    assert_error(api.post("/grade", record), 422, message)
    batch = api.post("/grade", {"items": [record, OK]})
    assert batch.status_code == 200
    first, second = batch.get_json()["items"]
    assert message in first["error"] and "scores" not in first
    assert second["id"] == "ok" and "scores" in second


@pytest.mark.parametrize("record, message", [
    ({"reply": "您好", "customer": "这个理财保本吗？" * 300, "context": {"kind": "product_sale"}},
     "customer is 2400 characters; at most 2000 are accepted"),
    ({"reply": "您好", "context": {"kind": "product_sale", "customer_line": "保本吗" * 700}},
     "context.customer_line is 2100 characters; at most 2000 are accepted"),
], ids=["customer", "customer_line"])
def test_a_customer_line_longer_than_a_turn_is_refused(api, record, message):
    """The grader reads the customer's line against the reply: 220 KB of it took 8 s of CPU."""
    assert_error(api.post("/grade", record), 413, message)
    first, second = api.post("/grade", {"items": [record, OK]}).get_json()["items"]
    assert first == {"id": None, "line": 1, "error": message} and "scores" in second


def test_a_batch_has_no_fields_beside_items(api):
    assert_error(api.post("/grade", {"items": [OK], "context": {"forbidden": REDOS}}), 422,
                 "unknown field 'context' beside items")


def test_forty_long_replies_are_refused_before_grading(api):
    """40 items of "保本"*1000 (242 KB) gave a 32 MB answer and 13 s of CPU."""
    items = [{"id": i, "reply": "保本" * 1000, "context": {"kind": "product_sale"}} for i in range(40)]
    response = api.post("/grade", {"items": items})
    assert_error(response, 413, "the replies hold 80000 characters in all; at most 20000 per request")
    assert len(response.get_data()) < 1000


def test_too_many_records_are_refused(api, app):
    app.config["GRADE_MAX_ITEMS"] = 5
    assert_error(api.post("/grade", {"items": [OK] * 6}), 413, "6 records sent; at most 5 per request")
    assert api.post("/grade", {"items": [OK] * 5}).status_code == 200


def test_the_answer_never_grows_past_its_bound(api, app):
    """Whatever the grader reports, the client never receives more than the configured bytes."""
    app.config["GRADE_MAX_RESPONSE_BYTES"] = 20_000
    items = [{"id": i, "reply": "保本" * 1000, "context": {"kind": "product_sale"}} for i in range(10)]
    response = api.post("/grade", {"items": items})
    assert len(response.get_data()) <= 20_000
    if response.status_code != 200:
        assert_error(response, 413, "the results would be larger than 20000 bytes")
    single = api.post("/grade", items[0])
    assert len(single.get_data()) <= 20_000


def test_a_small_answer_is_not_refused(api, app):
    app.config["GRADE_MAX_RESPONSE_BYTES"] = 200_000
    response = api.post("/grade", {"items": [OK] * 3})
    assert response.status_code == 200 and response.get_json()["failed"] == 0


@pytest.mark.parametrize("data, message", [
    ('{"id": NaN, "reply": "您好", "context": {"kind": "general"}}', "NaN is not a JSON value"),
    ('{"id": Infinity, "reply": "您好", "context": {"kind": "general"}}', "Infinity is not a JSON value"),
    ('{"id": -1e999, "reply": "您好", "context": {"kind": "general"}}', "the number -1e999 is too large"),
])
def test_non_standard_numbers_are_not_echoed_back(api, data, message):
    """{"id": NaN} came back as NaN, which no standard JSON parser reads."""
    response = api.post("/grade", data=data)
    assert_error(response, 400, message)
    json.loads(response.get_data(as_text=True), parse_constant=pytest.fail)
