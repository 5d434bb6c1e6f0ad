"""Write each model's weights also as numpy arrays (grading/models/<name>.npz), read at cold start.

    python -m grading.training.pack [--out grading/models]     # also run at the end of training

(It also rewrites grading/data/prechecks.json, the rule packs' pattern pre-checks: see
grading.precheck_table.)

Parsing the JSON models took about 0.4 s of every cold start; the same numbers as arrays load in
a few milliseconds. The JSON stays the source (readable, diffable): each .npz records the sha256
of the JSON it was made from, and the loader (grading.learned) uses it only while that JSON on
disk is byte for byte the same, else it reads the JSON. Plain arrays only (no pickle): loaded
with allow_pickle=False. Needs only numpy (no training extra).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grading.learned import MODELS, LinearModel, npz_path, write_npz


def pack(folder: Path = MODELS) -> list:
    """Write <name>.npz beside every <name>.json in folder; the paths written."""
    written = []
    for path in sorted(Path(folder).glob("*.json")):
        model = LinearModel.load(path, fast=False)     # the JSON's own numbers, never an old .npz
        write_npz(model, path)
        written.append(npz_path(path))
    return written


def main(argv=None) -> int:
    """Pack the models of one folder (default grading/models)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(MODELS), help="the folder of the JSON models")
    args = ap.parse_args(argv)
    for path in pack(Path(args.out)):
        print(f"wrote {path}")
    # The rule packs' pattern pre-checks, the other table read at cold start (see its module).
    from grading import precheck_table
    print(f"wrote {precheck_table.TABLE}: {precheck_table.write()} patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
