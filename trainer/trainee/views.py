"""The trainee's pages: catalogue, role-play, report, history. Thin: parse, call a service, render."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from scenarios import MOOD_BANDS, TRUST_BANDS, State, band, hint
from trainer.access import can_play_attempt, can_view_attempt
from trainer.extensions import db
from trainer.models import Assignment, Attempt
from trainer.services import assignments, attempts, cohorts, library
from trainer.services.attempts import (
    AttemptError, next_turn, practise_again, recover, retry_refusal, retry_turn, start_attempt,
    stopped_on_red_line, submit_reply,
)
from trainer.services.exams import model_answers_each_turn
from trainer.trainee.forms import ActionForm, ReplyForm, StartForm
from trainer.trainee.catalogue import entries as catalogue_entries
from trainer.trainee.pages import attempt_view, history_view, report_view, stop_view

bp = Blueprint("trainee", __name__)


@bp.route("/catalogue")
@login_required
def catalogue():
    """Tracks and their scenarios by difficulty, with assigned work and due dates first."""
    return render_template("trainee/catalogue.html", tracks=library.tracks(), entries=catalogue_entries(current_user),
                           assigned=assignments.for_trainee(current_user), form=StartForm(),
                           invites=cohorts.pending_invites(current_user), action=ActionForm(formdata=None))


@bp.route("/invitations", methods=["POST"])
@login_required
def answer_invite():
    """Accept (join the cohort) or decline a coach's invitation."""
    if not ActionForm().validate_on_submit():
        abort(400)
    raw, accept = request.form.get("invite_id", ""), request.form.get("answer") == "accept"
    try:
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            raise cohorts.CohortError("invite", _("That invitation is no longer open"))
        cohort = cohorts.answer_invite(current_user, int(raw), accept)
    except cohorts.CohortError as e:
        flash(str(e.message), "error")
    else:
        flash(_("You joined %(name)s", name=cohort.name) if cohort else _("Invitation declined"), "info")
    return redirect(url_for("trainee.catalogue"))


@bp.route("/attempts", methods=["POST"])
@login_required
def start():
    """Start an attempt from the catalogue (two clicks: pick, start)."""
    form = StartForm()
    if not form.validate_on_submit():
        flash(_("Could not start: %(errors)s", errors="; ".join(
            f"{k}: {', '.join(v)}" for k, v in form.errors.items())), "error")
        return redirect(url_for("trainee.catalogue"))
    assignment_id = _cohort_assignment_id(form.assignment_id.data)
    try:
        again = _again_of(form.again_of.data)
        if again is not None:
            attempt = practise_again(current_user, again)
        else:
            attempt = start_attempt(current_user, form.scenario_id.data, form.mode.data,
                                    track_id=form.track_id.data or None, assignment_id=assignment_id)
    except AttemptError as e:
        flash(str(e), "error")
        return redirect(url_for("trainee.catalogue"))
    return redirect(url_for("trainee.attempt", attempt_id=attempt.id))


def _cohort_assignment_id(raw) -> int | None:
    """The posted assignment id if it names work given to one of this trainee's cohorts, else None: the
    field comes from the browser, so a made-up, foreign or out-of-range id is not stored."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or not current_user.cohort_ids:
        return None
    assignment = db.session.get(Assignment, int(raw))
    return assignment.id if assignment is not None and assignment.cohort_id in current_user.cohort_ids else None


def _again_of(raw) -> Attempt | None:
    """The attempt named for 再练一次, if it is this trainee's own; else None (a plain start)."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        return None
    attempt = db.session.get(Attempt, int(raw))
    return attempt if attempt is not None and can_play_attempt(current_user, attempt) else None


def _own_attempt(attempt_id: int, play: bool = False) -> Attempt:
    attempt = attempts.load(attempt_id)   # with turns and overrides: the page shows them all
    if attempt is None:
        abort(404)
    allowed = can_play_attempt(current_user, attempt) if play else can_view_attempt(current_user, attempt)
    if not allowed:
        abort(404)   # the same answer as for an id that does not exist: ids are not confirmed
    return attempt


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    """The role-play while active; the final report once finished."""
    attempt = _own_attempt(attempt_id)
    if attempt.user_id == current_user.id:
        recover(attempt)            # a reply stored before a crash is graded now
    # A practice attempt stopped by a red line shows the stop (what happened, the rule, retry)
    # until the trainee asks for the report; a coach reading it gets the report straight away.
    stopped = (stopped_on_red_line(attempt) and can_play_attempt(current_user, attempt)
               and retry_refusal(attempt) is None and "report" not in request.args)
    if attempt.status == "finished" and not stopped:
        return render_template("trainee/report.html", **attempt_view(attempt), **report_view(attempt),
                               again=StartForm(formdata=None), can_play=can_play_attempt(current_user, attempt),
                               can_retry=retry_refusal(attempt) is None)
    view = attempt_view(attempt)
    state = attempt.state
    track = library.tracks().get(attempt.track_id) if attempt.track_id else None
    show_hint = attempt.mode == "practice" and (track is None or track.hints)
    # Crisis drills keep model answers for the debrief; guided tracks show them every turn. A
    # scenario started without its track follows the strictest of its tracks.
    show_model = model_answers_each_turn(attempt)
    return render_template(
        "trainee/play.html", **view, state=state,
        mood_band=band(state["mood"], MOOD_BANDS), trust_band=band(state["trust"], TRUST_BANDS),
        hint=hint(view["scenario"], State.from_dict(state)) if show_hint else None, show_model=show_model,
        form=ReplyForm(formdata=None, turn=next_turn(attempt)), action=ActionForm(), again=StartForm(formdata=None),
        can_play=can_play_attempt(current_user, attempt) and not stopped,
        can_retry=can_play_attempt(current_user, attempt) and retry_refusal(attempt) is None,
        stop=stop_view(attempt) if stopped else None)


@bp.route("/attempts/<int:attempt_id>/reply", methods=["POST"])
@login_required
def reply(attempt_id: int):
    """Take a reply: it is stored first, then graded; then back to the attempt page."""
    attempt = _own_attempt(attempt_id, play=True)
    form = ReplyForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for e in errors:
                flash(e, "error")
        return redirect(url_for("trainee.attempt", attempt_id=attempt.id))
    raw = (form.turn.data or "").strip()
    turn = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
    try:
        result = submit_reply(attempt, form.reply.data, current_app.config["REPLY_MAX_CHARS"], turn=turn)
    except AttemptError as e:
        if e.status >= 500:
            current_app.logger.exception("grading failed for attempt %s", attempt.id)
            flash(_("Your reply was saved but could not be graded yet; it is graded when you open "
                    "the attempt again."), "error")
        else:
            flash(str(e), "error")
    else:
        if result.duplicate:
            flash(_("This reply had already been received; here is its result."), "info")
    return redirect(url_for("trainee.attempt", attempt_id=attempt.id) + "#latest")


@bp.route("/attempts/<int:attempt_id>/retry", methods=["POST"])
@login_required
def retry(attempt_id: int):
    """Practice mode: answer the last customer line again."""
    attempt = _own_attempt(attempt_id, play=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        retry_turn(attempt)
    except AttemptError as e:
        flash(str(e), "error")
    return redirect(url_for("trainee.attempt", attempt_id=attempt.id))


@bp.route("/history")
@login_required
def history():
    """The trainee's attempts and progress over time."""
    return render_template("trainee/history.html", **history_view(current_user))


@bp.route("/language/<lang>", methods=["GET"])
def language(lang: str):
    """Switch the UI language and go back to the page the switch was clicked on."""
    from flask import session
    from urllib.parse import urlsplit
    if lang in ("zh", "en"):
        session["lang"] = lang
    back = urlsplit(request.referrer or "")
    same_site = back.netloc in ("", request.host)
    # "//host/..." is a path to urlsplit but another site to a browser
    local = back.path.startswith("/") and not back.path.startswith(("//", "/\\"))
    return redirect(back.path if same_site and local else url_for("auth.index"))
