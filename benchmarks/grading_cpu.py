"""Grading throughput in CPU time, so a figure holds on a machine other processes share: replies
graded per CPU-second of this process, over the speed benchmark's distinct replies, after a
warm-up; optionally with a profile of where that time goes.

    python benchmarks/grading_cpu.py [-n 10000] [--profile [N]]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_grading import records  # noqa: E402  (the benchmark's own replies)

WARM_UP = 50


def main():
    """Print replies per CPU-second (and, with --profile, the top functions by own and total time)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10000, help="replies to grade (default 10000)")
    ap.add_argument("--profile", type=int, nargs="?", const=30, default=0, metavar="N",
                    help="profile the run and print the top N functions (default 30)")
    args = ap.parse_args()
    from grading import Context, grade
    batch = records(args.n + WARM_UP)
    pairs = [(r["reply"], Context.from_dict({**r["context"], "customer_line": r["customer"]})) for r in batch]
    for reply, ctx in pairs[args.n:]:      # warm-up on replies the measured run does not see
        grade(reply, ctx)
    pairs = pairs[:args.n]
    # CPU time, not wall time: other processes on the machine must not show up as our cost
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    t = time.process_time()
    if profiler:
        profiler.enable()
    for reply, ctx in pairs:
        grade(reply, ctx)
    if profiler:
        profiler.disable()
    cpu = time.process_time() - t
    print(f"{len(pairs)} distinct replies in {cpu:.2f} CPU-s = {len(pairs) / cpu:,.0f} replies per CPU-second"
          + (" (profiled: slower than unprofiled)" if profiler else ""))
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumtime").print_stats(args.profile)


if __name__ == "__main__":
    main()
