"""A cheap pre-check for a regex: the characters one of which every match must contain.

Most rules cannot match most replies; scanning a reply for a handful of characters (in C) is far
cheaper than running the rule's regex, so rules skip replies that lack every anchor.
"""
from __future__ import annotations

import re
import re._parser as sre_parse  # the stdlib's own regex parser, so anchors follow its grammar
from re._constants import (ANY, ASSERT, ASSERT_NOT, AT, BRANCH, IN, LITERAL, MAX_REPEAT,
                           MIN_REPEAT, SUBPATTERN)


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
    chars = _sequence(sre_parse.parse(pattern))
    return frozenset(chars) if chars else None
