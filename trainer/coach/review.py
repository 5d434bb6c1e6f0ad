"""A coach's review of the grader: confirming a turn's grade as it stands (an override is the
other review), the agreement page over every reviewed turn, and the cohort's trend chart.
Routes on the coach blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer import charts
from trainer.access import role_required
from trainer.coach.forms import ActionForm
from trainer.coach.views import _coached_turn, bp
from trainer.filters import DIMENSION_LABELS
from trainer.models import DIMENSIONS
from trainer.services import agreement as agreement_service


@bp.app_template_global("cohort_trend")
def cohort_trend(cohort):
    """The cohort's weekly averages per dimension, as an SVG chart (for the cohort page)."""
    from trainer.progress_charts import cohort_chart
    return cohort_chart(cohort)


@bp.route("/attempts/<int:attempt_id>/turns/<int:turn_id>/confirm", methods=["POST"])
@role_required("coach")
def confirm(attempt_id: int, turn_id: int):
    """The coach reviewed this turn and agrees with its grade: it counts towards agreement."""
    attempt, turn = _coached_turn(attempt_id, turn_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        agreement_service.confirm_turn(turn, current_user)
    except agreement_service.ReviewError as e:
        flash(_(str(e)), "error")
    else:
        flash(_("Grade of turn %(n)d confirmed", n=turn.index + 1), "info")
    return redirect(url_for("coach.attempt", attempt_id=attempt.id, _anchor=f"turn-{turn.index + 1}"))


@bp.route("/agreement")
@role_required("coach")
def agreement():
    """Per dimension: how often coaches who reviewed a turn agree with the grader's level."""
    rows = agreement_service.agreement_for(current_user)
    labels = {d: str(DIMENSION_LABELS[d]) for d in DIMENSIONS}
    series = [("exact", _("Exact agreement (same level)")), ("within_one", _("Within one level"))]
    chart = charts.bars({labels[d]: {k: rows[d][k] for k, _ in series} for d in DIMENSIONS}, series,
                        title=_("Agreement"))
    return render_template("coach/agreement.html", rows=rows, chart=chart, turns=rows[DIMENSIONS[0]]["turns"])
