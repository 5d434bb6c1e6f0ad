"""Assignments: what a trainee owes, and how far each trainee has got."""
from __future__ import annotations

from trainer.models import Assignment, Attempt
from trainer.services import library


def scenario_ids(assignment: Assignment) -> list:
    """The scenarios an assignment covers (one, or every scenario of its track)."""
    if assignment.scenario_id:
        return [assignment.scenario_id]
    return [s.id for s in library.by_track().get(assignment.track_id, [])]


def finished_scenarios(user_id: int, since=None) -> set:
    """Scenario ids the user has finished (since a moment, if given)."""
    query = Attempt.query.filter_by(user_id=user_id, status="finished")
    if since is not None:
        query = query.filter(Attempt.started_at >= since)
    return {a.scenario_id for a in query.all()}


def progress(assignment: Assignment, user_id: int) -> dict:
    """How much of an assignment one trainee has done: {done, total, complete}."""
    wanted = scenario_ids(assignment)
    done = finished_scenarios(user_id, assignment.created_at) & set(wanted)
    return {"done": len(done), "total": len(wanted), "complete": bool(wanted) and len(done) == len(wanted),
            "remaining": [s for s in wanted if s not in done]}


def for_trainee(user) -> list:
    """The trainee's assignments, due first (undated last), each with its progress."""
    if user.cohort_id is None:
        return []
    items = Assignment.query.filter_by(cohort_id=user.cohort_id).all()
    items.sort(key=lambda a: (a.due is None, a.due or 0, a.id))
    return [(a, progress(a, user.id)) for a in items]
