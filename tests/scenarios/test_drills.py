"""Scenario drills: for every step, three good replies written blind (not the model answer, by an
author who saw neither the scenario's model answers nor the grader; see drills/BRIEF.md) must
pass the step with no red line and take one of the step's good branches — not the default, not a
red-line transition, not an ending that fails the trainee."""
from pathlib import Path

from dataclasses import replace
from functools import lru_cache

import pytest
import yaml

from grading import grade
from scenarios import load_library, start, step_context
from scenarios.conditions import holds
from scenarios.engine import _asks
from scenarios.persona import render

DRILLS = Path(__file__).parent / "drills"
SEED = 7


def _cases():
    for path in sorted(DRILLS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for step_id, replies in data["steps"].items():
            for i, reply in enumerate(replies):
                yield pytest.param(data["scenario"], step_id, reply, id=f"{data['scenario']}:{step_id}:{i}")


def _good(transition, scenario) -> bool:
    if transition.when == "default" or "red_line" in transition.when:
        return False
    if transition.end:
        return scenario.endings[transition.end].outcome not in ("red_line_breach", "customer_left")
    return True


@lru_cache(maxsize=None)
def _begin(scenario_id):
    scenario = load_library()[scenario_id]
    return scenario, start(scenario, SEED)[0]


# Drills that do not pass, and why (strict: each must keep failing until it is fixed).
KNOWN = {
    "confidentiality_spouse_balance:legal_route:0":
        "the drill gives the lawful routes but does not repeat the refusal the step expects",
    "elderly_private_fund:recording_press:0":
        "the drill holds the 双录 line but shows no care for the elderly customer the step expects",
    "business_loan_diversion:remainder:1":
        "the drill sizes the loan to the material cost but never asks what the remaining money is for, which is what the step trains",
    "frozen_account_complaint:truth:0":
        "the drill keeps the appeal truthful but never warns him about lending his card for others' money, "
        "the fraud warning the step trains",
    "frozen_account_complaint:truth:3":
        "the drill (second author) keeps the appeal truthful and plans the rent, but gives no fraud warning",
    "business_loan_diversion:remainder:3":
        "the drill (second author) says what a business loan may pay for but never asks what the rest is for",
}


def _cases_marked():
    for param in _cases():
        reason = KNOWN.get(param.id)
        yield pytest.param(*param.values, id=param.id,
                           marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [])


@pytest.mark.parametrize("scenario_id,step_id,reply", list(_cases_marked()))
def test_a_good_reply_passes_the_step(scenario_id, step_id, reply):
    scenario, state = _begin(scenario_id)
    state = replace(state, step=step_id, customer_line=render(scenario.steps[step_id].customer[0], state.persona))
    reply = render(reply, state.persona)
    report = grade(reply, step_context(scenario, state))
    assert not report.red_lines, [(f.category, f.text, f.message) for f in report.red_lines]
    # as scenarios.engine.advance does: the facts this reply asks about count for this turn
    uncovered = state.uncovered + [f.id for f in scenario.facts if _asks(f, reply)]
    taken = next(t for t in scenario.steps[step_id].transitions
                 if holds(t.when, report, state.mood, state.trust, uncovered))
    assert _good(taken, scenario), (taken.when, report.scores, sorted(report.moves), report.missing_moves)


def test_every_step_has_three_drills():
    library = load_library()
    for scenario_id, scenario in library.items():
        data = yaml.safe_load((DRILLS / f"{scenario_id}.yaml").read_text(encoding="utf-8"))
        assert set(data["steps"]) == set(scenario.steps), scenario_id
        # three that teach the step's lesson: drills that skip it (KNOWN) do not count
        for step_id, replies in data["steps"].items():
            counted = [i for i in range(len(replies)) if f"{scenario_id}:{step_id}:{i}" not in KNOWN]
            assert len(counted) >= 3, (scenario_id, step_id)
