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
    "slogans": "回复是一串口号，没有跟客户说清楚：请用完整的话说明为什么、能怎么办、下一步做什么。",
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
    "slogans": "The reply is a string of slogans, not an explanation: tell the customer why, what can be "
               "done and what happens next, in full sentences.",
}
DIMENSION_NAMES_EN = {"etiquette": "Etiquette", "structure": "Structure", "empathy": "Empathy",
                      "compliance": "Compliance"}


def category_name(category: str, lang: str = "zh") -> str:
    """A red-line category's name in the UI language (the id itself when unknown)."""
    names = CATEGORY_NAMES_EN if lang == "en" else CATEGORY_NAMES
    return names.get(category, category)


# How each point is worded, per language: the same points are chosen for both.
POINTS = {
    "zh": {"red": "红线（{name}）：“{text}”——{message}。建议：{suggestion}",
           "red_bare": "红线（{name}）：“{text}”——{message}。",
           "warning": "{dim}：“{text}”——{message}。{suggestion}",
           "missing": "{dim}：缺少“{move}”。", "fine": "回复完整得体，继续保持。"},
    "en": {"red": "Red line ({name}): “{text}” — {message}. Instead: {suggestion}",
           "red_bare": "Red line ({name}): “{text}” — {message}.",
           "warning": "{dim}: “{text}” — {message}. {suggestion}",
           "missing": "{dim}: missing — {move}.", "fine": "A complete, well-judged reply: keep it up."},
}


def feedback(report, moves_to_rules: dict, lang: str = "zh") -> list:
    """At most three feedback points: red lines, then whole-reply problems, then the weakest area.
    `lang="en"` words the same points in English (the quoted reply stays as typed)."""
    return _worded(_chosen(report, moves_to_rules), lang)


def feedbacks(report, moves_to_rules: dict) -> tuple:
    """The feedback points in Chinese and in English: the points are chosen once for both."""
    points = _chosen(report, moves_to_rules)
    return _worded(points, "zh"), _worded(points, "en")


def _chosen(report, moves_to_rules: dict) -> list:
    """The points feedback makes, as (kind, what) pairs, most important first, at most three
    (the same for every language: only their wording differs)."""
    points = [("red", f) for f in report.red_lines[:2]]
    points += [("flag", flag) for flag in report.flags]
    warnings = [f for f in report.findings if f.level == "warning"]
    points += [("warning", f) for f in warnings[:2]]
    if len(points) >= 3:       # nothing after the third point is said
        return points[:3]
    weakest = None
    for group in report.missing_moves:
        rule = _group_rule(group, moves_to_rules)
        if rule is None:
            continue
        if weakest is None:
            weakest = sorted(report.scores, key=report.scores.__getitem__)[:2]
        if rule.dimension in weakest or len(points) < 2:
            points.append(("missing", rule))
            if len(points) >= 3:
                break
    return points[:3]


def _group_rule(group: str, moves_to_rules: dict):
    """The rule of the first move of a group ("a|b") that has one."""
    for move in group.split("|"):
        if move in moves_to_rules:
            return moves_to_rules[move]
    return None


def _worded(points: list, lang: str) -> list:
    """The chosen points in the UI language."""
    en = lang == "en"
    words, dims = POINTS["en" if en else "zh"], DIMENSION_NAMES_EN if en else DIMENSION_NAMES
    out = []
    for kind, what in points:
        if kind == "red":
            f = what
            # a scenario author's message often ends in its own full stop: one is enough
            out.append(words["red" if f.suggestion_for(lang) else "red_bare"].format(
                name=category_name(f.category, lang), text=f.text, message=f.message_for(lang).rstrip("。."),
                suggestion=f.suggestion_for(lang)))
        elif kind == "flag":
            out.append((FLAG_MESSAGES_EN if en else FLAG_MESSAGES)[what])
        elif kind == "warning":
            f = what
            out.append(words["warning"].format(dim=dims[f.dimension], text=f.text, message=f.message_for(lang).rstrip("。."),
                                               suggestion=f.suggestion_for(lang)))
        else:
            rule = what
            move = (rule.message_en or rule.message) if en else rule.message
            move = move[:1].lower() + move[1:] if en else move   # "missing — naming the customer's feelings"
            out.append(words["missing"].format(dim=dims[rule.dimension], move=move))
    if not out:
        out.append(words["fine"])
    return out
