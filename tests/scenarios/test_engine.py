"""The engine: a graded reply moves the customer — mood, trust, facts, next line, ending."""
import json
import random
from dataclasses import replace

import pytest

from grading import Context, ForbiddenItem
from scenarios import MOVES, EngineError, State, advance, hint, start, step_context
from scenario_helpers import make_report


def at_step(scenario, step_id, seed=7):
    """A fresh attempt moved to `step_id` (its first line variant), for testing one step."""
    state, _ = start(scenario, seed)
    return replace(state, step=step_id, customer_line=scenario.steps[step_id].customer[0])


def test_start_says_the_first_steps_line_from_the_persona(library):
    scenario = library["transfer_not_arrived"]
    state, line = start(scenario, 3)
    assert state.step == "opening" and state.turn == 0 and not state.ended
    assert line == state.customer_line
    assert str(state.persona["amount"]) in line and "{" not in line
    assert 20 <= state.mood <= 30 and state.trust == 40


def test_empathy_and_ownership_calm_the_customer(library):
    scenario = library["transfer_not_arrived"]
    state, _ = start(scenario, 3)
    new, line, ending = advance(scenario, state, make_report(empathy=80, moves=["ownership"]))
    assert ending is None and new.step == "details"
    assert new.mood == state.mood + 15 and new.trust == state.trust + 10
    assert line.startswith(("行，你总算是个愿意管事的。", "嗯……你这么说我心里踏实点了。"))


def test_brushing_the_customer_off_makes_him_angrier(library):
    scenario = library["transfer_not_arrived"]
    state, _ = start(scenario, 3)
    new, line, _ = advance(scenario, state, make_report(total=35, empathy=20))
    assert new.step == "angry" and new.mood == state.mood - 15
    assert "投诉" in line


def test_a_red_line_takes_the_red_line_branch(library):
    scenario = library["retiree_r4_product"]
    state, _ = start(scenario, 5)
    new, line, ending = advance(scenario, state, make_report(total=30, red=["suitability"]))
    assert ending.id == "sold_unsuitable" and ending.outcome == "red_line_breach"
    assert new.ended and new.ending == "sold_unsuitable"
    assert line == "好嘞，那就这么办！"
    assert new.history[-1]["red_lines"] == ["suitability"]


def test_red_line_of_another_category_takes_the_general_branch(library):
    scenario = library["retiree_r4_product"]
    state, _ = start(scenario, 5)
    _, _, ending = advance(scenario, state, make_report(total=30, red=["guarantee"]))
    assert ending.id == "red_line"


def test_asking_the_hidden_facts_question_uncovers_it(library):
    scenario = library["transfer_not_arrived"]
    state = at_step(scenario, "details")
    new, line, _ = advance(scenario, state, make_report("请问收款人的户名您核对过吗？"))
    assert new.uncovered == ["wrong_name"] and new.step == "cause_found"
    assert f"写的“{state.persona['payee']}”" in line
    assert new.history[-1]["uncovered"] == ["wrong_name"]


def test_a_question_in_traditional_script_uncovers_it_too(library):
    scenario = library["transfer_not_arrived"]
    state = at_step(scenario, "details")
    new, _, _ = advance(scenario, state, make_report("請問收款人的戶名您核對過嗎？"))
    assert new.uncovered == ["wrong_name"]


def test_not_asking_leaves_the_fact_hidden(library):
    scenario = library["transfer_not_arrived"]
    state = at_step(scenario, "details")
    new, line, _ = advance(scenario, state, make_report("好的，我帮您查一下。"))
    assert new.uncovered == [] and new.step == "still_waiting"
    assert state.persona["payee"] not in line


def test_an_attempt_reaches_an_ending(library):
    scenario = library["aml_split_withdrawal"]
    state, _ = start(scenario, 9)
    state, _, ending = advance(scenario, state, make_report(moves=["refuse_structuring"]))
    assert state.step == "pushback" and ending is None
    state, line, _ = advance(scenario, state, make_report("这笔钱是从哪转进来的？"))
    assert state.step == "third_party" and "funds_from_friend" in state.uncovered
    state, line, ending = advance(scenario, state, make_report(total=85, moves=["rule_reason"]))
    assert ending.id == "reported_internally" and ending.outcome == "reported_internally"
    assert state.ended and state.turn == 3
    assert line in ("……行吧，那我等着。", "那你快点啊，我等你。")
    assert [h["to"] for h in state.history] == ["step:pushback", "step:third_party",
                                                "end:reported_internally"]


def test_max_turns_ends_an_attempt_that_would_go_on(library):
    scenario = replace(library["transfer_not_arrived"], max_turns=2)
    state, _ = start(scenario, 1)
    state, _, ending = advance(scenario, state, make_report())
    assert ending is None
    state, line, ending = advance(scenario, state, make_report())
    assert ending.id == scenario.on_max_turns == "escalated"
    assert state.ended and line == "算了，你让你们主管来跟我说吧。"


def test_revisiting_a_step_gives_the_next_line_variant(library):
    scenario = library["retiree_r4_product"]
    variants = scenario.steps["insists"].customer
    state, _ = start(scenario, 5)
    state, first, _ = advance(scenario, state, make_report(total=50))   # no needs check
    assert state.step == "insists" and first in variants
    state, again, _ = advance(scenario, state, make_report(total=50))   # wavers: he presses
    assert state.step == "insists"
    assert again == "你这说了半天，到底能不能办？" + next(v for v in variants if v != first)


def test_mood_and_trust_stay_between_0_and_100(library):
    scenario = library["transfer_not_arrived"]
    state, _ = start(scenario, 1)
    new, _, _ = advance(scenario, replace(state, mood=5), make_report(total=10, empathy=10))
    assert new.mood == 0
    assert new.to_dict()["mood_band"] == "furious"


def test_advance_leaves_the_given_state_untouched(library):
    scenario = library["transfer_not_arrived"]
    state, _ = start(scenario, 1)
    before = state.to_dict()
    advance(scenario, state, make_report("请问收款人户名对吗？", empathy=90, moves=["ownership"]))
    assert state.to_dict() == before


def test_state_survives_a_json_round_trip_and_replays_identically(library):
    scenario = library["aml_split_withdrawal"]
    state, _ = start(scenario, 21)
    state, _, _ = advance(scenario, state, make_report(moves=["refuse_structuring"]))
    stored = json.loads(json.dumps(state.to_dict(), ensure_ascii=False))
    assert stored["ended"] is False and stored["mood_band"] == "uneasy"
    restored = State.from_dict(stored)
    assert restored == state
    report = make_report("钱是从哪来的？")
    assert advance(scenario, restored, report) == advance(scenario, state, report)


def test_a_finished_attempt_cannot_advance(library):
    scenario = library["retiree_r4_product"]
    state, _ = start(scenario, 5)
    state, _, _ = advance(scenario, state, make_report(red=["suitability"]))
    with pytest.raises(EngineError, match="already ended"):
        advance(scenario, state, make_report())


def test_a_state_from_another_scenario_version_is_refused(library):
    scenario = library["retiree_r4_product"]
    state, _ = start(scenario, 5)
    newer = scenario.version + 1
    with pytest.raises(EngineError, match=f"v{scenario.version}, not retiree_r4_product v{newer}"):
        advance(replace(scenario, version=newer), state, make_report())


def test_step_context_carries_what_the_step_needs(library):
    scenario = library["retiree_r4_product"]
    state, line = start(scenario, 11)
    context = step_context(scenario, state)
    assert isinstance(context, Context)
    assert context.kind == "product_sale" and context.risk_mismatch
    assert (context.customer_risk, context.product_risk) == ("C2", "R4")
    assert context.customer_age == state.persona["age"] and 66 <= context.customer_age <= 72
    assert context.customer_line == line
    assert context.expected_moves == ("greeting", "needs_check", "acknowledge|restate")
    assert context.forbidden == (ForbiddenItem(
        pattern="(没问题|好的)[，,]?我?(这就|马上|现在)(给|帮)您(办|买|下单)",
        message="还没核查风险测评就答应办理，R4产品不能卖给C2客户。", category="suitability"),)
    assert context.model_answer.startswith(f"{state.persona['address']}您好！")
    assert hint(scenario, state).startswith(f"先别急着办。称呼“{state.persona['address']}”")


def test_step_context_without_product_or_risk_level(library):
    scenario = library["transfer_not_arrived"]
    state, _ = start(scenario, 2)
    context = step_context(scenario, state)
    assert (context.kind, context.customer_risk, context.product_risk) == ("complaint", None, None)


@pytest.mark.parametrize("sid", ["transfer_not_arrived", "retiree_r4_product",
                                 "aml_split_withdrawal"])
def test_any_sequence_of_reports_ends_within_max_turns(library, sid):
    """Whatever the trainee does, an attempt ends — by a transition or by the turn limit."""
    scenario = library[sid]
    rng = random.Random(sid)
    for seed in range(40):
        state, _ = start(scenario, seed)
        ending = None
        while ending is None:
            report = make_report(
                rng.choice(["您好。", "请问这笔钱的用途和来源？", "户名核对过吗？风险测评做过吗？"]),
                total=rng.randint(0, 100), empathy=rng.randint(0, 100),
                compliance=rng.randint(0, 100), structure=rng.randint(0, 100),
                red=rng.sample(["guarantee", "suitability", "aml_tipoff", "aml_structuring"],
                               rng.choice([0, 0, 0, 1])),
                moves=rng.sample(sorted(MOVES), rng.randint(0, 6)))
            state, line, ending = advance(scenario, state, report)
            assert "{" not in line
        assert ending.id in scenario.endings and state.turn <= scenario.max_turns
