"""Data retention: delete attempts (with their turns and coach overrides) and, on a longer clock,
audit events older than a number of days; the run itself is audited."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select

from trainer.extensions import db
from trainer.models import Attempt, GradeOverride, Turn, TurnConfirmation, utcnow
from trainer.services import audit

MAX_DAYS = 36_500   # a hundred years; a date further back than year 1 overflows


def apply_retention(days: int, audit_days: Optional[int] = None, now: Optional[datetime] = None) -> dict:
    """Delete attempts idle over `days` days and audit events over `audit_days`; returns the counts."""
    if not 1 <= days <= MAX_DAYS or (audit_days is not None and not 1 <= audit_days <= MAX_DAYS):
        raise ValueError(f"retention periods are whole days, from 1 to {MAX_DAYS}")
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    old = select(Attempt.id).where(func.coalesce(Attempt.finished_at, Attempt.started_at) < cutoff)
    turns = select(Turn.id).where(Turn.attempt_id.in_(old))
    deleted = {}
    # Coaches' confirmations go with their turns (no count kept: they carry no grade of their own).
    db.session.execute(delete(TurnConfirmation).where(TurnConfirmation.turn_id.in_(turns)),
                       execution_options={"synchronize_session": False})
    for name, model, where in (("overrides", GradeOverride, GradeOverride.turn_id.in_(turns)),
                               ("turns", Turn, Turn.attempt_id.in_(old)),
                               ("attempts", Attempt, Attempt.id.in_(old))):
        result = db.session.execute(delete(model).where(where), execution_options={"synchronize_session": False})
        deleted[name] = result.rowcount
    deleted["audit_events"] = audit.prune(now - timedelta(days=audit_days)) if audit_days else 0
    detail = {**deleted, "days": days, "audit_days": audit_days, "before": cutoff.strftime("%Y-%m-%d %H:%M")}
    audit.record("retention_run", "", detail, commit=False)
    db.session.commit()
    db.session.expire_all()
    return deleted
