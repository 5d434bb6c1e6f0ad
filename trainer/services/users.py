"""Creating users and API tokens (shared by the CLI, the demo data and the tests)."""
from __future__ import annotations

import secrets

from trainer.extensions import db
from trainer.models import ROLES, ApiToken, Cohort, User


class UserError(ValueError):
    """A user that cannot be created as asked."""


def create_user(username: str, password: str, role: str = "trainee", display_name: str = "",
                cohort: Cohort | None = None) -> User:
    """Create a user with a hashed password; the username must be new."""
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise UserError("the username must be 1 to 64 characters")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password or "") < 8:
        raise UserError("the password must be at least 8 characters")
    if User.query.filter_by(username=username).first():
        raise UserError(f"user '{username}' already exists")
    user = User(username=username, role=role, display_name=display_name or username,
                cohort_id=cohort.id if cohort else None)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def issue_token(user: User) -> str:
    """A new bearer token for the API; only its hash is stored, so it is shown once."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=ApiToken.digest(token)))
    db.session.commit()
    return token
