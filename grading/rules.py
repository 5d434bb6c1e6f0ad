"""The handful of generic rule types a YAML rule file can be, and how each one finds evidence."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from grading.anchors import prechecks
from grading.model import Finding
from grading.normalize import to_simplified

_EXPLAINED = re.compile(r"[^。！？]{0,4}?(（|\(|，?(就是|也就是|即|是指|指的是|意思是|说的是|简单说|"
                        r"通俗(地)?(说|讲)|换句话说|打个比方|相当于))")


@dataclass
class Doc:
    """Everything a rule may look at for one reply."""
    norm: object        # grading.normalize.Normalized
    reading: object     # grading.text.Reading
    context: object     # grading.model.Context
    customer: str       # the customer's line, normalized
    bounds: frozenset = frozenset()  # word boundaries (grading.wordseg), so terms match whole words
    anchors: int | None = None       # AnchorIndex.present(text): the indexed patterns that could match
    patterns: list = ()              # AnchorIndex.patterns: the compiled pattern of each bit

    @cached_property
    def chars(self) -> frozenset:
        """The reply's characters, for the anchor checks of rules the AnchorIndex does not key
        (made when such a rule first asks: most replies meet none)."""
        return frozenset(self.reading.text)


@dataclass
class Rule:
    """Fields every rule has; subclasses add what their type needs."""
    id: str
    dimension: str
    message: str
    level: str = "warning"
    suggestion: str = ""
    category: str | None = None
    source: str = ""
    kinds: tuple = ()
    when: dict = field(default_factory=dict)
    penalty: int = 0
    cap: int | None = None
    examples: dict = field(default_factory=dict)
    description: str = ""
    message_en: str = ""      # the message in English (a test requires it of every rule)
    suggestion_en: str = ""   # the suggestion in English

    def applies(self, ctx) -> bool:
        """Does this rule apply in the given context (kind and `when` conditions)?"""
        if self.kinds and ctx.kind not in self.kinds:
            return False
        w = self.when
        if "risk_mismatch" in w and bool(w["risk_mismatch"]) != ctx.risk_mismatch:
            return False
        if "min_customer_age" in w and (ctx.customer_age or 0) < w["min_customer_age"]:
            return False
        if "product_risk_at_least" in w:
            if not ctx.product_risk or int(ctx.product_risk[1]) < int(str(w["product_risk_at_least"])[-1]):
                return False
        if "has_product_risk" in w and bool(ctx.product_risk) != bool(w["has_product_risk"]):
            return False
        return True

    def finding(self, doc: Doc, start: int, end: int, **extra) -> Finding:
        """A finding of this rule for the normalized span [start, end), mapped to the reply."""
        o_start, o_end = doc.norm.span(start, end)
        return Finding(rule=self.id, dimension=self.dimension, level=extra.pop("level", self.level),
                       message=extra.pop("message", self.message), start=o_start, end=o_end,
                       text=doc.norm.original[o_start:o_end],
                       suggestion=extra.pop("suggestion", self.suggestion),
                       message_en=extra.pop("message_en", self.message_en),
                       suggestion_en=extra.pop("suggestion_en", self.suggestion_en),
                       category=self.category, source=self.source, **extra)

    def find(self, doc: Doc) -> list:  # pragma: no cover - every type overrides it
        """Findings of this rule on the reply."""
        raise NotImplementedError


def _compile(patterns) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


class _Parts(tuple):
    """A rule's patterns, each with its anchor, and the union of all anchors (None if any part
    has none): a reply lacking every one of them skips the whole rule at one set test. An
    AnchorIndex gives the parts their bits, and the rule its mask (the bits of all its parts)."""
    anchor = None
    bits = None
    mask = 0
    shift = 0       # the bit of the first part
    low = 0         # mask >> shift
    strings = ()    # per part: strings one of which a match contains (None: none known)
    also = ()       # per part: a second such set (anchors.second_strings), None if none


def _parts(patterns) -> tuple:
    """Each pattern compiled with its own anchor: a reply only pays for patterns it could match."""
    checks = [prechecks(p) for p in patterns]
    parts = _Parts((re.compile(p), anchor) for p, (anchor, _, _) in zip(patterns, checks))
    parts.strings = tuple(strings for _, strings, _ in checks)
    parts.also = tuple(also for _, _, also in checks)
    anchors = [a for _, a in parts]
    if anchors and all(a is not None for a in anchors):
        parts.anchor = frozenset().union(*anchors)
    return parts


def _on_words(m, doc) -> bool:
    """A match starts between words (能帮您 is not in 不能帮您, 整流水 not in 完整流水); a short one
    also ends between words (滚 is not in 滚动). A long phrase may end inside a word jieba made
    longer (查询 in 查询这笔): its end says less about what the trainee meant than its start."""
    if not doc.bounds:
        return True
    return m.start() in doc.bounds and (m.end() - m.start() > 2 or m.end() in doc.bounds)


def _not_negated_inside_word(m, doc) -> bool:
    """For good moves: a match may start inside a word (感谢 in 感谢您, 先生 in 王先生), but not
    right after a negator fused to it (能帮您 in 不能帮您)."""
    return m.start() in doc.bounds or m.start() == 0 or doc.reading.text[m.start() - 1] not in "不没未别无非"


class AnchorIndex:
    """For the rule packs' patterns, one bit per pattern and, per key, the bits of the patterns it
    keys: a pattern's key is the first two characters of each string one of which its matches
    contain (anchors.required_strings), else each of its anchor characters. A reply's characters
    and character pairs give, in a few set and integer operations, the patterns it could match;
    a key that starts a longer string also checks the whole string is in the reply (a substring
    test in C), so a pattern runs only when one of its strings is there, not just their first
    two characters."""

    def __init__(self, rules):
        self.bits, self.always, n = {}, 0, 0
        longer, also, self.unconditioned = {}, {}, 0
        self.patterns = []     # bit index -> compiled pattern
        self.owners = []       # bit index -> (the position in `rules`, the rule) of its pattern
        for pos, rule in enumerate(rules):
            parts = getattr(rule, "_parts", None)
            if not isinstance(parts, _Parts):
                continue
            bits, parts.shift = [], n
            for (rx, anchor), strings, second in zip(parts, parts.strings, parts.also or [None] * len(parts)):
                bit = 1 << n
                n += 1
                self.patterns.append(rx)
                self.owners.append((pos, rule))
                for s in second or ():
                    also[s] = also.get(s, 0) | bit
                if not second:
                    self.unconditioned |= bit
                if strings:
                    for s in strings:
                        if len(s) <= 2:    # the key is the string itself
                            self.bits[s] = self.bits.get(s, 0) | bit
                        else:
                            longer.setdefault(s[:2], {})
                            longer[s[:2]][s] = longer[s[:2]].get(s, 0) | bit
                elif anchor is None:
                    self.always |= bit     # nothing a match must contain is known: always run
                else:
                    for key in anchor:
                        self.bits[key] = self.bits.get(key, 0) | bit
                bits.append(bit)
            parts.bits, parts.mask = tuple(bits), sum(bits)
            parts.low = parts.mask >> parts.shift
        # per key: (the bits its presence proves possible, the longer strings it starts with theirs)
        self.entries = {key: (self.bits.get(key, 0), tuple(longer.get(key, {}).items()))
                        for key in set(self.bits) | set(longer)}
        self.keys = frozenset(self.entries)
        self._automaton = _automaton(self.bits, longer, also)

    def present(self, text: str) -> int:
        """The bits of the patterns one of whose keys (with its whole string) is in the text, and,
        where the automaton is at hand, one of the strings of their second set too."""
        if self._automaton is not None:     # every key and string found in one pass, in C
            mask, seconds = self.always, 0
            for bits, second in {value for _, value in self._automaton.iter(text)}:
                mask |= bits
                seconds |= second
            return mask & (seconds | self.unconditioned)
        keys = set(text)
        keys.update([text[i:i + 2] for i in range(len(text) - 1)])
        mask, entries = self.always, self.entries
        for key in keys & self.keys:
            bits, longer = entries[key]
            mask |= bits
            for s, bit in longer:
                if bit & ~mask and s in text:
                    mask |= bit
        return mask


def _automaton(bits: dict, longer: dict, also: dict):
    """An Aho-Corasick automaton of every key and string, its value (the bits of the patterns it
    keys, the bits of those it is a second string of); None without pyahocorasick: present()
    then walks the reply's characters and pairs, and checks no second strings."""
    try:
        import ahocorasick
    except ImportError:     # pragma: no cover - installed with the package
        return None
    values = dict(bits)
    for strings in longer.values():
        for string, bit in strings.items():
            values[string] = values.get(string, 0) | bit
    automaton = ahocorasick.Automaton()
    for string in set(values) | set(also):
        automaton.add_word(string, (values.get(string, 0), also.get(string, 0)))
    automaton.make_automaton()
    return automaton


def _candidates(parts, doc) -> list:
    """The compiled patterns of a rule that could match this reply (an anchor character present)."""
    bits, active = getattr(parts, "bits", None), doc.anchors
    if bits is not None and active is not None:
        x = (active >> parts.shift) & parts.low
        if not x:
            return []
        out, patterns, shift = [], doc.patterns, parts.shift
        while x:     # the set bits, lowest (the rule's first pattern) first
            low = x & -x
            out.append(patterns[shift + low.bit_length() - 1])
            x ^= low
        return out
    anchor, chars = getattr(parts, "anchor", None), doc.chars
    if anchor is not None and anchor.isdisjoint(chars):
        return []
    return [rx for rx, anchor in parts if anchor is None or not anchor.isdisjoint(chars)]


def _matches(parts, doc, whole_words: bool = True) -> list:
    """Non-overlapping matches of any part, leftmost first, longest first at one position;
    forbidden phrases must sit on word boundaries, good moves must not be negated inside a word."""
    candidates = _candidates(parts, doc)
    if not candidates:
        return []
    text = doc.reading.text
    keep = _on_words if whole_words else _not_negated_inside_word
    bounds = doc.bounds
    found = [m for rx in candidates for m in rx.finditer(text) if not bounds or keep(m, doc)]
    found.sort(key=lambda m: (m.start(), -m.end()))
    return found


@dataclass
class PhraseRule(Rule):
    """Forbidden words, aware of negation, quotation and what the sentence is about."""
    patterns: tuple = ()
    negation: bool = True
    quotation: bool = True
    refusal_only: str | None = None
    exempt_subject: str | None = None
    unless_after: str | None = None
    unless_sentence: str | None = None
    window: int = 12
    # Only when the customer's line (or an earlier one) says this: a reply's words that are fine
    # in general ("好的，账号给我，我这就给您转") are a fault after "公安让我转到安全账户".
    customer_says: str | None = None
    # A red line the combiner may not excuse in context: the words themselves are the breach
    # ("户主姓刘，我把他手机号发您"), whatever the models make of the rest of the reply.
    # "unasked": only when the customer asked nothing improper (a volunteered "他的账户上礼拜被法院
    # 冻结了"); inside a refusal of such a request the combiner still weighs it.
    firm: bool | str = False

    _SUBJECTS = {
        # 保本 is true of deposits: allowed when the sentence is about a deposit, not a product.
        "deposit": (re.compile(r"存款|大额存单|存单|国债|定期|活期|存款保险"),
                    re.compile(r"理财|基金|信托|私募|股票|净值|投资|产品收益|这款|这个产品|资管|分红|(?<!存款)保险|保单|年金|万能险|"
                               r"(?<![a-z])r[1-5](?!\d)")),    # a risk-rated product (r2) is no deposit
    }

    # "存单不是理财" speaks of a deposit; "比定期高", "跟存款一样" compare a product with one.
    _DENIED = re.compile(r"(不是|并非|不属于|而不是|不同于|不像)(理财|基金|信托|私募|股票|投资)|"
                         r"(比|跟|和|与|同|像|胜过|高于|超过|不输)(银行)?(的)?(定期|存款|存单|活期|国债)|"
                         r"(就当|当成|当作|权当)(是)?(存)?(银行)?(的)?(定期|存款|存单)")

    def __post_init__(self):
        self._parts = _parts(self.patterns)
        self._refusal = re.compile(self.refusal_only) if self.refusal_only else None
        self._after = re.compile(self.unless_after) if self.unless_after else None
        self._sentence = re.compile(self.unless_sentence) if self.unless_sentence else None
        self._customer = re.compile(self.customer_says) if self.customer_says else None

    def _customer_said(self, doc: Doc) -> bool:
        """Did the customer, in this line or an earlier one, say what the rule needs?"""
        earlier = getattr(doc.context, "history", ()) or ()
        return any(self._customer.search(to_simplified(line) if i else line)
                   for i, line in enumerate((doc.customer, *earlier)))

    def _excused(self, doc: Doc, m: re.Match) -> bool:
        r, text = doc.reading, doc.reading.text
        if self.negation and r.negated(m.start(), m.end(), self.window, self._refusal):
            return True
        if self.quotation and (r.quoted(m.start(), m.end()) or r.restated(m.start(), m.end(), doc.customer)):
            return True
        sentence = r.sentence_at(m.start())
        if self._after:
            nxt = r.sentences[min(r.sentence_index(m.start()) + 1, len(r.sentences) - 1)]
            if self._after.search(text, m.end(), nxt.end):
                return True
        # The excusing words must stand in the match's own clause or after it in the sentence
        # ("私下签协议，恰恰是非法集资的特征"): an earlier clause does not excuse a promise
        # ("我如实说，这款保本").
        clause = r.clause_at(m.start())
        if self._sentence and self._sentence.search(text, clause.start, sentence.end):
            return True
        if self.exempt_subject == "within_level":
            return _names_a_level_within(text[sentence.start:sentence.end], doc.context.customer_risk)
        if self.exempt_subject:
            return self._about_exempt_subject(doc, text[sentence.start:m.start()] + text[m.end():sentence.end])
        return False

    def _about_exempt_subject(self, doc: Doc, sentence_rest: str) -> bool:
        """Is the sentence (or, when it names no subject, the whole exchange) about a deposit?"""
        about, not_about = self._SUBJECTS[self.exempt_subject]
        sentence_rest = self._DENIED.sub("", sentence_rest)   # "存单不是理财" speaks of a deposit
        if about.search(sentence_rest) or not_about.search(sentence_rest):
            return bool(about.search(sentence_rest)) and not not_about.search(sentence_rest)
        for scope in (doc.reading.text, doc.customer):   # the reply first, then what was asked
            scope = self._DENIED.sub("", scope)
            if about.search(scope):   # a deposit in scope excuses only if no fund is too
                return not not_about.search(scope)
            if not_about.search(scope):
                return False
        return False

    def find(self, doc: Doc) -> list:
        """Forbidden phrases not excused by negation, quotation or subject."""
        if self._customer is not None and not self._customer_said(doc):
            return []
        out, last_end = [], -1
        for m in _matches(self._parts, doc):
            if m.start() < last_end or m.end() == m.start() or self._excused(doc, m):
                continue
            out.append(self.finding(doc, m.start(), m.end()))
            last_end = m.end()
        return out


_PRODUCT_LEVEL = re.compile(r"(?<![a-z])p?r([1-5])(?!\d)")


def product_levels(text: str) -> list:
    """The product risk levels a text names (R3, r3, PR3 -> 3), in order."""
    return [int(x) for x in _PRODUCT_LEVEL.findall(text.lower())]


def _names_a_level_within(sentence: str, customer_risk) -> bool:
    """Does the sentence speak of a product of a risk level the customer may buy ("推荐这款R3固收+"
    to a C3 customer), and of none above it? Then it is not the unsuitable product of the situation."""
    levels = product_levels(sentence)
    own = re.fullmatch(r"[cC]([1-5])", customer_risk or "")
    return bool(levels and own) and max(levels) <= int(own.group(1))


@dataclass
class MoveRule(Rule):
    """A move a good reply makes (apology, risk disclosure...): a `good` finding when present."""
    move: str = ""
    patterns: tuple = ()
    negation: bool = False
    unless_sentence: str | None = None

    def __post_init__(self):
        self.level = "good"
        self._parts = _parts(self.patterns)
        self._sentence = re.compile(self.unless_sentence) if self.unless_sentence else None

    def find(self, doc: Doc) -> list:
        """The first place the move is made, as a `good` finding."""
        # Only the first match that counts is wanted: each pattern's matches are read only up to
        # its own first one that counts (您 is in a reply many times), and the earliest of those
        # wins, longest first at one position, the earlier pattern on a tie — the first of
        # _matches' sorted list that counts, without making and sorting every match.
        best, best_key = None, None
        for rx in _candidates(self._parts, doc):
            for m in rx.finditer(doc.reading.text):
                start, end = m.span()
                if best_key is not None and start > best_key[0]:
                    break       # this pattern can no longer come first
                if end > start and self._counts(doc, m):
                    if best_key is None or (start, -end) < best_key:
                        best, best_key = m, (start, -end)
                    break
        return [self.finding(doc, best.start(), best.end(), move=self.move)] if best else []

    def _counts(self, doc: Doc, m: re.Match) -> bool:
        """Does a (non-empty) match make the move: not negated inside a word, nor by the
        sentence, nor in a sentence that rules it out?"""
        if doc.bounds and not _not_negated_inside_word(m, doc):
            return False
        r = doc.reading
        if self.negation and r.negated(m.start(), m.end()):
            return False
        if self._sentence:
            s = r.sentence_at(m.start())
            return not self._sentence.search(r.text, s.start, s.end)
        return True


@dataclass
class JargonRule(Rule):
    """Banking jargon a customer may not know: fine when explained right after it."""
    terms: dict = field(default_factory=dict)

    def __post_init__(self):
        self.level = self.level if self.level != "warning" else "suggestion"
        self._re = re.compile("|".join(re.escape(t.lower()) for t in sorted(self.terms, key=len, reverse=True)))
        # Keyed by the AnchorIndex like the other rules, so it runs only on replies that could hold a term
        self._parts = _parts((self._re.pattern,))

    def find(self, doc: Doc) -> list:
        """Each unexplained term once."""
        out, seen = [], set()
        text = doc.reading.text
        if not _candidates(self._parts, doc):
            return []
        for m in self._re.finditer(text):
            term = m.group(0)
            plain = self.terms.get(term) or next(v for k, v in self.terms.items() if k.lower() == term)
            if term in seen or _EXPLAINED.match(text, m.end()) or plain[:4] in text:
                seen.add(term)
                continue
            seen.add(term)
            out.append(self.finding(doc, m.start(), m.end(),
                                    message=f"{self.message}「{m.group(0)}」",
                                    suggestion=f"换成客户听得懂的话：{plain}",
                                    message_en=f"{self.message_en}: 「{m.group(0)}」",
                                    suggestion_en=f"Say it in words the customer knows: {plain}"))
        return out


@dataclass
class ConditionalRule(Rule):
    """If the reply says X it must also say Y (a benchmark needs its disclaimer)."""
    if_patterns: tuple = ()
    then_patterns: tuple = ()
    negation: bool = True

    def __post_init__(self):
        self._if = _compile(self.if_patterns)
        # Its X patterns' parts only say whether X could be said: the AnchorIndex keys them, so
        # grading runs this rule only on the few replies holding what one of them needs.
        self._parts = _parts(self.if_patterns)
        self._then = _compile(self.then_patterns)

    def find(self, doc: Doc) -> list:
        """The first X said without its Y."""
        r = doc.reading
        if not _candidates(self._parts, doc):
            return []
        for m in self._if.finditer(r.text):
            if self.negation and r.negated(m.start(), m.end()):
                continue
            if self._then.search(r.text):
                return []
            return [self.finding(doc, m.start(), m.end())]
        return []


RULE_TYPES = {
    "phrase": PhraseRule,
    "move": MoveRule,
    "jargon": JargonRule,
    "conditional": ConditionalRule,
}
