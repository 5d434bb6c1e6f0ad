"""Access control in one place: role checks for pages and object checks for attempts."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from trainer.models import Attempt, Cohort, User


def role_required(*roles):
    """A view decorator: logged in, and one of `roles` (admin passes every role check)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def coaches(coach: User, trainee: User) -> bool:
    """True when `coach` looks after `trainee` (one of the trainee's cohorts is the coach's)."""
    if coach.role == "admin":
        return True
    return coach.role == "coach" and any(c.coach_id == coach.id for c in trainee.cohorts)


def runs_cohort(user: User, cohort: Cohort) -> bool:
    """True when the user is the cohort's coach, or an admin."""
    return user.role == "admin" or (user.role == "coach" and cohort.coach_id == user.id)


def can_view_attempt(user: User, attempt: Attempt) -> bool:
    """The trainee who owns it, their coach, or an admin."""
    return attempt.user_id == user.id or coaches(user, attempt.user)


def can_play_attempt(user: User, attempt: Attempt) -> bool:
    """Only the trainee who owns an attempt may reply in it."""
    return attempt.user_id == user.id


def coached_cohorts(user: User) -> list:
    """Cohorts this coach looks after (all of them for an admin)."""
    query = Cohort.query.order_by(Cohort.name)
    if user.role != "admin":
        query = query.filter_by(coach_id=user.id)
    return query.all()
