"""grade(reply, context) -> Report: normalize once, run the rules, score, explain."""
from __future__ import annotations

import gc
import re
from functools import lru_cache
from dataclasses import replace

from grading import detectors, scoring, verdicts
from grading.conversation import LEGITIMATE, RequestReading, StanceReading, catalogue, read_request, read_stance
from grading.features import shape_features, text_features
from grading.learned import model
from grading.feedback import feedbacks
from grading.loader import load_kinds, load_packs
from grading.model import Context, Finding, Report
from grading.normalize import normalize, pattern_to_simplified, to_simplified
from grading.rules import AnchorIndex, Doc, PhraseRule
from grading.text import Reading
from grading.wordseg import boundaries

_INVESTMENT_TALK = re.compile(r"理财|基金|私募|信托|净值|股票")
# Moves any courtesy string makes: they show manners, not an answer.
FORMULA_MOVES = {"honorific", "title", "named_address", "please", "thanks", "apology", "greeting",
                 "consult", "farewell", "close", "enumerate", "acknowledge"}


@lru_cache(maxsize=1)
def _rules():
    rules = load_packs()
    return rules, {r.id: r for r in rules}, {r.move: r for r in rules if getattr(r, "move", None)}


@lru_cache(maxsize=1)
def _anchor_index() -> AnchorIndex:
    return AnchorIndex(_rules()[0])


@lru_cache(maxsize=512)
def _applicable(kind: str, customer_risk, product_risk, customer_age) -> tuple:
    """The rules that apply in a situation (what Rule.applies reads of a context), as (always,
    bits): `always`, (pack position, rule) of each that has no AnchorIndex bits (run on every
    reply); `bits`, the AnchorIndex bits of the others' patterns."""
    _anchor_index()    # gives the rules' patterns their bits
    ctx = Context(kind=kind, customer_risk=customer_risk, product_risk=product_risk, customer_age=customer_age)
    always, bits = [], 0
    for pos, rule in enumerate(_rules()[0]):
        if rule.applies(ctx):
            mask = _mask(rule)
            if mask is None:
                always.append((pos, rule))
            else:
                bits |= mask
    return tuple(always), bits


def _mask(rule):
    parts = getattr(rule, "_parts", None)
    return parts.mask if getattr(parts, "bits", None) else None


@lru_cache(maxsize=256)
def _forbidden_rule(pattern: str, message: str, category, dimension: str, message_en: str = "") -> PhraseRule:
    # A scenario author's or caller's regex: run with bounded work (UnsafePattern if it cannot be)
    from grading.safe_regex import BoundedPhraseRule
    level = "red_line" if category else "warning"
    return BoundedPhraseRule(id="step.forbidden", dimension=dimension, message=message, level=level,
                             category=category, penalty=25, cap=45 if not category else None,
                             patterns=(pattern_to_simplified(pattern),),
                             message_en=message_en or step_message_en(category))


def warm() -> None:
    """Load everything grading reads (rule packs, kinds, models, dictionaries) now, not at the
    first grade: a process that forks graders after this hands them all of it ready."""
    from grading.conversation import catalogue
    from grading.learned import pair_space
    _rules()
    _anchor_index()
    load_kinds()
    catalogue()
    for name in ("request", "stance", "redline", "levels", "gaming", "combiner"):
        model(name)
    space = pair_space()
    if space is not None:
        space.crossed("legitimate")    # builds every request's crossed table (else each worker would)
    boundaries("您好")
    # What was loaded lives as long as the process: out of the collector's sight it is never
    # walked again, and forked graders share its pages untouched (GC time per reply: 1.7 % -> 1.4 %).
    gc.freeze()


def step_message_en(category) -> str:
    """English for a scenario step's forbidden item written only in Chinese: what its category means."""
    if category in verdicts.CATEGORY_MESSAGES_EN:
        return f"{verdicts.CATEGORY_MESSAGES_EN[category]} (forbidden at this step of the scenario)"
    return "This step of the scenario asks you not to say this"


def _satisfied(group: str, moves: set) -> bool:
    return not moves.isdisjoint(group.split("|"))


def _first_pos(group: str, findings) -> int:
    names = set(group.split("|"))
    return min((f.start for f in findings if f.level == "good" and f.move in names), default=-1)


# A reply that sells: recommends, finds a product suitable, or invites the purchase.
_PITCH = re.compile(r"推荐|适合您|很适合|可以(买|配置|考虑)|(买|配置|认购|申购)(这款|这个|一点|一些)|值得")


def _requirements(ctx: Context, profile: dict, text: str):
    """Key and minor disclosures this reply owes, given the kind, risks and what it talks about."""
    key = list(profile.get("key_disclosures") or [])
    minor = list(profile.get("minor_disclosures") or [])
    if ctx.kind == "product_sale":
        risky = (int(ctx.product_risk[1]) >= 2 if ctx.product_risk
                 else bool(_INVESTMENT_TALK.search(text)))
        if ctx.risk_mismatch:
            key, minor = [], ["risk_disclosure", "needs_check"]   # the sale is refused: say why
        elif not risky:
            key, minor = [], []   # deposits and R1 products owe no investment disclosures
        if (ctx.customer_age or 0) >= 65:
            minor.append("elder_care")
    if ctx.expected_moves:
        # Inside a scenario the step says what this turn must disclose: a sale's risk statement
        # is owed where the step expects it, not again at every later step of the same sale.
        expected = {m for group in ctx.expected_moves for m in group.split("|")}
        key = [g for g in key if set(g.split("|")) & expected]
        minor = [g for g in minor if set(g.split("|")) & expected]
    return key, minor


def read(reply: str, ctx: Context) -> tuple:
    """The reply normalized and read, and the rules' findings on it (no model, no scores)."""
    norm = normalize(reply or "")
    customer = to_simplified(ctx.customer_line or "")
    index = _anchor_index()
    doc = Doc(norm=norm, reading=Reading(norm.text), context=ctx, customer=customer,
              bounds=boundaries(norm.text), anchors=index.present(norm.text), patterns=index.patterns)
    findings = []
    for rule in _to_run(doc.anchors, _applicable(ctx.kind, ctx.customer_risk, ctx.product_risk, ctx.customer_age)):
        findings.extend(rule.find(doc))
    for item in ctx.forbidden:
        findings.extend(_forbidden_rule(item.pattern, item.message, item.category, item.dimension,
                                        item.message_en).find(doc))
    return doc, findings


def _to_run(active: int, applicable: tuple) -> list:
    """The applicable rules one of whose patterns could match (a rule none of whose patterns
    could finds nothing), and those without bits, in pack order. Found from the reply's few
    active bits (seven on average), not by testing each of the seventy-odd applicable rules."""
    always, bits = applicable
    run, owners = dict(always), _anchor_index().owners
    x = active & bits
    while x:
        low = x & -x
        pos, rule = owners[low.bit_length() - 1]
        run[pos] = rule
        x ^= low
    return [run[pos] for pos in sorted(run)]


def grade(reply: str, context: Context | None = None, *, learned_levels: bool = True,
          explain: bool = True) -> Report:
    """Grade one reply in its situation: four scores, total, findings with spans, feedback.
    `learned_levels=False` leaves out the level model's share of the scores (training uses it);
    `explain=False` leaves the stance model's cues out of `reading` (a batch without --explain
    never shows them: 2 % of its time). Scores and findings are the same either way."""
    ctx = context or Context()
    _, by_id, by_move = _rules()
    profile = load_kinds()[ctx.kind]
    doc, findings = read(reply, ctx)
    norm, customer = doc.norm, doc.customer
    text = norm.text
    findings[:] = _check_names(doc, findings, ctx)
    mashed = detectors.is_gibberish(text)
    reading, feats = _read_conversation(doc, ctx, customer, findings, mashed, explain)
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    moves = {f.move for f in findings if f.level == "good"}

    flags = _flags(text, ctx, profile, customer, findings, doc.reading, mashed)
    if "echo" in flags or "keyword_gaming" in flags:
        findings[:] = [_parrot_warning(f) if f.level == "red_line" and not f.rule.startswith("step.")
                       and detectors.parroted(to_simplified(f.text), text, customer, f.category in TOLD) else f
                       for f in findings]
    groups = list(ctx.expected_moves or profile["moves"])
    done = [g for g in groups if _satisfied(g, moves)]
    positions = [_first_pos(g, findings) for g in done]
    in_order = len(done) >= 2 and positions == sorted(positions)
    coverage = len(done) / len(groups) if groups else 1.0
    key, minor = _requirements(ctx, profile, text)
    missing_key = [g for g in key if not _satisfied(g, moves)]
    missing_minor = [g for g in minor if not _satisfied(g, moves)]
    specific = len(detectors.shared_content(text, customer)) >= 2
    mocking = any(f.rule in ("etiquette.Sarcasm", "etiquette.Insult", "empathy.Hostile") for f in findings)

    rambling = detectors.is_rambling(text, doc.reading.sentences)
    pens = scoring.penalties(findings, by_id)    # one walk of the findings for every dimension
    scores = {
        "etiquette": scoring.etiquette(moves, findings, by_id, pens),
        "structure": scoring.structure(coverage, in_order, moves, findings, by_id, len(text), rambling, pens),
        "empathy": scoring.empathy(moves, specific, findings, by_id, mocking, pens),
        "compliance": scoring.compliance(findings, by_id, missing_key, missing_minor, bool(key or minor), pens),
    }
    red = any(f.level == "red_line" for f in findings)
    levels = model("levels") if learned_levels and text.strip() else None
    if levels is not None:
        predicted = scoring.straighten(levels.predict(feats), levels.meta.get("line", {}))
        reading["levels"] = {d: round(v, 2) for d, v in predicted.items()}
        caps = scoring.ceilings(findings, by_id, len(text), rambling, mocking, pens)
        # The rubric's level 2: a key disclosure missing — where a scenario step says this turn owes
        # it, or "a product pitched with no risk statement at all". (Elsewhere the rules expect
        # disclosures trainers do not, so the blend decides.)
        if missing_key and (ctx.expected_moves or (ctx.kind == "product_sale" and _PITCH.search(text)
                                                   and any("risk_disclosure" in g for g in missing_key))):
            caps["compliance"] = min(caps["compliance"], 59)
        scores = scoring.blend(scores, predicted, levels.meta.get("blend", {}), red, caps)
    scores = scoring.clamp(scoring.apply_flags(scores, flags))
    total = scoring.total(scores, red, bool(flags))
    missing = [g for g in groups if g not in done] + missing_key + missing_minor
    missing = list(dict.fromkeys(missing))
    report = Report(reply=reply or "", scores=scores, total=total, findings=findings,
                    missing_moves=missing, flags=flags, reading=reading)
    report.feedback, report.feedback_en = feedbacks(report, by_move)
    return report


# Red lines crossed by what is said (not by what is done): a closing "好的，收到" after the
# customer's question handed back says nothing.
TOLD = frozenset({"leak", "aml_tipoff", "guarantee", "guarantee_approval"})


def _parrot_warning(f: Finding) -> Finding:
    """A red line found in words copied from the customer, in a reply written to game the
    grader: the trainee agreed to nothing; the reply is marked for what it is (gaming)."""
    return replace(f, level="warning", message=f.message + "（这几个字是照抄客户的原话，未计红线；整条回复按凑关键词处理）")


_TITLES = "先生|女士|阿姨|叔叔|叔|大爷|奶奶|爷爷|大姐|姐|大哥|哥|老师|总|老板|师傅|经理"


def _check_names(doc: Doc, findings: list, ctx: Context) -> list:
    """A surname and title earn the named address only with the customer's own surname (any
    surname, not only the common ones the rule lists); the wrong one is a slip a customer
    notices ("我姓温")."""
    surname = to_simplified(ctx.customer_surname or "")
    if not surname:
        return findings
    out = []
    # Every place the reply says the customer's own surname and title: the rule's span may hold
    # only its tail ("阳女士" of "欧阳女士", for a compound surname the rule's list lacks).
    own = list(re.finditer(f"{re.escape(surname)}(?:{_TITLES})", doc.reading.text))
    if own and not any(f.move == "named_address" for f in findings):
        out.append(_rules()[1]["etiquette.NamedAddress"].finding(doc, own[0].start(), own[0].end(),
                                                                  move="named_address"))
    said = {m.group() for m in own}
    for f in findings:
        if f.move == "named_address" and not to_simplified(f.text).startswith(surname) \
                and not any(s.endswith(to_simplified(f.text)) for s in said):
            f = Finding(rule="etiquette.WrongName", dimension="etiquette", level="warning",
                        message=f"称呼错了客户的姓：客户姓{ctx.customer_surname}", start=f.start, end=f.end,
                        text=f.text, suggestion=f"核对客户的姓，称呼“{ctx.customer_surname}先生/女士”",
                        message_en=f"Wrong surname: the customer's surname is {ctx.customer_surname}",
                        suggestion_en=f"Check the customer's surname and say “{ctx.customer_surname}先生/女士”")
        out.append(f)
    return out


def _read_conversation(doc: Doc, ctx: Context, customer: str, findings: list, mashed: bool = False,
                       explain: bool = True) -> tuple:
    """Read the request and the reply's stance; add the red lines that reading and the model find.
    `mashed`: the reply is keyboard mashing (detectors.is_gibberish); `explain`: see grade."""
    earlier = tuple(to_simplified(h) for h in ctx.history)
    request = read_request(customer, ctx.kind, earlier)
    if request.type.category == "suitability" and ctx.customer_risk and ctx.product_risk \
            and not ctx.risk_mismatch:
        # Wanting a product the customer's level allows is a proper request ("我C4能买R4吧").
        request = RequestReading(catalogue()[0][LEGITIMATE], request.confidence)
    told = doc.reading.text
    if request.improper:
        # The request asked back to check it ("您是说分几天每次取，对吗？") is not the reply's answer
        # to it: the stance and the model read what the reply says besides.
        for s in reversed(doc.reading.restatements(customer)):
            told = told[:s.start] + told[s.end + 1:]
    feats, probs, thresholds = verdicts.model_view(told, ctx.kind, request)
    closing = detectors.closing_only(told) if told != doc.reading.text else None
    if closing is not None:
        # Nothing but the request handed back, then courtesy or "好的，收到": a question handed
        # back tells nothing, and a request to be done handed back and taken ("好的，收到") is
        # taken. The models, left with a few formulas, have nothing to read ("收到" is no gift).
        stance, probs = _closing_stance(doc, request, closing), {}
    else:
        stance = read_stance(told, request, feats, cues=explain)
        if request.improper and request.type.category != "guarantee" and not stance.stance.complies_with_request \
                and not stance.settled:
            stance = _given_way(told, ctx.kind, request, stance, explain)
    if told != doc.reading.text:   # the level model still reads the whole reply
        feats = verdicts.model_view(doc.reading.text, ctx.kind, request)[0]
    if mashed or (not request.improper and detectors.bare_closing(told)):
        # "哈哈哈哈 jkl;jkl; 嗯嗯嗯" says nothing: whatever the red-line model makes of its
        # characters is noise, not a breach (the reply is flagged and scored as mashing). Nor
        # does "好的，那就这样。" to a customer who asked nothing improper: the model, trained on
        # such words said to improper requests, reads them as going along with one.
        probs = {}
    if doc.reading.text.strip():
        findings[:] = verdicts.decide(doc, request, stance, probs, thresholds, findings, feats)
    reading = {"request": request.type.id, "request_confidence": round(request.confidence, 3),
               "request_cue": request.cue, "request_cues": list(request.model_cues),
               "request_carried": request.carried,
               "stance": stance.stance.id, "stance_confidence": round(stance.confidence, 3),
               "stance_cues": list(stance.cues),
               "model": {c: round(p, 3) for c, p in sorted(probs.items(), key=lambda x: -x[1])[:3]}}
    if not explain:
        del reading["stance_cues"]     # not read: an empty list would say the model had none
    return reading, feats


GIVEN_WAY = 0.8    # how sure the stance of the words after the turn must be that they go along


def _given_way(told: str, kind: str, request: RequestReading, stance: StanceReading, explain: bool):
    """A refusal that then gives way ("按规定不能查……那您报一下他的身份证号，我就看一眼余额") goes
    along with the request: the words after the turn, read alone, say what the reply does. (Not
    for a guarantee asked for: giving way promises nothing, see read_stance.)"""
    at = verdicts.turn_after_hold(told)
    if at < 0:
        return stance
    tail = told[at:]
    feats, probs, thresholds = verdicts.model_view(tail, kind, request)
    after = read_stance(tail, request, feats, cues=explain)
    # ... and the red-line model finds the request's line crossed in them: "但我一定尽力帮您准备好"
    # reads as going along, yet gives the customer nothing he asked for.
    category = request.type.category
    if after.stance.complies_with_request and after.confidence >= GIVEN_WAY \
            and probs.get(category, 0.0) >= thresholds.get(category, 0.5):
        # its evidence where it stands in the whole reply, not in the words after the turn
        return replace(after, span=(after.span[0] + at, after.span[1] + at)) if after.span[0] >= 0 else after
    return stance


def _closing_stance(doc: Doc, request: RequestReading, closing: str) -> StanceReading:
    """The stance of a reply that hands the request back and closes with courtesy or "好的，收到"."""
    stances = catalogue()[1]
    if closing == "courtesy" or request.type.category in TOLD:
        return StanceReading(stances["ignores"], 1.0)
    last = None
    for last in re.finditer(r"好的|好嘞|收到|明白|了解|知道了", doc.reading.text):
        pass
    span = last.span() if last else (0, len(doc.reading.text))
    return StanceReading(stances["complies"], 1.0, span, (doc.reading.text[span[0]:span[1]],), settled=True)


def _flags(text: str, ctx: Context, profile: dict, customer: str, findings, reading: Reading,
           mashed: bool) -> list:
    if detectors.is_empty(text):
        return ["empty"]
    if mashed:
        return ["gibberish"]
    flags = []
    if detectors.is_echo(text, customer) or reading.only_hands_back(customer):
        flags.append("echo")
    content_moves = {f.move for f in findings if f.level == "good"} - FORMULA_MOVES
    substantive = any(f.level == "red_line" for f in findings)
    if not substantive:
        content = detectors.content_chars(text)    # counted once: the filler pattern is long
        substantive = content >= 10 or (content_moves and content >= 4)
    if not substantive or detectors.is_word_salad(text):
        flags.append("no_substance")
    elif detectors.is_off_topic(text, ctx.kind, profile["_topic"], customer):
        flags.append("off_topic")
    if not flags and _slogans(text, reading):
        flags.append("slogans")
    elif not flags and _written_to_game(text, customer):
        flags.append("keyword_gaming")
    return flags


def _slogans(text: str, reading: Reading) -> bool:
    """A string of short exclamations ("保护客户隐私！依据个人信息保护法！不能透露！感谢配合！"):
    slogans recited at the customer, not an answer."""
    if text.count("！") + text.count("!") < 3 or len(reading.sentences) < 3:
        return False
    return sum(s.end - s.start for s in reading.sentences) / len(reading.sentences) <= 10


def _written_to_game(text: str, customer: str) -> bool:
    """The gaming model (trained on the corpus's gaming replies): courtesy strings, keyword
    salad, the customer's words handed back, pitches — in wordings the detectors above miss."""
    m = model("gaming")
    if m is None:
        return False
    feats = list(text_features(text)) + shape_features(text, customer)
    return m.predict(feats)["gaming"] >= m.meta.get("threshold", 0.5)
