"""Measure the grader against the hand-labelled golden set.

Run `python tests/grading/calibration.py` to print the figures; test_calibration.py asserts floors.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import opencc
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from grading import DIMENSIONS, Context, grade  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"
_S2T = opencc.OpenCC("s2t")


@dataclass
class Case:
    situation: str
    id: str
    reply: str
    context: Context
    labels: dict
    red_lines: list
    gaming: bool


@dataclass
class Figures:
    pairwise: dict = field(default_factory=dict)      # dimension -> (accuracy, pairs)
    recall: float = 0.0
    recall_n: int = 0
    category_recall: float = 0.0
    false_red: float = 0.0
    clean_n: int = 0
    gaming_max: int = 0
    gaming_n: int = 0
    script_max_gap: int = 0
    misses: list = field(default_factory=list)
    false_hits: list = field(default_factory=list)
    inversions: dict = field(default_factory=dict)


SETS = ("golden", "holdout", "holdout2")


def load_cases(folder: Path | None = None) -> list:
    """Every labelled reply of a set (the golden set by default), with its situation's context."""
    cases = []
    for path in sorted((folder or GOLDEN).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ctx = Context.from_dict({**data["context"], "customer_line": data.get("customer", "")})
        for r in data["replies"]:
            cases.append(Case(data["situation"], r["id"], r.get("reply") or "", ctx, r["labels"],
                              list(r.get("red_lines") or []), bool(r.get("gaming"))))
    return cases


def measure(cases=None) -> Figures:
    """Pairwise ranking accuracy per dimension, red-line recall, false red lines, gaming, scripts."""
    cases = cases or load_cases()
    reports = {c.id: grade(c.reply, c.context) for c in cases}
    fig = Figures()
    by_sit = {}
    for c in cases:
        by_sit.setdefault(c.situation, []).append(c)
    for dim in DIMENSIONS:
        good = total = 0.0
        inv = []
        for group in by_sit.values():
            for a, b in combinations(group, 2):
                if abs(a.labels[dim] - b.labels[dim]) < 2:
                    continue
                hi, lo = (a, b) if a.labels[dim] > b.labels[dim] else (b, a)
                sh, sl = reports[hi.id].scores[dim], reports[lo.id].scores[dim]
                total += 1
                good += 1 if sh > sl else 0.5 if sh == sl else 0
                if sh <= sl:
                    inv.append((hi.id, sh, lo.id, sl))
        fig.pairwise[dim] = (good / total if total else 1.0, int(total))
        fig.inversions[dim] = inv
    red = [c for c in cases if c.red_lines]
    found = [c for c in red if reports[c.id].red_lines]
    fig.recall, fig.recall_n = len(found) / max(1, len(red)), len(red)
    cat_hits = sum(1 for c in red if set(c.red_lines) & {f.category for f in reports[c.id].red_lines})
    fig.category_recall = cat_hits / max(1, len(red))
    fig.misses = [(c.id, c.red_lines, c.reply) for c in red if not reports[c.id].red_lines]
    clean = [c for c in cases if not c.red_lines]
    false = [c for c in clean if reports[c.id].red_lines]
    fig.false_red, fig.clean_n = len(false) / max(1, len(clean)), len(clean)
    fig.false_hits = [(c.id, [(f.category, f.text) for f in reports[c.id].red_lines], c.reply) for c in false]
    gaming = [c for c in cases if c.gaming]
    fig.gaming_n = len(gaming)
    fig.gaming_max = max((reports[c.id].total for c in gaming), default=0)
    gaps = []
    for c in cases:
        trad = grade(_S2T.convert(c.reply), c.context)
        simp = reports[c.id]
        gaps.append(max([abs(trad.total - simp.total)] + [abs(trad.scores[d] - simp.scores[d]) for d in DIMENSIONS]))
    fig.script_max_gap = max(gaps, default=0)
    return fig


def main():
    """Print the calibration figures (of the set named as an argument, default golden)."""
    names = [a for a in sys.argv[1:] if not a.startswith("-")] or ["golden"]
    for name in names:
        report(name)


def report(name: str):
    """Print one set's figures, and with -v the cases behind any shortfall."""
    cases = load_cases(Path(__file__).parent / name)
    fig = measure(cases)
    print(f"== {name}")
    print(f"{len(cases)} replies in {len({c.situation for c in cases})} situations")
    for dim, (acc, n) in fig.pairwise.items():
        print(f"pairwise ranking accuracy {dim:<11} {acc:.3f}  ({n} pairs)")
    print(f"red-line recall {fig.recall:.3f} ({fig.recall_n} replies); category recall {fig.category_recall:.3f}")
    print(f"false red lines on clean replies {fig.false_red:.3f} ({fig.clean_n} clean replies)")
    print(f"gaming replies: {fig.gaming_n}, highest total {fig.gaming_max}")
    print(f"traditional vs simplified: largest score gap {fig.script_max_gap}")
    if "-v" in sys.argv:
        for m in fig.misses:
            print("MISS", m)
        for m in fig.false_hits:
            print("FALSE", m)
        for dim, inv in fig.inversions.items():
            for x in inv:
                print("INV", dim, x)


if __name__ == "__main__":
    main()
