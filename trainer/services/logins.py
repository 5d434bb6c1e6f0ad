"""Checking a login: the password, a lockout after repeated failures, and an answer that is the
same (in words and in time) whether the account exists, the password is wrong or it is locked."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Optional

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from trainer.extensions import db
from trainer.models import PASSWORD_METHOD, User, utcnow
from trainer.services import audit


@lru_cache(maxsize=4)
def _decoy_hash(method: str) -> str:
    return generate_password_hash("not anyone's password", method=method)


def _spend_hash_time(password: str) -> None:
    """Do a real hash check's work for an unknown name, so timing does not tell which names exist."""
    check_password_hash(_decoy_hash(current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_METHOD)), password)


def is_locked(user: User, now: Optional[datetime] = None) -> bool:
    """True while the account is locked after too many failed logins."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def authenticate(username: str, password: str, now: Optional[datetime] = None) -> Optional[User]:
    """The user when the password is right and the account is not locked; else None (audited)."""
    now = now or utcnow()
    username = (username or "").strip()
    # FOR UPDATE (PostgreSQL): parallel guesses at one account are counted one after another.
    user = User.query.filter_by(username=username).with_for_update().first()
    if user is None:
        _spend_hash_time(password)
        audit.record("login_failed", audit.user_target(username[:64]), "unknown user")
        return None
    right = user.check_password(password)
    if is_locked(user, now):
        audit.record("login_failed", audit.user_target(user), "account locked")
        return None
    if not right:
        _count_failure(user, now)
        return None
    user.failed_logins, user.failed_since, user.locked_until = 0, None, None
    return user


def _count_failure(user: User, now: datetime) -> None:
    """Count a wrong password in the current window; lock the account when the count is reached."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    if user.failed_since is None or now - user.failed_since > window:
        user.failed_logins, user.failed_since = 0, now
    user.failed_logins += 1
    audit.record("login_failed", audit.user_target(user),
                 f"wrong password ({user.failed_logins} of {config['LOGIN_MAX_FAILURES']})", commit=False)
    if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
        user.failed_logins, user.failed_since = 0, None
        audit.record("lockout", audit.user_target(user),
                     f"locked until {user.locked_until:%Y-%m-%d %H:%M} UTC", commit=False)
    db.session.commit()


def unlock(user: User) -> None:
    """Lift a lockout (an admin's decision); audited."""
    user.locked_until, user.failed_logins, user.failed_since = None, 0, None
    audit.record("unlock", audit.user_target(user), commit=False)
    db.session.commit()
