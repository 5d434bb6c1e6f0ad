"""A cheap pre-check for a regex: the characters one of which every match must contain.

Most rules cannot match most replies; scanning a reply for a handful of characters (in C) is far
cheaper than running the rule's regex, so rules skip replies that lack every anchor.
"""
from __future__ import annotations

import math
import re
import re._parser as sre_parse  # the stdlib's own regex parser, so anchors follow its grammar
from re._constants import (ANY, ASSERT, ASSERT_NOT, AT, BRANCH, IN, LITERAL, MAX_REPEAT,
                           MIN_REPEAT, RANGE, SUBPATTERN)


# Characters in nearly every reply make poor anchors; prefer any other mandatory element.
_COMMON = set("的一是不了在有我这个们来上大为和到以说时要就会可也你对能得那下过后里用道行然家种事没么去"
              "都现当看天还好些很把给让您吗吧呢啊先再请帮办钱行存取您您他她它")


def _cost(chars: set) -> int:
    return len(chars) + 20 * len(chars & _COMMON)


def _item(op, av):
    if op is LITERAL:
        return {chr(av)}
    if op is IN:
        if all(o is LITERAL for o, _ in av):
            return {chr(v) for _, v in av}
        return None
    if op is BRANCH:
        sets = [_sequence(seq) for seq in av[1]]
        return None if any(s is None for s in sets) else set().union(*sets)
    if op is SUBPATTERN:
        return _sequence(av[-1])
    if op in (MAX_REPEAT, MIN_REPEAT):
        lo, _, sub = av
        return _sequence(sub) if lo >= 1 else None
    return None  # AT, ANY, categories, assertions: no literal is guaranteed


def _sequence(seq):
    best = None
    for op, av in seq:
        if op in (AT, ASSERT, ASSERT_NOT, ANY):
            continue
        s = _item(op, av)
        if s is not None and (best is None or _cost(s) < _cost(best)):
            best = s
    return best


def anchor_chars(pattern: str):
    """The characters one of which every match of `pattern` must contain (None: no such set)."""
    return _anchor_of(sre_parse.parse(pattern))


def _anchor_of(parsed):
    chars = _sequence(parsed)
    return frozenset(chars) if chars else None


def prechecks(pattern: str) -> tuple:
    """(anchor_chars, required_strings, second_strings) of a pattern, parsed once (or read from
    the shipped table of the rule packs' patterns, see grading.precheck_table)."""
    known = _table().get(pattern)
    if known is not None:
        return known
    return compute_prechecks(pattern)


def hint(pattern: str) -> re.Pattern:
    """A search for the plain strings one of which every match of `pattern` holds: where it finds
    nothing the pattern cannot match, and it runs several times faster than most patterns (for
    patterns run on every reply that seldom match). Matches everywhere when no strings are known."""
    return re.compile("|".join(map(re.escape, compute_prechecks(pattern)[1] or ("",))))


def compute_prechecks(pattern: str) -> tuple:
    """prechecks(pattern) worked out from the pattern itself."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return _anchor_of(parsed), None, None
    candidates = _required(parsed)
    return _anchor_of(parsed), _strings_from(candidates), _second_from(candidates)


def _table() -> dict:
    global _TABLE
    if _TABLE is None:
        from grading.precheck_table import load
        _TABLE = load()
    return _TABLE


_TABLE = None


def second_strings(pattern: str):
    """A second set of strings one of which every match of `pattern` also contains (beside the
    required_strings, or the anchor characters, that key it): the rarest other required set of
    the pattern's top-level sequence (None if it has no other)."""
    return prechecks(pattern)[2]


def _second_from(candidates):
    best = _best(candidates)
    if best is not None and not all(len(s) == 1 for s in best):
        # keyed by `best` (required_strings): the rarest of the others is the second check
        candidates = [c for c in candidates if c != best]
    # else keyed by its anchor characters: the rarest required set is the second check
    also = _best(candidates)
    return tuple(sorted(also, key=lambda s: (len(s), s))) if also else None


# Strings one of which every match must contain: longer and rarer than one anchor character, so
# most replies skip a pattern at a few substring tests instead of running it. Only what a match
# provably contains is taken: runs of consecutive consuming items of one sequence whose text is
# one of a few known strings; anything else (a class, a lookaround, an open repeat) ends a run.
_MAX_STRINGS = 24
_AT_ITEMS = (AT, ASSERT, ASSERT_NOT)


def _finite(op, av):
    """The strings an item can match, when they are few and known (None otherwise)."""
    if op is LITERAL:
        return {chr(av)}
    if op is IN:
        chars = set()
        for o, v in av:
            if o is LITERAL:
                chars.add(chr(v))
            elif o is RANGE and v[1] - v[0] < _MAX_STRINGS:
                chars.update(map(chr, range(v[0], v[1] + 1)))
            else:
                return None    # a negated class, a category (\d, \w): not a few known strings
        return chars if len(chars) <= _MAX_STRINGS else None
    if op is BRANCH:
        out = set()
        for seq in av[1]:
            s = _finite_seq(seq)
            if s is None:
                return None
            out |= s
        return out if len(out) <= _MAX_STRINGS else None
    if op is SUBPATTERN:
        if av[1] & re.IGNORECASE:
            return None
        return _finite_seq(av[-1])
    if op in (MAX_REPEAT, MIN_REPEAT):
        lo, hi, sub = av
        if lo == 0 and hi == 1:
            s = _finite_seq(sub)
            return None if s is None else s | {""}
        return None
    return None


def _finite_seq(seq):
    out = {""}
    for op, av in seq:
        s = _finite(op, av)
        if s is None:
            return None
        out = {a + b for a in out for b in s}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _minimal(strings) -> frozenset | None:
    """The strings without those containing another (finding the shorter one is enough)."""
    if not strings or "" in strings:
        return None
    kept = []
    for s in sorted(strings, key=len):   # a string holding another holds a shorter one kept
        if not any(t in s for t in kept):
            kept.append(s)
    return frozenset(kept)


def _rarity(strings) -> float:
    """A rough chance that a reply holds one of the strings (lower is better)."""
    # fsum: exact whatever the set's order (a plain sum of a set rounds differently from process to
    # process, and two tied sets would swap places: harmless, but the shipped table must hold).
    return math.fsum(0.5 if len(s) == 1 and s in _COMMON else 0.2 if len(s) == 1 else 0.03 if len(s) == 2
               else 0.005 for s in strings)


def _required(seq):
    """Candidate string sets of a sequence, each one of which every match contains."""
    candidates, run = [], {""}

    def close():
        nonlocal run
        s = _minimal(run)
        if s:
            candidates.append(s)
        run = {""}

    for op, av in seq:
        if op in _AT_ITEMS:
            close()
            continue
        s = _finite(op, av)
        if s is not None:
            grown = {a + b for a in run for b in s}
            if len(grown) <= _MAX_STRINGS:
                run = grown
                continue
            close()
            run = s if len(s) <= _MAX_STRINGS else {""}
            continue
        close()
        inner = _required_item(op, av)
        if inner:
            candidates.append(inner)
    close()
    return candidates


def _required_item(op, av):
    """The best required set of one item that is not a known string."""
    if op is BRANCH:
        sets = [_best(_required(seq)) for seq in av[1]]
        if any(s is None for s in sets):
            return None
        return _minimal(set().union(*sets))
    if op is SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _best(_required(av[-1]))
    if op in (MAX_REPEAT, MIN_REPEAT):
        lo, _, sub = av
        return _best(_required(sub)) if lo >= 1 else None
    return None


def _best(candidates):
    return min(candidates, key=_rarity, default=None)


def required_strings(pattern: str):
    """Strings one of which every match of `pattern` contains, when some are longer than a
    character (None: no better pre-check than anchor_chars)."""
    return _strings_of(sre_parse.parse(pattern))


def _strings_of(parsed):
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _strings_from(_required(parsed))


def _strings_from(candidates):
    best = _best(candidates)
    if best is None or all(len(s) == 1 for s in best):
        return None
    return tuple(sorted(best, key=lambda s: (len(s), s)))
