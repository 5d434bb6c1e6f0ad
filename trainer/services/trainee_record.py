"""One trainee's record as their coach reads it: every attempt with its track, scenario, mode,
local date, total, pass/fail and red lines, filtered by scenario and by a range of local days."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlalchemy.orm import selectinload

from trainer.localtime import stamp, utc_bounds
from trainer.models import Attempt, GradeOverride, Turn, User
from trainer.services import library
from trainer.services.attempts import track_result
from trainer.services.overrides import red_line_stands


@dataclass
class AttemptLine:
    """One attempt as a row of the trainee page."""
    attempt: Attempt
    track: str
    scenario: str
    started: str            # local time, YYYY-MM-DD HH:MM
    total: Optional[int]
    passed: Optional[bool]  # None: in progress, or a track without a pass mark
    red_lines: int          # red lines that still stand (a coach's grade can overrule one)
    overridden: bool


def _title(obj, fallback: str, locale: str) -> str:
    return library.title(obj, locale) if obj is not None else fallback


def attempt_lines(trainee: User, locale: str, scenario_id: Optional[str] = None,
                  first: Optional[date] = None, last: Optional[date] = None) -> list:
    """The trainee's attempts, newest first, optionally one scenario's and within local days first..last."""
    query = (Attempt.query.filter(Attempt.user_id == trainee.id)
             .options(selectinload(Attempt.turns).selectinload(Turn.overrides)
                      .joinedload(GradeOverride.coach)))
    if scenario_id:
        query = query.filter(Attempt.scenario_id == scenario_id)
    start, end = utc_bounds(first, last)
    if start is not None:
        query = query.filter(Attempt.started_at >= start)
    if end is not None:
        query = query.filter(Attempt.started_at < end)
    lines = []
    for a in query.order_by(Attempt.started_at.desc(), Attempt.id.desc()).all():
        result = track_result(a)
        counted = a.counted_turns
        track = library.tracks().get(a.track_id) if a.track_id else None
        lines.append(AttemptLine(
            a, _title(track, a.track_id or "", locale), _title(library.scenario(a.scenario_id), a.scenario_id, locale),
            stamp(a.started_at), a.total if a.status == "finished" else None,
            result["passed"] if result else None, sum(t.red_lines for t in counted if red_line_stands(t)),
            any(t.overrides for t in counted)))
    return lines


def scenario_choices(trainee: User, locale: str) -> list:
    """(id, title) of every scenario the trainee has attempted, by title: the scenario filter's options."""
    ids = {row[0] for row in Attempt.query.with_entities(Attempt.scenario_id).filter_by(user_id=trainee.id)}
    return sorted(((i, _title(library.scenario(i), i, locale)) for i in ids), key=lambda pair: pair[1])
