"""The arithmetic from findings to four scores and a total — small enough to read in a minute.

Each dimension starts from the rubric's "neutral" band and moves with the evidence:
good moves add, rule penalties subtract (each rule at most three times), rule caps and
whole-reply flags (empty, gibberish, echo, no substance, off topic) set ceilings.
"""
from __future__ import annotations

WEIGHTS = {"etiquette": 0.20, "structure": 0.25, "empathy": 0.25, "compliance": 0.30}
RED_LINE_CAP = 30   # any red line caps the total here: below the pass band, whatever else was good
GAMING_CAP = 15     # a reply that games the grader stays in the lowest band (score // 20 == 0)

# Ceilings per whole-reply flag: (etiquette, structure, empathy, compliance).
FLAG_CAPS = {
    "empty": (0, 0, 0, 0),
    "gibberish": (5, 5, 5, 10),
    "echo": (30, 10, 20, 40),
    "no_substance": (40, 15, 30, 60),   # a curt refusal ("不能借，规定。") is still compliant
    "off_topic": (50, 10, 25, 50),
    "keyword_gaming": (40, 15, 30, 40),
    "slogans": (40, 15, 30, 40),
}
COURTESY = ("please", "thanks", "apology", "greeting", "consult", "farewell")
HELP = ("options", "investigate", "ownership", "next_step", "lawful_route", "fraud_warning",
        "elder_care", "refuse_structuring", "credit_report", "verify_identity")


def _penalty_and_cap(findings, dimension, rules_by_id):
    total, cap, per_rule = 0, 100, {}
    for f in findings:
        if f.dimension != dimension or f.level == "good":
            continue
        rule = rules_by_id.get(f.rule)
        pen = rule.penalty if rule else 20
        if per_rule.get(f.rule, 0) < 3:
            total += pen
            per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
        if rule and rule.cap is not None:
            cap = min(cap, rule.cap)
    return total, cap


def penalties(findings, rules_by_id) -> dict:
    """(penalty, cap) of every dimension, in one pass: what _penalty_and_cap gives for each, so
    the four scores and the ceilings need not each walk the findings again."""
    out = {dim: [0, 100] for dim in WEIGHTS}
    per_rule = {}
    for f in findings:
        if f.level == "good":
            continue
        dim = out.get(f.dimension)
        if dim is None:
            dim = out[f.dimension] = [0, 100]
        rule = rules_by_id.get(f.rule)
        key = (f.dimension, f.rule)
        if per_rule.get(key, 0) < 3:
            dim[0] += rule.penalty if rule else 20
            per_rule[key] = per_rule.get(key, 0) + 1
        if rule and rule.cap is not None:
            dim[1] = min(dim[1], rule.cap)
    return {dim: tuple(v) for dim, v in out.items()}


def _pen(findings, dimension, rules_by_id, pens):
    return pens[dimension] if pens is not None else _penalty_and_cap(findings, dimension, rules_by_id)


def etiquette(moves, findings, rules_by_id, pens=None):
    """Respectful address and courtesy up; taboo, sarcasm, 你 and jargon down. `pens`: penalties()
    of the findings, when the caller has them."""
    s = 55 + 10 * ("honorific" in moves) + (10 if "named_address" in moves else 5 * ("title" in moves))
    s += 6 * min(4, sum(m in moves for m in COURTESY))
    pen, cap = _pen(findings, "etiquette", rules_by_id, pens)
    return min(s - pen, cap)


def structure(coverage, in_order, moves, findings, rules_by_id, length, rambling, pens=None):
    """Coverage of the moves the situation needs, in order; length earns nothing."""
    s = 20 + 65 * coverage
    if in_order:
        s += 10
    s += 5 * ("enumerate" in moves)
    pen, cap = _pen(findings, "structure", rules_by_id, pens)
    if length < 15:
        cap = min(cap, 30)        # a fragment
    if rambling:
        cap = min(cap, 35)        # words without a line of argument
    return min(s - pen, cap)


def empathy(moves, specific, findings, rules_by_id, mocking, pens=None):
    """Named feelings, help offered, and the two together; blame and mockery cap it."""
    ack = "acknowledge" in moves
    helps = any(m in moves for m in HELP)
    s = 45 + 12 * ack + 12 * helps + 10 * (ack and helps) + 8 * (specific and (ack or helps))
    s += 5 * ("apology" in moves) + 5 * ("thanks" in moves)
    s += 5 * ("customer_decides" in moves or "elder_care" in moves)
    pen, cap = _pen(findings, "empathy", rules_by_id, pens)
    if mocking:
        cap = min(cap, 10)
    return min(s - pen, cap)


def compliance(findings, rules_by_id, missing_key, missing_minor, has_requirements, pens=None):
    """A red line is 0; otherwise omissions and soft breaches set the band."""
    if any(f.level == "red_line" for f in findings):
        return 0
    s = 100 if has_requirements else 92
    if missing_key:
        s = min(s, 55) - 10 * (len(missing_key) - 1)
    s -= 10 * len(missing_minor)
    if missing_minor:
        s = min(s, 79)
    pen, cap = _pen(findings, "compliance", rules_by_id, pens)
    return min(s - pen, cap)


def straighten(levels: dict, lines: dict) -> dict:
    """The level model's predictions put on the labels' scale (a * prediction + b per dimension,
    fitted on the dev split), so an excellent reply reads 4 and not the middle of the scale."""
    return {d: lines[d][0] * v + lines[d][1] if d in lines else v for d, v in levels.items()}


def blend(scores: dict, levels: dict, rule_share: dict, red_line: bool, ceilings: dict) -> dict:
    """Mix each rule score with the level model's (level L read as the middle of its band,
    20L+10): rules give the evidence, the model the sense of a whole reply the rules miss.
    The rules' ceilings still hold (sarcasm, a fragment, rambling), and a red line keeps
    compliance at 0."""
    out = dict(scores)
    for dim, level in levels.items():
        if dim == "compliance" and red_line:
            continue
        w = rule_share.get(dim, 1.0)
        mixed = w * scores[dim] + (1 - w) * (20 * max(0.0, min(4.0, level)) + 10)
        out[dim] = min(mixed, ceilings.get(dim, 100))
    return out


def ceilings(findings, rules_by_id, length: int, rambling: bool, mocking: bool, pens=None) -> dict:
    """The caps the rules' evidence puts on each dimension, whatever else the reply did."""
    out = {dim: _pen(findings, dim, rules_by_id, pens)[1] for dim in WEIGHTS}
    if length < 15:
        out["structure"] = min(out["structure"], 30)
    if rambling:
        out["structure"] = min(out["structure"], 35)
    if mocking:
        out["empathy"] = min(out["empathy"], 10)
    return out


def apply_flags(scores: dict, flags) -> dict:
    """Lower each score to the ceilings of the whole-reply flags."""
    out = dict(scores)
    for flag in flags:
        for dim, cap in zip(WEIGHTS, FLAG_CAPS.get(flag, (100,) * 4)):
            out[dim] = min(out[dim], cap)
    return out


def total(scores: dict, red_line: bool, gaming: bool) -> int:
    """Weighted mean of the four scores, capped by a red line or a gaming flag."""
    t = round(sum(WEIGHTS[d] * scores[d] for d in WEIGHTS))
    if red_line:
        t = min(t, RED_LINE_CAP)
    if gaming:
        t = min(t, GAMING_CAP)
    return t


def clamp(scores: dict) -> dict:
    """Whole numbers within 0..100."""
    return {d: max(0, min(100, round(v))) for d, v in scores.items()}
