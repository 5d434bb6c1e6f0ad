"""Instructions the grader executes per reply, counted by valgrind (cachegrind): a figure that does
not move with the machine's load, for telling whether a speed change helped on a machine whose
wall-clock figures swing by ±8 % from run to run. Prints figures; asserts nothing.

    python benchmarks/grading_instructions.py [-n 1000]

Runs `rmtrainer grade`'s batch path (trainer.commands.grade._batch, output to memory) twice under
cachegrind: over no replies (start-up: imports, rules, models) and over the first n of the speed
benchmark's distinct replies; the difference over n is the cost of one reply, JSON in and out
included. Needs valgrind on the PATH (Debian's package `valgrind`); takes about 15 s per 1,000.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_grading import records  # noqa: E402  (the benchmark's own replies)

RUN = ("import io, sys; sys.path.insert(0, {root!r}); import trainer.commands.grade as g; "
       "data = open({src!r}, 'rb').read(); "
       "sys.exit(g._batch(io.BytesIO(data), io.StringIO(), 1, False))")


def instructions(src: Path) -> int:
    """Instructions valgrind counts for grading the JSONL file src (no replies: start-up only)."""
    code = RUN.format(root=str(ROOT), src=str(src))
    # One hash seed for both runs: with a random one, set and dict layouts (and so the work of
    # start-up) change from run to run by more than a small speed change moves a reply's count.
    out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if not found:
        raise SystemExit("valgrind printed no instruction count:\n" + out.stderr[-2000:])
    return int(found.group(1).replace(",", ""))


def main():
    """Print the start-up's instructions and one reply's."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="replies to grade (default 1000)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind): nothing measured")
    with tempfile.TemporaryDirectory() as tmp:
        empty, batch = Path(tmp) / "none.jsonl", Path(tmp) / "replies.jsonl"
        empty.write_text("", encoding="utf-8")
        batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(args.n)),
                         encoding="utf-8")
        start, total = instructions(empty), instructions(batch)
    print(f"start-up: {start / 1e6:,.0f} million instructions")
    print(f"one reply: {(total - start) / args.n / 1e3:,.0f} thousand instructions "
          f"(mean over {args.n} distinct replies, JSON in and out included)")


if __name__ == "__main__":
    main()
