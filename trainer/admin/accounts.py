"""Admin pages for accounts: create one, reset a password (the user must change it at the next
login), deactivate and reactivate, revoke API tokens. Each destructive action asks on a page of
its own first (GET), and acts on the confirming POST; every change is audited by the service."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.access import role_required
from trainer.admin.forms import ActionForm, CreateUserForm, ResetPasswordForm
from trainer.admin.views import bp, user_or_404
from trainer.services import tokens
from trainer.services.users import MIN_PASSWORD, UserError, create_user, deactivate, reactivate, reset_password


def _back_to(user) -> str:
    return url_for("admin.users", q=user.username)


def _confirm(user, what: str, question: str, consequence: str, button: str):
    """The confirmation page of a destructive action on `user`."""
    return render_template("admin/confirm.html", user=user, form=ActionForm(formdata=None), what=what,
                           question=question, consequence=consequence, button=button)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def create_account():
    """A new account with an initial password that meets the password policy."""
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.username.data, form.password.data, form.role.data, form.display_name.data,
                               must_change_password=form.must_change.data, actor=current_user)
        except UserError as e:
            message = str(e)
            field = (form.password if "password" in message else
                     form.display_name if "display name" in message else form.username)
            field.errors.append(_(message))
        else:
            flash(_("Account %(name)s created", name=user.username), "info")
            return redirect(_back_to(user))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/create_user.html", form=form, min_password=MIN_PASSWORD), status


@bp.route("/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@role_required("admin")
def reset_user_password(user_id: int):
    """Set a temporary password; the user's sessions and API tokens end, and every page sends
    them to choose a new password after they log in with it."""
    user = user_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(user, form.password.data, actor=current_user)
        except UserError as e:
            form.password.errors.append(_(str(e)))
        else:
            flash(_("The password of %(name)s was reset; they must change it when they next log in",
                    name=user.username), "info")
            return redirect(_back_to(user))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/reset_password.html", user=user, form=form, min_password=MIN_PASSWORD), status


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@role_required("admin")
def deactivate_user(user_id: int):
    """Ask (GET), then deactivate (POST): no more logins, sessions end, API tokens are revoked."""
    user = user_or_404(user_id)
    if ActionForm().validate_on_submit():
        try:
            deactivate(user, actor=current_user)
        except UserError as e:
            flash(_(str(e)), "error")
        else:
            flash(_("%(name)s is deactivated", name=user.username), "info")
        return redirect(_back_to(user))
    return _confirm(user, "deactivate", _("Deactivate %(name)s?", name=user.username),
                    _("They can no longer log in, their open sessions end and their API tokens are revoked. "
                      "Their attempts and grades stay; you can reactivate the account later."),
                    _("Deactivate"))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@role_required("admin")
def reactivate_user(user_id: int):
    """Let a deactivated account log in again (audited)."""
    user = user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        reactivate(user, actor=current_user)
    except UserError as e:
        flash(_(str(e)), "error")
    else:
        flash(_("%(name)s can log in again", name=user.username), "info")
    return redirect(_back_to(user))


@bp.route("/users/<int:user_id>/revoke-tokens", methods=["GET", "POST"])
@role_required("admin")
def revoke_tokens(user_id: int):
    """Ask (GET), then revoke (POST) every API token of an account (audited)."""
    user = user_or_404(user_id)
    if ActionForm().validate_on_submit():
        count = tokens.revoke_all(user, "revoked by an admin", actor=current_user)
        flash(_("Revoked %(n)d API tokens of %(name)s", n=count, name=user.username), "info")
        return redirect(_back_to(user))
    live = tokens.live_counts([user.id]).get(user.id, 0)
    return _confirm(user, "revoke-tokens", _("Revoke the API tokens of %(name)s?", name=user.username),
                    _("%(n)d live tokens stop working at once; programs using them get 401 until the user "
                      "is given a new token.", n=live), _("Revoke API tokens"))
