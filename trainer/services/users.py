"""Accounts: creating users, API tokens, passwords, roles, and deleting one trainee's data on
request (shared by the CLI, the admin pages, the demo data and the tests). Every change is audited."""
from __future__ import annotations

import secrets

from sqlalchemy import delete, func, or_, select

from trainer.extensions import db
from trainer.models import (
    ROLES, ApiToken, Attempt, Cohort, CohortInvite, GradeOverride, Turn, TurnConfirmation, User, utcnow,
)
from trainer.services import audit, passwords, tokens
from trainer.sessions import revoke

MIN_PASSWORD = passwords.MIN_LENGTH
ANONYMISED = "deleted-"   # anonymised accounts are renamed deleted-<id>: no one else may take the prefix


class UserError(ValueError):
    """A user that cannot be created as asked."""


def create_user(username: str, password: str, role: str = "trainee", display_name: str = "",
                cohort: Cohort | None = None, must_change_password: bool = False,
                actor: User | None = None) -> User:
    """Create a user with a hashed password; the username must be new."""
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise UserError("the username must be 1 to 64 characters")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if username.lower().startswith(ANONYMISED):
        raise UserError(f"usernames starting with '{ANONYMISED}' are reserved for deleted accounts")
    _check_password(password, username)
    if User.query.filter_by(username=username).first():
        raise UserError(f"user '{username}' already exists")
    display_name = (display_name or "").strip()
    if len(display_name) > 64:
        raise UserError("the display name must be at most 64 characters")
    user = User(username=username, role=role, display_name=display_name or username,
                cohorts=[cohort] if cohort else [], must_change_password=must_change_password)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_create", audit.user_target(user), f"role {role}", actor=actor, commit=False)
    db.session.commit()
    return user


def _check_password(password: str, username: str = "") -> None:
    try:
        passwords.check(password, username)
    except passwords.PasswordError as e:
        raise UserError(str(e)) from None


def set_password(user: User, password: str) -> None:
    """Change a password; every session and API token of the account ends (it must log in again)."""
    _check_password(password, user.username)
    user.set_password(password)
    user.must_change_password = False
    revoke(user)
    tokens.revoke_all(user, "password change", commit=False)
    audit.record("password_change", audit.user_target(user), commit=False)
    db.session.commit()


def change_own_password(user: User, current: str, new: str) -> None:
    """The user replaces their password (knowing the current one); the new one must differ."""
    if not user.check_password(current or ""):
        raise UserError("the current password is wrong")
    if new == current:
        raise UserError("the new password must differ from the current one")
    set_password(user, new)


def reset_password(user: User, temporary: str, actor: User | None = None) -> None:
    """An admin sets a temporary password: sessions and API tokens end, and the user must
    choose a new password at the next login before any page opens."""
    if not user.is_active:
        raise UserError("this account is not active: reactivate it first")
    _check_password(temporary, user.username)
    user.set_password(temporary)
    user.must_change_password = True
    user.failed_logins, user.failed_since, user.locked_until = 0, None, None
    revoke(user)
    tokens.revoke_all(user, "password reset", actor=actor, commit=False)
    audit.record("password_reset", audit.user_target(user), actor=actor, commit=False)
    db.session.commit()


def _other_active_admins(user: User) -> int:
    return User.query.filter(User.role == "admin", User.id != user.id, User.deactivated_at.is_(None)).count()


def deactivate(user: User, actor: User | None = None) -> None:
    """Stop an account: no login, its sessions end and its API tokens are revoked (audited)."""
    if actor is not None and actor.id == user.id:
        raise UserError("you cannot deactivate your own account")
    if user.deactivated_at is not None:
        return
    if user.role == "admin" and _other_active_admins(user) == 0:
        raise UserError("the last active admin cannot be deactivated")
    user.deactivated_at = utcnow()
    revoke(user)
    tokens.revoke_all(user, "account deactivated", actor=actor, commit=False)
    audit.record("user_deactivate", audit.user_target(user), actor=actor, commit=False)
    db.session.commit()


def reactivate(user: User, actor: User | None = None) -> None:
    """Let a deactivated account log in again (its old API tokens stay revoked); audited."""
    if user.deactivated_at is None:
        return
    if (user.password_hash or "").startswith("!"):
        raise UserError("a deleted account cannot be reactivated")
    user.deactivated_at = None
    audit.record("user_reactivate", audit.user_target(user), actor=actor, commit=False)
    db.session.commit()


def search(q: str = ""):
    """A select of accounts by username, whose username or display name contains `q`."""
    query = select(User).order_by(User.username)
    q = (q or "").strip()
    if q:
        query = query.where(or_(User.username.contains(q, autoescape=True),
                                User.display_name.contains(q, autoescape=True)))
    return query


def change_role(user: User, role: str, actor: User | None = None) -> None:
    """Give `user` another role; an admin cannot change their own, and one admin always remains."""
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if actor is not None and actor.id == user.id:
        raise UserError("you cannot change your own role")
    old = user.role
    if old == role:
        return
    if old == "admin" and User.query.filter_by(role="admin").count() <= 1:
        raise UserError("the last admin cannot lose the admin role")
    if old == "trainee":
        user.cohorts = []              # cohorts hold trainees only
    if old == "coach":
        Cohort.query.filter_by(coach_id=user.id).update({Cohort.coach_id: None})
    user.role = role
    audit.record("role_change", audit.user_target(user), f"{old} -> {role}", actor=actor, commit=False)
    db.session.commit()


def data_counts(user: User) -> dict:
    """What deleting this trainee's data would remove: attempts, turns, overrides, API tokens."""
    attempts = select(Attempt.id).where(Attempt.user_id == user.id)
    turns = select(Turn.id).where(Turn.attempt_id.in_(attempts))
    count = lambda q: db.session.scalar(select(func.count()).select_from(q.subquery()))  # noqa: E731
    return {"attempts": count(attempts), "turns": count(turns),
            "overrides": count(select(GradeOverride.id).where(GradeOverride.turn_id.in_(turns))),
            "api_tokens": count(select(ApiToken.id).where(ApiToken.user_id == user.id))}


def delete_user_data(user: User, actor: User | None = None) -> dict:
    """Delete a trainee's attempts, turns, overrides and API tokens; anonymise the account; audited."""
    # The row stays as "deleted-<id>" with no usable password, so what others recorded about or
    # with this account (assignments, the audit trail) still points somewhere.
    if user.role != "trainee":
        raise UserError(f"'{user.username}' is a {user.role}: only a trainee's data is deleted this way")
    counts = data_counts(user)
    attempts = select(Attempt.id).where(Attempt.user_id == user.id)
    turns = select(Turn.id).where(Turn.attempt_id.in_(attempts))
    for statement in (delete(GradeOverride).where(GradeOverride.turn_id.in_(turns)),
                      delete(TurnConfirmation).where(TurnConfirmation.turn_id.in_(turns)),
                      delete(Turn).where(Turn.attempt_id.in_(attempts)),
                      delete(Attempt).where(Attempt.user_id == user.id),
                      delete(ApiToken).where(ApiToken.user_id == user.id),
                      delete(CohortInvite).where(CohortInvite.user_id == user.id)):
        db.session.execute(statement, execution_options={"synchronize_session": False})
    audit.record("user_data_delete", audit.user_target(user), counts, actor=actor, commit=False)
    revoke(user)
    user.username, user.display_name, user.locale, user.cohorts = _anonymous_name(user), "", None, []
    user.password_hash = "!deleted"    # matches no password
    user.failed_logins, user.failed_since, user.locked_until = 0, None, None
    db.session.commit()
    db.session.expire_all()
    return counts


def _anonymous_name(user: User) -> str:
    """deleted-<id>, or with a random suffix if an older account already holds that name (the
    prefix is reserved now, but a database may predate that)."""
    name = f"{ANONYMISED}{user.id}"
    while db.session.scalar(select(User.id).where(User.username == name, User.id != user.id)) is not None:
        name = f"{ANONYMISED}{user.id}-{secrets.token_hex(3)}"
    return name


def issue_token(user: User, days: int | None = None, actor: User | None = None) -> str:
    """A new bearer token for the API (expiring; audited); only its hash is stored, so it is shown once."""
    try:
        return tokens.issue(user, days, actor)
    except tokens.TokenError as e:
        raise UserError(str(e)) from None
