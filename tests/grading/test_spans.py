"""Every finding points at the words that earned or cost the points — checked independently of
the grader's offset map: the span is cut from the reply as typed (either script), only that piece
is converted, and it must hold a match of the rule's own patterns (or, for a model's decision, be
a whole clause of the reply)."""
import re
from pathlib import Path

import opencc
import pytest

from calibration import load_cases
from grading import grade
from grading.engine import _rules
from grading.normalize import to_simplified

HERE = Path(__file__).parent
_S2T = opencc.OpenCC("s2t")
_PUNCT = "，。！？；：,.!?;:、…—\n"


def _cases():
    for name in ("golden", "tuned1", "tuned2"):
        for case in load_cases(HERE / name):
            yield pytest.param(case, case.reply, id=f"{case.id}")
            yield pytest.param(case, _S2T.convert(case.reply), id=f"{case.id}-trad")


@pytest.mark.parametrize("case,reply", list(_cases()))
def test_each_finding_holds_the_words_it_names(case, reply):
    _, by_id, _ = _rules()
    for f in grade(reply, case.context).findings:
        if f.start < 0:
            continue
        assert 0 <= f.start < f.end <= len(reply), (f.rule, f.start, f.end)
        piece = to_simplified(reply[f.start:f.end])
        rule = by_id.get(f.rule)
        patterns = getattr(rule, "patterns", None) or getattr(rule, "if_patterns", None)
        if patterns:
            assert any(re.search(p, piece) for p in patterns), (f.rule, reply[f.start:f.end])
        elif f.rule.startswith(("model.", "conversation.")):
            before = reply[f.start - 1] if f.start else _PUNCT[0]
            after = reply[f.end] if f.end < len(reply) else _PUNCT[0]
            assert (before in _PUNCT or before.isspace() or f.start == 0) and \
                   (after in _PUNCT or after.isspace() or f.end == len(reply)), (f.rule, reply[f.start:f.end])
