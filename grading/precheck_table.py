"""The rule packs' patterns' pre-checks (anchors.prechecks), worked out once and shipped.

Parsing and analysing the packs' 300 patterns cost about a tenth of a second of every cold start;
grading/data/prechecks.json holds the result for each pattern, made by

    python -m grading.precheck_table        # also run by python -m grading.training.pack

It is keyed by a digest of the code that computes it (grading/anchors.py) and the Python version
(the regex parser is the stdlib's): under any other it is ignored. A pattern it lacks (a rule
added or edited since) is analysed as before, so a stale table only costs time, never a result.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "prechecks.json"
_SURROGATE = re.compile("[\ud800-\udfff]")


def key() -> str:
    """What the table's entries depend on: the analysing code and the Python version."""
    h = hashlib.sha256((Path(__file__).parent / "anchors.py").read_bytes())
    h.update(("python %d.%d" % sys.version_info[:2]).encode())
    return h.hexdigest()


def _encode(checks: tuple) -> list:
    anchor, strings, also = checks
    return [sorted(anchor) if anchor is not None else None,
            list(strings) if strings is not None else None,
            list(also) if also is not None else None]


def _decode(entry: list) -> tuple:
    anchor, strings, also = entry
    return (frozenset(anchor) if anchor is not None else None,
            tuple(strings) if strings is not None else None,
            tuple(also) if also is not None else None)


def load(path: Path = TABLE) -> dict:
    """pattern -> prechecks, when the table was made by this code on this Python; else {}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != key():
            return {}
        return {p: _decode(e) for p, e in data["patterns"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def patterns() -> list:
    """Every pattern of the rule packs whose pre-checks the rules ask for."""
    from grading.loader import load_packs
    out = []
    for rule in load_packs():
        out += getattr(rule, "patterns", ()) or ()
    return list(dict.fromkeys(out))


def write(path: Path = TABLE) -> int:
    """Work out and write the table; how many patterns it holds."""
    from grading.anchors import compute_prechecks
    # One pattern a line, readable (a pattern holding a lone surrogate, which UTF-8 cannot
    # write, is left out: it is analysed live).
    table = {p: _encode(compute_prechecks(p)) for p in sorted(patterns()) if not _SURROGATE.search(p)}
    lines = [json.dumps(p, ensure_ascii=False) + ": " + json.dumps(e, ensure_ascii=False) for p, e in table.items()]
    path.write_text('{"key": ' + json.dumps(key()) + ', "patterns": {\n' + ",\n".join(lines) + "\n}}\n",
                    encoding="utf-8")
    return len(table)


if __name__ == "__main__":
    print(f"{TABLE}: {write()} patterns")
