"""The grader's whole output on the speed benchmark's 10,000 replies, one JSON line per reply, so a
speed change can be proved not to change a single score, finding, span, flag or reading.

    python benchmarks/grading_fingerprint.py -o /tmp/before.jsonl      # on the code before
    python benchmarks/grading_fingerprint.py -o /tmp/after.jsonl       # on the code after
    python benchmarks/grading_fingerprint.py --against /tmp/before.jsonl   # grade and compare

Each line holds the batch record (report.to_dict()), every finding with all its fields (spans,
cues, the combiner's confidence), the explain reading (request, stance, cues, red-line and level
models) and the English feedback; floats are rounded to 6 decimals, so a change in the summation
order of a model shows up long before it could move a score. Also graded: each of the first 200
replies as a scenario step would send it (expected moves, a forbidden phrase, a surname, history),
so the paths the batch records do not reach are covered too.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_grading import records  # noqa: E402  (the benchmark's own replies and contexts)


def _rounded(value):
    """The value with every float rounded to 6 decimals (tuples as lists), for a stable JSON line."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def fingerprint(report) -> dict:
    """Everything a report says, floats rounded to 6 decimals."""
    return _rounded({"record": report.to_dict(),
                     "findings": [vars(f) for f in report.findings],
                     "missing_moves": report.missing_moves, "flags": report.flags,
                     "reading": report.reading, "feedback_en": report.feedback_en})


def scenario_context(record: dict, i: int) -> dict:
    """A context as a scenario step sends it: expected moves, a forbidden phrase, a surname, history."""
    from grading.model import ForbiddenItem
    moves = (("apology|acknowledge", "next_step|investigate"), ("risk_disclosure",), ("refuse_gift",))[i % 3]
    return {**record["context"], "customer_line": record["customer"], "expected_moves": moves,
            "forbidden": (ForbiddenItem(pattern="保证|一定能", message="不要承诺", category="guarantee"),
                          ForbiddenItem(pattern="马上", message="别催", dimension="etiquette")),
            "customer_surname": "王李张"[i % 3], "history": ("你好", record["customer"])}


def graded(n: int):
    """(id, fingerprint) of the benchmark's n replies, then of the first 200 as scenario steps."""
    from grading import Context, grade
    batch = records(n)
    for r in batch:
        ctx = Context.from_dict({**r["context"], "customer_line": r["customer"]})
        yield r["id"], fingerprint(grade(r["reply"], ctx))
    for i, r in enumerate(batch[:200]):
        yield r["id"] + "/step", fingerprint(grade(r["reply"], Context.from_dict(scenario_context(r, i))))


def main():
    """Write the fingerprint lines, or compare them with an earlier file and count differences."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10000, help="replies (default 10000)")
    ap.add_argument("-o", "--output", help="write the lines here")
    ap.add_argument("--against", help="compare with this earlier output; exit 1 on any difference")
    args = ap.parse_args()
    lines = [json.dumps({"id": rid, **fp}, ensure_ascii=False, sort_keys=True) for rid, fp in graded(args.n)]
    if args.output:
        Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.against:
        before = Path(args.against).read_text(encoding="utf-8").splitlines()
        differ = [i for i, (a, b) in enumerate(zip(before, lines)) if a != b]
        differ += list(range(min(len(before), len(lines)), max(len(before), len(lines))))
        print(f"{len(lines)} replies graded, {len(differ)} differ from {args.against}")
        for i in differ[:5]:
            print("  before:", before[i][:400] if i < len(before) else "-")
            print("  after: ", lines[i][:400] if i < len(lines) else "-")
        sys.exit(1 if differ else 0)
    print(f"{len(lines)} replies graded")


if __name__ == "__main__":
    main()
