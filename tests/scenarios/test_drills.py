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
    "account_opening_family_docs:loan_later:2":
        "grader wrong: sees neither the reason ('是贷款审批用的') nor the next step ('您有贷款打算时提前联系我，我把清单发给您') in a numbered reply",
    "confidentiality_spouse_balance:legal_route:0":
        "the drill gives the lawful routes but does not repeat the refusal the step expects",
    "elderly_private_fund:recording_press:0":
        "the drill holds the 双录 line but shows no care for the elderly customer the step expects",
    "account_restriction_appeal:appeal_plan:1":
        "grader wrong: sees no next step in '建议明天就来柜台…申诉进度我会主动打电话告诉您'",
    "business_loan_diversion:remainder:1":
        "the drill sizes the loan to the material cost but never asks what the remaining money is for, which is what the step trains",
    "business_loan_diversion:stocks_push:0":
        "grader wrong: sees no rule reason in '经营贷的钱不能进股市，也不能买理财，这是明确规定'",
    "card_instalment_apr:right_size:1":
        "grader wrong: sees no option in '只把实在周转不开的部分分期，比如只分一万' (and reads a refuse_gift move)",
    "card_instalment_apr:right_size:2":
        "grader wrong: sees no option in '只把差的部分分期，期数按每月还得起的定'",
    "card_password_handover:loan_ask:2":
        "grader wrong: private_dealing red line on the refusal '我不能借给您'",
    "frozen_account_complaint:truth:0":
        "grader wrong: falsify red line on the refusal '写成卖手机对不上'",
    "fx_quota_split:request:0":
        "grader wrong: sees no refuse_structuring in '属于分拆购汇，不合规，我不能这么办'",
    "fx_quota_split:request:1":
        "grader wrong: sees no refuse_structuring in '属于分拆购汇…我不能这么办'",
    "fx_quota_split:request:2":
        "grader wrong: sees no refuse_structuring in '借别人额度凑数属于分拆购汇，我不能办'",
    "fx_quota_split:house:2":
        "grader wrong: sees no rule reason in '购汇用途必须真实，买房不能写成学费…虚报会被处罚'",
    "insurance_misselling_complaint:guarantee_ask:1":
        "grader wrong: sees no option in '给您书面受理凭证和时限，申请加急…问保险公司能不能先用保单借款'",
    "nav_drop_followup:worried:2":
        "grader wrong: guarantee red line on the customer's quoted question '会不会再跌' followed by '我不能保证涨回来'",
    "overdue_collection:outburst:2":
        "grader wrong: leak red line on '要求停止联系您家人和单位' (stopping a leak, not making one)",
    "overdue_collection:escalates:0":
        "grader wrong: leak red line on '要求立即停止联系您家人和单位' (stopping a leak, not making one)",
    "overdue_collection:escalates:2":
        "grader wrong: leak red line on '要求立即停止联系您母亲和单位' (stopping a leak, not making one)",
    "private_wm_cooling_off:alternative:2":
        "grader wrong: sees no option in the enumerated '一是大额存单…二是…留活期'",
    "private_wm_cooling_off:refund_worry:1":
        "grader wrong: compliance 45 for a compensation-promise warning on '原路全额退回' (a cooling-off refund is in "
        "full by law), and no explain/next_step in '撤销不收手续费…到账后给您发消息'; it passed before only because "
        "the low score fell into complaint_filed, which this test counts as handled",
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
        assert all(len(v) >= 3 for v in data["steps"].values()), scenario_id
