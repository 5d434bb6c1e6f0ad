"""Measure the grader against hand-labelled replies, with the figures a trainee would feel.

`python tests/grading/calibration.py golden tuned1 tuned2 [-v]` prints, per set: pairwise ranking
per dimension, band agreement (score // 20 against the level, exact and within one), red-line
recall and false red lines per category, gaming replies in the lowest band, and the script gap.
`--ledger blind/r1` appends a set's first-contact figures to tests/grading/blind/LEDGER.md.
`--agreement blind/r25 blind/second/r25.yaml` compares a second rater's labels of a sample with the
authors' and the grader's.
"""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path

import opencc
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from grading import DIMENSIONS, Context, grade  # noqa: E402

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
LEDGER = HERE / "blind" / "LEDGER.md"
_S2T = opencc.OpenCC("s2t")
SETS = ("golden", "tuned1", "tuned2")


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
    n: int = 0
    situations: int = 0
    pairwise: dict = field(default_factory=dict)      # dimension -> (accuracy, pairs)
    band_exact: dict = field(default_factory=dict)    # dimension -> share with score // 20 == level
    band_within1: dict = field(default_factory=dict)  # dimension -> share within one band
    recall: float = 0.0
    recall_n: int = 0
    category_recall: float = 0.0
    per_category: dict = field(default_factory=dict)  # category -> (found, violations, false hits)
    false_red: float = 0.0
    clean_n: int = 0
    gaming_max: int = 0
    gaming_n: int = 0
    gaming_lowest: float = 1.0                          # share of gaming replies with total < 20
    script_max_gap: int = 0
    misses: list = field(default_factory=list)
    false_hits: list = field(default_factory=list)
    inversions: dict = field(default_factory=dict)


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


def load_corpus_split(split: str = "dev") -> list:
    """The corpus pairs of one split (grading/corpus/splits by situation) as cases."""
    from grading.training.corpus import load_corpus
    from grading.training.train import split_of
    cases = []
    for i, p in enumerate(load_corpus()):
        if split_of(p.situation) != split:
            continue
        ctx = Context.from_dict({**{k: v for k, v in p.context.items() if v is not None},
                                 "kind": p.kind, "customer_line": p.customer})
        cases.append(Case(f"{p.situation}/{p.customer[:6]}", f"{p.situation}#{p.line}", p.reply, ctx,
                          p.labels, list(p.red_lines), p.gaming))
    return cases


def load_named(name: str) -> list:
    """A labelled set by name: a folder under tests/grading/, or corpus-dev / corpus-train."""
    if name.startswith("corpus-"):
        return load_corpus_split(name.split("-", 1)[1])
    return load_cases(HERE / name)


def _pairwise(cases, reports, dim):
    by_sit, good, total, inv = {}, 0.0, 0, []
    for c in cases:
        by_sit.setdefault(c.situation, []).append(c)
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
    return (good / total if total else 1.0, total), inv


def band(score: int) -> int:
    """The rubric level a 0-100 score shows a trainee (0-19 → 0 … 80-100 → 4)."""
    return min(4, max(0, score) // 20)


def measure(cases=None, script_gap: bool = True) -> Figures:
    """All the figures of one labelled set (see the module docstring)."""
    cases = cases or load_cases()
    reports = {c.id: grade(c.reply, c.context) for c in cases}
    fig = Figures(n=len(cases), situations=len({c.situation for c in cases}))
    for dim in DIMENSIONS:
        fig.pairwise[dim], fig.inversions[dim] = _pairwise(cases, reports, dim)
        diffs = [abs(band(reports[c.id].scores[dim]) - c.labels[dim]) for c in cases]
        fig.band_exact[dim] = sum(d == 0 for d in diffs) / max(1, len(diffs))
        fig.band_within1[dim] = sum(d <= 1 for d in diffs) / max(1, len(diffs))
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
    cats = Counter(cat for c in red for cat in c.red_lines)
    for cat in sorted(cats | Counter(f.category for c in false for f in reports[c.id].red_lines)):
        hit = sum(1 for c in red if cat in c.red_lines and reports[c.id].red_lines)
        fp = sum(1 for c in false if cat in {f.category for f in reports[c.id].red_lines})
        fig.per_category[cat] = (hit, cats[cat], fp)
    gaming = [c for c in cases if c.gaming]
    fig.gaming_n = len(gaming)
    fig.gaming_max = max((reports[c.id].total for c in gaming), default=0)
    fig.gaming_lowest = sum(reports[c.id].total < 20 for c in gaming) / max(1, len(gaming))
    if script_gap:
        gaps = []
        for c in cases:
            trad, simp = grade(_S2T.convert(c.reply), c.context), reports[c.id]
            gaps.append(max([abs(trad.total - simp.total)]
                            + [abs(trad.scores[d] - simp.scores[d]) for d in DIMENSIONS]))
        fig.script_max_gap = max(gaps, default=0)
    return fig


def summary(name: str, fig: Figures) -> str:
    """The figures as a Markdown block (used for the terminal and the ledger)."""
    out = [f"{fig.n} replies in {fig.situations} situations ({name})", "",
           "| dimension | pairwise | band exact | band within one |", "|---|---|---|---|"]
    for dim in DIMENSIONS:
        acc, n = fig.pairwise[dim]
        out.append(f"| {dim} | {acc:.3f} ({n} pairs) | {fig.band_exact[dim]:.3f} | {fig.band_within1[dim]:.3f} |")
    out += ["", f"- red-line recall {fig.recall:.3f} ({fig.recall_n} violations); category recall "
                f"{fig.category_recall:.3f}",
            f"- false red lines on clean replies {fig.false_red:.3f} ({fig.clean_n} clean replies)",
            f"- gaming replies in the lowest band {fig.gaming_lowest:.2f} ({fig.gaming_n}; highest total "
            f"{fig.gaming_max})",
            f"- traditional vs simplified: largest score gap {fig.script_max_gap}", "",
            "| category | found / violations | false red lines on clean replies |", "|---|---|---|"]
    for cat, (hit, n, fp) in fig.per_category.items():
        out.append(f"| {cat} | {hit} / {n} | {fp} |")
    return "\n".join(out)


def write_ledger(name: str, fig: Figures, note: str = "") -> None:
    """Append one first-contact measurement to the committed ledger (date, commit, figures)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "grading"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    head = f"\n## {name} — first contact, {date.today().isoformat()}, commit {commit}{' + uncommitted grading changes' if dirty else ''}\n\n"
    with LEDGER.open("a", encoding="utf-8") as f:
        f.write(head + (note + "\n\n" if note else "") + summary(name, fig) + "\n")


def _kappa(a: list, b: list) -> tuple:
    """(agreement, Cohen's kappa) of two raters' yes/no calls on the same items."""
    n = len(a)
    seen = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return seen, (seen - chance) / (1 - chance) if chance < 1 else 1.0


def agreement(name: str, second: Path) -> str:
    """How a second rater's labels of a sample agree with the set's authors', and the grader with
    each: the ceiling a grader can be held to is where two trainers agree."""
    theirs = {x["id"]: x for x in yaml.safe_load(second.read_text(encoding="utf-8"))}
    cases = [c for c in load_named(name) if c.id in theirs]
    reports = {c.id: grade(c.reply, c.context) for c in cases}
    out = [f"{len(cases)} replies of {name} labelled again by a second rater ({second.name})", "",
           "| dimension | author vs second: exact / within one | grader vs author | grader vs second |",
           "|---|---|---|---|"]
    for dim in DIMENSIONS:
        a = [c.labels[dim] for c in cases]
        b = [theirs[c.id]["labels"][dim] for c in cases]
        g = [band(reports[c.id].scores[dim]) for c in cases]
        pair = lambda x, y: (f"{sum(i == j for i, j in zip(x, y)) / len(x):.3f} / "  # noqa: E731
                             f"{sum(abs(i - j) <= 1 for i, j in zip(x, y)) / len(x):.3f}")
        out.append(f"| {dim} | {pair(a, b)} | {pair(g, a)} | {pair(g, b)} |")
    a = [bool(c.red_lines) for c in cases]
    b = [bool(theirs[c.id].get("red_lines")) for c in cases]
    g = [bool(reports[c.id].red_lines) for c in cases]
    both = [c for c in cases if c.red_lines and theirs[c.id].get("red_lines")]
    same = sum(bool(set(c.red_lines) & set(theirs[c.id]["red_lines"])) for c in both)
    out += ["", "- red line or not (agreement, kappa): author vs second %.3f, %.3f; " % _kappa(a, b)
            + "grader vs author %.3f, %.3f; " % _kappa(a, g) + "grader vs second %.3f, %.3f" % _kappa(b, g),
            f"- red lines: author {sum(a)}, second {sum(b)}; both {len(both)}, of which {same} share a category",
            "- gaming (agreement, kappa): author vs second %.3f, %.3f" % _kappa(
                [c.gaming for c in cases], [bool(theirs[c.id].get("gaming")) for c in cases])]
    return "\n".join(out)


def main():
    """Print the calibration figures of the sets named as arguments (default golden)."""
    args = sys.argv[1:]
    if "--agreement" in args:
        name, second = args[args.index("--agreement") + 1:args.index("--agreement") + 3]
        print(agreement(name, HERE / second))
        return
    if "--ledger" in args:
        name = args[args.index("--ledger") + 1]
        fig = measure(load_named(name))
        write_ledger(name, fig)
        print(summary(name, fig))
        return
    for name in [a for a in args if not a.startswith("-")] or ["golden"]:
        fig = measure(load_named(name), script_gap="--no-script" not in args)
        print("== " + summary(name, fig) + "\n")
        if "-v" in args:
            for m in fig.misses:
                print("MISS", m)
            for m in fig.false_hits:
                print("FALSE", m)
            for dim, inv in fig.inversions.items():
                for x in inv:
                    print("INV", dim, x)


if __name__ == "__main__":
    main()
