"""Assignments: what a trainee owes, and how far each trainee has got."""
from __future__ import annotations

from trainer.models import Assignment, Attempt
from trainer.services import library


def scenario_ids(assignment: Assignment) -> list:
    """The scenarios an assignment covers (one, or every scenario of its track)."""
    if assignment.scenario_id:
        return [assignment.scenario_id]
    return [s.id for s in library.by_track().get(assignment.track_id, [])]


def counts_for(assignment: Assignment, attempt: Attempt) -> bool:
    """True when a finished attempt does (part of) the assignment: started after it was given,
    in its mode, on its track when it is a track, and for an exam, started under it."""
    if attempt.status != "finished" or attempt.started_at < assignment.created_at:
        return False
    if attempt.mode != assignment.mode:
        return False
    if assignment.track_id and attempt.track_id != assignment.track_id:
        return False
    return assignment.mode != "exam" or attempt.assignment_id == assignment.id


def done_scenarios(assignment: Assignment, attempts) -> set:
    """The assignment's scenarios that these attempts (one trainee's) have done."""
    wanted = set(scenario_ids(assignment))
    return {a.scenario_id for a in attempts if a.scenario_id in wanted and counts_for(assignment, a)}


def progress(assignment: Assignment, user_id: int) -> dict:
    """How much of an assignment one trainee has done: {done, total, complete}."""
    wanted = scenario_ids(assignment)
    done = done_scenarios(assignment, Attempt.query.filter_by(user_id=user_id, status="finished").all())
    return {"done": len(done), "total": len(wanted), "complete": bool(wanted) and len(done) == len(wanted),
            "remaining": [s for s in wanted if s not in done]}


def for_trainee(user) -> list:
    """The assignments of all the trainee's cohorts, due first (undated last), each with its progress."""
    cohort_ids = user.cohort_ids
    if not cohort_ids:
        return []
    items = Assignment.query.filter(Assignment.cohort_id.in_(cohort_ids)).all()
    items.sort(key=lambda a: (a.due is None, a.due or 0, a.id))
    return [(a, progress(a, user.id)) for a in items]
