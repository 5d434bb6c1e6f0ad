"""POST /api/v1/grade: each record's shape checked strictly before anything is graded (the
`rmtrainer grade` contract, less what the API refuses), and the cost of a request bounded: items,
reply characters in all, and the size of the answer."""
from __future__ import annotations

import json

from flask import current_app

from trainer.api.auth import ApiError
from trainer.api.parse import json_type
from trainer.commands.grade import grade_record

RECORD_KEYS = ("id", "context", "customer", "reply")
CONTEXT_KEYS = ("kind", "customer_risk", "product_risk", "customer_line", "expected_moves",
                "model_answer", "customer_age", "history", "customer_surname")
# Keys `rmtrainer grade` takes that the API refuses: `forbidden` holds the caller's regular
# expressions (scenario steps supply them to the grader; the CLI takes them, bounded).
REFUSED = {"forbidden": "context.forbidden is not accepted by the API (use `rmtrainer grade`)"}


def refusal(record) -> tuple | None:
    """(status, message) for a record the API does not grade, else None: an unknown or refused
    key at any level, a context that is not an object, or a reply longer than a turn's (grading
    time grows faster than its length), and so a customer's line. A record that is not an object
    is grade_record's error."""
    if not isinstance(record, dict):
        return None
    unknown = sorted(set(record) - set(RECORD_KEYS))
    if unknown:
        return 422, f"unknown field '{unknown[0]}'; a record has {', '.join(RECORD_KEYS)}"
    context = record.get("context")
    if context is not None and not isinstance(context, dict):
        return 422, f"context must be a JSON object, not {json_type(context)}"
    for key in sorted(context or {}):
        if key in REFUSED:
            return 422, REFUSED[key]
        if key not in CONTEXT_KEYS:
            return 422, f"unknown context field '{key}'; expected {', '.join(CONTEXT_KEYS)}"
    limit = current_app.config["REPLY_MAX_CHARS"]
    reply = record.get("reply")
    if isinstance(reply, str) and len(reply) > limit:
        return 413, f"the reply is {len(reply)} characters; at most {limit} are accepted"
    # The customer's line is read against the reply (echo, shared content): 220 KB of it took 8 s.
    for name, line in (("customer", record.get("customer")), ("context.customer_line",
                                                               (context or {}).get("customer_line"))):
        if isinstance(line, str) and len(line) > limit:
            return 413, f"{name} is {len(line)} characters; at most {limit} are accepted"
    return None


def grade_one(record: dict) -> tuple[dict, int]:
    """One record graded (or refused): the answer and its status."""
    refused = refusal(record)
    if refused:
        raise ApiError(*refused)
    out = grade_record(record, 1)
    if "error" in out:
        return {**out, "status": 422}, 422
    _too_large(_size(out))
    return out, 200


def grade_items(body: dict) -> dict:
    """{"items": [records]} graded in order; a record refused or wrong becomes its error record."""
    extra = sorted(set(body) - {"items"})
    if extra:
        raise ApiError(422, f"unknown field '{extra[0]}' beside items; send {{\"items\": [records]}}")
    items = body["items"]
    if not isinstance(items, list):
        raise ApiError(422, "items must be an array of records")
    most, chars = current_app.config["GRADE_MAX_ITEMS"], current_app.config["GRADE_MAX_CHARS"]
    if len(items) > most:
        raise ApiError(413, f"{len(items)} records sent; at most {most} per request "
                            "(use `rmtrainer grade` for larger batches)")
    total = sum(len(r["reply"]) for r in items if isinstance(r, dict) and isinstance(r.get("reply"), str))
    if total > chars:
        raise ApiError(413, f"the replies hold {total} characters in all; at most {chars} per request "
                            "(send fewer per request, or use `rmtrainer grade`)")
    results, size = [], 0
    for n, record in enumerate(items, 1):
        refused = refusal(record)
        results.append({"id": record.get("id"), "line": n, "error": refused[1]} if refused
                       else grade_record(record, n))
        size += _size(results[-1])
        _too_large(size)
    return {"items": results, "failed": sum("error" in r for r in results)}


def _size(result: dict) -> int:
    """Bytes the result takes in the answer."""
    return len(json.dumps(result, ensure_ascii=False).encode("utf-8"))


def _too_large(size: int) -> None:
    """413 once the answer has grown past GRADE_MAX_RESPONSE_BYTES (checked as it is built, so
    a request whose answer would be too large stops costing CPU early)."""
    limit = current_app.config["GRADE_MAX_RESPONSE_BYTES"]
    if size > limit:
        raise ApiError(413, f"the results would be larger than {limit} bytes; "
                            "send fewer or shorter replies per request")
