"""Train the grader's models from the corpus and write them to grading/models/ (one command).

    python -m grading.training.train            # or: rmtrainer model train

Reproducible: the split is fixed by situation id, solvers are deterministic, and the output is
plain JSON (no pickle). Reads grading/corpus/situations/*.yaml, the once-blind development sets
tests/grading/tuned1 and tuned2 when present (for the red-line and level models), and any extra
corpus folders given with --extra (e.g. a bank's own reviewed turns from `rmtrainer corpus export`).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, Ridge

from grading.features import pair_features, text_features
from grading.learned import MODELS
from grading.model import DIMENSIONS, RED_LINE_CATEGORIES
from grading.normalize import to_simplified
from grading.training.corpus import CORPUS, REQUESTS, STANCES, Pair, load_corpus

ROOT = Path(__file__).resolve().parents[2]
DEV_SETS = (ROOT / "tests" / "grading" / "tuned1", ROOT / "tests" / "grading" / "tuned2")
MIN_POSITIVES = 15
MAX_FALSE_RATE = 0.004     # a category's threshold keeps false red lines on dev clean replies under this
PRUNE = 0.01               # weights smaller than this are left out of the shipped file


def split_of(situation: str) -> str:
    """`dev` for about one situation in five (fixed by its id), else `train`."""
    return "dev" if int(hashlib.sha1(situation.encode()).hexdigest(), 16) % 5 == 0 else "train"


def load_dev_sets(folders) -> list:
    """The once-blind labelled sets (golden-set format) as pairs, with request `unknown`."""
    pairs = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for r in data["replies"]:
                pairs.append(Pair(situation=data["situation"], kind=data["context"]["kind"],
                                  context={}, customer=data.get("customer", ""), request="unknown",
                                  reply=r["reply"], stance="", labels=dict(r["labels"]),
                                  red_lines=tuple(r.get("red_lines") or ()), gaming=bool(r.get("gaming")),
                                  author=Path(folder).name))
    return pairs


def _vectorizer(rows, min_df=2):
    vec = CountVectorizer(analyzer=lambda x: x, binary=True, min_df=min_df, lowercase=False)
    return vec, vec.fit_transform(rows)


def _export(name, link, classes, vec, coef, bias, meta) -> dict:
    """A JSON-ready model: features with any weight above PRUNE, rounded."""
    coef = np.atleast_2d(coef)                       # classes x features
    names = vec.get_feature_names_out()
    keep = np.abs(coef).max(axis=0) >= PRUNE
    weights = {str(f): [round(float(x), 4) for x in coef[:, j]] for j, f in enumerate(names) if keep[j]}
    return {"name": name, "link": link, "classes": list(classes),
            "bias": [round(float(b), 4) for b in np.atleast_1d(bias)], "weights": weights, "meta": meta}


def train_request(pairs) -> dict:
    """Customer line -> request type (softmax), on the distinct customer lines of the corpus."""
    seen = {}
    for p in pairs:
        seen[(to_simplified(p.customer), p.kind)] = p.request
    rows = [list(text_features(line)) + ["k:" + kind] for line, kind in seen]
    y = list(seen.values())
    vec, X = _vectorizer(rows, min_df=1)
    clf = LogisticRegression(C=4.0, max_iter=3000).fit(X, y)
    return _export("request", "softmax", clf.classes_, vec, clf.coef_, clf.intercept_,
                   {"lines": len(rows), "classes": dict(zip(*np.unique(y, return_counts=True)))})


def _pair_rows(pairs, request_of):
    return [pair_features(to_simplified(p.reply), p.kind, request_of(p)) for p in pairs]


def train_stance(pairs) -> dict:
    """Reply (with the request) -> stance (softmax), on the corpus pairs."""
    rows = _pair_rows(pairs, lambda p: p.request)
    vec, X = _vectorizer(rows)
    y = [p.stance for p in pairs]
    clf = LogisticRegression(C=2.0, max_iter=3000).fit(X, y)
    return _export("stance", "softmax", clf.classes_, vec, clf.coef_, clf.intercept_, {"pairs": len(rows)})


def train_redline(pairs, request_of) -> tuple:
    """Reply (with the request) -> one probability per red-line category (one-vs-rest)."""
    rows = _pair_rows(pairs, request_of)
    vec, X = _vectorizer(rows)
    cats = [c for c in RED_LINE_CATEGORIES if sum(c in p.red_lines for p in pairs) >= MIN_POSITIVES]
    coefs, biases = [], []
    for c in cats:
        y = np.array([c in p.red_lines for p in pairs], dtype=int)
        clf = LogisticRegression(C=2.0, max_iter=3000, class_weight="balanced").fit(X, y)
        coefs.append(clf.coef_[0])
        biases.append(clf.intercept_[0])
    return _export("redline", "sigmoid", cats, vec, np.array(coefs), np.array(biases),
                   {"pairs": len(rows), "positives": {c: int(sum(c in p.red_lines for p in pairs)) for c in cats}}), cats


def train_levels(pairs, request_of) -> dict:
    """Reply (with the request) -> the four rubric levels (regression)."""
    rows = _pair_rows(pairs, request_of)
    vec, X = _vectorizer(rows)
    y = np.array([[p.labels[d] for d in DIMENSIONS] for p in pairs], dtype=float)
    reg = Ridge(alpha=3.0).fit(X, y)
    return _export("levels", "regression", DIMENSIONS, vec, reg.coef_, reg.intercept_, {"pairs": len(rows)})


def choose_thresholds(model_json: dict, dev_pairs, request_of) -> dict:
    """Per category, the lowest threshold that keeps false red lines on dev clean replies rare."""
    from grading.learned import LinearModel
    m = LinearModel(model_json["name"], model_json["link"], tuple(model_json["classes"]),
                    tuple(model_json["bias"]), {k: tuple(v) for k, v in model_json["weights"].items()}, {})
    probs = [m.predict(f) for f in _pair_rows(dev_pairs, request_of)]
    clean = [pr for pr, p in zip(probs, dev_pairs) if not p.red_lines]
    out, report = {}, {}
    for c in m.classes:
        theta = 0.5
        for t in [x / 100 for x in range(30, 100, 2)]:
            if sum(pr[c] >= t for pr in clean) <= MAX_FALSE_RATE * max(1, len(clean)):
                theta = max(theta, t)
                break
        else:
            theta = 0.98
        out[c] = theta
        pos = [pr for pr, p in zip(probs, dev_pairs) if c in p.red_lines]
        report[c] = {"threshold": theta, "dev_violations": len(pos),
                     "dev_recall": round(sum(pr[c] >= theta for pr in pos) / max(1, len(pos)), 3),
                     "dev_false_on_clean": int(sum(pr[c] >= theta for pr in clean))}
    return out, report


def main(argv=None) -> int:
    """Train every model, choose thresholds on the dev split, write grading/models/*.json."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", action="append", default=[], help="another corpus folder to train on")
    ap.add_argument("--out", default=str(MODELS), help="where to write the models")
    args = ap.parse_args(argv)
    pairs = load_corpus()
    for folder in args.extra:
        pairs += load_corpus(Path(folder))
    train = [p for p in pairs if split_of(p.situation) == "train"]
    dev = [p for p in pairs if split_of(p.situation) == "dev"]
    extra_dev = load_dev_sets([f for f in DEV_SETS if f.exists()])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    request = train_request(train)
    _write(out / "request.json", request)
    from grading.learned import LinearModel
    req_model = LinearModel.load(out / "request.json")

    def request_of(p):
        if p.request != "unknown":
            return p.request
        probs = req_model.predict(list(text_features(to_simplified(p.customer))) + ["k:" + p.kind])
        best = max(probs, key=probs.get)
        return best if probs[best] >= 0.5 else "legitimate"

    _write(out / "stance.json", train_stance(train))
    redline, cats = train_redline(train + extra_dev, request_of)
    thresholds, report = choose_thresholds(redline, dev, request_of)
    redline["meta"]["thresholds"] = thresholds
    redline["meta"]["dev"] = report
    _write(out / "redline.json", redline)
    _write(out / "levels.json", train_levels(train + extra_dev, request_of))
    splits = {"train": sorted({p.situation for p in train}), "dev": sorted({p.situation for p in dev})}
    (CORPUS / "splits.yml").write_text(
        "# Written by `python -m grading.training.train`: which situations train the models and\n"
        "# which are held out to choose thresholds (fixed by a hash of the situation id).\n"
        + yaml.safe_dump(splits, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"trained on {len(train)} pairs ({len(splits['train'])} situations) + {len(extra_dev)} "
          f"development replies; dev split {len(dev)} pairs ({len(splits['dev'])} situations)")
    for c, r in report.items():
        print(f"  {c:20s} threshold {r['threshold']:.2f}  dev recall {r['dev_recall']:.3f} "
              f"({r['dev_violations']})  false on clean {r['dev_false_on_clean']}")
    return 0


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, default=_plain), encoding="utf-8")


def _plain(x):
    return x.item() if hasattr(x, "item") else str(x)


if __name__ == "__main__":
    sys.exit(main())
