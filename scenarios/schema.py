"""The scenario format in one place: allowed keys, their types, and the fixed vocabularies."""
from __future__ import annotations

import re

from grading import DIMENSIONS, KINDS, RED_LINE_CATEGORIES  # noqa: F401  (re-exported)

# Move ids the grader recognises. Steps may only expect these, so a typo ("greting") is a load
# error rather than a move nobody can ever make.
MOVES = (
    "greeting", "apology", "thanks", "acknowledge", "restate", "ownership", "investigate",
    "explain", "options", "next_step", "close", "needs_check", "product_fit", "risk_disclosure",
    "non_deposit", "benchmark_disclaimer", "past_performance_disclaimer", "dual_recording",
    "cooling_off", "customer_decides", "elder_care", "refuse_gift", "refuse_disclosure",
    "lawful_route", "verify_identity", "rule_reason", "refuse_structuring", "fraud_warning",
    "approval_disclaimer", "credit_report", "truthful_documents", "result_stated",
    # courtesy and form moves the grader also proves
    "honorific", "title", "please", "enumerate",
)

# How an attempt can end. A coach's report groups attempts by these, so the set is closed.
OUTCOMES = (
    "resolved", "escalated", "complaint_filed", "customer_left", "sale_completed",
    "sale_refused_correctly", "reported_internally", "red_line_breach",
)

# What a transition's `when` may test. Scores compare against a number; the rest name things.
SCORE_KEYS = DIMENSIONS + ("total",)
STATE_KEYS = ("mood", "trust")
# What the whole run so far says (this reply included): the ending follows from all of it.
RUN_KEYS = ("run_average", "run_worst", "run_red_lines")
# What the reply did to the customer's request, and how it spoke (derived from the Report).
SIGNAL_KEYS = ("finding", "request", "stance", "refused", "complied", "refusals", "pushed_back",
               "repeats_question", "small_talk", "jargon", "seasoned", "misstated", "ends")
CONDITION_KEYS = ("red_line",) + SCORE_KEYS + STATE_KEYS + RUN_KEYS + (
    "asked", "not_asked", "has_move", "missing_move", "flag",
) + SIGNAL_KEYS
# Request types and stances the grader reads (grading/conversation.yml), plus two groupings.
REQUESTS = ("improper", "legitimate", "offers_gift", "wants_guarantee", "wants_unsuitable_product",
            "wants_to_skip_disclosure", "wants_documents_padded", "wants_approval_promise",
            "wants_connections", "asks_third_party_info", "wants_to_avoid_reporting",
            "asks_about_reporting", "wants_staff_operation")
STANCES = ("complies", "defers", "refuses", "counters", "ignores", "answers")
# Reaction lines are chosen by the customer's mood band before the reply (or `default`).
MOOD_BAND_NAMES = ("furious", "upset", "uneasy", "calm", "satisfied")
# Extra placeholders a reaction line may use, filled from what the reply did.
REACTION_PLACEHOLDERS = ("surname", "jargon", "fact", "said", "actual")
# Flags the grader may put on a reply (Report.flags).
FLAGS = ("empty", "gibberish", "echo", "no_substance", "off_topic", "keyword_gaming", "slogans")
COMPARISON = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(-?\d+)\s*$")

ID = re.compile(r"^[a-z][a-z0-9_]*$")
CUSTOMER_RISKS = ("C1", "C2", "C3", "C4", "C5")
PRODUCT_RISKS = ("R1", "R2", "R3", "R4", "R5")

# Persona variables: Faker (zh_CN) methods a scenario may call by name. A closed list keeps
# scenario files from calling arbitrary code and lets `check` catch a misspelt generator.
FAKER_METHODS = (
    "name", "name_male", "name_female", "last_name", "first_name", "first_name_male",
    "first_name_female", "company", "company_prefix", "job", "city", "city_name", "province",
    "district", "street_address", "address", "phone_number", "bank",
)
# Inline generators: {int: [lo, hi], step: n}, {choice: [...]}, {date: [from, to]}.
GENERATORS = ("int", "choice", "date")

# Each mapping in the format: key -> (allowed types, required). `str` values are templates.
TEXT = (str,)
INT = (int,)
LIST = (list,)
MAP = (dict,)
FIELDS = {
    "scenario": {
        "id": (TEXT, True), "version": (INT, True), "title": (MAP, True), "kind": (TEXT, True),
        "difficulty": (INT, True), "tracks": (LIST, True), "max_turns": (INT, False),
        "on_max_turns": (TEXT, True), "persona": (MAP, True), "product": (MAP, False),
        "steps": (LIST, True), "endings": (LIST, True), "reactions": (LIST, False),
    },
    "title": {"zh": (TEXT, True), "en": (TEXT, True)},
    "persona": {
        "vars": (MAP, False), "name": (TEXT, True), "address": (TEXT, True),
        "age": (INT + MAP, True), "occupation": (TEXT, True), "segment": (TEXT, True),
        "risk_level": (TEXT, False), "finances": (TEXT, True), "background": (TEXT, False),
        "mood": (INT + MAP, True), "trust": (INT + MAP, True), "goals": (LIST, True),
        "hidden_facts": (LIST, False),
    },
    "hidden_fact": {
        "id": (TEXT, True), "fact": (TEXT, True), "asked_by": (LIST, True),
        "reveal": (TEXT, False),
    },
    "product": {
        "name": (TEXT, True), "type": (TEXT, False), "risk": (TEXT, True),
        "features": (LIST, False), "fees": (TEXT, False), "lockup": (TEXT, False),
    },
    "step": {
        "id": (TEXT, True), "customer": (LIST, True), "kind": (TEXT, False),
        "hint": (TEXT, False), "expects": (MAP, True), "transitions": (LIST, True),
        "unless_given": (LIST, False), "pushback": (LIST, False),
        "sources": (LIST, False),
    },
    "unless_given": {
        "move": (TEXT, False), "said": (TEXT, False), "asked": (TEXT, False), "say": (LIST, True),
    },
    "reaction": {
        "id": (TEXT, True), "when": (MAP, False), "lines": (MAP, False), "group": (TEXT, False),
        "mood": (INT, False), "trust": (INT, False), "hold": ((bool,), False),
        "once": ((bool,), False), "disable": ((bool,), False),
    },
    "reaction_line": {"zh": (TEXT, True), "en": (TEXT, False)},
    # scenarios/reactions.yml
    "reactions_file": {"reactions": (LIST, True), "partings": (MAP, True)},
    "expects": {
        "moves": (LIST, False), "forbidden": (LIST, False), "model_answer": (TEXT, True),
        "why": (TEXT, True),
    },
    "forbidden": {
        "pattern": (TEXT, True), "message": (TEXT, True), "category": (TEXT, False),
        "dimension": (TEXT, False),
    },
    "transition": {
        "when": (MAP + TEXT, True), "mood": (INT, False), "trust": (INT, False),
        "say": (LIST + TEXT, False), "next": (TEXT, False), "end": (TEXT, False),
    },
    "ending": {
        "id": (TEXT, True), "outcome": (TEXT, True), "customer": (LIST, False),
        "debrief": (MAP, True), "sources": (LIST, False),
    },
    "debrief": {"zh": (TEXT, True), "en": (TEXT, True)},
    # tracks.yml
    "tracks_file": {"tracks": (LIST, True)},
    "track": {
        "id": (TEXT, True), "title": (MAP, True), "description": (MAP, True),
        "hints": ((bool,), True), "model_answers": (TEXT, True), "difficulties": (LIST, True),
        "red_line_trap": ((bool,), True), "red_line_fails": ((bool,), True),
        "pass_mark": (INT, False),
    },
}

# Sources a scenario may cite in `sources:` (on a step: for its hint, model answer and why; on an
# ending: for its debrief). An item is a short name, optionally followed by the article, e.g.
# "适当性办法 第29条". A closed list, so a citation names a real text and a typo is a check error.
SOURCES = {
    "适当性办法": "《金融机构产品适当性管理办法》（金融监管总局令2025年第7号，2026-02-01施行）",
    "理财办法": "《商业银行理财业务监督管理办法》（银保监会令2018年第6号）及附件《商业银行理财产品销售管理要求》",
    "理财公司销售办法": "《理财公司理财产品销售管理暂行办法》（银保监会令2021年第4号）",
    "资管新规": "《关于规范金融机构资产管理业务的指导意见》（银发〔2018〕106号）",
    "双录规定": "《银行业金融机构销售专区录音录像管理暂行规定》（银监办发〔2017〕110号）",
    "私募暂行办法": "《私募投资基金监督管理暂行办法》（证监会令第105号）",
    "私募条例": "《私募投资基金监督管理条例》（国务院令第762号）",
    "私募募集办法": "《私募投资基金募集行为管理办法》（中国证券投资基金业协会，2016）",
    "非法集资条例": "《防范和处置非法集资条例》（国务院令第737号）",
    "投诉办法": "《银行业保险业消费投诉处理管理办法》（银保监会令2020年第3号）",
    "消保办法": "《银行保险机构消费者权益保护管理办法》（银保监会令2022年第9号）",
    "消保法": "《中华人民共和国消费者权益保护法》",
    "反洗钱法": "《中华人民共和国反洗钱法》（2024年修订，2025-01-01施行）",
    "尽调办法": "《金融机构客户尽职调查和客户身份资料及交易记录保存管理办法》（令〔2025〕第11号，2026-01-01施行）",
    "大额可疑办法": "《金融机构大额交易和可疑交易报告管理办法》（中国人民银行令〔2016〕第3号）",
    "反电诈法": "《中华人民共和国反电信网络诈骗法》（2022-12-01施行）",
    "个保法": "《中华人民共和国个人信息保护法》",
    "商业银行法": "《中华人民共和国商业银行法》",
    "民法典": "《中华人民共和国民法典》",
    "刑法": "《中华人民共和国刑法》",
    "个贷办法": "《个人贷款管理办法》（国家金融监督管理总局令2024年第3号）",
    "七不准": "《关于整治银行业金融机构不规范经营的通知》（银监发〔2012〕3号：七不准、四公开）",
    "从业人员指引": "《银行业金融机构从业人员行为管理指引》（银监发〔2018〕9号）",
    "职业操守": "《银行业从业人员职业操守和行为准则》（中国银行业协会）",
    "声誉风险办法": "《银行保险机构声誉风险管理办法（试行）》（银保监发〔2021〕4号）",
    "存款保险条例": "《存款保险条例》（国务院令第660号）",
    "征信条例": "《征信业管理条例》（国务院令第631号）",
    # Texts the planned scenarios (insurance, FX, accounts, term deposits, credit cards) will cite.
    "保险法": "《中华人民共和国保险法》",
    "保险销售办法": "《保险销售行为管理办法》（国家金融监督管理总局令2023年第2号）",
    "个人外汇办法": "《个人外汇管理办法》（中国人民银行令〔2006〕第3号）及其实施细则",
    "储蓄条例": "《储蓄管理条例》（国务院令第107号）",
    "结算账户办法": "《人民币银行结算账户管理办法》（中国人民银行令〔2003〕第5号）",
    "信用卡通知": "《关于进一步促进信用卡业务规范健康发展的通知》（银保监规〔2022〕13号）",
    # Texts the new scenarios (FX, business loans, credit cards, bancassurance) cite beyond those.
    "结售汇通知": "《国家外汇管理局关于进一步完善个人结售汇业务管理的通知》（汇发〔2009〕56号）",
    "购汇申请书": "《个人购汇申请书》（国家外汇管理局，2017年起启用）",
    "经营贷通知": "《关于防止经营用途贷款违规流入房地产领域的通知》（银保监办发〔2021〕39号）",
    "信用卡办法": "《商业银行信用卡业务监督管理办法》（银监会令2011年第2号）",
    "可回溯办法": "《保险销售行为可回溯管理暂行办法》（保监发〔2017〕54号）",
    "新型产品信披办法": "《人身保险新型产品信息披露管理办法》（保监会2009年发布、2009-10-01施行；2023-06-30起由《人身保险产品信息披露管理办法》取代）",
    "人身险信披办法": "《人身保险产品信息披露管理办法》（银保监会令2022年第8号，2023-06-30施行）",
    "银保销售通知": "《中国保监会 中国银监会关于进一步规范商业银行代理保险业务销售行为的通知》（保监发〔2014〕3号）",
    "行内制度": "本行内部制度（不是监管规定：首问负责、1小时响应/24小时反馈、上报流程等）",
    "服务规范": "种子标准《银行客户经理服务流程与规范》（本项目培训所依据的服务标准）",
}
# Text that states a rule: a step or ending whose hint, model answer, why or debrief matches this
# must cite what it relies on in `sources:`.
RULE_CUE = re.compile(
    r"《[^》]{2,}》|第[0-9一二三四五六七八九十百]+条|(按|依照|按照|根据)(监管|国家|相关)?(的)?规定"
    r"|监管(要求|规定)|依法|法律规定|法规|regulation|the law\b"
)

DEFAULT_MAX_TURNS = 10
# Persona fields a customer line may name as {placeholders}, besides the scenario's vars.
PERSONA_PLACEHOLDERS = ("name", "address", "age", "occupation", "segment", "risk_level")
PRODUCT_PLACEHOLDERS = ("product_name", "product_risk")


def type_name(types: tuple) -> str:
    """Readable name of the allowed types, for an error message."""
    names = {str: "text", int: "a whole number", list: "a list", dict: "a mapping",
             bool: "true or false"}
    return " or ".join(names[t] for t in types)
