"""Login sessions: the signed cookie carries a token the database also holds, checked on every
request, so a session ends when it should (idle, absolute lifetime, logout, password change) and a
cookie captured before logout and replayed after it opens nothing.

One live session per account: logging in again (anywhere) rotates the token and ends the older one.
"""
from __future__ import annotations

import hmac
import secrets
import time
from typing import Optional

from flask import current_app, flash, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from trainer.extensions import db
from trainer.models import User
from trainer.services import audit

TOKEN, STARTED, SEEN = "sid", "login_at", "seen"
TOUCH_SECONDS = 60   # refresh "last seen" at most once a minute: fewer cookie rewrites


def _fresh_session() -> None:
    """Empty the session (no fixation), keeping only the chosen UI language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def start(user: User) -> None:
    """Log `user` in on a fresh session with a new server-side token; audited."""
    _fresh_session()
    user.session_token = secrets.token_urlsafe(32)
    audit.record("login", audit.user_target(user), actor=user, commit=False)
    db.session.commit()
    now = time.time()
    session.update({TOKEN: user.session_token, STARTED: now, SEEN: now})
    session.permanent = True
    login_user(user)


def end(user: User) -> None:
    """Log out: the server forgets the token, so neither this cookie nor a copy of it works again."""
    audit.record("logout", audit.user_target(user), actor=user, commit=False)
    revoke(user)
    db.session.commit()
    logout_user()
    session.clear()


def revoke(user: User) -> None:
    """End every session of `user` (logout, password change, data deletion); the caller commits."""
    user.session_token = None


def _live(user: User) -> Optional[str]:
    """None while the session is valid for `user`; otherwise why not (revoked, expired, idle)."""
    token = session.get(TOKEN)
    if not user.session_token or not isinstance(token, str) or not hmac.compare_digest(token, user.session_token):
        return "revoked"
    started, seen, now = session.get(STARTED), session.get(SEEN), time.time()
    if not isinstance(started, (int, float)) or not isinstance(seen, (int, float)):
        return "revoked"
    if now - started > current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds():
        return "expired"
    if now - seen > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    if now - seen > TOUCH_SECONDS:
        session[SEEN] = now
    return None


def load_user(user_id: str) -> Optional[User]:
    """Flask-Login's user loader: the session's user, only while the session is live."""
    user = db.session.get(User, int(user_id)) if str(user_id).isdigit() else None
    if user is not None and user.is_active and _live(user) is None:
        return user
    _fresh_session()
    flash(_("Your session has ended; please log in again."), "info")
    return None
