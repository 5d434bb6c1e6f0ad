"""Normalize a reply once (traditional→simplified, full/half width, spaces) and map spans back."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import opencc

from grading.opencc_keys import unchanged

# OpenCC's t2s converts phrase by phrase; for replies it keeps one character per character
# almost always. When a phrase changes length we fall back to character-by-character
# conversion so that every normalized character still points at one typed character.
# tw2s = t2s plus Taiwan variant characters (著急 → 着急, which plain t2s leaves alone).
_T2S = opencc.OpenCC("tw2s")

# Punctuation folded to one form, so patterns need only one spelling; 帐 → 账 because OpenCC
# keeps 帐户 while banks write 账户. Every mapping is one character to one character.
_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）",
          "「": "“", "」": "”", "『": "“", "』": "”", "\"": "”", "'": "’", "‘": "’",
          "﹐": "，", "､": "、", "帐": "账", "\u3000": " ", "\t": " ", "\r": " "}
_EXTRA = str.maketrans({"帐": "账"})


def _fold_table() -> dict:
    table = {}
    for code in range(0xFF01, 0xFF5F):          # full-width ASCII → half width
        half = chr(code - 0xFEE0)
        table[code] = _PUNCT.get(half, half.lower())
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(c)] = c.lower()
    table.update({ord(k): v for k, v in _PUNCT.items()})
    return str.maketrans(table)


_FOLD = _fold_table()
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b]+")


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


# Simplified characters tw2s reads as Taiwan variants when they stand alone: 么 -> 幺 ("买么子",
# "么么哒", a pattern's "怎(么)?样"). The only two in the CJK block; kept as typed, so a simplified
# text comes out as its traditional spelling does (麼 -> 么).
_KEEP_SIMPLIFIED = "么苧"


@lru_cache(maxsize=4096)
def _convert(text: str) -> str:
    if unchanged(text):     # no key of tw2s's dictionaries stands in it: OpenCC would return it as is
        return text
    converted = _T2S.convert(text)
    if len(converted) != len(text):
        converted = "".join(_T2S.convert(c) if len(_T2S.convert(c)) == 1 else c for c in text)
    if "么" in text or "苧" in text:
        converted = "".join(o if o in _KEEP_SIMPLIFIED else c for o, c in zip(text, converted))
    return converted


def normalize(original: str) -> Normalized:
    """Normalize a reply for matching; every normalized char maps back to a typed char."""
    folded = _convert(original).translate(_FOLD)
    if "  " not in folded and not folded.startswith(" ") and "\u00a0" not in folded:
        return Normalized(folded, tuple(range(len(original) + 1)), original)
    chars, offsets, pos = [], [], 0
    for m in _SPACES.finditer(folded):   # collapse runs of spaces to one; drop leading ones
        chars.append(folded[pos:m.start()])
        offsets.extend(range(pos, m.start()))
        if m.start() > 0:
            chars.append(" ")
            offsets.append(m.start())
        pos = m.end()
    chars.append(folded[pos:])
    offsets.extend(range(pos, len(folded)))
    offsets.append(len(original))
    return Normalized("".join(chars), tuple(offsets), original)


@lru_cache(maxsize=1024)
def to_simplified(text: str) -> str:
    """Simplified-Chinese, width-folded form of a text (customer lines, scenario replies)."""
    return normalize(text).text


def pattern_to_simplified(pattern: str) -> str:
    """A regex written in either script, converted to simplified; its syntax left untouched."""
    return _convert(pattern).translate(_EXTRA).lower()
