"""Admin pages: the audit log (paged, filtered by action and account) and the user list, where
an admin changes roles, lifts lockouts and deletes a trainee's data on request (creating
accounts, resetting passwords, deactivating and revoking tokens: accounts.py). Admins only."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.access import role_required
from trainer.admin.events import action_label, summary
from trainer.admin.forms import ActionForm, DeleteDataForm, RoleForm
from trainer.extensions import db
from trainer.localtime import local_text, zone_name
from trainer.models import User
from trainer.services import audit, tokens
from trainer.services.logins import is_locked, unlock
from trainer.services.users import UserError, change_role, data_counts, delete_user_data, search

bp = Blueprint("admin", __name__)
USERS_PER_PAGE = 50


def user_or_404(user_id: int) -> User:
    """The account with this id, or a 404."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


MAX_PAGE = 100_000   # far past any real log; a larger OFFSET would overflow the database's integer


def _page_number() -> int:
    """?page=N, from 1 to MAX_PAGE (anything else is page 1)."""
    page = request.args.get("page", "1")
    return min(max(int(page), 1), MAX_PAGE) if page.isdigit() and len(page) <= 9 else 1


@bp.route("/audit")
@role_required("admin")
def audit_log():
    """The audit log, newest first, 50 a page; ?action= shows one kind of event, ?user= the
    events an account did or underwent. Times in the configured zone, details summarised."""
    action = request.args.get("action") or None
    if action is not None and action not in audit.ACTIONS:
        action = None
    username = (request.args.get("user") or "").strip()[:64] or None
    page = audit.events_page(action, _page_number(), username=username)
    rows = [{"event": e, "at": local_text(e.at), "label": action_label(e.action),
             "summary": summary(e.action, e.detail)} for e in page.items]
    actions = sorted(audit.ACTIONS, key=action_label)
    return render_template("admin/audit.html", page=page, rows=rows, action=action, user=username or "",
                           actions=[(a, action_label(a)) for a in actions], zone=zone_name())


@bp.route("/users")
@role_required("admin")
def users():
    """Every account (?q= finds a username or display name) with its role, state and actions."""
    q = (request.args.get("q") or "").strip()[:64]
    page = db.paginate(search(q), page=_page_number(), per_page=USERS_PER_PAGE, error_out=False)
    forms = {u.id: RoleForm(formdata=None, role=u.role) for u in page.items}
    return render_template("admin/users.html", page=page, q=q, forms=forms, action=ActionForm(formdata=None),
                           locked={u.id for u in page.items if is_locked(u)},
                           live_tokens=tokens.live_counts([u.id for u in page.items]))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required("admin")
def set_role(user_id: int):
    """Change one account's role (audited); an admin cannot change their own."""
    user = user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change_role(user, form.role.data, actor=current_user)
    except UserError as e:
        flash(_(str(e)), "error")   # the service's English message, translated when we have it
    else:
        flash(_("%(name)s is now %(role)s", name=user.username, role=_(user.role)), "info")
    return redirect(url_for("admin.users", q=user.username))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@role_required("admin")
def unlock_user(user_id: int):
    """Lift a lockout after failed logins (audited)."""
    user = user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    unlock(user)
    flash(_("%(name)s can log in again", name=user.username), "info")
    return redirect(url_for("admin.users", q=user.username))


@bp.route("/users/<int:user_id>/delete-data", methods=["GET", "POST"])
@role_required("admin")
def delete_data(user_id: int):
    """Show what deleting a trainee's data removes; POST (with the username typed) deletes it."""
    user = user_or_404(user_id)
    if user.role != "trainee":
        abort(404)
    form = DeleteDataForm()
    if form.validate_on_submit():
        if form.confirm.data.strip() != user.username:
            form.confirm.errors.append(_("Type the username exactly as shown"))
        else:
            name = user.username
            counts = delete_user_data(user, actor=current_user)
            flash(_("Deleted the data of %(name)s: %(attempts)d attempts, %(turns)d turns, "
                    "%(overrides)d coach grades, %(api_tokens)d API tokens; the account is anonymised",
                    name=name, **counts), "info")
            return redirect(url_for("admin.users"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/delete_data.html", user=user, form=form, counts=data_counts(user)), status


from trainer.admin import accounts  # noqa: E402,F401  (adds its routes to bp)
