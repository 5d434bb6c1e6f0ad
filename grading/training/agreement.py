"""Agreement between the corpus authors' labels and a second rater's, on a shared sample.

    python -m grading.training.agreement      # prints the table written to corpus/AGREEMENT.md
"""
from __future__ import annotations

import sys

import yaml
from sklearn.metrics import cohen_kappa_score

from grading.model import DIMENSIONS
from grading.training.corpus import CORPUS, load_corpus

FOLDER = CORPUS / "agreement"


def measure() -> str:
    """The agreement table (Markdown) between first and second labels, per dimension and red line."""
    first = {f"{p.situation}#{p.line}": p for p in load_corpus()}
    second = yaml.safe_load((FOLDER / "second_rater.yaml").read_text(encoding="utf-8"))
    pairs = [(first[s["id"]], s) for s in second if s["id"] in first]
    lines = [f"{len(pairs)} pairs (60 per author, seeded sample), second rater blind to the first labels.", "",
             "| dimension | exact | within one | quadratic-weighted kappa |", "|---|---|---|---|"]
    for i, dim in enumerate(DIMENSIONS):
        a = [p.labels[dim] for p, _ in pairs]
        b = [s["labels"][i] for _, s in pairs]
        exact = sum(x == y for x, y in zip(a, b)) / len(a)
        near = sum(abs(x - y) <= 1 for x, y in zip(a, b)) / len(a)
        qwk = cohen_kappa_score(a, b, weights="quadratic")
        lines.append(f"| {dim} | {exact:.3f} | {near:.3f} | {qwk:.3f} |")
    a = [bool(p.red_lines) for p, _ in pairs]
    b = [bool(s.get("red_lines")) for _, s in pairs]
    both = sum(x and y for x, y in zip(a, b))
    same_cat = sum(bool(set(p.red_lines) & set(s.get("red_lines") or [])) for p, s in pairs if p.red_lines and s.get("red_lines"))
    lines += ["", f"- red line or not: agreement {sum(x == y for x, y in zip(a, b)) / len(a):.3f}, "
                  f"Cohen's kappa {cohen_kappa_score(a, b):.3f} (first: {sum(a)}, second: {sum(b)}, both: {both})",
              f"- where both saw a red line, the same category: {same_cat} of {both}"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(measure())
    sys.exit(0)
