"""Progress over time: a trainee's finished attempts, and a cohort's weekly averages, per
dimension and in total, with the pass marks that apply; dates in the configured time zone."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import defer

from trainer.localtime import to_local
from trainer.models import DIMENSIONS, Attempt, Cohort, User
from trainer.services import library

KEYS = (*DIMENSIONS, "total")


def _finished(query) -> list:
    """Finished, scored attempts in time order."""
    return (query.options(defer(Attempt.state_json))
            .filter(Attempt.status == "finished", Attempt.total.is_not(None), Attempt.finished_at.is_not(None))
            .order_by(Attempt.finished_at, Attempt.id).all())


def _values(attempt: Attempt) -> dict:
    """The attempt's score per dimension, and its total."""
    scores = attempt.scores
    return {**{d: scores.get(d, 0) for d in DIMENSIONS}, "total": attempt.total}


def _local(moment: datetime) -> datetime:
    """The moment as a naive local time (what the chart's date axis shows)."""
    return to_local(moment).replace(tzinfo=None)


def trainee_points(user: User) -> dict:
    """key (dimension or "total") -> [(local finish time, value)] over the user's finished attempts."""
    out = {k: [] for k in KEYS}
    for a in _finished(Attempt.query.filter_by(user_id=user.id)):
        for k, v in _values(a).items():
            out[k].append((_local(a.finished_at), v))
    return out


def cohort_weekly(cohort: Cohort) -> dict:
    """key -> [(Monday 00:00 of the local week, mean value)] over the members' finished attempts."""
    members = [m.id for m in cohort.members]
    weeks = defaultdict(list)
    for a in _finished(Attempt.query.filter(Attempt.user_id.in_(members))) if members else []:
        day = _local(a.finished_at)
        monday = datetime(day.year, day.month, day.day) - timedelta(days=day.weekday())
        weeks[monday].append(_values(a))
    return {k: [(week, round(sum(v[k] for v in rows) / len(rows))) for week, rows in sorted(weeks.items())]
            for k in KEYS}


def pass_marks(track_ids) -> list:
    """[(pass mark, track)] of the named tracks that have one (of every graded track when none is
    named), lowest first."""
    tracks = library.tracks()
    chosen = [tracks[t] for t in dict.fromkeys(track_ids) if t in tracks and tracks[t].pass_mark is not None]
    if not chosen:
        chosen = [t for t in tracks.values() if t.pass_mark is not None]
    return sorted(((t.pass_mark, t) for t in chosen), key=lambda pair: (pair[0], pair[1].id))


def tracks_played(user_ids: list) -> list:
    """Track ids of these users' finished attempts."""
    if not user_ids:
        return []
    rows = (Attempt.query.with_entities(Attempt.track_id)
            .filter(Attempt.user_id.in_(user_ids), Attempt.status == "finished", Attempt.track_id.is_not(None))
            .distinct().all())
    return [r[0] for r in rows]
