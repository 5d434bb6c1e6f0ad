"""Caller and scenario-author regexes run with bounded work, and mean what `re` means (issue 12)."""
import re

import pytest

from grading import Context, grade
from grading.model import ForbiddenItem
from grading.safe_regex import UnsafePattern, compile_safe

LOOKAROUND = "(?<!时候)(?<!不)(?<!是否)(会|能|应该|迟早|早晚)(就)?(会|能)?(涨回来|回本)"


def forbidden(pattern, category="guarantee"):
    return Context(kind="complaint", forbidden=(ForbiddenItem(pattern, "m", category),))


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)*b", r"(\w*)*x", "(.*a){20}b"])
def test_a_backtracking_pattern_runs_in_linear_time(pattern):
    report = grade("a" * 5000 + "!", Context(kind="general", forbidden=(ForbiddenItem(pattern, "m"),)))
    assert not [f for f in report.findings if f.rule == "step.forbidden"]


@pytest.mark.parametrize("pattern", ["(?<!b)(a+)+$", r"(a*)\1*b", "(?=a)(a|aa)*b"])
def test_a_pattern_neither_engine_can_bound_is_refused_with_a_reason(pattern):
    with pytest.raises(UnsafePattern, match="could backtrack without bound"):
        grade("aaa", Context(kind="general", forbidden=(ForbiddenItem(pattern, "m"),)))


@pytest.mark.parametrize("reply, hit", [
    ("您放心，过段时间会涨回来的。", "会涨回来"),
    ("什么时候会涨回来，谁也说不准。", None),     # lookbehind: (?<!时候)
    ("它迟早能回本。", "迟早能回本"),
])
def test_lookaround_patterns_keep_their_meaning(reply, hit):
    report = grade(reply, forbidden(LOOKAROUND))
    found = [f.text for f in report.findings if f.rule == "step.forbidden"]
    assert found == ([hit] if hit else [])


def test_unicode_classes_mean_what_re_means_on_either_engine():
    for pattern in (r"余额[\d一二三]+万", r"余额\d+万", r"余额\w{0,3}万"):      # RE2, RE2, re
        assert compile_safe(pattern).search("余额٣١万") is not None
        assert compile_safe(pattern).search("余额３万") is not None
    assert compile_safe(r"\s+").search("\u3000") is not None


@pytest.mark.parametrize("pattern", ["(", "a{99999999999}", "x" * 2001, None])
def test_a_bad_pattern_is_an_error_not_a_crash(pattern):
    with pytest.raises(UnsafePattern):
        compile_safe(pattern)


def test_a_bounded_pattern_keeps_pythons_engine():
    assert isinstance(compile_safe(LOOKAROUND), re.Pattern)
