"""Chinese word boundaries (jieba with a banking user dictionary), so terms match whole words.

A rule's 滚 must not fire inside 滚动, 整流水 inside 完整流水, 能帮您 inside 不能帮您. jieba is the
ecosystem's standard segmenter; its dictionary ships in the package and is loaded once, offline.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import jieba

USER_DICT = Path(__file__).parent / "data" / "bank_words.txt"
jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    with USER_DICT.open("rb") as f:      # a file object: jieba would leave a path's file open
        tok.load_userdict(f)             # also initialises the main dictionary (cached by jieba)
    return tok


@lru_cache(maxsize=8192)
def words(text: str) -> tuple:
    """The text cut into words (HMM off: unknown runs stay as single characters, deterministic)."""
    return tuple(_tokenizer().cut(text, HMM=False))


@lru_cache(maxsize=8192)
def boundaries(text: str) -> frozenset:
    """Every offset where a word starts or ends (0 and len(text) included)."""
    out, pos = {0}, 0
    for w in words(text):
        pos += len(w)
        out.add(pos)
    return frozenset(out)


def whole_words(text: str, start: int, end: int) -> bool:
    """Does [start, end) begin and end on word boundaries (not inside a longer word)?"""
    b = boundaries(text)
    return start in b and end in b
