"""Logging in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from trainer.auth.forms import LoginForm
from trainer.models import User

bp = Blueprint("auth", __name__)


def home_for(user) -> str:
    """Where a user lands after logging in: trainees on the catalogue, coaches on the dashboard."""
    return url_for("coach.dashboard") if user.role in ("coach", "admin") else url_for("trainee.catalogue")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.query.filter_by(username=form.username.data.strip()).first()
        if user is None or not user.check_password(form.password.data):
            flash(_("Wrong username or password"), "error")
            return render_template("auth/login.html", form=form), 401
        lang = session.get("lang")
        session.clear()                     # a fresh session on login: no fixation
        if lang:
            session["lang"] = lang
        login_user(user)
        target = request.args.get("next", "")
        if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
            target = home_for(user)
        return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF, so a link on another site cannot log you out)."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/")
def index():
    """Send people to their home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_for(current_user))
