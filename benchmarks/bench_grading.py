"""Grading speed: cold start (import + first grade) in a fresh process; replies per second in one
process over distinct replies; and `rmtrainer grade` over a 10,000-line file with one process and
with all cores. Prints figures; asserts nothing.

    python benchmarks/bench_grading.py [-n 10000]

The replies are the corpus's, each made distinct by its number, so no per-text cache (normalising,
word cutting, features) can flatter the figures: every one is graded from scratch. Cold start and
in-process speed are given in wall time and in CPU time of the process: on a machine other work
shares, the CPU figures are the ones to compare (benchmarks/grading_cpu.py measures and profiles
them alone; benchmarks/grading_fingerprint.py proves a speed change leaves every output as it was).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COLD = ("import time; t=time.perf_counter(); c=time.process_time(); from grading import grade, Context; "
        "grade('您好，我马上帮您查询，今天内给您回复。', Context(kind='complaint', customer_line='钱怎么还没到？')); "
        "print(time.perf_counter()-t, time.process_time()-c)")


def records(n: int) -> list:
    """n batch records built from the corpus pairs, every reply text distinct."""
    from grading.training.corpus import load_corpus
    pairs = load_corpus()
    out = []
    for i in range(n):
        p = pairs[i % len(pairs)]
        ctx = {"kind": p.kind, **{k: v for k, v in p.context.items() if v is not None}}
        out.append({"id": f"b{i}", "context": ctx, "customer": p.customer, "reply": f"{p.reply}（{i}）"})
    return out


def main():
    """Print cold start, in-process throughput and the CLI's, one process and all cores."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10000, help="replies to grade (default 10000)")
    args = ap.parse_args()
    colds, cpus = [], []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True, cwd=ROOT)
        wall, cpu = map(float, out.stdout.strip().splitlines()[-1].split())
        colds.append(wall)
        cpus.append(cpu)
    print(f"cold start (import + first grade), best of 3: {min(colds):.3f} s, {min(cpus):.3f} CPU-s  (runs: "
          + ", ".join(f"{c:.3f}" for c in colds) + ")")

    from grading import Context, grade
    batch = records(args.n)
    assert len({r["reply"] for r in batch}) == len(batch)
    contexts = [Context.from_dict({**r["context"], "customer_line": r["customer"]}) for r in batch]
    t, c = time.perf_counter(), time.process_time()
    for r, ctx in zip(batch, contexts):
        grade(r["reply"], ctx)
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    chars = sum(len(r["reply"]) for r in batch) / len(batch)
    print(f"in process: {len(batch)} distinct replies (mean {chars:.0f} chars) in {dt:.2f} s = "
          f"{len(batch) / dt:,.0f} replies/s on one core; {len(batch) / cpu:,.0f} replies per CPU-second")

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "replies.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), encoding="utf-8")
        for jobs in sorted({1, os.cpu_count() or 1}):
            t = time.perf_counter()
            subprocess.run(["rmtrainer", "grade", str(src), "-o", str(Path(tmp) / f"out{jobs}.jsonl"),
                            "--jobs", str(jobs)], check=True, cwd=tmp)
            dt = time.perf_counter() - t
            print(f"rmtrainer grade --jobs {jobs}: {len(batch)} replies in {dt:.2f} s = "
                  f"{len(batch) / dt:,.0f} replies/s (start-up included)")


if __name__ == "__main__":
    main()
