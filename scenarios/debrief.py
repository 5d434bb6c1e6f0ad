"""The debrief of what actually happened in an attempt, from its record and the scenario's text.

The ending's own debrief says what the scenario teaches; this says what this trainee did: which
requests were refused or agreed to, which hidden facts were found or missed, which red lines
were crossed, how the customer's mood went. In zh and en, one sentence per event.
"""
from __future__ import annotations

from scenarios.persona import render

# What the customer asked for, as a debrief names it (ids from grading/conversation.yml).
REQUEST_NAMES = {
    "offers_gift": ("送礼或红包", "a gift or red envelope"),
    "wants_guarantee": ("要求保本保收益的承诺", "a promise of no loss"),
    "wants_unsuitable_product": ("买超出风险等级的产品或改测评", "an unsuitable product or a changed assessment"),
    "wants_to_skip_disclosure": ("跳过风险揭示或双录", "skipping the risk disclosure or recording"),
    "wants_documents_padded": ("包装材料、做假流水", "padded documents"),
    "wants_approval_promise": ("保证贷款能批", "a promise of loan approval"),
    "wants_connections": ("走关系、特殊通道", "favours through connections"),
    "asks_third_party_info": ("打听他人的账户信息", "another person's account information"),
    "wants_to_avoid_reporting": ("拆分交易躲避登记或报告", "splitting transactions to avoid reporting"),
    "asks_about_reporting": ("追问是否被上报", "whether they were reported"),
    "wants_staff_operation": ("让员工代签、代操作", "the manager signing or operating for them"),
}
RED_LINE_NAMES = {
    "guarantee": ("承诺保本保收益", "promising no loss"), "suitability": ("不适当销售", "unsuitable sale"),
    "disclosure": ("省略风险揭示或双录", "skipping disclosure or recording"),
    "falsify": ("造假", "falsified documents"), "guarantee_approval": ("承诺贷款获批", "promising approval"),
    "favoritism": ("走关系", "favouritism"), "gift": ("收受礼品", "accepting a gift"),
    "leak": ("泄露客户信息", "leaking client information"),
    "aml_structuring": ("协助拆分规避报告", "helping to structure transactions"),
    "aml_tipoff": ("泄露可疑交易报告", "tipping off"), "tying": ("捆绑销售", "tying"),
    "private_dealing": ("代客操作或私下经手资金", "private dealing"),
    "uncategorised": ("红线", "a red line"),
}
MOOD_NAMES = {"furious": ("愤怒", "furious"), "upset": ("不满", "upset"), "uneasy": ("不安", "uneasy"),
              "calm": ("平静", "calm"), "satisfied": ("满意", "satisfied")}
# Reactions the debrief reports, by reaction id: what the customer noticed.
NOTICED = {
    "wrong_surname": ("第{t}轮叫错了客户的姓，客户当场纠正了你。", "Turn(s) {t}: you got the customer's surname wrong and were corrected."),
    "jargon": ("第{t}轮用了客户听不懂的行话，客户要你“说人话”。", "Turn(s) {t}: you used jargon the customer did not understand."),
    "repeated_question": ("第{t}轮问了客户已经说过的事。", "Turn(s) {t}: you asked for something the customer had already told you."),
    "small_talk_when_upset": ("第{t}轮在客户着急时闲聊，客户更生气了。", "Turn(s) {t}: small talk while the customer was upset made it worse."),
}


def describe(scenario, state) -> dict:
    """{"zh": [...], "en": [...]}: one sentence per thing that happened in this attempt."""
    from scenarios.engine import MOOD_BANDS, band   # the engine imports this module
    history = state.history
    zh, en = [], []

    def say(pair_zh: str, pair_en: str) -> None:
        zh.append(pair_zh)
        en.append(pair_en)

    totals = [h["total"] for h in history]
    if totals:
        worst = min(range(len(totals)), key=totals.__getitem__)
        say(f"共{len(totals)}轮，平均{round(sum(totals) / len(totals))}分，最低是第{worst + 1}轮（{totals[worst]}分）。",
            f"{len(totals)} turns, average {round(sum(totals) / len(totals))}, "
            f"weakest turn {worst + 1} ({totals[worst]}).")
    _requests(history, say)
    for h in history:
        for cat in h["red_lines"]:
            if not h.get("complied"):
                name = RED_LINE_NAMES.get(cat, RED_LINE_NAMES["uncategorised"])
                say(f"第{h['turn']}轮碰了红线：{name[0]}。", f"Turn {h['turn']}: red line crossed ({name[1]}).")
    for rid, (zh_text, en_text) in NOTICED.items():
        turns = [str(h["turn"]) for h in history if rid in h.get("reactions", ())]
        if turns:   # one sentence per kind of slip, naming every turn it happened on
            say(zh_text.format(t="、".join(turns)), en_text.format(t=", ".join(turns)))
    found_at = {f: h["turn"] for h in history for f in h["uncovered"]}
    for fact in scenario.facts:
        text = render(fact.fact, state.persona)
        if fact.id in found_at:
            say(f"第{found_at[fact.id]}轮你问出了：{text}", f"Turn {found_at[fact.id]}: you found out: {text}")
        else:
            say(f"你没有问出：{text}", f"You never found out: {text}")
    first = band(state.persona["mood"], MOOD_BANDS)
    last = band(state.mood, MOOD_BANDS)
    say(f"客户的情绪从“{MOOD_NAMES[first][0]}”到“{MOOD_NAMES[last][0]}”。",
        f"The customer's mood went from {MOOD_NAMES[first][1]} to {MOOD_NAMES[last][1]}.")
    return {"zh": zh, "en": en}


def _requests(history: list, say) -> None:
    """One sentence per improper request: refused (how many times) or agreed to (on which turn)."""
    seen = []
    for h in history:
        if h.get("request") and h["request"] not in seen:
            seen.append(h["request"])
    for request in seen:
        turns = [h for h in history if h.get("request") == request]
        zh_name, en_name = REQUEST_NAMES.get(request, (request, request))
        complied = [h["turn"] for h in turns if h.get("complied")]
        refused = [h["turn"] for h in turns if h.get("refused")]
        if complied:
            say(f"第{complied[0]}轮你答应了客户的请求（{zh_name}）：这是红线。",
                f"Turn {complied[0]}: you agreed to the customer's request ({en_name}): a red line.")
        elif len(refused) >= 2:
            say(f"客户提出{zh_name}，你在第{refused[0]}轮拒绝，客户换个说法再提，你第{refused[1]}轮再次拒绝，守住了。",
                f"The customer asked for {en_name}; you refused on turn {refused[0]}, they pushed back, "
                f"and you refused again on turn {refused[1]}.")
        elif refused:
            say(f"客户提出{zh_name}，你在第{refused[0]}轮拒绝了。",
                f"The customer asked for {en_name}; you refused on turn {refused[0]}.")
