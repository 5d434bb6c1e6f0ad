"""Cohorts a coach runs: creating them, who is in them, the work assigned to them, grade overrides."""
from __future__ import annotations

import json
from datetime import date

from flask_babel import lazy_gettext as _l

from trainer.extensions import db
from trainer.models import DIMENSIONS, MODES, Assignment, Attempt, Cohort, CohortInvite, GradeOverride, Turn, User
from trainer.services import audit, library
from trainer.services.attempts import summarize


class CohortError(ValueError):
    """A change a cohort cannot take; `field` names the form field the message belongs next to."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field = field
        self.message = message


def create_cohort(name: str, coach: User) -> Cohort:
    """A new cohort looked after by `coach`; the name must be new."""
    name = (name or "").strip()
    if not name:
        raise CohortError("name", _l("Please give the cohort a name"))
    if Cohort.query.filter_by(name=name).first():
        raise CohortError("name", _l("A cohort named “%(name)s” already exists", name=name))
    cohort = Cohort(name=name, coach_id=coach.id)
    db.session.add(cohort)
    db.session.commit()
    return cohort


def in_reach(user: User, actor: User) -> bool:
    """True when `actor` may put this trainee in a cohort directly: an admin, or the coach of one
    of the trainee's cohorts (anyone else is invited, and must accept)."""
    return actor.role == "admin" or any(c.coach_id == actor.id for c in user.cohorts)


def join(cohort: Cohort, user: User, how: str, actor: User | None = None) -> None:
    """Put a trainee in the cohort (they keep their other cohorts); its invitation is used up."""
    if cohort not in user.cohorts:
        user.cohorts.append(cohort)
    CohortInvite.query.filter_by(user_id=user.id, cohort_id=cohort.id).delete()
    audit.record("cohort_join", audit.user_target(user), {"cohort": cohort.name, "by": how}, actor=actor,
                 commit=False)


def add_member(cohort: Cohort, username: str) -> User:
    """An admin puts an existing trainee (by username) into the cohort."""
    username = (username or "").strip()
    user = User.query.filter_by(username=username).first()
    if user is None or not user.is_active:
        raise CohortError("username", _l("There is no user named “%(name)s”", name=username))
    if user.role != "trainee":
        raise CohortError("username", _l("“%(name)s” is a %(role)s; only trainees join cohorts",
                                         name=username, role=user.role))
    if cohort in user.cohorts:
        raise CohortError("username", _l("“%(name)s” is already in this cohort", name=username))
    join(cohort, user, "admin")
    db.session.commit()
    return user


def invite_member(cohort: Cohort, username: str, coach: User) -> User | None:
    """A coach adds a trainee of one of their own cohorts at once, and invites anyone else by
    username (the trainee joins by accepting). Outside the coach's own trainees the answer is the
    same whether or not the name exists or is a trainee, so the form cannot probe accounts.
    Returns the trainee when they joined now, else None."""
    username = (username or "").strip()
    user = User.query.filter_by(username=username).first()
    if user is not None and cohort in user.cohorts:
        raise CohortError("username", _l("“%(name)s” is already in this cohort", name=username))
    if user is not None and user.is_active and user.role == "trainee" and in_reach(user, coach):
        join(cohort, user, "coach", actor=coach)
        db.session.commit()
        return user
    eligible = user is not None and user.is_active and user.role == "trainee"
    if eligible and CohortInvite.query.filter_by(cohort_id=cohort.id, user_id=user.id).first() is None:
        db.session.add(CohortInvite(cohort_id=cohort.id, user_id=user.id, invited_by=coach.id))
    # Recorded whatever the name (as failed logins are): the same work, and a trail of who was asked for.
    audit.record("cohort_invite", audit.user_target(username[:64]), {"cohort": cohort.name}, actor=coach,
                 commit=False)
    db.session.commit()
    return None


def pending_invites(user: User) -> list:
    """Invitations waiting for this trainee's answer."""
    if user.role != "trainee":
        return []
    return CohortInvite.query.filter_by(user_id=user.id).order_by(CohortInvite.id).all()


def answer_invite(user: User, invite_id: int, accept: bool) -> Cohort | None:
    """The trainee accepts (joins the cohort, keeping any others) or declines an invitation."""
    invite = db.session.get(CohortInvite, invite_id)
    if invite is None or invite.user_id != user.id:
        raise CohortError("invite", _l("That invitation is no longer open"))
    cohort = invite.cohort
    if not accept:
        db.session.delete(invite)
        db.session.commit()
        return None
    if user.role != "trainee":
        raise CohortError("invite", _l("Only trainees join cohorts"))
    join(cohort, user, "invitation", actor=user)
    db.session.commit()
    return cohort


def remove_member(cohort: Cohort, user_id: int) -> User:
    """Take a trainee out of the cohort (their attempts and other cohorts stay)."""
    user = db.session.get(User, user_id)
    if user is None or cohort not in user.cohorts:
        raise CohortError("username", _l("That trainee is not in this cohort"))
    user.cohorts.remove(cohort)
    db.session.commit()
    return user


def work_choices(locale: str = "zh") -> dict:
    """What can be assigned: {"tracks": [(value, title)], "scenarios": [(value, title)]}."""
    return {"tracks": [(f"track:{t.id}", library.title(t, locale)) for t in library.tracks().values()],
            "scenarios": [(f"scenario:{s.id}", library.title(s, locale)) for s in library.scenarios().values()]}


def assign(cohort: Cohort, work: str, mode: str, due: date, coach: User, today: date | None = None) -> Assignment:
    """Give the cohort a track (`track:ID`) or one scenario (`scenario:ID`) with a mode and due date."""
    kind, _, ident = (work or "").partition(":")
    if kind == "track" and ident in library.tracks():
        track_id, scenario_id = ident, None
    elif kind == "scenario" and library.scenario(ident) is not None:
        track_id, scenario_id = None, ident
    else:
        raise CohortError("work", _l("Choose a track or a scenario from the list"))
    if mode not in MODES:
        raise CohortError("mode", _l("Mode must be practice or exam"))
    if due is None or due < (today or date.today()):
        raise CohortError("due", _l("The due date must be today or later"))
    assignment = Assignment(cohort_id=cohort.id, track_id=track_id, scenario_id=scenario_id,
                            mode=mode, due=due, created_by=coach.id)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def override_turn(turn: Turn, coach: User, scores: dict, comment: str) -> GradeOverride:
    """Store a coach's grade beside the machine grade and recompute the attempt's scores."""
    if not turn.report_json or turn.superseded:
        raise CohortError("comment", _l("Only a graded turn that counts can be overridden"))
    if turn.attempt.status != "finished":
        # The trainee is still playing: a grade changed under them would move the goalposts.
        raise CohortError("comment", _l("This attempt is still being played; its grades can be "
                                        "overridden once it has ended"))
    clean = {}
    for d in DIMENSIONS:
        value = scores.get(d)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise CohortError(d, _l("A score must be a whole number from 0 to 100"))
        clean[d] = value
    if not (comment or "").strip():
        raise CohortError("comment", _l("Please say why you changed the grade"))
    override = GradeOverride(coach_id=coach.id, scores_json=json.dumps(clean), comment=comment.strip())
    turn.overrides.append(override)     # through the collection, so summarize sees it at once
    attempt: Attempt = turn.attempt
    summarize(attempt)
    audit.record("grade_override", f"turn:{turn.id}",
                 {"attempt": attempt.id, "trainee": attempt.user.username, "scores": clean}, actor=coach, commit=False)
    db.session.commit()
    return override
