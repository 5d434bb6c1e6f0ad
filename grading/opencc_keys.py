"""Which texts OpenCC's tw2s conversion gives back unchanged, known without running it.

OpenCC changes a text only where a key of one of its dictionaries stands in it (each stage —
normalization, segmentation, the conversion chain — copies every character no key matches). So a
text holding none of the one-character keys and none of the longer keys comes out as it went in.
grading/data/opencc_tw2s_keys.txt lists them (1,605 phrase keys besides the characters), made from the
installed dictionaries by `python -m grading.opencc_keys` (it needs marisa-trie, the reader of
OpenCC's .ocd2 files: `pip install marisa-trie`); it carries the dictionaries' digest and is used
only while the installed dictionaries have that digest, so an OpenCC upgrade cannot make it lie.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from operator import add
from pathlib import Path

KEYS = Path(__file__).parent / "data" / "opencc_tw2s_keys.txt"
CONFIG = "tw2s.json"
_OCD2 = b"OPENCC_MARISA_0.2.5"          # an .ocd2 file: this header, then a marisa trie of its keys
_SURROGATE = re.compile("[\ud800-\udfff]")   # OpenCC refuses these: it must still be asked


def share_dir():
    """The installed OpenCC's configuration and dictionary folder, or None if it is elsewhere."""
    import opencc
    folder = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    return folder if (folder / CONFIG).is_file() else None


def _files(node) -> list:
    """Every dictionary file a configuration names, in order."""
    if isinstance(node, dict):
        found = [node["file"]] if isinstance(node.get("file"), str) else []
        return found + [f for v in node.values() for f in _files(v)]
    if isinstance(node, list):
        return [f for v in node for f in _files(v)]
    return []


def dictionaries(folder: Path) -> list:
    """The dictionary files tw2s uses (each once)."""
    return list(dict.fromkeys(_files(json.loads((folder / CONFIG).read_text(encoding="utf-8")))))


def digest(folder: Path) -> str:
    """sha256 over tw2s.json and each dictionary it uses."""
    h = hashlib.sha256()
    for name in [CONFIG] + dictionaries(folder):
        h.update(name.encode())
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def write_keys(path: Path = KEYS) -> tuple:
    """Write the one-character keys and the longer keys of every tw2s dictionary, under the
    dictionaries' digest; returns (how many characters, how many longer keys)."""
    import marisa_trie
    folder = share_dir()
    if folder is None:
        raise SystemExit("OpenCC's dictionary folder was not found")
    chars, phrases = set(), set()
    for name in dictionaries(folder):
        data = (folder / name).read_bytes()
        if not name.endswith(".ocd2") or not data.startswith(_OCD2):
            raise SystemExit(f"{name}: not an .ocd2 dictionary this reader knows")
        for key in marisa_trie.Trie().frombytes(data[len(_OCD2):]).keys():
            if not key or any(c.isspace() for c in key):
                raise SystemExit(f"{name}: a key this list cannot hold: {key!r}")
            (chars.add(key) if len(key) == 1 else phrases.add(key))
    path.write_text(f"# the keys of OpenCC's tw2s dictionaries (python -m grading.opencc_keys)\n"
                    f"{digest(folder)}\n{''.join(sorted(chars))}\n{' '.join(sorted(phrases))}\n",
                    encoding="utf-8")
    return len(chars), len(phrases)


@lru_cache(maxsize=1)
def _keys():
    """(characters, {first two characters: the longer keys starting so}) when the shipped list was
    made from the installed dictionaries, else None."""
    try:
        _, made_from, chars, phrases = KEYS.read_text(encoding="utf-8").split("\n")[:4]
        folder = share_dir()
        if folder is None or digest(folder) != made_from:
            return None
    except (OSError, ValueError):
        return None
    starts = {}
    for key in phrases.split():
        starts.setdefault(key[:2], []).append(key)
    return frozenset(chars), {start: tuple(keys) for start, keys in starts.items()}


def unchanged(text: str) -> bool:
    """Would tw2s give the text back as it is? True only when provably so (no key stands in it)."""
    keys = _keys()
    if keys is None or _SURROGATE.search(text):
        return False
    chars, starts = keys
    if not chars.isdisjoint(text):
        return False
    # A pair that starts a longer key (什么, 直接) is common in plain simplified text: only the
    # whole key standing in the text sends it to OpenCC (13 % of replies went there for nothing).
    for start in filter(starts.__contains__, map(add, text, text[1:])):
        if any(key in text for key in starts[start]):
            return False
    return True


if __name__ == "__main__":
    n_chars, n_phrases = write_keys()
    print(f"{KEYS}: {n_chars} characters, {n_phrases} longer keys")
