"""Grading speed: cold start (import + first grade) in a fresh process, then replies per second
over at least 10,000 replies in one process. Prints figures; asserts nothing."""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import yaml

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "grading" / "golden"
COLD = ("import time; t=time.perf_counter(); from grading import grade, Context; "
        "grade('您好，我马上帮您查询，今天内给您回复。', Context(kind='complaint')); "
        "print(time.perf_counter()-t)")


def corpus():
    """Every golden reply with its context (the calibration set is the realistic mix)."""
    from grading import Context
    items = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ctx = Context.from_dict({**data["context"], "customer_line": data.get("customer", "")})
        items.extend((r["reply"] or "", ctx) for r in data["replies"])
    return items


def main():
    """Print cold start and throughput."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=12000, help="replies to grade (default 12000)")
    args = ap.parse_args()
    colds = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True)
        colds.append(float(out.stdout.strip()))
    print(f"cold start (import + first grade), best of 3: {min(colds):.3f} s  (runs: "
          + ", ".join(f"{c:.3f}" for c in colds) + ")")

    from grading import grade
    items = corpus()
    # Vary each reply slightly so per-text caches cannot flatter the figure.
    batch = [(f"{reply}{'。' * (i // len(items) % 3)}", ctx) for i, (reply, ctx) in
             zip(range(args.n), (items[i % len(items)] for i in range(args.n)))]
    t = time.perf_counter()
    for reply, ctx in batch:
        grade(reply, ctx)
    dt = time.perf_counter() - t
    chars = sum(len(r) for r, _ in batch) / len(batch)
    print(f"throughput: {len(batch)} replies (mean {chars:.0f} chars) in {dt:.2f} s = "
          f"{len(batch) / dt:,.0f} replies/s on one core")


if __name__ == "__main__":
    main()
