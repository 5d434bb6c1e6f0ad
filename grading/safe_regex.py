"""Regular expressions written by callers and scenario authors, run with bounded work.

Python's `re` backtracks: `(a+)+$` on thirty characters takes minutes. A pattern someone else
wrote is therefore run by one of two engines, chosen when it is compiled:

- Python's `re` when its backtracking is provably bounded: no unbounded repetition (`*`, `+`,
  `{n,}`) and at most PATH_BUDGET ways to try at one position, so a search costs at most
  PATH_BUDGET steps per character. Lookarounds and backreferences are allowed there, and such
  patterns keep `re`'s exact meaning (Unicode `\\w`, `\\d`, `\\s`, `\\b`).
- RE2 (google-re2) otherwise: linear time whatever the pattern, but no lookaround or
  backreference. `\\d`, `\\w` and `\\s` are rewritten to their Unicode meaning, as in `re`.

A pattern neither engine can run safely is refused with UnsafePattern, which says why.
"""
from __future__ import annotations

import re
import re._parser as sre_parse
from re._constants import (ASSERT, ASSERT_NOT, ATOMIC_GROUP, BRANCH, GROUPREF_EXISTS, MAX_REPEAT,
                           MAXREPEAT, MIN_REPEAT, POSSESSIVE_REPEAT, SUBPATTERN)

import re2

from grading.model import ContextError
from grading.rules import PhraseRule

PATH_BUDGET = 2_000       # ways to try at one position, for a pattern run by Python's `re`
MAX_PATTERN_CHARS = 2_000
_OVER = PATH_BUDGET + 1
_REPEATS = (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT)
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False     # RE2's C++ logger would print every refused pattern to stderr
_RE2_OPTIONS.max_mem = 8 << 20      # a pattern whose automaton needs more is refused, not built

# Python's Unicode classes, for RE2 (whose \d \w \s are ASCII only): inside and outside [...]
_SPACES = r"\t\n\v\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_IN_CLASS = {"d": r"\p{Nd}", "D": r"\P{Nd}", "w": r"\p{L}\p{N}_", "s": _SPACES}
_OUTSIDE = {"d": r"\p{Nd}", "D": r"\P{Nd}", "w": r"[\p{L}\p{N}_]", "W": r"[^\p{L}\p{N}_]",
            "s": f"[{_SPACES}]", "S": f"[^{_SPACES}]"}


class UnsafePattern(ContextError):
    """A pattern that is not a regular expression, or that could run without bound."""


class BoundedPhraseRule(PhraseRule):
    """A phrase rule whose patterns came from outside the rule packs (a scenario step, a batch
    record): each one is run by compile_safe's engine, so its work is bounded."""

    def __post_init__(self):
        safe = [compile_safe(p) for p in self.patterns]   # UnsafePattern before anything runs
        super().__post_init__()
        self._parts = tuple((rx, anchor) for rx, (_, anchor) in zip(safe, self._parts))


def compile_safe(pattern: str):
    """The pattern compiled by an engine whose work on any text is bounded (see the module)."""
    if not isinstance(pattern, str):
        raise UnsafePattern(f"a pattern must be text, not {type(pattern).__name__}")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise UnsafePattern(f"the pattern is {len(pattern)} characters; at most {MAX_PATTERN_CHARS}")
    try:
        compiled = re.compile(pattern)
        paths = _paths(sre_parse.parse(pattern))
    except (re.error, OverflowError, RecursionError) as e:
        raise UnsafePattern(f"{pattern!r} is not a valid regular expression: {e}") from None
    if paths <= PATH_BUDGET:
        return compiled
    try:
        return re2.compile(_for_re2(pattern), _RE2_OPTIONS)
    except (re2.error, _Untranslatable) as e:
        reason = e.args[0].decode("utf-8", "replace") if isinstance(e.args[0], bytes) else e.args[0]
    raise UnsafePattern(
        f"{pattern!r} could backtrack without bound (it repeats without a limit, or has more than "
        f"{PATH_BUDGET} ways to match at one position), and the linear-time engine cannot run it "
        f"({reason}); bound its repetitions (e.g. {{0,4}} instead of * or +) or drop the "
        f"lookaround/backreference")


def is_safe(pattern: str) -> str | None:
    """None when the pattern compiles safely, else why not (a message naming the pattern)."""
    try:
        compile_safe(pattern)
    except UnsafePattern as e:
        return str(e)
    return None


def _paths(seq) -> int:
    """Ways a backtracking matcher can try `seq` at one position (capped just above the budget)."""
    total = 1
    for op, av in seq:
        total = min(total * _item_paths(op, av), _OVER)
    return total


def _item_paths(op, av) -> int:
    if op is BRANCH:
        return min(sum(_paths(s) for s in av[1]), _OVER)
    if op is SUBPATTERN:
        return _paths(av[-1])
    if op is ATOMIC_GROUP:
        return _paths(av)
    if op in (ASSERT, ASSERT_NOT):
        return _paths(av[1])
    if op is GROUPREF_EXISTS:
        return min(_paths(av[1]) + (_paths(av[2]) if av[2] else 1), _OVER)
    if op in _REPEATS:
        lo, hi, sub = av
        if hi == MAXREPEAT:
            return _OVER
        return _repeat_paths(lo, hi, _paths(sub))
    return 1    # one character, a class, an anchor, a backreference: one way each


def _repeat_paths(lo: int, hi: int, each: int) -> int:
    """sum(each**k for k in lo..hi), capped: a greedy repeat may stop after any count."""
    if each <= 1:
        return min(hi - lo + 1, _OVER)
    total, power = 0, min(each ** lo, _OVER) if lo < 64 else _OVER
    for _ in range(lo, hi + 1):
        total += power
        if total >= _OVER:
            return _OVER
        power *= each
    return total


class _Untranslatable(Exception):
    """A construct whose `re` meaning RE2 cannot express."""


def _for_re2(pattern: str) -> str:
    """The pattern with Python's Unicode \\d \\w \\s spelled out for RE2 (ASCII there)."""
    out, i, in_class, n = [], 0, False, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            esc = pattern[i + 1]
            table = _IN_CLASS if in_class else _OUTSIDE
            if esc in table:
                out.append(table[esc])
            elif esc in "bBWS":
                raise _Untranslatable(f"\\{esc} here has no Unicode equivalent in RE2")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            # a ] right after [ or [^ is a literal, not the end of the class
            for lead in ("^", "]"):
                if i < n and pattern[i] == lead:
                    out.append(lead)
                    i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)
