"""What the attempt, report and history pages show, computed without a request."""
from __future__ import annotations

from trainer import charts
from trainer.models import DIMENSIONS, Attempt
from trainer.services import library
from trainer.services.attempts import effective_scores, effective_total
from trainer.services.overrides import marked_report
from trainer.trainee.report import debrief, final_line, last_red_lines, verdict
from trainer.vocabulary import dimension_label


def attempt_view(attempt: Attempt) -> dict:
    """The transcript with reports, model answers per step, and the ending's debrief."""
    scenario = library.scenario(attempt.scenario_id)
    state = attempt.state
    persona = state["persona"]
    from scenarios.persona import render
    turns = []
    # Coach grades are shown (and count) once the attempt has ended, never during the play.
    ended = attempt.status == "finished"
    for t in attempt.turns:
        step = scenario.steps.get(t.step_id) if scenario else None
        override = t.overrides[-1] if ended and t.overrides and not t.superseded else None
        report = marked_report(t.report, override.scores if override else None)
        turns.append({"turn": t, "report": report,
                      "red_lines": [f for f in report.get("findings", []) if f["level"] == "red_line"],
                      "model_answer": render(step.model_answer, persona) if step else "",
                      "why": render(step.why, persona) if step and step.why else "",
                      "override": override,
                      "scores": (effective_scores(t) if override else report["scores"]) if report else {},
                      "total": (effective_total(t) if override else report["total"]) if report else None})
    ending = scenario.endings.get(attempt.ending_id) if scenario and attempt.ending_id else None
    scores = attempt.scores
    labels = {d: dimension_label(d) for d in DIMENSIONS}
    return {"attempt": attempt, "scenario": scenario, "persona": persona, "turns": turns,
            "counted": [x for x in turns if not x["turn"].superseded and x["report"]],
            "ending": ending, "radar": charts.radar(scores, labels) if scores else None,
            "uncovered": [f for f in (scenario.facts if scenario else ()) if f.id in state.get("uncovered", [])],
            "render": lambda text: render(text, persona)}


def history_view(user) -> dict:
    """The user's attempts, newest first, and a chart of finished attempts' scores by date."""
    from trainer.progress_charts import trainee_chart
    attempts = Attempt.query.filter_by(user_id=user.id).order_by(Attempt.started_at.desc()).all()
    finished = [a for a in reversed(attempts) if a.status == "finished" and a.total is not None]
    per_dim = {d: [a.scores.get(d, 0) for a in finished] for d in DIMENSIONS}
    averages = {d: round(sum(v) / len(v)) for d, v in per_dim.items() if v}
    return {"attempts": attempts, "chart": trainee_chart(user) if finished else None,
            "averages": averages, "finished_count": len(finished)}


def report_view(attempt: Attempt) -> dict:
    """The report's top: the verdict under the track's rules, the customer's last line, the debrief."""
    return {"verdict": verdict(attempt), "final_line": final_line(attempt), "played": debrief(attempt)}


def stop_view(attempt: Attempt) -> dict:
    """A practice attempt stopped by a red line: what the customer did next, the rule and the ending."""
    scenario = library.scenario(attempt.scenario_id)
    ending = scenario.endings.get(attempt.ending_id) if scenario and attempt.ending_id else None
    return {"reaction": final_line(attempt), "red_lines": last_red_lines(attempt), "ending": ending,
            "turn": attempt.counted_turns[-1]}
