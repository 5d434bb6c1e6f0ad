"""Reading finds sentences and clauses in one pass: the same spans as splitting the reply into
sentences and then each sentence into clauses."""
import random

from grading.text import _CLAUSE_END, _SENTENCE_END, Reading, Span, split_spans


def _two_pass(text):
    sentences = split_spans(text, _SENTENCE_END) or [Span(0, len(text))]
    clauses = [Span(s.start + c.start, s.start + c.end)
               for s in sentences for c in split_spans(text[s.start:s.end], _CLAUSE_END)]
    return sentences, clauses or [Span(0, len(text))]


def test_one_pass_gives_the_two_pass_spans():
    rng = random.Random(11)
    alphabet = "。！？；\n…!?;，：,:—0a好不"
    texts = ["", "。", "，", "您好，这款产品不保本。风险等级R3!5倍？好的——再见…"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    for text in texts:
        r = Reading(text)
        assert (r.sentences, r.clauses) == _two_pass(text), text
