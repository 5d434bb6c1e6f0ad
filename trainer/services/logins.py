"""Checking a login: the password, a lockout after repeated failures, and an answer that is the
same (in words and in time) whether the account exists, the password is wrong or it is locked."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Optional

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from sqlalchemy import case, or_, update

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
    user = User.query.filter_by(username=username).first()
    if user is None or not user.is_active:
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
    # Reset the count only if no parallel failure has locked the account meanwhile.
    reset = db.session.execute(
        update(User).where(User.id == user.id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=0, failed_since=None, locked_until=None)
        .execution_options(synchronize_session=False))
    if reset.rowcount != 1:
        db.session.rollback()
        audit.record("login_failed", audit.user_target(user), "account locked")
        return None
    db.session.refresh(user)
    return user


def _count_failure(user: User, now: datetime) -> None:
    """Count a wrong password in the current window; lock the account when the count is reached."""
    # One UPDATE ... RETURNING counts the failure in the database itself, so parallel guesses are
    # all counted on SQLite too (where SELECT ... FOR UPDATE is a no-op): no read-modify-write.
    config = current_app.config
    window_start = now - timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    expired = or_(User.failed_since.is_(None), User.failed_since < window_start)
    count = db.session.execute(
        update(User).where(User.id == user.id)
        .values(failed_logins=case((expired, 1), else_=User.failed_logins + 1),
                failed_since=case((expired, now), else_=User.failed_since))
        .returning(User.failed_logins).execution_options(synchronize_session=False)).scalar_one()
    audit.record("login_failed", audit.user_target(user),
                 f"wrong password ({count} of {config['LOGIN_MAX_FAILURES']})", commit=False)
    if count >= config["LOGIN_MAX_FAILURES"]:
        until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
        db.session.execute(update(User).where(User.id == user.id)
                           .values(locked_until=until, failed_logins=0, failed_since=None)
                           .execution_options(synchronize_session=False))
        audit.record("lockout", audit.user_target(user), f"locked until {until:%Y-%m-%d %H:%M} UTC", commit=False)
    db.session.commit()
    db.session.expire(user)


def unlock(user: User) -> None:
    """Lift a lockout (an admin's decision); audited."""
    user.locked_until, user.failed_logins, user.failed_since = None, 0, None
    audit.record("unlock", audit.user_target(user), commit=False)
    db.session.commit()
