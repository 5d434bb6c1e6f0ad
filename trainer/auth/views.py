"""Logging in and out, and changing one's password (forced after an admin's reset)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from trainer import sessions
from trainer.auth.forms import ChangePasswordForm, LoginForm
from trainer.ratelimit import limit_login
from trainer.services.logins import authenticate
from trainer.services.users import MIN_PASSWORD, UserError, change_own_password

# What a user who must change their password may still open: the form itself, logging out,
# the language switch and the stylesheet (the API authenticates by token, not by this session).
OPEN_WHILE_CHANGING = {"auth.change_password", "auth.logout", "trainee.language", "static", "health.healthz"}

bp = Blueprint("auth", __name__)


def home_for(user) -> str:
    """Where a user lands after logging in: trainees on the catalogue, coaches on the dashboard."""
    return url_for("coach.dashboard") if user.role in ("coach", "admin") else url_for("trainee.catalogue")


@bp.route("/login", methods=["GET", "POST"])
@limit_login
def login():
    """Log in with username and password (rate-limited per address; accounts lock after failures)."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            # One message for every failure: it never tells whether the account exists.
            flash(_("Wrong username or password. After %(n)d failed attempts an account is locked "
                    "for %(m)d minutes.", n=current_app.config["LOGIN_MAX_FAILURES"],
                    m=current_app.config["LOCKOUT_MINUTES"]), "error")
            return render_template("auth/login.html", form=form), 401
        sessions.start(user)                # a fresh session and a new server-side token
        target = request.args.get("next", "")
        if not _local_path(target):
            target = home_for(user)
        if user.must_change_password:
            return redirect(url_for("auth.change_password"))
        return redirect(target)
    return render_template("auth/login.html", form=form)


def _local_path(target: str) -> bool:
    """A path on this site, safe in a Location header: no scheme or host, no // or \\ that a
    browser would read as another host, no control characters (CR/LF in a header was a 500)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if not target.isprintable():
        return False
    return not urlsplit(target).netloc


@bp.before_app_request
def require_password_change():
    """Until a reset password is replaced, every page leads to the change-password form."""
    if request.blueprint == "api" or request.endpoint in OPEN_WHILE_CHANGING:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; the session continues on a fresh token (the old one ends)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_own_password(user, form.current.data, form.new.data)
        except UserError as e:
            field = form.current if "current password is wrong" in str(e) else form.new
            field.errors.append(_(str(e)))
        else:
            sessions.start(user)     # the change ended every session; this browser goes on
            flash(_("Your password has been changed."), "info")
            return redirect(home_for(user))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form, forced=current_user.must_change_password,
                           min_password=MIN_PASSWORD), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF); the server forgets the session, so a copy of its cookie is refused."""
    sessions.end(current_user._get_current_object())
    return redirect(url_for("auth.login"))


@bp.route("/")
def index():
    """Send people to their home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_for(current_user))
