"""Exam integrity: exam customers come from a server-side secret (not computable from public
data), practice never meets them, exam starts are limited per assignment, an assignment counts
only attempts of its mode (and track), and model answers follow the scenario's track policy."""
from __future__ import annotations

import hashlib
import hmac
from typing import Optional

from flask import current_app
from sqlalchemy import func, select, update

from trainer.extensions import db
from trainer.models import Assignment, Attempt, User
from trainer.services import library
from trainer.services.assignments import scenario_ids


class ExamError(ValueError):
    """A start the exam rules refuse; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def exam_seed(scenario_id: str, version: int, assignment_id: Optional[int] = None) -> int:
    """The fixed seed of a scenario's exam (per assignment: everyone given it meets the same
    customer), an HMAC under EXAM_SEED_SECRET (default: SECRET_KEY), so it cannot be computed."""
    secret = current_app.config.get("EXAM_SEED_SECRET") or current_app.config["SECRET_KEY"]
    message = f"exam-seed:{scenario_id}:{version}:{assignment_id or 'open'}".encode()
    key = secret.encode() if isinstance(secret, str) else secret
    return int(hmac.new(key, message, hashlib.sha256).hexdigest()[:8], 16) % 2**31


def is_exam_seed(scenario, seed: int) -> bool:
    """True when practice with this seed would meet an exam customer of the scenario: the open
    exam's, any exam assignment's, or one an exam attempt was played with."""
    if seed == exam_seed(scenario.id, scenario.version):
        return True
    exams = Assignment.query.filter_by(mode="exam").all()
    if any(scenario.id in scenario_ids(a) and seed == exam_seed(scenario.id, scenario.version, a.id) for a in exams):
        return True
    played = select(Attempt.id).where(Attempt.mode == "exam", Attempt.scenario_id == scenario.id, Attempt.seed == seed)
    return db.session.scalar(played.limit(1)) is not None


def assignment_for(user: User, assignment_id: Optional[int], scenario_id: str, mode: str) -> Optional[Assignment]:
    """The assignment an attempt is started under: given to one of the user's cohorts, covering the
    scenario, of the same mode (404 / 422 otherwise); None when none is named."""
    if assignment_id is None:
        return None
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.cohort_id not in user.cohort_ids:
        raise ExamError(f"no assignment {assignment_id} for you", 404)
    if scenario_id not in scenario_ids(assignment):
        raise ExamError(f"assignment {assignment_id} does not include scenario '{scenario_id}'")
    if assignment.mode != mode:
        raise ExamError(f"assignment {assignment_id} is to be done in {assignment.mode} mode")
    return assignment


def check_exam_allowance(user: User, scenario_id: str, assignment: Optional[Assignment]) -> None:
    """Refuse an exam start past EXAM_MAX_ATTEMPTS for this scenario and assignment (unassigned
    exams count together). The caller commits the new attempt in the same transaction."""
    # Take the account's row lock first (an UPDATE: SQLite locks the database, PostgreSQL the
    # row), so parallel starts are counted one after the other.
    db.session.execute(update(User).where(User.id == user.id).values(failed_logins=User.failed_logins)
                       .execution_options(synchronize_session=False))
    limit = int(current_app.config.get("EXAM_MAX_ATTEMPTS", 1))
    started = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.user_id == user.id, Attempt.scenario_id == scenario_id, Attempt.mode == "exam",
        Attempt.assignment_id.is_(None) if assignment is None else Attempt.assignment_id == assignment.id))
    if started >= limit:
        db.session.rollback()
        where = "this assignment" if assignment is not None else "this scenario"
        raise ExamError(f"you have used your {limit} exam attempt{'s' if limit != 1 else ''} for {where}; "
                        "ask your coach if you need another", 409)


def track_policy(scenario, track_id: Optional[str]):
    """The track whose rules apply: the attempt's own if the scenario is in it, else the
    strictest of the scenario's tracks (so no entry point shows more than its tracks allow)."""
    tracks = library.tracks()
    if track_id in tracks and track_id in scenario.tracks:
        return [tracks[track_id]]
    return [tracks[t] for t in scenario.tracks if t in tracks]


def model_answers_each_turn(attempt: Attempt) -> bool:
    """True when the model answer may be shown after each reply of this (unfinished) attempt."""
    scenario = library.scenario(attempt.scenario_id)
    if attempt.mode != "practice" or scenario is None:
        return False
    return all(t.model_answers == "each_turn" for t in track_policy(scenario, attempt.track_id))
