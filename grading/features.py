"""Features a person can read, shared by training and grading: words and word pairs (jieba with
the banking dictionary), characters and character runs, and the customer's request crossed with
the reply's words — so "好嘞，收着了" weighs differently after a red envelope than after a complaint.
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import add

from grading.wordseg import words

_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_RUN = re.compile(r"[\w\u4e00-\u9fff]+")
_W, _C = "w:".__add__, "c:".__add__


def text_features(text: str) -> tuple:
    """Features of one normalized text: w:word, b:word_word, c:1-3 character runs (no punctuation)."""
    return text_features_split(text)[0]


@lru_cache(maxsize=8192)
def text_features_split(text: str) -> tuple:
    """(text_features(text), how many of them are words and word pairs): those come first."""
    # A word all of whose characters are alphanumeric (most of them) has a \w: the regex is
    # asked only about the rest (re's \w is str.isalnum() or "_", so the same words are kept)
    ws = [w for w in words(text) if w.isalnum() or _KEEP.search(w)]
    # Duplicates keep their first place: the same text gives the same features in the same order
    # (scores are summed in that order), without sorting hundreds of strings per reply. One list,
    # deduplicated once by dict.fromkeys, is several times cheaper than a dict updated per piece.
    feats = list(map(_W, ws))
    feats += [f"b:{a}_{b}" for a, b in zip(ws, ws[1:])]
    chars = []
    for run in _RUN.findall(text):
        # Made by map in C: "c:x", then "c:x" + next character, then "c:xy" + the one after
        ones = list(map(_C, run))
        twos = list(map(add, ones, run[1:]))
        chars += ones
        chars += twos
        chars += map(add, twos, run[2:])
    # No c: feature equals a w: or b: one, so deduplicating the two parts apart is the same as
    # deduplicating their concatenation, and tells where the words end.
    head = tuple(dict.fromkeys(feats))
    return head + tuple(dict.fromkeys(chars)), len(head)


def pair_features(reply: str, kind: str, request: str) -> list:
    """Features of a reply in its situation: its own, the kind, and request × reply words."""
    own = text_features(reply)
    out = list(own)
    out.append("k:" + kind)
    out.append("r:" + request)
    if request != "legitimate":
        out.extend(f"r:{request}|{f}" for f in own if f[0] in "wb")
    return out


@lru_cache(maxsize=1024)
def _pairs(text: str) -> frozenset:
    """The text's two-character runs (cached: many replies answer the same customer line)."""
    return frozenset(_bigrams(text))


def _bigrams(text: str):
    """Each two-character run of the text, in order: text[i:i + 2] for every i, made by map in C
    (each character joined to the next) instead of a slice per position in Python."""
    return map(add, text, text[1:])


_SEP = re.compile(r"[\s，。！？、；,.!?;~～]+")


def shape_features(reply: str, customer: str) -> list:
    """How a reply is put together, binned: how many pieces it is cut into and how long they are,
    and how much of it repeats the customer's words (what keyword salad and echoes look like)."""
    pieces = [p for p in _SEP.split(reply) if p]
    n = len(pieces)
    mean = sum(map(len, pieces)) / n if n else 0
    grams = set(_bigrams(reply))
    echo = len(grams & _pairs(customer)) / len(grams) if grams else 0
    return [f"s:pieces{min(n, 12) // 3}", f"s:mean{min(int(mean), 15) // 3}",
            f"s:echo{int(echo * 5)}", f"s:len{min(len(reply), 200) // 40}"]
