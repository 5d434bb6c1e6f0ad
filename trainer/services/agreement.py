"""Agreement between coaches and the grader, over every turn a coach reviewed: overridden (the
coach's scores) or confirmed (the coach agreed with the grade as it stood). Per dimension, on
the rubric's five levels: exact agreement, agreement within one level, and quadratic weighted
kappa (QWK: chance-corrected, a near miss costs less than a far one)."""
from __future__ import annotations

import json
from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import defer, selectinload

from trainer.extensions import db
from trainer.models import DIMENSIONS, Attempt, Cohort, CohortMember, Turn, TurnConfirmation, User
from trainer.services import audit
from trainer.services.attempts import effective_scores

LEVELS = 5   # rubric levels 0-4: 0-19, 20-39, 40-59, 60-79, 80-100


class ReviewError(ValueError):
    """A turn that cannot be confirmed."""


def level(score: int) -> int:
    """The rubric level 0–4 a 0–100 score falls in (0–19, 20–39, 40–59, 60–79, 80–100)."""
    return min(max(int(score), 0) // 20, LEVELS - 1)


def quadratic_weighted_kappa(a: list, b: list, levels: int = LEVELS) -> Optional[float]:
    """Cohen's kappa with quadratic weights between two raters' levels (0..levels-1); None when
    it is undefined (no pairs, or chance agreement is already total: one level used by both).
    The same arithmetic as scikit-learn's cohen_kappa_score(weights="quadratic"), without
    needing scikit-learn at run time (it is a training and test dependency only)."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    observed = [[0] * levels for _ in range(levels)]
    for x, y in zip(a, b):
        observed[x][y] += 1
    rows = [sum(r) for r in observed]
    cols = [sum(observed[i][j] for i in range(levels)) for j in range(levels)]
    weight = lambda i, j: (i - j) ** 2  # noqa: E731 - the normalising constant cancels in the ratio
    disagreement = sum(weight(i, j) * observed[i][j] for i in range(levels) for j in range(levels))
    expected = sum(weight(i, j) * rows[i] * cols[j] / n for i in range(levels) for j in range(levels))
    if expected == 0:
        return None
    return 1 - disagreement / expected


def agreement(pairs: list) -> dict:
    """Per dimension over (machine scores, coach scores) pairs: turns, exact and within-one
    agreement of rubric levels (shares 0–1), QWK, and the mean difference coach − machine."""
    out = {}
    for d in DIMENSIONS:
        machine = [level(m[d]) for m, _ in pairs]
        coach = [level(c[d]) for _, c in pairs]
        n = len(pairs)
        out[d] = {"turns": n,
                  "exact": sum(x == y for x, y in zip(machine, coach)) / n if n else None,
                  "within_one": sum(abs(x - y) <= 1 for x, y in zip(machine, coach)) / n if n else None,
                  "qwk": quadratic_weighted_kappa(machine, coach),
                  "mean_diff": round(sum(c[d] - m[d] for m, c in pairs) / n, 1) if n else None}
    return out


def _visible_turns(user: User):
    """Graded, counted turns of the trainees `user` coaches (an admin: everyone's)."""
    query = (Turn.query.join(Attempt, Turn.attempt_id == Attempt.id)
             .where(Turn.report_json.is_not(None), Turn.superseded.is_(False))
             .options(selectinload(Turn.overrides), defer(Turn.state_before_json)))
    if user.role != "admin":
        coached = (select(CohortMember.user_id).join(Cohort, CohortMember.cohort_id == Cohort.id)
                   .where(Cohort.coach_id == user.id))
        query = query.where(Attempt.user_id.in_(coached))
    return query


def reviewed_pairs(user: User) -> list:
    """(machine scores, coach scores) for every turn a coach reviewed among those `user` may
    see; a turn reviewed more than once counts once, with its latest review."""
    confirmed = select(TurnConfirmation.turn_id)
    turns = (_visible_turns(user).where(or_(Turn.overrides.any(), Turn.id.in_(confirmed)))
             .order_by(Turn.id).all())
    latest_confirmation = {}
    for c in TurnConfirmation.query.filter(TurnConfirmation.turn_id.in_([t.id for t in turns]))\
            .order_by(TurnConfirmation.created_at, TurnConfirmation.id):
        latest_confirmation[c.turn_id] = c
    pairs = []
    for t in turns:
        override, confirmation = (t.overrides[-1] if t.overrides else None), latest_confirmation.get(t.id)
        if confirmation is not None and (override is None or confirmation.created_at > override.created_at):
            pairs.append((t.report["scores"], confirmation.scores))
        else:
            pairs.append((t.report["scores"], override.scores))
    return pairs


def agreement_for(user: User) -> dict:
    """Agreement per dimension over every reviewed turn `user` can see."""
    return agreement(reviewed_pairs(user))


def confirm_turn(turn: Turn, coach: User) -> TurnConfirmation:
    """Record that `coach` reviewed the turn and agrees with its grade as it stands (audited)."""
    if not turn.report_json or turn.superseded:
        raise ReviewError("Only a graded turn that counts can be confirmed")
    scores = effective_scores(turn)
    confirmation = TurnConfirmation(turn_id=turn.id, coach_id=coach.id,
                                    scores_json=json.dumps({d: scores[d] for d in DIMENSIONS}))
    db.session.add(confirmation)
    attempt = turn.attempt
    audit.record("turn_confirm", f"turn:{turn.id}",
                 {"attempt": attempt.id, "trainee": attempt.user.username, "scores": confirmation.scores},
                 actor=coach, commit=False)
    db.session.commit()
    return confirmation
