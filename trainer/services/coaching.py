"""What a coach sees: each cohort's board (completion, averages, weakest dimensions, red lines).
Exports: results_export.py; agreement with the grader: services/agreement.py."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import defer

from trainer.extensions import db
from trainer.models import DIMENSIONS, Assignment, Attempt, Cohort, CohortMember, Turn, User
from trainer.services.assignments import done_scenarios, scenario_ids


@dataclass
class Cell:
    """One trainee's progress on one assignment."""
    done: int
    total: int
    complete: bool
    overdue: bool


@dataclass
class TraineeRow:
    """One trainee on the board: progress per assignment, averages, the weakest dimension."""
    trainee: User
    cells: list
    averages: dict
    weakest: Optional[str]
    finished: int


@dataclass
class Incident:
    """A red line crossed in one turn: who, where, which category, the words that crossed it."""
    trainee: User
    attempt_id: int
    scenario_id: str
    turn: int            # 1-based, as the transcript numbers turns
    category: str
    evidence: list
    message: str
    retried: bool = False   # the trainee retried this turn: it no longer counts, but it happened


@dataclass
class Board:
    """Everything the dashboard shows about one cohort."""
    cohort: Cohort
    assignments: list
    rows: list
    averages: dict
    weakest: Optional[str]
    finished: int
    incidents: list
    complete_counts: list = field(default_factory=list)   # per assignment: trainees who finished it


def averages_of(attempts) -> dict:
    """Mean score per dimension over finished attempts (empty when there are none)."""
    scored = [a.scores for a in attempts if a.status == "finished" and a.scores_json]
    if not scored:
        return {}
    return {d: round(sum(s.get(d, 0) for s in scored) / len(scored)) for d in DIMENSIONS}


def weakest_of(averages: dict) -> Optional[str]:
    """The dimension with the lowest average (the first in rubric order on a tie)."""
    return min(DIMENSIONS, key=lambda d: averages[d]) if averages else None


def cell_for(assignment: Assignment, finished: list, today: date) -> Cell:
    """Progress on an assignment from a trainee's finished attempts (mode, track and, for an
    exam, the assignment itself must match: see assignments.counts_for)."""
    wanted = scenario_ids(assignment)
    done = done_scenarios(assignment, finished)
    complete = bool(wanted) and len(done) == len(wanted)
    overdue = not complete and assignment.due is not None and assignment.due < today
    return Cell(len(done), len(wanted), complete, overdue)


def boards(cohorts: list, today: Optional[date] = None) -> list:
    """One board per cohort, from a fixed handful of queries however many trainees there are."""
    ids = [c.id for c in cohorts]
    if not ids:
        return []
    today = today or date.today()
    member_ids = select(CohortMember.user_id).where(CohortMember.cohort_id.in_(ids))
    places = db.session.execute(select(CohortMember.cohort_id, CohortMember.user_id)
                                .where(CohortMember.cohort_id.in_(ids))).all()
    members = User.query.filter(User.id.in_({u for _, u in places})).order_by(User.username).all()
    in_cohort = defaultdict(set)          # cohort id -> its members' ids
    for cohort_id, user_id in places:
        in_cohort[cohort_id].add(user_id)
    work = Assignment.query.filter(Assignment.cohort_id.in_(ids)).all()
    work.sort(key=lambda a: (a.due is None, a.due or date.max, a.id))
    attempts = (Attempt.query.options(defer(Attempt.state_json))
                .filter(Attempt.user_id.in_(member_ids)).all())
    by_user = defaultdict(list)
    for a in attempts:
        by_user[a.user_id].append(a)
    incidents = _incidents(member_ids, {m.id: m for m in members})
    out = []
    for cohort in cohorts:
        people = [m for m in members if m.id in in_cohort[cohort.id]]
        assigned = [a for a in work if a.cohort_id == cohort.id]
        rows = [_row(m, by_user[m.id], assigned, today) for m in people]
        everyone = [a for m in people for a in by_user[m.id]]
        averages = averages_of(everyone)
        out.append(Board(cohort, assigned, rows, averages, weakest_of(averages),
                         sum(r.finished for r in rows),
                         [i for i in incidents if i.trainee.id in in_cohort[cohort.id]],
                         [sum(r.cells[k].complete for r in rows) for k in range(len(assigned))]))
    return out


def _row(trainee: User, attempts: list, assigned: list, today: date) -> TraineeRow:
    finished = [a for a in attempts if a.status == "finished"]
    averages = averages_of(attempts)
    return TraineeRow(trainee, [cell_for(a, finished, today) for a in assigned], averages,
                      weakest_of(averages), len(finished))


def _incidents(member_ids, members: dict) -> list:
    """Red-line turns of the members' attempts (finished or not, retried turns included: a red
    line crossed stays on record), newest attempt first."""
    rows = db.session.execute(
        select(Turn.attempt_id, Turn.index, Turn.report_json, Attempt.user_id, Attempt.scenario_id,
               Turn.superseded)
        .join(Attempt, Turn.attempt_id == Attempt.id)
        .where(Attempt.user_id.in_(member_ids), Turn.red_lines > 0, Turn.report_json.is_not(None))
        .order_by(Attempt.started_at.desc(), Turn.index)).all()
    out = []
    for attempt_id, index, report_json, user_id, scenario_id, superseded in rows:
        grouped = {}
        for f in json.loads(report_json).get("findings", []):
            if f.get("level") == "red_line":
                key = f.get("category") or f.get("rule", "")
                grouped.setdefault(key, []).append(f)
        for category, found in grouped.items():
            evidence = list(dict.fromkeys(f.get("text", "") for f in found))
            out.append(Incident(members[user_id], attempt_id, scenario_id, index + 1, category,
                                evidence, found[0].get("message", ""), bool(superseded)))
    return out
