"""JSON API v1: grade replies, play scenarios, read attempts. Bearer tokens only (see auth.py).

Errors are {"error": message, "status": code}. Another user's attempt answers 404 exactly like
a missing one, so ids cannot be probed; the owner's coach and admins may read it (403 to reply).
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from trainer.access import can_play_attempt, can_view_attempt
from trainer.api.auth import ApiError, api_user, authenticate, error_json
from trainer.api.batch import grade_items, grade_one
from trainer.api.parse import json_object, string, whole_number
from trainer.api.serializers import (
    attempt_json, retry_json, scenario_json, started_json, track_json, turn_result_json,
)
from trainer.models import Attempt
from trainer.services import attempts, library
from trainer.services.attempts import AttemptError, recover, retry_turn, start_attempt, submit_reply

bp = Blueprint("api", __name__)
bp.before_request(authenticate)
bp.register_error_handler(ApiError, error_json)

START_FIELDS = ("scenario_id", "mode", "seed", "track_id", "assignment_id")


@bp.post("/grade")
def grade():
    """Grade one batch record, or {"items": [records]}: the `rmtrainer grade` contract."""
    body = json_object()
    if "items" in body:
        return jsonify(grade_items(body))
    out, status = grade_one(body)
    return jsonify(out), status


@bp.get("/scenarios")
def scenarios():
    """The scenario library and its tracks (optionally ?track=ID)."""
    track = request.args.get("track")
    if track is not None and track not in library.tracks():
        raise ApiError(404, f"unknown track '{track}'")
    items = [s for s in library.scenarios().values() if track is None or track in s.tracks]
    return jsonify(scenarios=[scenario_json(s) for s in items],
                   tracks=[track_json(t) for t in library.tracks().values()])


@bp.post("/attempts")
def start():
    """Start an attempt: {scenario_id, mode?, seed?, track_id?, assignment_id?} -> 201 {attempt_id, customer, state}."""
    body = json_object(START_FIELDS)
    scenario_id = string(body, "scenario_id", required=True)
    mode = string(body, "mode", default="practice")
    seed = whole_number(body, "seed")
    track_id = string(body, "track_id")
    assignment_id = whole_number(body, "assignment_id")
    if mode == "exam" and seed is not None:
        raise ApiError(422, "exam mode uses the scenario's fixed seed; leave seed out")
    if assignment_id is not None and not 0 < assignment_id < 2**31:
        raise ApiError(404, f"no assignment {assignment_id} for you")
    try:
        attempt = start_attempt(api_user(), scenario_id, mode, seed=seed, track_id=track_id,
                                assignment_id=assignment_id)
    except AttemptError as e:
        raise ApiError(e.status, str(e)) from None
    response = jsonify(started_json(attempt))
    response.status_code = 201
    response.headers["Location"] = url_for("api.show", attempt_id=attempt.id)
    return response


@bp.get("/attempts/<int:attempt_id>")
def show(attempt_id: int):
    """The attempt with its turns and reports (reports hidden until an exam ends)."""
    attempt = _visible_attempt(attempt_id)
    if can_play_attempt(api_user(), attempt):
        recover(attempt)    # a reply stored before a crash is graded now, as the page does
    return jsonify(attempt_json(attempt))


@bp.post("/attempts/<int:attempt_id>/turns")
def reply(attempt_id: int):
    """Reply to the customer: {reply, turn?} -> {report, customer | ending, state, next_turn};
    or, in practice, {retry: N} -> the attempt resumed from before turn N (kept as retried).

    `turn` (the attempt's next_turn when the client read it) makes a resend safe: the same reply
    for a stored turn gets the stored result ("duplicate": true), another reply gets 409."""
    attempt = _visible_attempt(attempt_id, overrides=False)
    if not can_play_attempt(api_user(), attempt):
        raise ApiError(403, "only the trainee who owns this attempt may reply in it")
    body = json_object(("reply", "turn", "retry"))
    if "retry" in body:
        return _retry(attempt, body)
    text = string(body, "reply", required=True)
    turn = whole_number(body, "turn")
    if turn is not None and not 0 <= turn < 2**31:
        raise ApiError(422, "turn must be a whole number from 0 to 2147483647")
    result = _submit(attempt, text, turn)
    return jsonify(turn_result_json(attempt, result))


def _retry(attempt: Attempt, body: dict):
    """Practice: set turn N (the last answered one) aside and answer its customer line again."""
    if set(body) != {"retry"}:
        raise ApiError(422, "a retry is {\"retry\": N} alone: send the new reply after it")
    index = whole_number(body, "retry")
    if index is None or not 0 <= index < 2**31:
        raise ApiError(422, "retry must be the number of the turn to answer again (0-based)")
    try:
        retried = retry_turn(attempt, index)
    except AttemptError as e:
        raise ApiError(e.status, str(e)) from None
    return jsonify(retry_json(attempt, retried))


def _visible_attempt(attempt_id: int, overrides: bool = True) -> Attempt:
    """The attempt if this user may see it; 404 for missing and for others' attempts alike."""
    attempt = attempts.load(attempt_id, overrides)
    if attempt is None or not can_view_attempt(api_user(), attempt):
        raise ApiError(404, f"no attempt {attempt_id}")
    return attempt


def _submit(attempt: Attempt, text: str, turn: int | None):
    """Store and grade a reply; if grading fails the reply is kept and the client told so."""
    try:
        return submit_reply(attempt, text, current_app.config["REPLY_MAX_CHARS"], turn=turn)
    except AttemptError as e:
        if e.status >= 500:
            current_app.logger.exception("grading failed for attempt %s", attempt.id)
        raise ApiError(e.status, str(e)) from None
