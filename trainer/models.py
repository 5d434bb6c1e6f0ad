"""What the trainer stores: people, cohorts, assignments, attempts, turns, overrides, API tokens,
and the audit log."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from typing import Optional

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from trainer.extensions import db

ROLES = ("trainee", "coach", "admin")
MODES = ("practice", "exam")
DIMENSIONS = ("etiquette", "structure", "empathy", "compliance")
PASSWORD_METHOD = "scrypt:32768:8:1"   # scrypt, N=2^15, r=8, p=1: at OWASP's current minimum


def utcnow() -> datetime:
    """Timezone-aware now, stored as UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(UserMixin, db.Model):
    """A trainee, coach or admin."""
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="trainee")
    locale: Mapped[Optional[str]] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The live login session's id, also kept in the signed cookie: rotated at login, cleared at
    # logout and password change, so a cookie replayed after logout no longer matches.
    session_token: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    failed_since: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    locked_until: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    # Set when an admin creates the account or resets its password: every page sends the user
    # to change it first, so the password the admin typed is not the one in use.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # An admin's deactivation: no login, no session, no API token until reactivated.
    deactivated_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    # A trainee may be in several cohorts (a new-hire class and a compliance refresher, say).
    cohorts: Mapped[list["Cohort"]] = relationship(secondary="cohort_member", back_populates="members",
                                                   order_by="Cohort.name")

    @property
    def cohort_ids(self) -> set:
        """The ids of the cohorts this person is in."""
        return {c.id for c in self.cohorts}

    def set_password(self, password: str) -> None:
        """Hash and store a password (scrypt)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_METHOD) if has_app_context() else PASSWORD_METHOD
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        """False once the account is anonymised (deleted) or deactivated: it may not log in or use API tokens."""
        return not (self.password_hash or "").startswith("!") and self.deactivated_at is None

    @property
    def name(self) -> str:
        """What pages call this person."""
        return self.display_name or self.username


class Cohort(db.Model):
    """A group of trainees a coach looks after (e.g. 2026年秋季新员工)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    coach_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("user.id", use_alter=True, name="fk_cohort_coach_id_user"), nullable=True)
    members: Mapped[list[User]] = relationship(secondary="cohort_member", back_populates="cohorts",
                                               order_by=User.username)
    coach: Mapped[Optional[User]] = relationship(foreign_keys=[coach_id])


class CohortMember(db.Model):
    """A trainee's place in a cohort; one row per cohort the trainee is in."""
    __tablename__ = "cohort_member"
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class CohortInvite(db.Model):
    """A coach's invitation for a trainee to join a cohort; the trainee joins by accepting it."""
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    invited_by: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cohort: Mapped[Cohort] = relationship()
    inviter: Mapped[User] = relationship(foreign_keys=[invited_by])


class Assignment(db.Model):
    """Work a coach gave a cohort: a whole track or one scenario, with a due date."""
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    track_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    scenario_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    due: Mapped[Optional[date]] = mapped_column(nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cohort: Mapped[Cohort] = relationship()


class Attempt(db.Model):
    """One play of one scenario by one trainee; the engine state is stored as JSON."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(64), index=True)
    scenario_version: Mapped[int] = mapped_column(default=1)
    track_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    assignment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assignment.id"), nullable=True)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    seed: Mapped[int] = mapped_column()
    state_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")   # active | finished
    ending_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    outcome: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    scores_json: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    total: Mapped[Optional[int]] = mapped_column(nullable=True)
    red_line_count: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    user: Mapped[User] = relationship()
    turns: Mapped[list["Turn"]] = relationship(back_populates="attempt", order_by="Turn.index",
                                               cascade="all, delete-orphan")

    @property
    def state(self) -> dict:
        """The engine state as a dict."""
        return json.loads(self.state_json)

    @property
    def scores(self) -> dict:
        """Average scores per dimension over the counted turns (empty until finished)."""
        return json.loads(self.scores_json) if self.scores_json else {}

    @property
    def counted_turns(self) -> list:
        """Turns that count: graded and not replaced by a retry."""
        return [t for t in self.turns if t.report_json and not t.superseded]


class Turn(db.Model):
    """One reply to one customer line. The reply is stored before it is graded."""
    __table_args__ = (UniqueConstraint("attempt_id", "index"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    index: Mapped[int] = mapped_column()
    step_id: Mapped[str] = mapped_column(String(64))
    customer_line: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    report_json: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    total: Mapped[Optional[int]] = mapped_column(nullable=True)
    red_lines: Mapped[int] = mapped_column(default=0)
    state_before_json: Mapped[str] = mapped_column(Text)
    superseded: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempt: Mapped[Attempt] = relationship(back_populates="turns")
    overrides: Mapped[list["GradeOverride"]] = relationship(back_populates="turn", order_by="GradeOverride.id")
    confirmations: Mapped[list["TurnConfirmation"]] = relationship(order_by="TurnConfirmation.id", viewonly=True)

    @property
    def report(self) -> dict:
        """The machine grade as stored (the batch contract's shape)."""
        return json.loads(self.report_json) if self.report_json else {}


class GradeOverride(db.Model):
    """A coach's grade of a turn, stored beside the machine grade (never replacing it)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("turn.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    scores_json: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    turn: Mapped[Turn] = relationship(back_populates="overrides")
    coach: Mapped[User] = relationship()

    @property
    def scores(self) -> dict:
        """The coach's scores per dimension."""
        return json.loads(self.scores_json)


class TurnConfirmation(db.Model):
    """A coach's review of a turn that leaves the grade as it is: "the grade is right"."""
    id: Mapped[int] = mapped_column(primary_key=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("turn.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The scores the coach agreed with (the machine's, or the latest override's at that moment).
    scores_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    coach: Mapped[User] = relationship()

    @property
    def scores(self) -> dict:
        """The scores the coach confirmed, per dimension."""
        return json.loads(self.scores_json)


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Refused from this moment on (a token without one is refused too: every issue sets it).
    expires_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    user: Mapped[User] = relationship()

    @staticmethod
    def digest(token: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(token.encode()).hexdigest()


class AuditEvent(db.Model):
    """One security-relevant event: who did what to what, when, from where."""
    # Actor and target are text, not foreign keys, so the record outlives the accounts.
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(nullable=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(String(128), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[Optional[str]] = mapped_column(String(45), nullable=True)
