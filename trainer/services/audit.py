"""The audit log: one call records who did what to what, when and from where; admins page through it."""
from __future__ import annotations

import ipaddress
import json
from datetime import datetime
from typing import Optional

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, or_, select

from trainer.extensions import db
from trainer.models import AuditEvent, User

ACTIONS = ("login", "login_failed", "lockout", "unlock", "logout", "password_change", "role_change",
           "user_create", "user_data_delete", "grade_override", "csv_export", "retention_run",
           "token_issue", "token_revoke", "cohort_invite", "cohort_join", "password_reset",
           "user_deactivate", "user_reactivate", "turn_confirm")
PAGE_SIZE = 50


def _who(actor: Optional[User]) -> tuple:
    """(id, name) of whoever acts: the given user, the logged-in user, a visitor, or the CLI."""
    if actor is not None:
        return actor.id, actor.username
    if not has_request_context():
        return None, "cli"
    if current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, "anonymous"


def client_address() -> Optional[str]:
    """The request's client address when it is one (IPv4 or IPv6), else None: behind a proxy it
    comes from X-Forwarded-For, which a client may fill with anything (a long value was a 500
    on PostgreSQL, whose column holds 45 characters)."""
    try:
        return str(ipaddress.ip_address(request.remote_addr or ""))
    except ValueError:
        return None


def record(action: str, target: str = "", detail: str | dict = "", actor: Optional[User] = None,
           commit: bool = True) -> AuditEvent:
    """Add one event (committed unless commit=False, when it joins the caller's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action '{action}'")
    if isinstance(detail, dict):
        detail = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    actor_id, actor_name = _who(actor)
    event = AuditEvent(actor_id=actor_id, actor=actor_name[:64], action=action, target=target[:128],
                       detail=detail, ip=client_address() if has_request_context() else None)
    db.session.add(event)
    if commit:
        db.session.commit()
    return event


def user_target(user: User | str) -> str:
    """How events name an account: user:<username>."""
    return "user:" + (user if isinstance(user, str) else user.username)


def events_page(action: Optional[str] = None, page: int = 1, per_page: int = PAGE_SIZE,
                username: Optional[str] = None):
    """Newest events first, optionally of one action and of one account (as the one who acted
    or the one acted on): a Flask-SQLAlchemy Pagination."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if username:
        query = query.where(or_(AuditEvent.actor == username, AuditEvent.target == user_target(username)))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def prune(before: datetime) -> int:
    """Delete events older than `before`; returns how many (the caller commits)."""
    return db.session.execute(delete(AuditEvent).where(AuditEvent.at < before)).rowcount
