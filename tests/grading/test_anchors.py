"""The rule index's pre-checks are sound: every match of a pack pattern holds one of its required
strings and one of its second strings, so skipping a pattern without them loses no finding."""
import re

from grading.anchors import prechecks, second_strings
from grading.engine import _anchor_index, _rules
from grading.normalize import normalize


def _texts():
    for rule in _rules()[0]:
        for key in ("fail", "pass"):
            for item in rule.examples.get(key) or ():
                yield normalize(item if isinstance(item, str) else str(item)).text


def test_every_match_holds_its_required_and_second_strings():
    texts = list(_texts())
    checked = 0
    for rule in _rules()[0]:
        for pattern in getattr(rule, "patterns", ()) or ():
            _, strings, also = prechecks(pattern)
            assert also == second_strings(pattern)
            rx = re.compile(pattern)
            for text in texts:
                for m in rx.finditer(text):
                    if m.end() == m.start():
                        continue
                    checked += 1
                    assert strings is None or any(s in m.group(0) for s in strings), (rule.id, pattern)
                    assert also is None or any(s in m.group(0) for s in also), (rule.id, pattern)
    assert checked > 500


def test_present_keeps_every_pattern_that_matches():
    index = _anchor_index()
    for text in _texts():
        active = index.present(text)
        for bit, rx in enumerate(index.patterns):
            if any(m.end() > m.start() for m in rx.finditer(text)):
                assert active >> bit & 1, rx.pattern
