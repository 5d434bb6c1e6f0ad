"""`rmtrainer grade --jobs 1` of this checkout against another revision, run in alternation: on a
machine whose speed swings by the hour, only runs side by side in time say which code is faster.
Prints each pair and the median ratio; asserts nothing.

    python benchmarks/grading_ab.py REV [-n 10000] [--pairs 5]

REV (a commit, tag or branch of this repository) is checked out into a temporary git worktree;
both sides grade the same file of the speed benchmark's distinct replies, each from its own code
(its folder first on the import path), with the packages installed here.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_grading import records  # noqa: E402  (the benchmark's own replies)

# Run from the side's own folder, which `python -c` puts first on the import path.
CLI = "from trainer.cli import main; main()"


def run(root: Path, src: Path, out: Path) -> float:
    """Seconds `rmtrainer grade src --jobs 1` takes with the code in root (start-up included)."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", CLI, "grade", str(src), "-o", str(out), "--jobs", "1"],
                   check=True, cwd=root)
    return time.perf_counter() - t


def main():
    """Print replies per second of REV and of this checkout, pair by pair, and the median ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the revision to compare with (commit, tag or branch)")
    ap.add_argument("-n", type=int, default=10000, help="replies to grade (default 10000)")
    ap.add_argument("--pairs", type=int, default=5, help="alternating pairs of runs (default 5)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        other = tmp / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(other), args.rev],
                       check=True)
        try:
            src = tmp / "replies.jsonl"
            src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(args.n)),
                           encoding="utf-8")
            ratios = []
            for i in range(args.pairs):
                theirs = args.n / run(other, src, tmp / "theirs.jsonl")
                ours = args.n / run(ROOT, src, tmp / "ours.jsonl")
                ratios.append(ours / theirs)
                print(f"pair {i + 1}: {args.rev} {theirs:,.0f} replies/s, this checkout {ours:,.0f} "
                      f"({ours / theirs - 1:+.1%})", flush=True)
            same = (tmp / "theirs.jsonl").read_bytes() == (tmp / "ours.jsonl").read_bytes()
            print(f"median: this checkout {statistics.median(ratios) - 1:+.1%} against {args.rev}, "
                  f"faster in {sum(r > 1 for r in ratios)} of {len(ratios)} pairs; outputs "
                  + ("identical" if same else "differ"))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False)


if __name__ == "__main__":
    main()
