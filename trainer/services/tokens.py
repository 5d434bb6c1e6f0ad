"""API bearer tokens: issued with an expiry (API_TOKEN_DAYS by default), revoked one account at a
time (CLI, admin page, password change, data deletion), never for an anonymised account; every
issue and revocation is audited. Only a token's SHA-256 is stored."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Optional

from flask import current_app, has_app_context
from sqlalchemy import func, select, update

from trainer.extensions import db
from trainer.models import ApiToken, User, utcnow
from trainer.services import audit

DEFAULT_DAYS = 90
MAX_DAYS = 3650


class TokenError(ValueError):
    """A token that cannot be issued as asked."""


def default_days() -> int:
    """How long a new token lives unless told otherwise (config API_TOKEN_DAYS)."""
    return int(current_app.config.get("API_TOKEN_DAYS", DEFAULT_DAYS)) if has_app_context() else DEFAULT_DAYS


def issue(user: User, days: Optional[int] = None, actor: Optional[User] = None) -> str:
    """A new bearer token for an active account, valid `days` days; shown once, audited."""
    if not user.is_active:
        raise TokenError(f"'{user.username}' is not an active account: no token is issued for it")
    days = default_days() if days is None else days
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise TokenError(f"a token lives from 1 to {MAX_DAYS} days")
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=ApiToken.digest(token), expires_at=utcnow() + timedelta(days=days))
    db.session.add(row)
    db.session.flush()
    audit.record("token_issue", audit.user_target(user),
                 {"token": row.id, "expires": f"{row.expires_at:%Y-%m-%d %H:%M} UTC"}, actor=actor, commit=False)
    db.session.commit()
    return token


def revoke_all(user: User, reason: str, actor: Optional[User] = None, commit: bool = True) -> int:
    """Revoke every live token of `user` (audited when there were any); returns how many."""
    now = utcnow()
    count = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False)).rowcount
    if count:
        audit.record("token_revoke", audit.user_target(user), {"tokens": count, "reason": reason},
                     actor=actor, commit=False)
    if commit:
        db.session.commit()
    return count


def live_counts(user_ids: list, now: Optional[datetime] = None) -> dict:
    """user id -> number of tokens neither revoked nor expired (for the admin's user list)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(ApiToken.user_id, func.count()).where(ApiToken.user_id.in_(user_ids), *_live(now or utcnow()))
        .group_by(ApiToken.user_id)).all()
    return dict(rows)


def _live(now: datetime) -> tuple:
    return ApiToken.revoked_at.is_(None), ApiToken.expires_at.is_not(None), ApiToken.expires_at > now


def lookup(token: str) -> tuple[Optional[User], Optional[str]]:
    """(user, None) for a live token of an active account; else (None, why): "invalid" or "expired"."""
    row = db.session.execute(select(ApiToken, User).join(User, ApiToken.user_id == User.id)
                             .where(ApiToken.token_hash == ApiToken.digest(token))).first()
    if row is None:
        return None, "invalid"
    found, user = row
    if found.revoked_at is not None or not user.is_active:
        return None, "invalid"
    if found.expires_at is None or found.expires_at <= utcnow():
        return None, "expired"
    return user, None
