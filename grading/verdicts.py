"""Red lines from reading the conversation and from the learned model, beside the rules'.

Rules are precise where they fire; the request/stance reading and the red-line model catch the
wordings no rule has ("好嘞，那我就收着了" after a red envelope). Every finding made here points at
a clause of the reply and says why: the request that was complied with, or the model's cues.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache

import numpy as np

from grading.conversation import RequestReading, StanceReading
from grading.learned import encode_reply, model
from grading.model import Finding
from grading.rules import product_levels

# The model's own word for a category when no request explains it (a spontaneous violation).
CATEGORY_MESSAGES = {
    "guarantee": "承诺或暗示保本、保收益、不会亏",
    "suitability": "向客户推荐或销售超出其风险等级的产品，或诱导测评",
    "disclosure": "让客户跳过风险揭示、双录或不看条款",
    "falsify": "教客户包装材料、做假流水或虚构用途",
    "guarantee_approval": "承诺贷款一定获批",
    "favoritism": "靠关系、打招呼或特殊通道办理审批",
    "gift": "收受或答应收受客户的礼品、红包、好处",
    "leak": "向他人透露客户的账户或信息",
    "aml_structuring": "帮客户拆分或绕道交易以规避报告",
    "aml_tipoff": "向客户透露可疑交易报告或监控",
    "tying": "把贷款或服务与购买产品捆绑",
    "private_dealing": "代客签字操作、私下经手客户资金或飞单",
}
CATEGORY_MESSAGES_EN = {
    "guarantee": "Promised or implied that the capital or the return is safe",
    "suitability": "Recommended or sold a product above the customer's risk level, or steered the risk assessment",
    "disclosure": "Let the customer skip the risk disclosure, the dual recording or the terms",
    "falsify": "Coached the customer to dress up documents, fake bank statements or invent a loan purpose",
    "guarantee_approval": "Promised that the loan will be approved",
    "favoritism": "Used connections, a word with someone or a special channel to get an approval",
    "gift": "Accepted, or agreed to accept, a gift, red envelope or favour from the customer",
    "leak": "Told someone else about a customer's account or information",
    "aml_structuring": "Helped the customer split or route transactions to avoid reporting",
    "aml_tipoff": "Told the customer about a suspicious-transaction report or monitoring",
    "tying": "Tied the loan or service to buying a product",
    "private_dealing": "Signed or operated for the customer, handled their money privately, or sold an off-book product",
}
# Added to the English message of a rule's red line the combiner finds innocent in context.
# ... and of one whose subject nobody in the conversation spoke of (grading/subjects.yml).
UNSPOKEN_EN = (" (nobody in the conversation spoke of such a thing: not counted as a red line; "
               "a coach should review it)")
DOWNGRADED_EN = (" (read in context this looks like a refusal, a correction or an honest explanation: "
                 "not counted as a red line; a coach should review it)")


def model_view(text: str, kind: str, request: RequestReading) -> tuple:
    """(the pair's features, the red-line model's probability per category, its thresholds)."""
    feats = encode_reply(text, kind, request.type.id)
    m = model("redline")
    if m is None:
        return feats, {}, {}
    return feats, m.predict(feats), m.meta.get("thresholds", {})


# Good moves that show a reply holding the line in a category (the rules' evidence of a refusal).
HOLDING_MOVES = {
    "gift": {"refuse_gift"}, "leak": {"refuse_disclosure", "lawful_route"},
    "aml_structuring": {"refuse_structuring"}, "falsify": {"truthful_documents"},
    "guarantee_approval": {"approval_disclaimer"}, "guarantee": {"risk_disclosure", "non_deposit"},
    "suitability": {"needs_check", "risk_disclosure"}, "aml_tipoff": {"rule_reason"},
}


def combiner_features(cat: str, rule_fired: bool, probs: dict, request_category, stance: dict,
                      moves=frozenset()) -> list:
    """What the combiner weighs for one category: the rules' word, the model's, the request's,
    and how the reply stands (a refusal that names the forbidden thing is not the thing)."""
    return list(zip(combiner_names(cat), _values(cat, rule_fired, probs, request_category,
                                                 _stance_logits(stance), moves)))


@lru_cache(maxsize=None)
def combiner_names(cat: str) -> tuple:
    """The names of the combiner's features for one category, in the order of their values.
    Per-category copies let the combiner trust a precise rule (leak) more than a loose one."""
    return (f"cat:{cat}", "rule", "p_cat", "p_any", "request", "request*p_any", "rule*p_any",
            "rule*p_cat", "request*p_cat", f"rule|{cat}", f"p_cat|{cat}", f"request*p_any|{cat}",
            "top*p_any", f"top*p_any|{cat}", "refusing", "complying", "rule*refusing", "holding",
            f"holding|{cat}", "refuse_move", "rule*unasked", f"rule*unasked|{cat}")


def _stance_logits(stance: dict) -> tuple:
    return (_logit(stance.get("refuses", 0.0) + stance.get("counters", 0.0)),
            _logit(stance.get("complies", 0.0) + stance.get("defers", 0.0)))


def _values(cat, rule_fired, probs, request_category, stance_logits, moves, top=None) -> list:
    # When the request was misread, the likeliest category still carries the any-violation score.
    if top is None:
        top = max((c for c in probs if c != "any"), key=probs.get, default=None)
    return _category_values(cat, rule_fired, _logit(probs.get(cat, 0.0)), _reply_values(probs, moves),
                            request_category, stance_logits, moves, top)


def _reply_values(probs, moves) -> tuple:
    """The combiner's values that are the same for every category of one reply."""
    return _logit(probs.get("any", 0.0)), float(any(m.startswith("refuse_") for m in moves))


def _category_values(cat, rule_fired, p_c, reply_values, request_category, stance_logits, moves, top) -> list:
    p_any, refuse_move = reply_values
    req = request_category == cat
    rule = float(rule_fired)
    top_any = (cat == top) * p_any
    refusing, complying = stance_logits
    holding = float(bool(HOLDING_MOVES.get(cat, set()) & moves))
    # A rule firing where nothing improper was asked is a volunteered breach ("刘阿姨存了
    # 一百多万"); firing inside a refusal of an improper request is more often a false alarm.
    unasked = rule * (request_category is None)
    return [1.0, rule, p_c, p_any, float(req), req * p_any, rule * p_any, rule * p_c, req * p_c,
            rule, p_c, req * p_any, top_any, top_any, refusing, complying, rule * refusing,
            holding, holding, refuse_move, unasked, unasked]


def _value_rows(cats, rule_cats, probs, request_category, stance_logits, moves, top) -> list:
    """_category_values of every category of one reply, end to end in one flat list (row after
    row, as decide needs them): the same floats from the same operations, without a call per
    category and value. A category no rule, request or top score touches (most of them) takes
    the values that are the same for all such categories, computed once."""
    p_any, refuse_move = _reply_values(probs, moves)
    refusing, complying = stance_logits
    asked = request_category is None
    lo, hi, log = 1e-4, 1 - 1e-4, math.log
    holding_cats = {c for c, held in HOLDING_MOVES.items() if held & moves} if moves else _NONE
    z_any, z_ref = False * p_any, 0.0 * refusing     # rule * p_any, req * p_any... when both are 0
    flat = []
    for cat in cats:
        p = probs[cat]
        p = lo if lo > p else p          # _logit, inline: min(max(p, lo), hi)
        p = hi if hi < p else p
        p_c = log(p / (1 - p))
        holding = 1.0 if cat in holding_cats else 0.0
        if cat not in rule_cats and cat != request_category and cat != top:
            z_c = False * p_c
            flat += (1.0, 0.0, p_c, p_any, 0.0, z_any, z_any, z_c, z_c, 0.0, p_c, z_any, z_any, z_any,
                     refusing, complying, z_ref, holding, holding, refuse_move, 0.0, 0.0)
            continue
        req = request_category == cat
        rule = float(cat in rule_cats)
        top_any = (cat == top) * p_any
        unasked = rule * asked
        req_any = req * p_any
        flat += (1.0, rule, p_c, p_any, float(req), req_any, rule * p_any, rule * p_c, req * p_c,
                 rule, p_c, req_any, top_any, top_any, refusing, complying, rule * refusing,
                 holding, holding, refuse_move, unasked, unasked)
    return flat


_NONE = frozenset()


def decide(doc, request: RequestReading, stance: StanceReading, probs: dict, thresholds: dict,
           findings: list, feats=()) -> list:
    """The red lines of a reply, rules and model together (the combiner, trained on the corpus):
    a rule's red line the combiner finds innocent in context becomes a warning for a coach to
    review; a category it finds crossed without a rule gets a finding of its own."""
    comb = model("combiner")
    settled = stance.settled and stance.stance.complies_with_request and request.improper
    if comb is None or not probs:
        if settled and not any(f.level == "red_line" and f.category == request.type.category for f in findings):
            return findings + [_settled_finding(doc, request, stance)]
        return findings
    rule_cats = {f.category for f in findings if f.level == "red_line" and f.category
                 and not f.rule.startswith("step.")}
    cats = [c for c in probs if c != "any"]
    moves = frozenset(f.move for f in findings if f.level == "good" and f.move)
    top = max(cats, key=probs.get, default=None)
    values = _value_rows(cats, rule_cats, probs, request.type.category, _stance_logits(stance.probs),
                         moves, top)
    verdict = dict(zip(cats, _scores(comb, tuple(cats), values)))
    theta = comb.meta.get("threshold", 0.5)
    # A rule's words said while going along with the customer ("行，我先收着") are not a refusal
    # the combiner may excuse: it downgrades rules only in replies that do not go along.
    going_along = stance.stance.complies_with_request and request.improper
    # ... nor are words a rule condemns after a refusal turns ("……不过您要真急，钱进进出出几回"):
    # the refusal before the turn is not what the reply does after it (looked for only when needed).
    out = []
    for f in findings:
        if f.level == "red_line" and not f.rule.startswith("step."):
            if not _spoken_of(f.category, doc):
                zh, en = "（结合语境：对话里没有谈到这类事，未计红线，请教练复核）", UNSPOKEN_EN
            elif f.category in verdict and verdict[f.category] < theta and not going_along \
                    and not _firm(f, request, doc) and not _after_the_turn(doc, _turn(doc), f):
                zh, en = "（结合语境：此处像是拒绝、纠正或如实说明，未计红线，请教练复核）", DOWNGRADED_EN
            else:
                zh = None
            if zh:
                f = replace(f, level="warning", confidence=verdict.get(f.category, f.confidence),
                            message=f.message + zh, message_en=f.message_en + en if f.message_en else "")
        out.append(f)
    have = {f.category for f in out if f.level == "red_line"}
    ctx = doc.context
    if ctx.customer_risk and ctx.product_risk and not ctx.risk_mismatch \
            and not _names_level_above(doc.reading.text, ctx.customer_risk):
        # The product is within the customer's level: no sale here can be unsuitable by level
        # (coaching the assessment is a rule's to find, with its own words) — unless the reply
        # brings up another product above the customer's level ("我给您推个R4的").
        have.add("suitability")
    # With neither a rule nor the customer's request behind it, the model must also find that the
    # reply crosses a line at all ("any"): a refusal that names the forbidden thing is not it.
    floor = comb.meta.get("any_floor_alone", 0.0)
    refused = not stance.stance.complies_with_request and stance.stance.id not in ("answers", "ignores")
    for cat in sorted(verdict, key=lambda c: -verdict[c]):
        # A request the reply refuses or counters is behind the category only if the model also
        # finds a breach at all ("你这是想洗钱吧？" refuses a question about reports; it tells nothing).
        alone = cat != request.type.category or (refused and cat not in rule_cats)
        if verdict[cat] >= theta and cat not in have and not (alone and probs.get("any", 0.0) < floor) \
                and (not alone or _spoken_of(cat, doc)):
            if settled and cat == request.type.category:
                continue  # shown below, on the words that settle it
            if stance.settled and not stance.stance.complies_with_request and cat == request.type.category \
                    and cat not in rule_cats:
                continue  # a refusal beyond doubt ("拿走拿走") takes nothing the customer offered
            if cat == "suitability" and cat == request.type.category and _offers_within_level(doc):
                # "那款不适合您，我给您推荐个R2的" to a C2 customer sells, but not the unsuitable
                # product asked for (pressure in the pitch is a rule's to mark, not this red line).
                continue
            found = _finding(doc, cat, verdict[cat], request if cat == request.type.category else None, feats)
            if cat != request.type.category and any(_overlaps(found, f) for f in out
                                                    if f.rule.startswith("step.") and f.level != "red_line"):
                # Words the scenario's step names as a fault but not a red line (letting the
                # customer leave his occupation blank) are not a breach on the model's reading alone:
                # the step's author has judged that act.
                continue
            if cat == "guarantee" and _HEDGED.search(found.text):
                # "再拿一拿说不定就回来了" hopes, it promises nothing: no guarantee without a rule's
                # words (playing the risk down is the rules' to mark).
                continue
            out.append(found)
            have.add(cat)
    if settled and request.type.category not in have:
        # A wording that settles the stance ("您要是坚持，也不是不行") is as sure as a rule, and the
        # sentence that says it is the evidence a trainee needs (not the model's likeliest clause).
        out.append(_settled_finding(doc, request, stance))
    return out


_HEDGED = re.compile(r"说不定|不一定|也许|没准|或许|不好说|说不准")


# A refusal or a principle stated first, then a turn to what the reply will do after all
# ("原则上不挂钩哈，不过……", "这个真不行，我们有规定……哎，您都塞过来了，那我先替您收着",
# "您现在C1，买不了R2。没关系，我陪您重新做一遍，有几道题换个选项就到C2了").
_TURN = re.compile(r"不过|但是|可是|只是|但(?!凡)|……|…|算了|要不这样|要不然|没关系")
_HOLDS_FIRST = re.compile(r"原则上|理论上|按规定|规定|不能|不行|不可以|不合规|不允许|没法|不收|不挂钩|"
                          r"不强制|不用|不要|买不了|办不了|做不了")


_STILL_REFUSING = re.compile(r"不(?!过|過|为例|為例)|没法|别|別|無法|无法|禁止")


def _after_the_turn(doc, turn: tuple, finding) -> bool:
    """Do the rule's words come after the turn, in its sentence, with no refusal between or after
    them in the sentence (the reply has given way, and does not take it back: "但用您爱人的账户买，
    本质上是绕开风险等级的管理，银行不能这样办理" explains the rule it names)?"""
    begin, end = turn
    original = doc.norm.original
    return begin <= finding.start < end and not _STILL_REFUSING.search(original, begin, finding.start) \
        and not _STILL_REFUSING.search(original, finding.end, end)


def turn_after_hold(text: str) -> int:
    """Where the words after a refusal-then-turn begin in a (normalized) text ("按规定不能查……
    那您报一下他的身份证号"), -1 if it has none."""
    for m in _TURN.finditer(text):
        if m.end() < len(text) and _HOLDS_FIRST.search(text, 0, m.start()):
            return m.end()
    return -1


def _turn(doc) -> tuple:
    """(start, end) in the original reply of the part of a sentence after a refusal-then-turn;
    (-1, -1) if the reply has none."""
    at = turn_after_hold(doc.reading.text)
    if at < 0:
        return -1, -1
    sentence = doc.reading.sentence_at(at)
    return doc.norm.offsets[at], doc.norm.span(at, max(at + 1, sentence.end))[1]


def _settled_finding(doc, request: RequestReading, stance: StanceReading) -> Finding:
    """The red line of going along with a request, shown on the sentence that says so."""
    # the sentence where the settling words end: "……算了，就当没看见" opens with the turn that
    # closes the refusal before it
    sentence = doc.reading.sentence_at(max(stance.span[0], stance.span[1] - 1))
    return _red_line(doc, request.type.category, sentence.start, sentence.end, request,
                     (doc.reading.text[stance.span[0]:stance.span[1]],), 1.0)


_CUSTOMER_LEVEL = re.compile(r"(?<![a-z])c([1-5])(?!\d)")
_CLAUSES = re.compile(r"[，,；;。！？!?\n]")


def _offers_within_level(doc) -> bool:
    """Do the reply's clauses that do not refuse name a product risk level, all within the
    customer's level (from the context, else the one the customer names)?"""
    ctx = doc.context
    level = ctx.customer_risk
    if not level:
        said = [doc.customer, *(getattr(ctx, "history", ()) or ())]
        found = [m.group(1) for t in said for m in _CUSTOMER_LEVEL.finditer(t.lower())]
        if len(set(found)) != 1:
            return False
        level = "C" + found[0]
    levels = [lv for clause in _CLAUSES.split(doc.reading.text) if not _STILL_REFUSING.search(clause)
              for lv in product_levels(clause)]
    return bool(levels) and max(levels) <= int(level[1])


def _names_level_above(text: str, customer_risk: str) -> bool:
    """Does the reply name a product risk level above the customer's?"""
    return any(level > int(customer_risk[1]) for level in product_levels(text))


def _firm(finding, request: RequestReading, doc) -> bool:
    """May the combiner not excuse this rule's red line here (`firm: true`, or `firm: unasked`
    when the customer asked for nothing improper and the words are not the customer's story
    handed back: "我听明白了：您同事买了这款……")?"""
    firm = _firm_rules().get(finding.rule, False)
    if firm == "unasked" and not request.improper:
        pos = bisect_left(doc.norm.offsets, finding.start)
        sentence = doc.reading.sentence_at(pos)
        # ... nor when its sentence refuses ("张老师的账户是她个人的，没有她本人授权我们不能帮您看"):
        # the combiner weighs those, as it does inside a refusal of an improper request
        return not doc.reading.hands_back_at(pos) and not _REFUSES_IN_SENTENCE.search(
            doc.reading.text, sentence.start, sentence.end)
    return firm is True


_REFUSES_IN_SENTENCE = re.compile(r"不能|不可以|无法|没法|不便|不方便|不得|授权|保密")


@lru_cache(maxsize=1)
def _firm_rules() -> dict:
    """Rule id -> its `firm` setting, for the rules that have one."""
    from grading.loader import load_packs
    return {r.id: r.firm for r in load_packs() if getattr(r, "firm", False)}


@lru_cache(maxsize=None)
def _subjects() -> dict:
    """Category -> (what the conversation must mention, the talk the check is limited to, also_when)
    from grading/subjects.yml."""
    import re
    from pathlib import Path
    import yaml
    data = yaml.safe_load((Path(__file__).parent / "subjects.yml").read_text(encoding="utf-8")) or {}
    # the texts are normalized (u盾, r4 in lower case): the patterns ignore case
    return {cat: (re.compile(item["subject"], re.I), re.compile(item["only_when_about"], re.I) if item.get("only_when_about") else None,
                  item.get("also_when"))
            for cat, item in data.items()}


def _overlaps(a, b) -> bool:
    """Do two findings mark overlapping words of the reply?"""
    return a.start < b.end and b.start < a.end


def _spoken_of(cat: str, doc) -> bool:
    """Does the reply or what the customer said mention the category's subject (if it has one)?"""
    if cat not in _subjects():
        return True
    subject, about, also_when = _subjects()[cat]
    if also_when == "risk_levels" and (doc.context.customer_risk or doc.context.product_risk):
        return True
    said = (doc.reading.text, doc.customer, *(getattr(doc.context, "history", ()) or ()))
    if about is not None and not any(about.search(t) for t in said):
        return True
    return any(subject.search(t) for t in said)


def _scores(comb, cats: tuple, values: list) -> list:
    """The combiner's probability for each category, its values a row of `values` (or, in a flat
    list, the values of each category in turn). One np.vecdot for all rows: it takes each row's dot product with the routine `w @ v` uses (checked bit for
    bit against one `w @ v` per category), so every score is the same float."""
    if not cats:
        return []
    rows = np.fromiter(values, float, len(values)).reshape(len(cats), -1) if not isinstance(values[0], list) \
        else np.array(values)
    dots = np.vecdot(_weight_rows(comb, cats), rows).tolist()
    bias, exp, out = float(comb.bias[0]), math.exp, []
    for z in dots:
        z = bias + z
        z = z if z < 30.0 else 30.0      # max(-30.0, min(30.0, z)), inline
        z = z if z > -30.0 else -30.0
        out.append(1 / (1 + exp(-z)))
    return out


@lru_cache(maxsize=64)
def _weight_rows(comb, cats: tuple) -> np.ndarray:
    """The combiner's weights of each category's features, one row per category."""
    return np.array([_weights(comb, c) for c in cats])


_WEIGHTS = {}


def _weights(comb, cat: str) -> np.ndarray:
    """The combiner's weight for each of a category's feature names (looked up once)."""
    # Keyed by the model itself, not its id(): retraining loads a new combiner in the same
    # process, and a freed model's id may be given to the next one (its weights then read stale).
    key = (comb, cat)
    if key not in _WEIGHTS:
        _WEIGHTS[key] = np.array([comb.weight(n) for n in combiner_names(cat)])
    return _WEIGHTS[key]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _finding(doc, cat: str, p: float, request, feats) -> Finding:
    m = model("redline")
    strongest = m.cues(feats, cat, 30)
    start, end = _best_clause(doc, strongest)
    return _red_line(doc, cat, start, end, request, tuple(f for f, _ in strongest[:5]), p)


def _red_line(doc, cat: str, start: int, end: int, request, cues: tuple, p: float) -> Finding:
    """A red line on the normalized span [start, end): the request complied with (and its
    regulation), or the model's word for the category when no request explains it."""
    if request is not None:
        rule, message, source = f"conversation.{request.type.id}", request.type.message, request.type.source
        message_en = request.type.message_en
    else:
        rule, message, source = f"model.{cat}", CATEGORY_MESSAGES.get(cat, cat), ""
        message_en = CATEGORY_MESSAGES_EN.get(cat, "")
    o_start, o_end = doc.norm.span(start, end)
    return Finding(rule=rule, dimension="compliance", level="red_line", message=message,
                   start=o_start, end=o_end, text=doc.norm.original[o_start:o_end], category=cat,
                   source=source, request=request.type.id if request else None, cues=cues,
                   confidence=p, suggestion=_suggestion(request), message_en=message_en,
                   suggestion_en=_suggestion_en(request))


@lru_cache(maxsize=16384)    # the model's cues recur from reply to reply
def _surface(feature: str) -> str:
    """The words a feature stands for in the reply ("r:offers_gift|b:收_着" -> "收着")."""
    feature = feature.rsplit("|", 1)[-1]
    kind, _, body = feature.partition(":")
    return body.replace("_", "") if kind in ("w", "b", "c") else ""


def _best_clause(doc, strongest: list) -> tuple:
    """The clause holding most of the model's weight for the category (its strongest cues);
    the whole reply when it is one clause."""
    text = doc.reading.text
    clauses = [c for c in doc.reading.clauses if text[c.start:c.end].strip()]
    if len(clauses) <= 1:
        return (clauses[0].start, clauses[0].end) if clauses else (0, len(text))
    cues = []
    for f, w in strongest:
        s = _surface(f)
        if s:
            cues.append((s, w))
    best, best_key = None, None
    for c in clauses:     # the first clause of the greatest (weight, length), as max() picks it
        piece = text[c.start:c.end]   # the clause's text cut once, not once per cue
        key = (sum([w for s, w in cues if s in piece]), c.end - c.start)
        if best is None or key > best_key:
            best, best_key = c, key
    return best.start, best.end


def _suggestion(request) -> str:
    if request is None:
        return "删掉这句；如实说明规则和风险，给客户合规的办法。"
    return f"客户的诉求是「{request.type.title}」：要明确拒绝，说明规定，再给合规的替代办法。"


def _suggestion_en(request) -> str:
    if request is None:
        return "Take this sentence out; explain the rules and the risks honestly and offer a compliant way forward."
    what = request.type.title_en or request.type.title
    return f"{what}: refuse it clearly, explain the rule, then offer a compliant alternative."
