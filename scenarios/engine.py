"""The simulation engine: pure functions from (scenario, state, grade report) to the next state.

    state, line = start(scenario, seed)
    context = step_context(scenario, state)          # -> grading.Context for this turn
    state, line, ending = advance(scenario, state, grade(reply, context))

`advance` returns a new State (the old one is untouched); `ending` is None until the attempt
ends, and then `line` is the customer's parting words (possibly ""). Nothing here reads the
clock or global random state: the same scenario, seed and reports replay identically.
"""
from __future__ import annotations

import random
import re
import secrets
from dataclasses import asdict, dataclass, field, replace
from typing import NamedTuple, Optional

import opencc

from grading import Context

from scenarios import reactions
from scenarios.conditions import holds
from scenarios.debrief import describe
from scenarios.model import Ending, Scenario
from scenarios.persona import make_persona, render

_T2S = opencc.OpenCC("t2s")  # built once: building a converter loads its dictionaries
SUMMARY_CHARS = 60
# An ending is judged on the whole run: a reply without a red line or flag that falls short of
# the run's average by at most this much is taken at the run's level (one slip is not the run).
SLIP_POINTS = 20
# A clause whose letter pairs were this much said already in the turn is a repeat, not news.
REPEAT_SHARE = 0.6
CLAUSE = re.compile(r"[^，,。！!？?；;…]+[，,。！!？?；;…]*|[，,。！!？?；;…]+")

# Mood and trust run 0-100. The bands name them for the UI and a coach's report.
MOOD_BANDS = ((20, "furious"), (40, "upset"), (60, "uneasy"), (80, "calm"), (101, "satisfied"))
TRUST_BANDS = ((30, "low"), (60, "guarded"), (101, "high"))


class EngineError(RuntimeError):
    """The state does not belong to this scenario, or the attempt has already ended."""


@dataclass
class State:
    """Everything an attempt needs between turns; JSON-ready through to_dict/from_dict."""
    scenario_id: str
    scenario_version: int
    seed: int
    step: str
    mood: int
    trust: int
    persona: dict            # the filled persona; stored so a Faker upgrade cannot change it
    customer_line: str       # what the customer said last: the line the next reply answers
    turn: int = 0            # replies graded so far
    uncovered: list = field(default_factory=list)   # hidden-fact ids, in the order found
    history: list = field(default_factory=list)     # one dict per graded reply
    ending: Optional[str] = None
    given: dict = field(default_factory=dict)       # what the trainee has said: moves, `said` marks
    refusals: dict = field(default_factory=dict)    # request type -> times the trainee refused it
    debrief: dict = field(default_factory=dict)     # at the end: {"zh": [...], "en": [...]} of what happened
    final_line: str = ""     # at the end: the ending's parting words alone (customer_line is the whole last turn)

    @property
    def ended(self) -> bool:
        """True once the attempt has reached an ending."""
        return self.ending is not None

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (with a convenience `ended` flag and band names)."""
        data = asdict(self)
        data.update(ended=self.ended, mood_band=band(self.mood, MOOD_BANDS),
                    trust_band=band(self.trust, TRUST_BANDS))
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "State":
        """Rebuild a State stored with to_dict (derived keys are ignored)."""
        data = {k: v for k, v in data.items() if k not in ("ended", "mood_band", "trust_band")}
        return cls(**data)


class Advance(NamedTuple):
    """Result of one turn: the new state, what the customer says, and the ending if reached."""
    state: State
    line: str
    ending: Optional[Ending]


def band(value: int, bands: tuple) -> str:
    """Name of the band a 0-100 value falls in, e.g. band(35, MOOD_BANDS) == "upset"."""
    return next(name for upper, name in bands if value < upper)


def new_seed() -> int:
    """A fresh seed for a new attempt (store it with the attempt to replay it)."""
    return secrets.randbelow(2**31)


def start(scenario: Scenario, seed: int) -> tuple[State, str]:
    """Begin an attempt: fill the persona from `seed` and say the first step's line."""
    persona = make_persona(scenario.persona, scenario.product, seed)
    step = scenario.first_step
    state = State(scenario_id=scenario.id, scenario_version=scenario.version, seed=seed,
                  step=step, mood=persona["mood"], trust=persona["trust"], persona=persona,
                  customer_line="")
    line = _step_line(scenario, state, step)
    return replace(state, customer_line=line), line


def advance(scenario: Scenario, state: State, report) -> Advance:
    """Apply one graded reply: react to it, uncover facts, take the first matching transition
    (judging an ending on the whole run), and say the next line as one turn."""
    _check_state(scenario, state)
    step = scenario.steps[state.step]
    found = [f.id for f in scenario.facts
             if f.id not in state.uncovered and _asks(f, report.reply)]
    uncovered = state.uncovered + found
    turn_signals = reactions.signals(scenario, state, report, state.uncovered)
    chosen = next(t for t in step.transitions
                  if holds(t.when, report, state.mood, state.trust, uncovered, turn_signals,
                           _run_scores(state, report) if t.end else None))
    mood_band = band(state.mood, MOOD_BANDS)
    said = reactions.choose(scenario, state, report, turn_signals, mood_band, chosen)
    hold = any(r.hold for r in said)
    turn = state.turn + 1
    rng = random.Random(f"{state.seed}:{turn}:say")
    spoken = _first_words(scenario, state, report, chosen, said, found, turn_signals, rng)
    # The turn limit is the safety net against a scenario whose loops never let go.
    ending_id = None if hold else chosen.end
    ending_id = ending_id or (scenario.on_max_turns if turn >= scenario.max_turns else None)
    mood = sum(r.mood for r in said) + (0 if hold else chosen.mood)
    trust = sum(r.trust for r in said) + (0 if hold else chosen.trust)
    new = replace(state, turn=turn, uncovered=uncovered, mood=_clamp(state.mood + mood),
                  trust=_clamp(state.trust + trust), refusals=turn_signals["refusal_counts"],
                  given=reactions.given(scenario, state, report))
    next_step = state.step if hold else chosen.next
    new.history = state.history + [_record(state, new, report, found, next_step, ending_id,
                                           turn_signals, said)]
    if ending_id:
        ending = scenario.endings[ending_id]
        parting = ending.customer or (scenario.partings or {}).get(ending.outcome, ())
        final = render(rng.choice(parting), state.persona) if parting else ""
        line = _one_turn(spoken + [final])
        new = replace(new, ending=ending_id, customer_line=line, final_line=final or line)
        return Advance(replace(new, debrief=describe(scenario, new)), line, ending)
    new = replace(new, step=next_step)
    # A push-back follows the refusal it answers: the step's own second push (bargaining, another
    # reason), never the request replayed as if it had not been refused; without one, the opener alone.
    if hold:
        spoken.append(render(rng.choice(step.pushback), state.persona) if step.pushback else "")
    else:
        spoken.append(_step_line(scenario, new, next_step))
    line = _one_turn(spoken)
    return Advance(replace(new, customer_line=line), line, None)


def _first_words(scenario: Scenario, state: State, report, chosen, said: list, found: list,
                 turn_signals: dict, rng: random.Random) -> list:
    """What the customer says before the next line: reactions to what the reply did, the
    transition's own reaction (not on a push-back), then the facts the reply drew out."""
    band_name = band(state.mood, MOOD_BANDS)
    # The customer speaks Chinese; the en lines are there for reviewers and coaches.
    spoken = [reactions.line(r, state, report, turn_signals, band_name)["zh"] for r in said]
    if chosen.say and not any(r.hold for r in said):
        spoken.append(render(rng.choice(chosen.say), state.persona))
    return spoken + [render(f.reveal, state.persona) for f in scenario.facts if f.id in found and f.reveal]


def _one_turn(parts: list) -> str:
    """The parts of a turn as one line, each said once: a part said twice or contained in a later
    one is dropped, and so is a clause that repeats what an earlier part of the turn already said
    (a revealed fact followed by a step line that states it again: "C4，成长型。……C4")."""
    whole = []
    for i, part in enumerate(parts):
        rest = "".join(parts[i + 1:])
        if part and part not in whole and part not in rest:
            whole.append(part)
    said, out = set(), []
    for part in whole:
        kept = []
        for clause in CLAUSE.findall(part):
            grams = _grams(clause)
            if grams and len(grams & said) >= REPEAT_SHARE * len(grams):
                _carry_stop(kept or out, clause)
                continue
            kept.append(clause)
        said |= _grams(part)
        out.extend(kept)
    return "".join(out)


def _grams(text: str) -> set:
    """Pairs of adjacent letters, digits or Chinese characters: what a clause says, without its punctuation."""
    chars = [ch if ch.isalnum() else " " for ch in text]
    return {a + b for a, b in zip(chars, chars[1:]) if a != " " and b != " "}


def _carry_stop(kept: list, dropped: str) -> None:
    """A dropped clause ended its sentence: the clause before it now ends it ("……，" becomes "……。")."""
    end = dropped.rstrip()[-1:] if dropped.strip() else ""
    if kept and end in "。！!？?" and kept[-1].rstrip()[-1:] in "，,、；;":
        kept[-1] = kept[-1].rstrip()[:-1] + end


def _run_scores(state: State, report) -> dict:
    """Scores an ending is judged on: this reply's, raised to the run's average where the reply
    is only a slip below it (no red line, no flag, none of the step's forbidden phrases, at most
    SLIP_POINTS short). A forbidden phrase is what the step tests, not a slip: it is not averaged away."""
    if not state.history or report.red_lines or report.flags or _broke_step(report):
        return {}
    judged = {}
    for key in tuple(report.scores) + ("total",):
        mine = report.total if key == "total" else report.scores.get(key, 0)
        earlier = [h.get("scores", {}).get(key, h["total"]) if key != "total" else h["total"]
                   for h in state.history]
        average = (sum(earlier) + mine) / (len(earlier) + 1)
        judged[key] = max(mine, round(average)) if mine >= average - SLIP_POINTS else mine
    return judged


def _broke_step(report) -> bool:
    """True when the reply used a phrase the step forbids (a scenario's `forbidden` item)."""
    return any(f.rule == "step.forbidden" for f in getattr(report, "findings", ()) or ())


def step_context(scenario: Scenario, state: State) -> Context:
    """The grading context of the current step: kind, risks, moves, forbidden, model answer."""
    _check_state(scenario, state)
    step = scenario.steps[state.step]
    return Context(
        kind=step.kind or scenario.kind,
        customer_risk=state.persona.get("risk_level"),
        product_risk=(scenario.product or {}).get("risk"),
        customer_line=state.customer_line,
        expected_moves=step.moves,
        forbidden=step.forbidden,
        model_answer=render(step.model_answer, state.persona),
        customer_age=state.persona.get("age"),
        customer_surname=state.persona.get("surname"),
        # The earlier lines let the grader carry a request over a turn that only presses it
        # ("真的一点都不能通融吗？" after asking to skip the recording).
        history=tuple(h["customer"] for h in state.history),
    )


def hint(scenario: Scenario, state: State) -> Optional[str]:
    """The current step's hint for guided tracks, filled from the persona (None if none)."""
    step = scenario.steps[state.step]
    return render(step.hint, state.persona) if step.hint else None


def _check_state(scenario: Scenario, state: State) -> None:
    if (state.scenario_id, state.scenario_version) != (scenario.id, scenario.version):
        raise EngineError(f"attempt is for {state.scenario_id} v{state.scenario_version}, "
                          f"not {scenario.id} v{scenario.version}")
    if state.ended:
        raise EngineError(f"attempt already ended ({state.ending})")


def _step_line(scenario: Scenario, state: State, step_id: str) -> str:
    """A line variant for this visit: the seed picks where to start, repeats take the next one."""
    variants = scenario.steps[step_id].customer
    visits = sum(1 for turn in state.history if turn["step"] == step_id)
    # The trainee already gave what this step asks for: the customer says the rewording.
    variants = reactions.reworded(scenario, state, step_id) or variants
    first = random.Random(f"{state.seed}:{step_id}").randrange(len(variants))
    return render(variants[(first + visits) % len(variants)], state.persona)


def _asks(fact, reply: str) -> bool:
    """True when the reply asks the fact's question (traditional script counts too)."""
    text = _T2S.convert(reply or "")
    return any(p.search(text) for p in fact.asked_by)


def _record(before: State, after: State, report, found: list, next_step, ending_id,
            signals: dict, said: list) -> dict:
    """One history entry: enough for a timeline, a coach's report and the debrief, not the full reply."""
    reply = report.reply or ""
    return {"turn": after.turn, "step": before.step, "customer": before.customer_line,
            "reply": reply if len(reply) <= SUMMARY_CHARS else reply[:SUMMARY_CHARS] + "…",
            "total": report.total, "scores": dict(report.scores),
            "red_lines": [f.category or "uncategorised" for f in report.red_lines],
            "uncovered": found, "mood": after.mood, "trust": after.trust,
            "request": signals["request"] if signals["improper"] else None,
            "refused": signals["refused"], "complied": signals["complied"],
            "reactions": [r.id for r in said], "held": any(r.hold for r in said),
            "to": f"end:{ending_id}" if ending_id else f"step:{next_step}"}


def _clamp(value: int) -> int:
    return max(0, min(100, value))
