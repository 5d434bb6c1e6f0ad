"""The coach's pages (being built): dashboard."""
from flask import Blueprint, render_template

from trainer.access import role_required

bp = Blueprint("coach", __name__)


@bp.route("/")
@role_required("coach")
def dashboard():
    """Placeholder until the coach area lands."""
    return render_template("coach/dashboard.html")


@bp.route("/cohorts")
@role_required("coach")
def cohorts():
    """Placeholder until the coach area lands."""
    return render_template("coach/dashboard.html")


@bp.route("/agreement")
@role_required("coach")
def agreement():
    """Placeholder until the coach area lands."""
    return render_template("coach/dashboard.html")
