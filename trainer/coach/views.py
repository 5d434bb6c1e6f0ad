"""The coach's pages: dashboard, a trainee's attempts, cohorts (bulk add), assignments,
transcripts with grade overrides, CSV and Excel export (agreement with the grader and confirming
a grade: review.py). Thin: parse, check access, call a service, render."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.access import coached_cohorts, coaches, role_required, runs_cohort
from trainer.coach.forms import (
    ActionForm, AssignForm, BulkMemberForm, CohortForm, MemberForm, OverrideForm, TraineeFilterForm,
)
from trainer.coach.pages import transcript_view
from trainer.extensions import db
from trainer.filters import locale
from trainer.models import Attempt, Cohort, Turn, User
from trainer.services import audit, bulk_members, coaching, results_export, trainee_record
from trainer.services.cohorts import (
    CohortError, add_member, assign, create_cohort, invite_member, override_turn, remove_member,
)

bp = Blueprint("coach", __name__)


def _my_cohort(cohort_id: int) -> Cohort:
    """The cohort, if this coach runs it (admins run every cohort)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    if not runs_cohort(current_user, cohort):
        abort(403)
    return cohort


def _coached_attempt(attempt_id: int) -> Attempt:
    """An attempt by a trainee this coach looks after; others' ids are not confirmed (404)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not coaches(current_user, attempt.user):
        abort(404)
    return attempt


def _coached_turn(attempt_id: int, turn_id: int) -> tuple:
    """(attempt, turn) for a turn of an attempt this coach looks after; anything else is 404."""
    attempt = _coached_attempt(attempt_id)
    turn = db.session.get(Turn, turn_id)
    if turn is None or turn.attempt_id != attempt.id:
        abort(404)
    return attempt, turn


def _coached_trainee(user_id: int) -> User:
    """A trainee this coach looks after; anyone else is answered as if they did not exist (404)."""
    trainee = db.session.get(User, user_id)
    if trainee is None or not coaches(current_user, trainee):
        abort(404)
    return trainee


def _show_error(form, error: CohortError) -> None:
    """Put a service's objection next to the field it is about."""
    if error.field in form:
        form[error.field].errors.append(error.message)
    else:
        flash(str(error.message), "error")


@bp.route("/")
@role_required("coach")
def dashboard():
    """Every cohort on one screen: completion, averages, weakest dimensions, red lines."""
    return render_template("coach/dashboard.html", boards=coaching.boards(coached_cohorts(current_user)))


@bp.route("/trainees/<int:user_id>")
@role_required("coach")
def trainee(user_id: int):
    """Every attempt of one trainee, filtered by scenario and by date, each linked to its transcript."""
    person = _coached_trainee(user_id)
    form = TraineeFilterForm(request.args, scenarios=trainee_record.scenario_choices(person, locale()))
    valid = form.validate()
    lines = trainee_record.attempt_lines(person, locale(), form.scenario.data or None,
                                         form.first.data, form.last.data) if valid else []
    return render_template("coach/trainee.html", trainee=person, form=form, lines=lines,
                           filtered=any(request.args.get(k) for k in ("scenario", "first", "last"))), \
        200 if valid else 422


@bp.route("/cohorts", methods=["GET", "POST"])
@role_required("coach")
def cohorts():
    """The coach's cohorts with their members; POST creates a cohort."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = create_cohort(form.name.data, current_user)
        except CohortError as e:
            _show_error(form, e)
        else:
            flash(_("Cohort “%(name)s” created", name=cohort.name), "info")
            return redirect(url_for("coach.cohort", cohort_id=cohort.id))
    status = 422 if form.is_submitted() else 200
    return render_template("coach/cohorts.html", cohorts=coached_cohorts(current_user), form=form), status


def _cohort_page(cohort: Cohort, member_form=None, assign_form=None, status: int = 200, bulk_form=None,
                 report=None):
    board = coaching.boards([cohort])[0]
    return render_template(
        "coach/cohort.html", cohort=cohort, board=board, action=ActionForm(formdata=None),
        member_form=member_form or MemberForm(formdata=None), bulk_form=bulk_form or BulkMemberForm(formdata=None),
        report=report,
        assign_form=assign_form or AssignForm(formdata=None, locale=locale())), status


@bp.route("/cohorts/<int:cohort_id>")
@role_required("coach")
def cohort(cohort_id: int):
    """One cohort: its trainees, its assignments with each trainee's completion, the forms to change them."""
    return _cohort_page(_my_cohort(cohort_id))


@bp.route("/cohorts/<int:cohort_id>/members", methods=["POST"])
@role_required("coach")
def add_trainee(cohort_id: int):
    """Add a trainee to the cohort by username."""
    cohort = _my_cohort(cohort_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            if current_user.role == "admin":      # an admin assigns anyone; a coach adds their own, invites others
                user = add_member(cohort, form.username.data)
            else:
                user = invite_member(cohort, form.username.data, current_user)
        except CohortError as e:
            _show_error(form, e)
        else:
            if user is not None:
                flash(_("%(name)s joined the cohort", name=user.name), "info")
                return redirect(url_for("coach.cohort", cohort_id=cohort.id))
            # One answer whatever the name is: whether it exists is not the coach's to learn here.
            flash(_("If “%(name)s” is a trainee, they have been invited; they join when they accept "
                    "the invitation.", name=form.username.data.strip()), "info")
            return _cohort_page(cohort)
    return _cohort_page(cohort, member_form=form, status=422)


@bp.route("/cohorts/<int:cohort_id>/members/bulk", methods=["POST"])
@role_required("coach")
def add_trainees(cohort_id: int):
    """Add many trainees at once (pasted usernames or a CSV file) and report on every name."""
    cohort = _my_cohort(cohort_id)
    form = BulkMemberForm()
    if not form.validate_on_submit():
        return _cohort_page(cohort, bulk_form=form, status=422)
    upload = form.file.data
    try:
        names = (bulk_members.names_from_csv(upload.read(bulk_members.MAX_BYTES)) if upload and upload.filename
                 else bulk_members.names_from_text(form.usernames.data))
        report = bulk_members.add_many(cohort, names, current_user)
    except bulk_members.BulkError as e:
        form.usernames.errors.append(str(e))
        return _cohort_page(cohort, bulk_form=form, status=422)
    return _cohort_page(cohort, report=report)


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
@role_required("coach")
def remove_trainee(cohort_id: int, user_id: int):
    """Take a trainee out of the cohort."""
    cohort = _my_cohort(cohort_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        user = remove_member(cohort, user_id)
    except CohortError as e:
        flash(str(e.message), "error")
    else:
        flash(_("%(name)s left the cohort", name=user.name), "info")
    return redirect(url_for("coach.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/assignments", methods=["POST"])
@role_required("coach")
def add_assignment(cohort_id: int):
    """Assign a track or one scenario to the cohort, with a mode and a due date."""
    cohort = _my_cohort(cohort_id)
    form = AssignForm(locale=locale())
    if form.validate_on_submit():
        try:
            assign(cohort, form.work.data, form.mode.data, form.due.data, current_user, today=form.today)
        except CohortError as e:
            _show_error(form, e)
        else:
            flash(_("Assigned, due %(day)s", day=form.due.data.isoformat()), "info")
            return redirect(url_for("coach.cohort", cohort_id=cohort.id) + "#assignments")
    return _cohort_page(cohort, assign_form=form, status=422)


@bp.route("/cohorts/<int:cohort_id>/results.csv")
@role_required("coach")
def export(cohort_id: int):
    """The cohort's results as a CSV download (UTF-8 with BOM, so spreadsheets read the Chinese)."""
    cohort = _my_cohort(cohort_id)
    body = results_export.results_csv(cohort)
    audit.record("csv_export", f"cohort:{cohort.id}", {"cohort": cohort.name, "rows": body.count("\n") - 1})
    return Response(body.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": results_export.content_disposition(cohort, "csv"),
        "X-Content-Type-Options": "nosniff"})


@bp.route("/cohorts/<int:cohort_id>/results.xlsx")
@role_required("coach")
def export_xlsx(cohort_id: int):
    """The cohort's results as an Excel workbook, the same rows as the CSV."""
    cohort = _my_cohort(cohort_id)
    body = results_export.results_xlsx(cohort)
    audit.record("csv_export", f"cohort:{cohort.id}", {"cohort": cohort.name, "format": "xlsx"})
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={
        "Content-Disposition": results_export.content_disposition(cohort, "xlsx"),
        "X-Content-Type-Options": "nosniff"})


def _transcript_page(attempt: Attempt, bound: OverrideForm | None = None, status: int = 200):
    forms = {}
    for t in attempt.counted_turns:
        if bound is not None and bound.turn_id == t.id:
            forms[t.id] = bound
            continue
        current = t.overrides[-1].scores if t.overrides else t.report["scores"]
        forms[t.id] = OverrideForm(formdata=None, prefix=f"t{t.id}", data=current)
    return render_template("coach/attempt.html", **transcript_view(attempt, forms)), status


@bp.route("/attempts/<int:attempt_id>")
@role_required("coach")
def attempt(attempt_id: int):
    """A trainee's transcript and report, with an override form on every counted turn."""
    return _transcript_page(_coached_attempt(attempt_id))


@bp.route("/attempts/<int:attempt_id>/turns/<int:turn_id>/override", methods=["POST"])
@role_required("coach")
def override(attempt_id: int, turn_id: int):
    """Store the coach's grade of a turn beside the machine's; the attempt's scores follow it."""
    attempt, turn = _coached_turn(attempt_id, turn_id)
    if attempt.status != "finished":
        flash(_("This attempt is still being played; its grades can be overridden once it has ended."), "error")
        return _transcript_page(attempt, status=409)
    form = OverrideForm(prefix=f"t{turn.id}")
    form.turn_id = turn.id
    if form.validate_on_submit():
        try:
            override_turn(turn, current_user, form.scores(), form.comment.data)
        except CohortError as e:
            _show_error(form, e)
        else:
            flash(_("Coach grade saved for turn %(n)d", n=turn.index + 1), "info")
            return redirect(url_for("coach.attempt", attempt_id=attempt.id, _anchor=f"turn-{turn.index + 1}"))
    return _transcript_page(attempt, bound=form, status=422)


from trainer.coach import review  # noqa: E402,F401  (agreement page and confirming a grade, on bp)
