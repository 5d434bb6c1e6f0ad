"""Turn a report's evidence into 1–3 points a trainee can act on, most important first."""
from __future__ import annotations

CATEGORY_NAMES = {
    "guarantee": "承诺保本保收益", "suitability": "适当性", "disclosure": "规避风险揭示/双录",
    "falsify": "资料造假", "guarantee_approval": "承诺审批", "favoritism": "人情审批",
    "gift": "收受礼品", "leak": "泄露客户信息", "aml_structuring": "协助拆分交易",
    "aml_tipoff": "泄露反洗钱报告", "tying": "以贷转存/搭售/乱收费", "private_dealing": "飞单/私下交易",
}
FLAG_MESSAGES = {
    "empty": "回复是空的：请针对客户的问题作答。",
    "gibberish": "回复无法理解：请用完整的中文句子回应客户。",
    "echo": "回复只是重复了客户的话：请回应客户的诉求，说明您会怎么做。",
    "no_substance": "回复只有客套话和连接词，没有实际内容：请说明原因、方案和下一步。",
    "off_topic": "回复没有回应客户的问题：先处理客户关心的事，不要转去推销。",
    "keyword_gaming": "回复像是在堆砌关键词或客套话，没有真正回应客户：请用完整的话说明原因、办法和下一步。",
}
DIMENSION_NAMES = {"etiquette": "礼仪化", "structure": "结构化", "empathy": "同理心", "compliance": "合规"}

# The same words for an English UI (a trainee reads them; the grade is the same).
CATEGORY_NAMES_EN = {
    "guarantee": "Guaranteed capital or returns", "suitability": "Suitability",
    "disclosure": "Skipped risk disclosure / dual recording", "falsify": "Falsified documents",
    "guarantee_approval": "Promised loan approval", "favoritism": "Approval through connections",
    "gift": "Accepting gifts", "leak": "Leaking customer information",
    "aml_structuring": "Helping to structure transactions", "aml_tipoff": "Tipping off about AML reports",
    "tying": "Loan tying / bundling / improper fees", "private_dealing": "Private dealing / off-book sales",
}
FLAG_MESSAGES_EN = {
    "empty": "The reply is empty: answer the customer's question.",
    "gibberish": "The reply cannot be understood: answer the customer in full Chinese sentences.",
    "echo": "The reply only repeats the customer's words: respond to what they want and say what you will do.",
    "no_substance": "The reply is only pleasantries and linking words with nothing in it: give the reason, "
                    "the options and the next step.",
    "off_topic": "The reply does not answer the customer's question: deal with their concern first, "
                 "do not switch to selling.",
    "keyword_gaming": "The reply reads like keywords or pleasantries strung together, not a real answer: "
                      "explain the reason, what can be done and the next step in full sentences.",
}
DIMENSION_NAMES_EN = {"etiquette": "Etiquette", "structure": "Structure", "empathy": "Empathy",
                      "compliance": "Compliance"}


def category_name(category: str, lang: str = "zh") -> str:
    """A red-line category's name in the UI language (the id itself when unknown)."""
    names = CATEGORY_NAMES_EN if lang == "en" else CATEGORY_NAMES
    return names.get(category, category)


def feedback(report, moves_to_rules: dict, lang: str = "zh") -> list:
    """At most three feedback points: red lines, then whole-reply problems, then the weakest area.
    `lang="en"` gives the same points in English."""
    if lang == "en":
        return _feedback_en(report, moves_to_rules)
    points = []
    for f in report.red_lines[:2]:
        name = CATEGORY_NAMES.get(f.category, f.category)
        points.append(f"红线（{name}）：“{f.text}”——{f.message}。建议：{f.suggestion}")
    for flag in report.flags:
        points.append(FLAG_MESSAGES[flag])
    warnings = [f for f in report.findings if f.level == "warning"]
    for f in warnings[:2]:
        points.append(f"{DIMENSION_NAMES[f.dimension]}：“{f.text}”——{f.message}。{f.suggestion}")
    weakest = sorted(report.scores, key=lambda d: report.scores[d])
    for group in report.missing_moves:
        rule = next((moves_to_rules.get(m) for m in group.split("|") if m in moves_to_rules), None)
        if rule is None:
            continue
        if rule.dimension in weakest[:2] or len(points) < 2:
            points.append(f"{DIMENSION_NAMES[rule.dimension]}：缺少“{rule.message}”。")
    if not points:
        points.append("回复完整得体，继续保持。")
    return points[:3]


def _feedback_en(report, moves_to_rules: dict) -> list:
    """The points of feedback() in English, chosen the same way (the quoted reply stays as typed)."""
    points = []
    for f in report.red_lines[:2]:
        name = CATEGORY_NAMES_EN.get(f.category, f.category)
        points.append(f"Red line ({name}): “{f.text}” — {f.message_for('en')}. Instead: {f.suggestion_for('en')}")
    for flag in report.flags:
        points.append(FLAG_MESSAGES_EN[flag])
    warnings = [f for f in report.findings if f.level == "warning"]
    for f in warnings[:2]:
        points.append(f"{DIMENSION_NAMES_EN[f.dimension]}: “{f.text}” — {f.message_for('en')}. "
                      f"{f.suggestion_for('en')}")
    weakest = sorted(report.scores, key=lambda d: report.scores[d])
    for group in report.missing_moves:
        rule = next((moves_to_rules.get(m) for m in group.split("|") if m in moves_to_rules), None)
        if rule is None:
            continue
        if rule.dimension in weakest[:2] or len(points) < 2:
            points.append(f"{DIMENSION_NAMES_EN[rule.dimension]}: missing: {rule.message_en or rule.message}.")
    if not points:
        points.append("A complete, well-judged reply: keep it up.")
    return points[:3]
