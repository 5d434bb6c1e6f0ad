"""What the JSON API returns: scenarios, attempts, turns and the simulation state as plain dicts.

The exam rule is the UI's: in exam mode no report (scores, findings, model answers) is shown
until the attempt has ended.
"""
from __future__ import annotations

from typing import Optional

from scenarios import MOOD_BANDS, TRUST_BANDS, State, band, hint
from scenarios.persona import render

from trainer.models import Attempt, Turn
from trainer.services import library
from trainer.services.attempts import TurnResult, next_turn, retry_refusal, track_result
from trainer.services.exams import model_answers_each_turn

STATE_KEYS = ("step", "turn", "mood", "trust", "mood_band", "trust_band", "uncovered", "ended", "ending")
# What the trainee would know about the customer (the play page's persona card); hidden facts,
# goals and the background stay out: they are for the trainee to find out.
PERSONA_KEYS = ("address", "name", "age", "occupation", "segment", "risk_level", "finances",
                "product_name", "product_risk")
EXAM_NOTE = "exam mode: reports are shown when the attempt ends"


def scenario_json(scenario) -> dict:
    """One library entry: id, titles, kind, difficulty, tracks, step count and endings."""
    return {"id": scenario.id, "version": scenario.version, "title": dict(scenario.title),
            "kind": scenario.kind, "difficulty": scenario.difficulty, "tracks": list(scenario.tracks),
            "steps": len(scenario.steps), "max_turns": scenario.max_turns,
            "endings": [{"id": e.id, "outcome": e.outcome} for e in scenario.endings.values()]}


def track_json(track) -> dict:
    """One training track: id, titles, difficulties, hints and pass mark."""
    return {"id": track.id, "title": dict(track.title), "difficulties": list(track.difficulties),
            "hints": track.hints, "model_answers": track.model_answers, "pass_mark": track.pass_mark}


def state_json(attempt: Attempt) -> dict:
    """The simulation state a client may see (no persona secrets, no grading history)."""
    # The stored state is State.to_dict()'s output already; only the bands are derived, and
    # rebuilding the State to derive them deep-copied the whole history on every request.
    state = attempt.state
    return {"step": state["step"], "turn": state["turn"], "mood": state["mood"], "trust": state["trust"],
            "mood_band": band(state["mood"], MOOD_BANDS), "trust_band": band(state["trust"], TRUST_BANDS),
            "uncovered": list(state.get("uncovered", [])), "ended": state.get("ending") is not None,
            "ending": state.get("ending")}


def persona_card(attempt: Attempt) -> dict:
    """The customer as the trainee would know them, plus the hidden facts found so far."""
    persona = attempt.state["persona"]
    card = {k: persona[k] for k in PERSONA_KEYS if persona.get(k) is not None}
    scenario = library.scenario(attempt.scenario_id)
    found = set(attempt.state.get("uncovered", []))
    facts = scenario.facts if scenario else ()
    card["found"] = [{"id": f.id, "fact": render(f.fact, persona)} for f in facts if f.id in found]
    return card


def reports_visible(attempt: Attempt) -> bool:
    """Practice shows each report at once; an exam shows them only once it has ended."""
    return attempt.mode == "practice" or attempt.status == "finished"


def model_answers_visible(attempt: Attempt) -> bool:
    """Model answers follow the scenario's track policy: after each reply, or only at the debrief."""
    return attempt.status == "finished" or model_answers_each_turn(attempt)


def shown_seed(attempt: Attempt) -> Optional[int]:
    """The seed replays a practice customer; an exam's is not shown (practice refuses it anyway)."""
    return attempt.seed if attempt.mode == "practice" else None


def current_hint(attempt: Attempt) -> Optional[str]:
    """The step's hint, in practice on a track with hints (as the play page shows it)."""
    scenario = library.scenario(attempt.scenario_id)
    track = library.tracks().get(attempt.track_id) if attempt.track_id else None
    if attempt.status != "active" or attempt.mode != "practice" or scenario is None:
        return None
    if track is not None and not track.hints:
        return None
    return hint(scenario, State.from_dict(attempt.state))


def ending_json(attempt: Attempt) -> Optional[dict]:
    """How the attempt ended: id, outcome, the debrief (zh/en) and the customer's last words."""
    scenario = library.scenario(attempt.scenario_id)
    ending = scenario.endings.get(attempt.ending_id) if scenario and attempt.ending_id else None
    if ending is None:
        return None
    persona = attempt.state["persona"]
    return {"id": ending.id, "outcome": ending.outcome,
            "debrief": {lang: render(text, persona) for lang, text in ending.debrief.items()},
            "customer": attempt.state.get("customer_line", "")}


def results_json(attempt: Attempt) -> dict:
    """The attempt's scores over its counted turns (coach overrides win), once reports are visible."""
    if not reports_visible(attempt):
        return {"scores": None, "total": None, "red_line_count": None, "track_result": None}
    return {"scores": attempt.scores or None, "total": attempt.total,
            "red_line_count": attempt.red_line_count, "track_result": track_result(attempt)}


def turn_json(turn: Turn, attempt: Attempt) -> dict:
    """One turn: the customer's line, the reply, and (when visible) its report and model answer."""
    out = {"index": turn.index, "step": turn.step_id, "customer": turn.customer_line,
           "reply": turn.reply, "graded": turn.report_json is not None, "superseded": turn.superseded,
           "report": (turn.report or None) if reports_visible(attempt) else None}
    if reports_visible(attempt):
        last = turn.overrides[-1] if turn.overrides else None
        out["override"] = None if last is None else {
            "scores": last.scores, "comment": last.comment, "coach": last.coach.name,
            "created_at": last.created_at.isoformat()}
    if model_answers_visible(attempt):
        scenario = library.scenario(attempt.scenario_id)
        step = scenario.steps.get(turn.step_id) if scenario else None
        persona = attempt.state["persona"]
        out["model_answer"] = render(step.model_answer, persona).strip() if step else None
        out["why"] = render(step.why, persona).strip() if step and step.why else None
    return out


def attempt_json(attempt: Attempt) -> dict:
    """The whole attempt: scenario, mode, seed, status, scores, ending, persona and turns."""
    scenario = library.scenario(attempt.scenario_id)
    out = {"attempt_id": attempt.id, "user": attempt.user.username,
           "scenario": {"id": attempt.scenario_id, "version": attempt.scenario_version,
                        "title": dict(scenario.title) if scenario else None},
           "mode": attempt.mode, "seed": shown_seed(attempt), "track_id": attempt.track_id,
           "assignment_id": attempt.assignment_id, "status": attempt.status, **results_json(attempt), "ending": ending_json(attempt),
           "started_at": attempt.started_at.isoformat(),
           "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
           "customer": attempt.state["customer_line"] if attempt.status == "active" else None,
           "hint": current_hint(attempt), "state": state_json(attempt),
           "persona": persona_card(attempt), "turns": [turn_json(t, attempt) for t in attempt.turns],
           "next_turn": next_turn(attempt) if attempt.status == "active" else None,
           "can_retry": can_retry(attempt)}
    if not reports_visible(attempt):
        out["note"] = EXAM_NOTE
    return out


def can_retry(attempt: Attempt) -> bool:
    """Practice: may the last answered turn be answered again ({"retry": N} to .../turns)?"""
    return attempt.mode == "practice" and retry_refusal(attempt) is None


def retry_json(attempt: Attempt, retried: Turn) -> dict:
    """The answer to a retry: the turn set aside, and the customer's line to answer again."""
    return {"retried": retried.index, "customer": attempt.state["customer_line"], "hint": current_hint(attempt),
            "state": state_json(attempt), "persona": persona_card(attempt), "next_turn": next_turn(attempt),
            "status": attempt.status}


def started_json(attempt: Attempt) -> dict:
    """The answer to starting an attempt: its id, the customer's first line and the state."""
    return {"attempt_id": attempt.id, "scenario_id": attempt.scenario_id, "mode": attempt.mode,
            "seed": shown_seed(attempt), "track_id": attempt.track_id, "assignment_id": attempt.assignment_id,
            "customer": attempt.state["customer_line"], "hint": current_hint(attempt),
            "persona": persona_card(attempt), "state": state_json(attempt), "next_turn": next_turn(attempt)}


def turn_result_json(attempt: Attempt, result: TurnResult) -> dict:
    """The answer to a reply: its report (withheld in an unfinished exam) and the customer's
    next line, or the ending with the attempt's final scores."""
    out = {"turn_index": result.turn.index, "report": (result.report or None) if reports_visible(attempt) else None,
           "state": state_json(attempt), "duplicate": result.duplicate,
           "next_turn": next_turn(attempt) if attempt.status == "active" else None}
    if not reports_visible(attempt):
        out["note"] = EXAM_NOTE
    out["can_retry"] = can_retry(attempt)
    if result.ending is None:
        out.update(customer=result.customer, hint=current_hint(attempt))
    else:
        out.update(ending=ending_json(attempt), **results_json(attempt))
    if model_answers_visible(attempt):
        out["model_answer"] = turn_json(result.turn, attempt)["model_answer"]
    return out
