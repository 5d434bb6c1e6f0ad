"""Playing a scenario: start, reply (stored before it is graded), retry, finish, recover."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from grading import grade
from grading.scoring import total
from scenarios import EngineError, State, advance, new_seed, start, step_context
from trainer.extensions import db
from trainer.models import DIMENSIONS, MODES, Attempt, GradeOverride, Turn, utcnow
from trainer.services import exams, library
from trainer.services.exams import exam_seed  # noqa: F401 - where callers have imported it from


class AttemptError(ValueError):
    """A request the attempt cannot take (unknown scenario, ended attempt, empty reply...)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


class ReplyNotGraded(AttemptError):
    """The reply is stored but grading it failed; opening the attempt grades it later."""

    def __init__(self, attempt_id: int):
        super().__init__("your reply was saved but could not be graded; do not send it again: "
                         f"GET /api/v1/attempts/{attempt_id} to resume", 500)


@dataclass
class TurnResult:
    """What one reply produced: the stored turn, its report, and what comes next. A duplicate
    (the same reply to the same turn sent again) gets the stored turn and the attempt as it is."""
    turn: Turn
    report: dict
    customer: Optional[str]
    ending: Optional[object]
    duplicate: bool = False


def load(attempt_id: int, overrides: bool = True) -> Optional[Attempt]:
    """An attempt with its turns (and their coach overrides), one query each: no lazy loads later."""
    # Replying needs no overrides until the attempt ends, and summarize() loads them then.
    turns = selectinload(Attempt.turns)
    if overrides:
        turns = turns.selectinload(Turn.overrides).joinedload(GradeOverride.coach)
    return db.session.get(Attempt, attempt_id, options=[turns])


def _load_overrides(turns: list) -> None:
    """Load the overrides of all these turns in one query, not one query per turn."""
    missing = {t.id: t for t in turns if "overrides" in inspect(t).unloaded}
    if not missing:
        return
    found = {turn_id: [] for turn_id in missing}
    with db.session.no_autoflush:
        for override in db.session.scalars(select(GradeOverride).where(GradeOverride.turn_id.in_(missing))
                                           .order_by(GradeOverride.id)):
            found[override.turn_id].append(override)
    for turn_id, turn in missing.items():
        set_committed_value(turn, "overrides", found[turn_id])


def _commit() -> None:
    """Commit, keeping the attempt and turns in memory as they are: this request just wrote
    them, so reading them back (what a commit otherwise causes) would only cost queries."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def start_attempt(user, scenario_id: str, mode: str = "practice", seed: Optional[int] = None,
                  track_id: Optional[str] = None, assignment_id: Optional[int] = None) -> Attempt:
    """Begin an attempt and store it with its seed and first customer line (exam rules: see exams.py)."""
    scenario = library.scenario(scenario_id)
    if scenario is None:
        raise AttemptError(f"unknown scenario '{scenario_id}'", 404)
    if mode not in MODES:
        raise AttemptError(f"mode must be one of {', '.join(MODES)}")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**31):
        raise AttemptError("seed must be a whole number from 0 to 2147483647")
    if track_id is not None and track_id not in library.tracks():
        raise AttemptError(f"unknown track '{track_id}'", 404)
    try:
        assignment = exams.assignment_for(user, assignment_id, scenario.id, mode)
        if assignment is not None and assignment.track_id:
            track_id = assignment.track_id     # the track's rules (hints, pass mark) are the assignment's
        if mode == "exam":
            exams.check_exam_allowance(user, scenario.id, assignment)
            if seed is None:
                seed = exams.exam_seed(scenario.id, scenario.version, assignment.id if assignment else None)
        elif seed is not None and exams.is_exam_seed(scenario, seed):
            raise exams.ExamError("this seed is reserved for exams; leave it out or choose another")
    except exams.ExamError as e:
        raise AttemptError(str(e), e.status) from None
    while seed is None or (mode == "practice" and exams.is_exam_seed(scenario, seed)):
        seed = new_seed()     # a random practice customer is never an exam's (a 1 in 2^31 chance)
    state, _ = start(scenario, seed)
    attempt = Attempt(user_id=user.id, scenario_id=scenario.id, scenario_version=scenario.version,
                      track_id=track_id, assignment_id=assignment.id if assignment else None, mode=mode,
                      seed=seed, state_json=json.dumps(state.to_dict(), ensure_ascii=False), turns=[])
    db.session.add(attempt)
    _commit()
    return attempt


def next_turn(attempt: Attempt) -> int:
    """The number (0-based) of the turn the next reply answers; clients send it back with the reply."""
    return len(attempt.turns)


def _check_reply(reply, max_chars: int) -> None:
    if not isinstance(reply, str) or not reply.strip():
        raise AttemptError("the reply is empty")
    if len(reply) > max_chars:
        raise AttemptError(f"the reply is {len(reply)} characters; at most {max_chars} are accepted", 413)


def submit_reply(attempt: Attempt, reply: str, max_chars: int = 2000, turn: Optional[int] = None) -> TurnResult:
    """Store the reply, then grade it and move the customer on; nothing typed is lost.

    `turn` is the turn the client answers (next_turn() when it read the attempt). The same reply
    sent again for a turn already stored gets the stored result; another reply for it, or a turn
    not reached, is a 409 that says where the attempt is."""
    _check_reply(reply, max_chars)
    recovered = recover(attempt)
    if turn is not None and turn < len(attempt.turns):
        return _stored(attempt, turn, reply)
    if recovered is not None:
        # The previous reply was stored but never graded; the customer has answered it only
        # now, so this reply would answer a line the client has not seen.
        raise AttemptError("your previous reply has just been graded and the customer has answered; "
                           "read the new line (GET the attempt), then reply", 409)
    if attempt.status != "active":
        raise AttemptError("this attempt has ended", 409)
    index = len(attempt.turns)
    if turn is not None and turn != index:
        raise AttemptError(f"turn {turn} has not been reached: the customer is waiting for the reply "
                           f"to turn {index}", 409)
    state = attempt.state
    stored = Turn(index=index, step_id=state["step"], customer_line=state["customer_line"],
                  reply=reply, state_before_json=attempt.state_json, overrides=[])
    attempt.turns.append(stored)
    try:
        _commit()                    # the reply is safe before any grading happens
    except IntegrityError:
        # A parallel request stored this turn first: answer as its duplicate (or its conflict).
        db.session.rollback()
        db.session.refresh(attempt)
        return _stored(attempt, index, reply) if index < len(attempt.turns) else _raise_conflict(attempt)
    try:
        result = _grade_and_advance(attempt, stored)
        result.duplicate = False     # this request stored it, even if a parallel one graded it first
        return result
    except AttemptError:
        raise
    except Exception as e:
        db.session.rollback()
        raise ReplyNotGraded(attempt.id) from e


def _raise_conflict(attempt: Attempt):
    raise AttemptError(f"this turn was answered by another request; the next turn is {len(attempt.turns)}", 409)


def _stored(attempt: Attempt, index: int, reply: str) -> TurnResult:
    """The answer to a turn already stored: its result if this is the same reply, else a 409."""
    turn = attempt.turns[index]
    where = (f"the customer is waiting for the reply to turn {len(attempt.turns)}"
             if attempt.status == "active" else "the attempt has ended")
    if turn.reply != reply:
        raise AttemptError(f"turn {index} was already answered with another reply; {where}", 409)
    if turn.report_json is None:
        recover(attempt)            # stored by a request still grading it, or one that died
    # The grade and the customer's move are committed together: read the attempt again now that
    # the turn is seen graded, or a state read before that commit would go with a newer grade.
    db.session.refresh(attempt, ["state_json", "status", "ending_id", "outcome", "scores_json", "total",
                                 "red_line_count", "finished_at"])
    scenario = library.scenario(attempt.scenario_id)
    ending = scenario.endings.get(attempt.ending_id) if scenario and attempt.ending_id else None
    customer = attempt.state["customer_line"] if attempt.status == "active" else None
    return TurnResult(turn, turn.report, customer, ending, duplicate=True)


def _grade_and_advance(attempt: Attempt, turn: Turn) -> TurnResult:
    scenario = library.scenario(attempt.scenario_id)
    state = State.from_dict(json.loads(turn.state_before_json))
    report = grade(turn.reply, step_context(scenario, state))
    data = report.to_dict()
    values = {"report_json": json.dumps(data, ensure_ascii=False), "total": report.total,
              "red_lines": len(report.red_lines)}
    # Whoever writes the grade first advances the customer; a parallel grader of the same turn
    # (a duplicate request, or a page recovering it) finds it graded and reads that result.
    won = db.session.execute(update(Turn).where(Turn.id == turn.id, Turn.report_json.is_(None)).values(**values)
                             .execution_options(synchronize_session=False)).rowcount == 1
    if not won:
        db.session.rollback()
        db.session.refresh(attempt)
        return _stored(attempt, turn.index, turn.reply)
    for key, value in values.items():
        set_committed_value(turn, key, value)
    result = advance(scenario, state, report)
    attempt.state_json = json.dumps(result.state.to_dict(), ensure_ascii=False)
    if result.ending is not None:
        _finish(attempt, result.ending)
    _commit()
    return TurnResult(turn, data, None if result.ending else result.line, result.ending)


def _finish(attempt: Attempt, ending) -> None:
    attempt.status = "finished"
    attempt.ending_id = ending.id
    attempt.outcome = ending.outcome
    attempt.finished_at = utcnow()
    summarize(attempt)


def summarize(attempt: Attempt) -> None:
    """Recompute the attempt's scores from its counted turns (coach overrides win)."""
    turns = attempt.counted_turns
    _load_overrides(turns)
    if not turns:
        attempt.scores_json, attempt.total, attempt.red_line_count = None, None, 0
        return
    per_turn = [effective_scores(t) for t in turns]
    scores = {d: round(sum(s[d] for s in per_turn) / len(per_turn)) for d in DIMENSIONS}
    attempt.scores_json = json.dumps(scores)
    attempt.total = round(sum(effective_total(t) for t in turns) / len(turns))
    attempt.red_line_count = sum(t.red_lines for t in turns)


def effective_scores(turn: Turn) -> dict:
    """The scores that count for a turn: the latest coach override, else the machine's."""
    if turn.overrides:
        return turn.overrides[-1].scores
    return turn.report["scores"]


def effective_total(turn: Turn) -> int:
    """The total that counts for a turn (an override recomputes it with the grader's weights)."""
    if not turn.overrides:
        return turn.total
    scores = turn.overrides[-1].scores
    # A coach who keeps compliance at 0 agrees the red line stands, and so does its cap.
    return total(scores, red_line=bool(turn.red_lines) and scores["compliance"] == 0, gaming=False)


def stopped_on_red_line(attempt: Attempt) -> bool:
    """True when a practice attempt ended on a red line: its last counted turn crossed one, or
    the ending is a breach (going along with a request without saying a red-line phrase)."""
    if attempt.mode != "practice" or attempt.status != "finished":
        return False
    turns = attempt.counted_turns
    return bool(turns) and (turns[-1].red_lines > 0 or attempt.outcome == "red_line_breach")


def retry_refusal(attempt: Attempt) -> Optional[AttemptError]:
    """Why "retry this turn" is refused now, or None when it may be retried."""
    if attempt.mode != "practice":
        return AttemptError("retrying a turn is only allowed in practice mode", 403)
    if attempt.status != "active":
        # Practice teaches: a red line stops the attempt to show what it leads to, and the turn
        # can be answered again. Any other ending is final, and so is an attempt a coach has
        # graded: the coach's reading of it stands.
        _load_overrides(attempt.turns)
        graded = any(t.overrides for t in attempt.turns)
        if not stopped_on_red_line(attempt) or graded:
            return AttemptError("this attempt has ended and is final; start a new attempt to practise again", 409)
    if not attempt.counted_turns:
        return AttemptError("there is no turn to retry", 409)
    return None


def retry_turn(attempt: Attempt, index: Optional[int] = None) -> Turn:
    """Practice only: set the last counted turn aside (kept, marked retried) and resume the
    conversation from before it. `index` (the API's) names that turn: a resend of the same
    retry finds it already set aside and answers with it, instead of setting aside another."""
    recover(attempt)
    if index is not None and 0 <= index < len(attempt.turns) and attempt.turns[index].superseded \
            and not any(t.index > index for t in attempt.turns):
        return attempt.turns[index]          # this retry was done already
    refusal = retry_refusal(attempt)
    if refusal is not None:
        raise refusal
    last = attempt.counted_turns[-1]
    if index is not None and index != last.index:
        raise AttemptError(f"turn {index} is not the last answered turn; the turn to retry is {last.index}", 409)
    last.superseded = True
    attempt.state_json = last.state_before_json
    attempt.status, attempt.ending_id, attempt.outcome, attempt.finished_at = "active", None, None, None
    summarize(attempt)
    db.session.commit()
    return last


def practise_again(user, attempt: Attempt) -> Attempt:
    """再练一次: a new practice attempt with the same customer (same scenario, seed and track)."""
    if attempt.mode != "practice":
        raise AttemptError("an exam's customer cannot be practised again; start a practice attempt", 403)
    return start_attempt(user, attempt.scenario_id, "practice", seed=attempt.seed, track_id=attempt.track_id)


def recover(attempt: Attempt) -> Optional[TurnResult]:
    """Finish grading a reply that was stored when the process died before grading it."""
    pending = [t for t in attempt.turns if t.report_json is None and not t.superseded]
    if not pending:
        return None
    try:
        return _grade_and_advance(attempt, pending[-1])
    except EngineError:
        pending[-1].superseded = True   # the scenario changed under it: keep the words, drop the turn
        db.session.commit()
        return None


def track_result(attempt: Attempt) -> Optional[dict]:
    """Pass/fail under the attempt's track once it has ended, coach grades counted."""
    track = library.tracks().get(attempt.track_id) if attempt.track_id else None
    if track is None or attempt.status != "finished":
        return None
    from trainer.services.overrides import attempt_result   # overrides builds on this module
    _load_overrides(attempt.counted_turns)
    return attempt_result(attempt, track)
