"""Reading API request bodies: a JSON object, with typed fields and messages that name the field."""
from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from trainer.api.auth import ApiError
from trainer.jsontext import BadJSON, loads


def json_object(allowed: tuple | None = None) -> dict:
    """The request body as a JSON object (400 when it is not one; 422 for a field not in `allowed`)."""
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise ApiError(413, f"the body is larger than {request.max_content_length} bytes") from None
    if not raw.strip():
        raise ApiError(400, "the body is empty: send a JSON object")
    try:
        body = loads(raw)
    except BadJSON as e:
        raise ApiError(400, f"invalid JSON: {e}") from None
    if not isinstance(body, dict):
        raise ApiError(400, f"the body must be a JSON object, not {json_type(body)}")
    problem = _unstorable_text(body)
    if problem:
        raise ApiError(422, problem)
    if allowed is not None:
        unknown = sorted(set(body) - set(allowed))
        if unknown:
            raise ApiError(422, f"unknown field '{unknown[0]}'; expected {', '.join(allowed)}")
    return body


def _unstorable_text(body: dict) -> str | None:
    """Why a parsed body holds text that cannot be stored or sent back, else None: an escape of
    half a character (a lone surrogate, \\ud800) is not UTF-8, and PostgreSQL text cannot hold NUL."""
    stack = [body]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return "text must not contain NUL characters (\\u0000)"
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return "text must be valid Unicode: \\ud800-\\udfff escapes must come in pairs"
    return None


def string(body: dict, name: str, required: bool = False, default: str | None = None) -> str | None:
    """A string field (422 when it has another type, or is missing/blank but required)."""
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(422, f"{name} is required (a string)")
        return default
    if not isinstance(value, str):
        raise ApiError(422, f"{name} must be a string, not {json_type(value)}")
    if required and not value.strip():
        raise ApiError(422, f"{name} must not be empty")
    return value


def whole_number(body: dict, name: str) -> int | None:
    """An optional integer field (422 for floats, strings and booleans)."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(422, f"{name} must be a whole number, not {json_type(value)}")
    return value


def json_type(value) -> str:
    """How a JSON value's type reads in a message ("an array", "a string", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number" if isinstance(value, int) else f"a fraction ({value})"
    return {list: "an array", dict: "an object", str: "a string"}.get(type(value), type(value).__name__)
