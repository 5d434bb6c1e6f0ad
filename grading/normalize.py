"""Normalize a reply once (traditional→simplified, full/half width, spaces) and map spans back."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

# OpenCC's t2s converts phrase by phrase; for replies it keeps one character per character
# almost always. When a phrase changes length we fall back to character-by-character
# conversion so that every normalized character still points at one typed character.
# tw2s = t2s plus Taiwan variant characters (著急 → 着急, which plain t2s leaves alone).
_T2S = opencc.OpenCC("tw2s")

# Punctuation we fold to one form so patterns need only one spelling.
_PUNCT = str.maketrans({
    ",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）",
    "「": "“", "」": "”", "『": "“", "』": "”", "\"": "”", "'": "’", "‘": "’",
    "﹐": "，", "､": "、",
})
# 帐/賬: OpenCC keeps 帐户 as is; banks write 账户.
_EXTRA = str.maketrans({"帐": "账"})


@dataclass(frozen=True)
class Normalized:
    """A normalized text and, for each of its characters, the index in the original."""
    text: str
    offsets: tuple  # offsets[i] = index in the original of text[i]; len(text)+1 entries
    original: str

    def span(self, start: int, end: int) -> tuple:
        """Map a [start, end) span of the normalized text to the original reply."""
        if start >= end:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


def _fold_char(ch: str) -> str:
    """Full-width letters/digits to half width, punctuation to one form, spaces to one space."""
    if ch.isspace():
        return " "
    if "\uff01" <= ch <= "\uff5e" and (ch.isalnum()):
        ch = unicodedata.normalize("NFKC", ch)
    folded = ch.translate(_PUNCT).translate(_EXTRA).lower()
    return folded if len(folded) == 1 else ch  # keep the 1:1 offset map


@lru_cache(maxsize=4096)
def _convert(text: str) -> str:
    converted = _T2S.convert(text)
    if len(converted) != len(text):
        converted = "".join(_T2S.convert(c) if len(_T2S.convert(c)) == 1 else c for c in text)
    return converted


def normalize(original: str) -> Normalized:
    """Normalize a reply for matching; every normalized char maps back to a typed char."""
    converted = _convert(original)
    chars, offsets = [], []
    prev_space = True
    for i, ch in enumerate(converted):
        folded = _fold_char(ch)
        if folded == " ":
            if prev_space:
                continue  # collapse runs of whitespace; leading spaces dropped
            prev_space = True
        else:
            prev_space = False
        chars.append(folded)
        offsets.append(i)
    offsets.append(len(original))
    return Normalized("".join(chars), tuple(offsets), original)


def to_simplified(text: str) -> str:
    """Simplified-Chinese, width-folded form of a text (customer lines, scenario replies)."""
    return normalize(text).text


def pattern_to_simplified(pattern: str) -> str:
    """A regex written in either script, converted to simplified; its syntax left untouched."""
    return _convert(pattern).translate(_EXTRA).lower()
