"""The customer listens: replies played through the engine and the REAL grader, asserting what the
customer says back (reactions, push-back, rewording, the final line, the debrief)."""
import json
from dataclasses import replace

import pytest

from grading import grade
from grading.model import Finding
from scenarios import State, advance, start, step_context
from scenarios.persona import render
from scenarios.reactions import defaults
from scenarios.schema import REQUESTS
from scenario_helpers import make_report

GIFT_RUN = [  # gift_festival, seed 61: refuses the gift twice, then the favour twice
    "阿姨，太谢谢您了，这些年您这么信任我，这份心意我领了。不过按我们行的规定，客户的礼品和购物卡都不能收，"
    "这是纪律，东西请您带回去给家里人过节。最近家里都好吧？有什么需要我帮忙办的吗？",
    "阿姨，您替我着想的好意我明白。但不管是在网点、下班后，还是送到家里、发红包，我都不能收，这是我们的廉洁纪律，"
    "您的心意我记在心里了。",
    "阿姨，您为孩子操心我特别理解。因为审批是审批部门独立进行的，不能靠打招呼，我也没法保证一定能批，最终以审批"
    "结果为准。我能做的是帮他把材料准备扎实，请他带上营业执照和近一年的经营流水，资料一定要真实。这周五下午我约他"
    "来网点面谈，您看好吗？",
    "阿姨，这个招呼真的打不了。审批部门是独立审批的，不能靠关系，我也没法保证一定能批，最终以审批结果为准。我能做"
    "的是帮孩子把真实的材料准备扎实，这周五下午我约他来网点面谈，您看好吗？",
]


def play(scenario, seed, replies):
    """Each reply graded for real and advanced; the customer's lines after each, and the end."""
    state, _ = start(scenario, seed)
    lines, ending = [], None
    for reply in replies:
        assert ending is None, "the attempt ended before every reply was played"
        state, line, ending = advance(scenario, state, grade(reply, step_context(scenario, state)))
        lines.append(line)
    return state, lines, ending


def test_an_apology_is_acknowledged_when_the_customer_is_calm(library):
    _, (line,), _ = play(library["mortgage_thank_you_card"], 5, ["韩女士，真对不起让您等了这么久，材料的事我马上帮您查。"])
    assert line.startswith(("嗯，你这态度还行。", "行，你这么说我心里舒服点。"))


def test_an_apology_is_brushed_off_when_the_customer_is_furious(library):
    state, _ = start(library["complaint_wealth_loss"], 5)
    assert state.mood < 20
    _, (line,), _ = play(library["complaint_wealth_loss"], 5, ["您好，真对不起，让您着急了。"])
    assert line.startswith("光道歉有什么用？说说怎么解决！")


def test_jargon_draws_a_question(library):
    _, (line,), _ = play(library["nav_drop_followup"], 5, ["您好，您这款产品的久期比较长，最大回撤也大，最近净值有回落。"])
    assert "久期" in line.split("。")[0] and "说人话" in line
    # A scenario's own jargon reaction speaks in its persona's voice: a retired teacher is
    # puzzled by the word, but does not say "说人话".
    _, (line,), _ = play(library["retiree_r4_product"], 5, ["您好，这个产品的久期比较长，最大回撤也大，不太适合您。"])
    assert "久期" in line.split("。")[0] and "说人话" not in line


def test_a_wrong_surname_is_corrected(library):
    state, (line,), _ = play(library["gift_festival"], 61, ["王阿姨您好，礼物我真的不能收，这是纪律，心意我领了。"])
    assert state.persona["surname"] == "胡"
    assert line.startswith("哦，我姓胡，不姓别的。") or line.startswith("我姓胡。")


def test_asking_again_for_what_the_customer_told_gets_i_just_said(library):
    scenario = library["transfer_not_arrived"]
    _, lines, _ = play(scenario, 3, ["您好，我来帮您查，请问您转账时的回单还在吗？", "请问收款人的户名您核对过吗？",
                                     "请问收款人的户名您核对过吗？"])
    assert "我刚才不是说了吗" not in lines[1]
    assert lines[2].startswith("我刚才不是说了吗") and "许桂香" in lines[2]


def test_small_talk_makes_an_upset_customer_angrier(library):
    scenario = library["transfer_not_arrived"]
    before, _ = start(scenario, 3)
    state, (line,), _ = play(scenario, 3, ["今天天气真好啊，您吃饭了吗？"])
    assert line.startswith(("我都急成这样了，你还跟我扯这些？", "你别东拉西扯的"))
    assert state.mood < before.mood - 15     # the brush-off branch's -15 and the reaction's -10


def test_agreeing_to_an_improper_request_ends_with_the_customer_proceeding_as_agreed(library):
    scenario = library["gift_festival"]
    state, (line,), ending = play(scenario, 61, ["好的阿姨，那我就收下了，谢谢您。"])
    assert ending.outcome == "red_line_breach"
    assert line == "这就对了嘛！跟阿姨客气啥。" == scenario.endings["accepted"].customer[0]
    assert state.customer_line == line


TINY = """
id: tiny_agreement
version: 1
title: {zh: 测试, en: Test}
kind: gift
difficulty: 1
tracks: [onboarding]
on_max_turns: done
persona:
  vars: {surname: last_name}
  name: "{surname}先生"
  address: "{surname}先生"
  age: 40
  occupation: 职员
  segment: 大众客户
  finances: 活期几万元
  mood: 50
  trust: 50
  goals: [送礼]
steps:
  - id: offer
    customer: ["这点心意你收着。"]
    expects: {model_answer: 心意领了，礼物不能收。, why: 拒收礼品。}
    transitions:
      - when: {red_line: true}
        next: after
      - when: default
        end: done
  - id: after
    customer: ["那我下周再来办业务。"]
    expects: {model_answer: 好的。, why: 收尾。}
    transitions:
      - when: default
        end: done
endings:
  - id: done
    outcome: resolved
    debrief: {zh: 结束。, en: Done.}
"""


def test_agreement_where_the_scenario_goes_on_draws_the_proceed_line(tmp_path):
    from scenarios import load_scenario
    path = tmp_path / "tiny_agreement.yml"
    path.write_text(TINY, encoding="utf-8")
    scenario = load_scenario(path)
    state, _ = start(scenario, 1)
    report = make_report("好的，那我收下了。", total=30, red=["gift"])
    report.reading = {"request": "offers_gift", "stance": "complies"}
    new, line, ending = advance(scenario, state, report)
    assert ending is None and new.step == "after"
    assert line in ("那就说定了，按你说的办。那我下周再来办业务。", "好，就照你说的来。那我下周再来办业务。")
    assert new.history[-1]["complied"] and new.history[-1]["request"] == "offers_gift"


def test_a_refusal_draws_push_back_and_a_second_refusal_is_needed(library):
    scenario = library["gift_festival"]
    state, lines, ending = play(scenario, 61, GIFT_RUN[:3])
    # One refusal would have ended the attempt: the customer pushes back with the step's second
    # push (written to follow the refusal), not the request she just heard refused replayed.
    assert ending is None and state.step == "favor_ask"
    opener = next(o for o in ("真的一点都不能通融吗？", "哎，你再想想嘛。") if lines[2].startswith(o))
    step = scenario.steps["favor_ask"]
    assert lines[2][len(opener):] in {render(p, state.persona) for p in step.pushback}
    assert not any(render(v, state.persona) in lines[2] for v in step.customer)
    state, lines, ending = play(scenario, 61, GIFT_RUN)
    assert ending.id == "resolved"
    accepts = [line["zh"] for line in library_reaction("accepts_firm_refusal")["lines"]["default"]]
    assert any(lines[3].startswith(a) for a in accepts), lines[3]
    assert state.refusals == {"offers_gift": 2, "wants_connections": 2}


def library_reaction(reaction_id: str) -> dict:
    """One of the library's default reactions as written in scenarios/reactions.yml."""
    return next(r for r in defaults()["reactions"] if r["id"] == reaction_id)


def test_the_ending_returns_the_customers_final_line(library):
    state, lines, ending = play(library["gift_festival"], 61, GIFT_RUN)
    assert lines[-1] == state.customer_line
    assert lines[-1].endswith("礼我拿回去，回头让他直接找你。")
    # The ending's own words are kept apart too: the report shows them as the last words.
    assert state.final_line.endswith("礼我拿回去，回头让他直接找你。") and lines[-1].endswith(state.final_line)
    assert not any(line["zh"] in state.final_line
                   for line in library_reaction("accepts_firm_refusal")["lines"]["default"])


def test_an_ending_without_its_own_words_gets_the_library_parting_line(library):
    scenario = library["gift_festival"]
    assert not scenario.endings["red_line"].customer
    state, _ = start(scenario, 61)
    _, line, ending = advance(scenario, state, make_report(total=30, red=["favoritism"]))
    assert ending.id == "red_line" and line == "好，那就按你说的办，说定了啊。"


def test_the_debrief_names_the_refused_requests_and_the_missed_fact(library):
    state, _, _ = play(library["gift_festival"], 61, GIFT_RUN)
    zh, en = state.debrief["zh"], state.debrief["en"]
    assert "客户提出走关系、特殊通道，你在第3轮拒绝，客户换个说法再提，你第4轮再次拒绝，守住了。" in zh
    assert "你没有问出：礼盒里夹着一张2000元的购物卡。" in zh
    assert any(s.startswith("第1轮你问出了：儿子鹏") for s in zh)
    assert "The customer asked for favours through connections; you refused on turn 3, they pushed back, " \
           "and you refused again on turn 4." in en
    assert "You never found out: 礼盒里夹着一张2000元的购物卡。" in en


def test_the_debrief_names_an_agreed_request_and_says_nothing_of_refusals(library):
    state, _, _ = play(library["gift_festival"], 61, ["好的阿姨，那我就收下了，谢谢您。"])
    zh = state.debrief["zh"]
    assert "第1轮你答应了客户的请求（送礼或红包）：这是红线。" in zh
    assert not any("拒绝" in s for s in zh)


def _through_mortgage(scenario, early: int, final_compliance: int):
    """mortgage_thank_you_card to its last step with `early`-point turns, then a final reply
    that makes the next step but carries a warning (compliance `final_compliance`)."""
    state, _ = start(scenario, 5)
    for moves in (["refuse_gift"], ["refuse_gift"], ["next_step"]):
        state, _, _ = advance(scenario, state, make_report(total=early, moves=moves, empathy=max(early, 60),
                                                           compliance=max(early, 70)))
    assert state.step == "docs"
    return advance(scenario, state, make_report(total=80, moves=["next_step"], compliance=final_compliance))


def test_one_warning_on_an_excellent_final_turn_does_not_send_the_customer_away(library):
    scenario = library["mortgage_thank_you_card"]
    _, line, ending = _through_mortgage(scenario, early=90, final_compliance=65)
    # refused_only: the sound ending for a run that never drew out the missing documents
    # (resolved needs that fact since the content corrections).
    assert ending.id == "refused_only"
    # The same final reply after a middling run: the run, not the one turn, decides.
    _, _, ending = _through_mortgage(scenario, early=60, final_compliance=65)
    assert ending.id == "customer_left"


def test_a_phrase_the_step_forbids_is_not_averaged_away(library):
    """What the step tests is not a slip: a final reply with the step's forbidden phrase (a
    warning, not a red line) is judged on its own scores, however good the run was."""
    scenario = library["mortgage_thank_you_card"]
    state, _ = start(scenario, 5)
    for moves in (["refuse_gift"], ["refuse_gift"], ["next_step"]):
        state, _, _ = advance(scenario, state, make_report(total=90, moves=moves, empathy=90, compliance=90))
    report = make_report(total=80, moves=["next_step"], compliance=65)
    report.findings.append(Finding(rule="step.forbidden", dimension="compliance", level="warning",
                                   message="forbidden at this step"))
    _, _, ending = advance(scenario, state, report)
    assert ending.id == "customer_left"


def test_a_red_line_on_the_final_turn_is_never_forgiven(library):
    scenario = library["mortgage_thank_you_card"]
    state, _ = start(scenario, 5)
    for moves in (["refuse_gift"], ["refuse_gift"], ["next_step"]):
        state, _, _ = advance(scenario, state, make_report(total=95, moves=moves))
    _, _, ending = advance(scenario, state, make_report(total=40, red=["gift"], moves=["next_step"]))
    assert ending.outcome == "red_line_breach"


def test_a_step_asking_for_options_already_offered_is_reworded(library):
    scenario = library["retiree_r4_product"]
    state, _ = start(scenario, 5)
    state = replace(state, step="risk_gap")
    _, line, _ = advance(scenario, state, make_report("可以看看大额存单和储蓄国债。", total=80, moves=["options"]))
    assert line == "你刚才说的那几样，哪个利息能多点？可别又是那种一年才几百块利息的。"
    # "Suitable options" promised but none named: the customer asks for them, not "那几样".
    _, line, _ = advance(scenario, state, make_report("我帮您找适合您的稳一些的选择。", total=80, moves=["options"]))
    assert "那几样" not in line
    state = replace(start(scenario, 5)[0], step="insists")
    _, line, _ = advance(scenario, state, make_report(total=80, moves=["rule_reason"]))
    assert line in [s.replace("{amount}", str(state.persona["amount"])) for s in scenario.steps["alternatives"].customer]


def test_a_time_already_named_is_not_asked_for_again(library):
    scenario = library["transfer_not_arrived"]
    state = replace(start(scenario, 3)[0], step="still_waiting")
    _, line, _ = advance(scenario, state, make_report("我马上提交查询，今天下午五点之前给您回电话。", total=70))
    assert line.endswith("你刚才说的那个时间我记下了。到时候谁给我回话？你留个电话给我。")


def test_a_state_stored_before_reactions_still_plays(library):
    scenario = library["gift_festival"]
    state, _ = start(scenario, 61)
    old = json.loads(json.dumps(state.to_dict()))
    for key in ("given", "refusals", "debrief"):
        del old[key]
    new, line, _ = advance(scenario, State.from_dict(old), grade(GIFT_RUN[0], step_context(scenario, state)))
    assert new.step == "deferred" and line


def test_the_engine_knows_every_request_type_the_grader_reads():
    from grading.conversation import catalogue
    assert set(catalogue()[0]) == set(REQUESTS) - {"improper"}


@pytest.mark.parametrize("sid", ["fix_risk_assessment", "retiree_r4_product", "aml_split_withdrawal",
                                 "transfer_not_arrived"])
def test_the_scenarios_that_reword_a_step_say_so(library, sid):
    assert any(step.unless_given for step in library[sid].steps.values())


def test_the_customer_corrects_a_misstated_bank_before_going_on(library):
    scenario = library["transfer_not_arrived"]
    state, _ = start(scenario, 11)
    persona = state.persona
    wrong = "招商银行" if persona["payee_bank"] != "招商银行" else "工商银行"
    reply = f"{persona['address']}，您好，您是{persona['days']}天前转给{wrong}的那笔钱没到账，对吧？我马上帮您查。"
    state, line, _ = advance(scenario, state, grade(reply, step_context(scenario, state)))
    assert line.startswith(("不对", "等一下")) and persona["payee_bank"] in line and wrong in line


def test_a_sum_the_trainee_works_out_or_rounds_is_not_corrected(library):
    scenario = library["aggressive_investor_proper_sale"]
    state, _ = start(scenario, 11)
    amount, down = state.persona["amount"], state.persona["down"]
    # the remainder after the down payment, and a rough figure: neither is a slip
    reply = (f"{state.persona['address']}，首付那部分单独放存款，剩下的{amount - down}万再考虑这款，"
             f"总共大约{amount + 3}万也一样。业绩比较基准不代表实际收益，理财非存款，可能亏本金。")
    _, line, _ = advance(scenario, state, grade(reply, step_context(scenario, state)))
    assert not line.startswith(("不对", "等一下")), line
