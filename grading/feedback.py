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


def feedback(report, moves_to_rules: dict) -> list:
    """At most three feedback points: red lines, then whole-reply problems, then the weakest area."""
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
