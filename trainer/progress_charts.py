"""The progress charts as pages show them: labels in the UI language, one line per dimension
and the total, the pass marks as dashed lines (the trainee's page and the cohort page)."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from trainer import charts
from trainer.filters import DIMENSION_LABELS, locale
from trainer.models import Cohort, User
from trainer.services import library, progress


def _series(points: dict) -> list:
    labels = {**{d: str(label) for d, label in DIMENSION_LABELS.items()}, "total": _("Total")}
    return [(k, labels[k], points[k]) for k in progress.KEYS]


def _marks(user_ids: list) -> list:
    return [(mark, _("Pass mark %(n)d · %(track)s", n=mark, track=library.title(track, locale())))
            for mark, track in progress.pass_marks(progress.tracks_played(user_ids))]


def trainee_chart(user: User) -> Markup:
    """The trainee's scores per finished attempt, by date."""
    return charts.lines(_series(progress.trainee_points(user)), marks=_marks([user.id]),
                        title=_("Scores over time"))


def cohort_chart(cohort: Cohort) -> Markup:
    """The cohort's weekly average per dimension and in total (x: the week's Monday)."""
    members = [m.id for m in cohort.members]
    return charts.lines(_series(progress.cohort_weekly(cohort)), marks=_marks(members),
                        title=_("Weekly averages"))
