"""Train the grader's models from the corpus and write them to grading/models/ (one command).

    python -m grading.training.train            # or: rmtrainer model train

Reproducible: the split is fixed by situation id, solvers are deterministic, and the output is
plain JSON (no pickle). Reads grading/corpus/situations/*.yaml, the once-blind development sets
tests/grading/tuned1 and tuned2 and every blind round the ledger (tests/grading/blind/LEDGER.md)
records as measured (for the red-line, combiner, level and gaming models), and any extra corpus
folders given with --extra (e.g. a bank's own reviewed turns from `rmtrainer corpus export`).
`--leave-out r11` keeps a measured round out of training, to see how the models do on it unseen.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from grading.features import pair_features, text_features
from grading.learned import MODELS
from grading.model import DIMENSIONS, RED_LINE_CATEGORIES
from grading.normalize import to_simplified
from grading.training.corpus import CORPUS, REQUEST_CATEGORY, Pair, load_corpus

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests" / "grading"
# Blind sets measured once are development data, written by other authors on other situations:
# they are trained on. Only the rounds the ledger shows as measured: a round written and sealed
# but not yet measured sits in the same folder and must never reach a model before its first contact.
TUNED_SETS = (TESTS / "tuned1", TESTS / "tuned2")
LEDGER = TESTS / "blind" / "LEDGER.md"
_MEASURED = re.compile(r"^## blind/(r\d+) — first contact", re.M)
MIN_POSITIVES = 15
# A gaming flag caps an honest reply at 15: keep it for under one honest reply in 200 (out of fold).
HONEST_FLAGGED = 0.005
MAX_FALSE_RATE = 0.004     # a category's threshold keeps false red lines on clean replies under this
MAX_FALSE_RATE_ANY = 0.02  # ... and the any-violation model's, on the corpus's mostly hard negatives
COMBINER_FALSE_RATE = 0.03  # the final verdict's false red lines on the corpus's clean replies
ANY_FLOOR_ALONE = 0.5      # a category with no rule or request behind it also needs "any" this high
                           # (chosen on the dev split: recall 0.844 -> 0.838, false 2.6 % -> 2.4 %;
                           # 0.3 was tried on all development sets: 4 more of 2,245 violations found,
                           # but a correct benchmark disclaimer (any 0.49) became a guarantee)
FOLDS = 5
TRAINING_THREADS = 2         # BLAS threads of every fit (see main)
PRUNE = 0.03               # weights smaller than this are left out of the shipped file


def split_of(situation: str) -> str:
    """`dev` for about one situation in five (fixed by its id), else `train`."""
    return "dev" if int(hashlib.sha1(situation.encode()).hexdigest(), 16) % 5 == 0 else "train"


# The level and gaming models read the rounds up to r4 only. Trained on r5-r15 as well, the gaming
# model flagged two of the scenario library's model answers as gaming (a polished "感谢您的耐心" close
# read as a courtesy string) and the level model moved scores by a few points under the scenarios'
# transitions; the red-line, stance and combiner models read every measured round.
SCORE_MODEL_ROUNDS = 4


def measured_rounds(leave_out=(), upto: int | None = None) -> list:
    """The blind rounds the ledger records as measured at first contact (minus any left out, and
    only rounds up to `upto` when given)."""
    if not LEDGER.exists():
        return []
    names = sorted(set(_MEASURED.findall(LEDGER.read_text(encoding="utf-8"))), key=lambda r: int(r[1:]))
    return [TESTS / "blind" / r for r in names if r not in leave_out and f"blind/{r}" not in leave_out
            and (upto is None or int(r[1:]) <= upto)]


def load_dev_sets(folders) -> list:
    """The once-blind labelled sets (golden-set format) as pairs, with request `unknown`."""
    pairs = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for r in data["replies"]:
                pairs.append(Pair(situation=data["situation"], kind=data["context"]["kind"],
                                  context={k: v for k, v in data["context"].items() if k != "kind"},
                                  customer=data.get("customer", ""), request="unknown",
                                  reply=r["reply"], stance="", labels=dict(r["labels"]),
                                  red_lines=tuple(r.get("red_lines") or ()), gaming=bool(r.get("gaming")),
                                  author=Path(folder).name))
    return pairs


def _vectorizer(rows, min_df=2):
    vec = CountVectorizer(analyzer=lambda x: x, binary=True, min_df=min_df, lowercase=False)
    return vec, vec.fit_transform(rows)


def _export(name, link, classes, vec, X, coef, bias, meta) -> dict:
    """A JSON-ready model: features with any weight above PRUNE, rounded, the features of most
    training rows first."""
    coef = np.atleast_2d(coef)                       # classes x features
    coef = np.where(np.abs(coef) >= PRUNE, np.round(coef, 3), 0.0)
    names = vec.get_feature_names_out()
    keep = np.abs(coef).max(axis=0) > 0
    # Most rows' features first (ties in name order): grading numbers features in this order, so
    # the few hundred that most replies have sit together in memory, their dictionary entries and
    # weights in cache, not spread among 100,000 rare ones (5 % of grading time, measured).
    # Only the order: every weight and every sum (taken in the reply's order) is the same.
    rows = np.asarray(X.sum(axis=0)).ravel()
    order = np.argsort(-rows, kind="stable")
    weights = {str(names[j]): [_num(x) for x in coef[:, j]] for j in order.tolist() if keep[j]}
    return {"name": name, "link": link, "classes": list(classes),
            "bias": [round(float(b), 4) for b in np.atleast_1d(bias)], "weights": weights, "meta": meta}


def _num(x: float):
    """A weight as JSON writes it shortest (0 rather than 0.0)."""
    return 0 if x == 0 else float(x)


def train_request(pairs) -> tuple:
    """Customer line -> request type (softmax), on the distinct customer lines of the corpus.
    Also returns each line's out-of-fold reading (folds by situation, read as grading reads:
    model and cues together), so the models downstream learn from readings as imperfect as the
    ones they will get when grading."""
    from grading.conversation import cue_hits, decide_request
    seen, situation = {}, {}
    for p in pairs:
        key = (to_simplified(p.customer), p.kind)
        seen[key], situation[key] = p.request, p.situation
    keys = list(seen)
    rows = [list(text_features(line)) + ["k:" + kind] for line, kind in keys]
    y = np.array([seen[k] for k in keys])
    oof = {}
    for tr, te in GroupKFold(FOLDS).split(rows, groups=[situation[k] for k in keys]):
        vec, X = _vectorizer([rows[i] for i in tr], min_df=1)
        clf = LogisticRegression(C=4.0, max_iter=3000).fit(X, y[tr])
        for i, pr in zip(te, clf.predict_proba(vec.transform([rows[i] for i in te]))):
            oof[keys[i]] = decide_request(dict(zip(clf.classes_, pr)), cue_hits(keys[i][0]))[0]
    vec, X = _vectorizer(rows, min_df=1)
    clf = LogisticRegression(C=4.0, max_iter=3000).fit(X, y)
    accuracy = float(np.mean([oof[k] == seen[k] for k in keys]))
    return _export("request", "softmax", clf.classes_, vec, X, clf.coef_, clf.intercept_,
                   {"lines": len(rows), "out_of_fold_accuracy": round(accuracy, 3),
                    "classes": dict(zip(*np.unique(y, return_counts=True)))}), oof


def _pair_rows(pairs, request_of):
    return [pair_features(to_simplified(p.reply), p.kind, request_of(p)) for p in pairs]


def train_stance(pairs, request_of) -> tuple:
    """Reply (with the request as read) -> stance (softmax), on the corpus pairs; also each pair's
    out-of-fold stance probabilities (folds by situation), for the combiner."""
    rows = _pair_rows(pairs, request_of)
    y = np.array([p.stance for p in pairs])
    oof = [None] * len(pairs)
    for tr, te in GroupKFold(FOLDS).split(rows, groups=[p.situation for p in pairs]):
        vec, X = _vectorizer([rows[i] for i in tr])
        clf = LogisticRegression(C=2.0, max_iter=3000).fit(X, y[tr])
        for i, pr in zip(te, clf.predict_proba(vec.transform([rows[i] for i in te]))):
            oof[i] = dict(zip(clf.classes_, pr.tolist()))
    vec, X = _vectorizer(rows)
    clf = LogisticRegression(C=2.0, max_iter=3000).fit(X, y)
    accuracy = float(np.mean([max(o, key=o.get) == s for o, s in zip(oof, y)]))
    return _export("stance", "softmax", clf.classes_, vec, X, clf.coef_, clf.intercept_,
                   {"pairs": len(rows), "out_of_fold_accuracy": round(accuracy, 3)}), oof


def _fit_redline(X, pairs, cats):
    coefs, biases = [], []
    for c in cats:
        y = np.array([bool(p.red_lines) if c == "any" else c in p.red_lines for p in pairs], dtype=int)
        clf = LogisticRegression(C=2.0, max_iter=3000, class_weight="balanced").fit(X, y)
        coefs.append(clf.coef_[0])
        biases.append(clf.intercept_[0])
    return np.array(coefs), np.array(biases)


def train_redline(pairs, request_of) -> dict:
    """Reply (with the request) -> one probability per red-line category (one-vs-rest), plus
    "any": what crossing a line looks like across categories (agreeing, deferring, promising),
    learnt from every violation; the per-category models name the line. Thresholds come from
    out-of-fold predictions (folds by situation), so they are set on situations a fold never saw."""
    rows = _pair_rows(pairs, request_of)
    cats = ["any"] + [c for c in RED_LINE_CATEGORIES if sum(c in p.red_lines for p in pairs) >= MIN_POSITIVES]
    oof = np.zeros((len(pairs), len(cats)))
    groups = [p.situation for p in pairs]
    for tr, te in GroupKFold(FOLDS).split(rows, groups=groups):
        vec, X = _vectorizer([rows[i] for i in tr])
        coef, bias = _fit_redline(X, [pairs[i] for i in tr], cats)
        z = vec.transform([rows[i] for i in te]) @ coef.T + bias
        oof[te] = 1 / (1 + np.exp(-z))
    thresholds, report = choose_thresholds(cats, oof, pairs)
    vec, X = _vectorizer(rows)
    coef, bias = _fit_redline(X, pairs, cats)
    positives = {c: int(sum((bool(p.red_lines) if c == "any" else c in p.red_lines) for p in pairs)) for c in cats}
    model = _export("redline", "sigmoid", cats, vec, X, coef, bias,
                    {"pairs": len(rows), "positives": positives, "thresholds": thresholds,
                     "out_of_fold": report})
    return model, [dict(zip(cats, row)) for row in oof.tolist()]


def train_combiner(pairs, oof_probs, request_of, stances) -> dict:
    """Rules and model together: per (reply, category), weigh the rules' red line, the model's
    probabilities and the request (grading.verdicts.combiner_features), on out-of-fold model
    probabilities so the combiner learns how far to trust the model on unseen situations."""
    from grading.engine import read
    from grading.model import Context
    from grading.verdicts import combiner_features
    cats = [c for c in oof_probs[0] if c != "any"]
    rows, y, owner = [], [], []
    for i, (p, probs, stance) in enumerate(zip(pairs, oof_probs, stances)):
        ctx = Context.from_dict({**{k: v for k, v in p.context.items() if v is not None},
                                 "kind": p.kind, "customer_line": p.customer})
        _, findings = read(p.reply, ctx)
        fired = {f.category for f in findings if f.level == "red_line"}
        moves = frozenset(f.move for f in findings if f.level == "good" and f.move)
        req_cat = REQUEST_CATEGORY.get(request_of(p))
        for c in cats:
            rows.append({(f if isinstance(f, str) else f[0]): (1.0 if isinstance(f, str) else f[1])
                         for f in combiner_features(c, c in fired, probs, req_cat, stance, moves)})
            y.append(int(c in p.red_lines))
            owner.append(i)
    from sklearn.feature_extraction import DictVectorizer
    vec = DictVectorizer()
    X = vec.fit_transform(rows)
    clf = LogisticRegression(C=1.0, max_iter=3000).fit(X, y)
    score = clf.predict_proba(X)[:, 1]
    best = np.zeros(len(pairs))
    np.maximum.at(best, np.array(owner), score)
    clean = np.array([not p.red_lines for p in pairs])
    viol = ~clean
    threshold = 0.98
    for t in [x / 100 for x in range(20, 99, 1)]:
        if (best[clean] >= t).mean() <= COMBINER_FALSE_RATE:
            threshold = t
            break
    recall = float((best[viol] >= threshold).mean())
    names = vec.get_feature_names_out()
    return {"name": "combiner", "link": "sigmoid", "classes": ["red_line"],
            "bias": [round(float(clf.intercept_[0]), 4)],
            "weights": {str(n): [round(float(w), 4)] for n, w in zip(names, clf.coef_[0])},
            "meta": {"threshold": threshold, "any_floor_alone": ANY_FLOOR_ALONE, "rows": len(rows),
                     "training_recall": round(recall, 3),
                     "training_false_on_clean": round(float((best[clean] >= threshold).mean()), 4)}}


def choose_thresholds(cats, probs, pairs) -> tuple:
    """Per category, the lowest threshold that keeps false red lines on clean replies rare."""
    clean = np.array([not p.red_lines for p in pairs])
    out, report = {}, {}
    for j, c in enumerate(cats):
        budget = MAX_FALSE_RATE_ANY if c == "any" else MAX_FALSE_RATE
        pos = np.array([bool(p.red_lines) if c == "any" else c in p.red_lines for p in pairs])
        theta = 0.98
        for t in [x / 100 for x in range(30, 99, 2)]:
            if (probs[clean, j] >= t).sum() <= budget * clean.sum():
                theta = t
                break
        out[c] = theta
        report[c] = {"threshold": theta, "violations": int(pos.sum()),
                     "recall": round(float((probs[pos, j] >= theta).mean()), 3) if pos.any() else None,
                     "false_on_clean": int((probs[clean, j] >= theta).sum()), "clean": int(clean.sum())}
    return out, report


def train_levels(pairs, request_of) -> dict:
    """Reply (with the request) -> the four rubric levels (regression)."""
    rows = _pair_rows(pairs, request_of)
    vec, X = _vectorizer(rows)
    y = np.array([[p.labels[d] for d in DIMENSIONS] for p in pairs], dtype=float)
    reg = Ridge(alpha=3.0).fit(X, y)
    coef, bias = reg.coef_.copy(), reg.intercept_.copy()
    # Compliance is learnt from replies without a red line only: red lines are the combiner's to
    # call, and a regression over both would score a clean reply low for merely resembling one.
    clean = np.array([not p.red_lines for p in pairs])
    c = DIMENSIONS.index("compliance")
    comp = Ridge(alpha=3.0).fit(X[clean], y[clean, c])
    coef[c], bias[c] = comp.coef_, comp.intercept_
    return _export("levels", "regression", DIMENSIONS, vec, X, coef, bias,
                   {"pairs": len(rows), "compliance_pairs": int(clean.sum())})


def train_gaming(pairs, extra) -> dict:
    """Reply (its words and its shape, beside the customer's line) -> written to game a keyword
    grader or not; the threshold keeps flags on honest replies under HONEST_FLAGGED out of fold."""
    from grading.features import shape_features
    data = pairs + extra
    rows = [list(text_features(to_simplified(p.reply))) + shape_features(to_simplified(p.reply), to_simplified(p.customer))
            for p in data]
    y = np.array([p.gaming for p in data], dtype=int)
    oof = np.zeros(len(data))
    for tr, te in GroupKFold(FOLDS).split(rows, groups=[p.situation for p in data]):
        vec, X = _vectorizer([rows[i] for i in tr])
        clf = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(X, y[tr])
        oof[te] = clf.predict_proba(vec.transform([rows[i] for i in te]))[:, 1]
    honest = oof[y == 0]
    threshold = 0.98
    for t in [x / 100 for x in range(30, 99)]:
        if (honest >= t).mean() <= HONEST_FLAGGED:
            threshold = t
            break
    vec, X = _vectorizer(rows)
    clf = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(X, y)
    return _export("gaming", "sigmoid", ["gaming"], vec, X, clf.coef_, clf.intercept_,
                   {"threshold": threshold, "pairs": len(rows), "gaming": int(y.sum()),
                    "out_of_fold_recall": round(float((oof[y == 1] >= threshold).mean()), 3),
                    "out_of_fold_false": round(float((honest >= threshold).mean()), 4)})


def grade_with_models_in(out: Path) -> None:
    """Make the grader read the models in `out` (the ones this run wrote), forgetting any it had
    loaded: the blend is fitted on grades that use them, so a run gives the same files whatever
    models were installed before it, and whichever folder it writes to."""
    from grading import conversation, learned
    learned.MODELS = Path(out)
    learned.model.cache_clear()
    learned.pair_space.cache_clear()
    learned._recent = None
    conversation._read_one.cache_clear()


def choose_blend(levels_json: dict, dev_pairs, request_of) -> tuple:
    """Per dimension, (1) a straight line from the level model's prediction to the dev split's
    labels (a ridge model's predictions huddle round the middle: an excellent reply reads 3, not
    4), and (2) the rules' share of the score (0.2..1, steps of 0.1) that best matches the labels:
    band within one level, then pairwise order within a situation. Returns (shares, lines)."""
    from grading.engine import grade
    from grading.learned import LinearModel
    from grading.model import Context
    m = LinearModel(levels_json["name"], levels_json["link"], levels_json["classes"],
                    levels_json["bias"], levels_json["weights"], {})
    rule, pred, red = [], [], []
    for p in dev_pairs:
        ctx = Context.from_dict({**{k: v for k, v in p.context.items() if v is not None},
                                 "kind": p.kind, "customer_line": p.customer})
        rep = grade(p.reply, ctx, learned_levels=False)
        rule.append(rep.scores)
        red.append(bool(rep.red_lines))
        pred.append(m.predict(pair_features(to_simplified(p.reply), p.kind, request_of(p))))
    shares, lines = {}, {}
    for dim in DIMENSIONS:
        # the line is fitted where the model speaks (compliance: replies without a red line)
        fit = [i for i, p in enumerate(dev_pairs) if not (dim == "compliance" and (red[i] or p.red_lines))]
        a, b = np.polyfit([pred[i][dim] for i in fit], [dev_pairs[i].labels[dim] for i in fit], 1)
        lines[dim] = [round(float(a), 4), round(float(b), 4)]
        level = [a * q[dim] + b for q in pred]
        best = None
        # At least a fifth stays with the rules, so every score keeps evidence a trainee can read.
        for w in [x / 10 for x in range(2, 11)]:
            # as grading.scoring.blend does: a red line keeps compliance at the rules' 0
            scores = [r[dim] if dim == "compliance" and x else
                      w * r[dim] + (1 - w) * (20 * max(0.0, min(4.0, q)) + 10)
                      for r, q, x in zip(rule, level, red)]
            near = np.mean([abs(min(4, int(sc) // 20) - p.labels[dim]) <= 1 for sc, p in zip(scores, dev_pairs)])
            pw = _pairwise(scores, [p.labels[dim] for p in dev_pairs], [p.situation for p in dev_pairs])
            key = (round(near + pw, 3), w)
            best = max(best, key) if best else key
        shares[dim] = best[1]
    return shares, lines


def _pairwise(scores, labels, groups) -> float:
    good = total = 0
    for i in range(len(scores)):
        for j in range(i + 1, len(scores)):
            if groups[i] != groups[j] or abs(labels[i] - labels[j]) < 2:
                continue
            hi, lo = (i, j) if labels[i] > labels[j] else (j, i)
            total += 1
            good += 1 if scores[hi] > scores[lo] else 0.5 if scores[hi] == scores[lo] else 0
    return good / total if total else 1.0


def _refit_blend(out: Path, dev) -> int:
    """Re-fit the level model's line and the rules' share on the dev split, models unchanged (the
    dev split's customer lines are read by the shipped request model, as a full run reads them)."""
    from grading.conversation import cue_hits, decide_request
    from grading.learned import LinearModel
    req_model = LinearModel.load(out / "request.json")

    def request_of(p):
        line = to_simplified(p.customer)
        return decide_request(req_model.predict(list(text_features(line)) + ["k:" + p.kind]), cue_hits(line))[0]
    levels = json.loads((out / "levels.json").read_text(encoding="utf-8"))
    grade_with_models_in(out)
    levels["meta"]["blend"], levels["meta"]["line"] = choose_blend(levels, dev, request_of)
    _write(out / "levels.json", levels)
    print(f"rules' share: {levels['meta']['blend']}; level = a * prediction + b: {levels['meta']['line']}")
    return 0


def main(argv=None) -> int:
    """Train every model, choose thresholds on the dev split, write grading/models/*.json (and .npz)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", action="append", default=[], help="another corpus folder to train on")
    ap.add_argument("--out", default=str(MODELS), help="where to write the models")
    ap.add_argument("--leave-out", action="append", default=[], metavar="ROUND",
                    help="a measured blind round (r11 or blind/r11) not to train on, to measure "
                         "on it as unseen data")
    ap.add_argument("--only", choices=["gaming", "blend"],
                    help="train only the gaming model, or only re-fit the levels' line and blend")
    args = ap.parse_args(argv)
    # The fits' sums are split among BLAS threads, and a different split rounds differently (one
    # thread instead of two moved the combiner's threshold 0.31 -> 0.32): the count is fixed, not
    # left to the machine's cores, so the same data gives the same files on any machine.
    with threadpool_limits(limits=TRAINING_THREADS):
        status = _train(args)
    # The .npz copies the grader loads at cold start (each names the JSON it was made from).
    from grading.training.pack import pack
    for path in pack(Path(args.out)):
        print(f"packed {path}")
    return status


def _train(args) -> int:
    """Train what args ask for and write it as JSON."""
    pairs = load_corpus()
    for folder in args.extra:
        pairs += load_corpus(Path(folder))
    train = [p for p in pairs if split_of(p.situation) == "train"]
    dev = [p for p in pairs if split_of(p.situation) == "dev"]
    tuned = [f for f in TUNED_SETS if f.exists()]
    extra_dev = load_dev_sets(tuned + measured_rounds(args.leave_out))
    extra_early = load_dev_sets(tuned + measured_rounds(args.leave_out, upto=SCORE_MODEL_ROUNDS))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    if args.only == "blend":
        return _refit_blend(out, dev)
    gaming = train_gaming(train, extra_early)
    _write(out / "gaming.json", gaming)
    print(f"gaming model: threshold {gaming['meta']['threshold']}, out of fold recall "
          f"{gaming['meta']['out_of_fold_recall']}, false {gaming['meta']['out_of_fold_false']}")
    if args.only == "gaming":
        return 0
    request, oof_request = train_request(train)
    _write(out / "request.json", request)
    from grading.conversation import cue_hits, decide_request
    from grading.learned import LinearModel
    req_model = LinearModel.load(out / "request.json")

    def request_of(p):
        """The request as grading would read it: out of fold for the corpus, else the model."""
        line = to_simplified(p.customer)
        if (line, p.kind) in oof_request:
            return oof_request[(line, p.kind)]
        probs = req_model.predict(list(text_features(line)) + ["k:" + p.kind])
        return decide_request(probs, cue_hits(line))[0]

    stance, oof_stance = train_stance(train, request_of)
    _write(out / "stance.json", stance)
    print(f"stance reading, out of fold: accuracy {stance['meta']['out_of_fold_accuracy']}")
    # The once-blind dev sets have no stance labels: the trained model reads them (in sample).
    stance_model = LinearModel.load(out / "stance.json")
    stance_of = {id(p): o for p, o in zip(train, oof_stance)}
    for p in extra_dev:
        stance_of[id(p)] = stance_model.predict(pair_features(to_simplified(p.reply), p.kind, request_of(p)))
    redline, oof = train_redline(train + extra_dev, request_of)
    report = redline["meta"]["out_of_fold"]
    _write(out / "redline.json", redline)
    combiner = train_combiner(train + extra_dev, oof, request_of, [stance_of[id(p)] for p in train + extra_dev])
    _write(out / "combiner.json", combiner)
    levels = train_levels(train + extra_early, request_of)
    grade_with_models_in(out)
    levels["meta"]["blend"], levels["meta"]["line"] = choose_blend(levels, dev, request_of)
    _write(out / "levels.json", levels)
    splits = {"train": sorted({p.situation for p in train}), "dev": sorted({p.situation for p in dev})}
    (CORPUS / "splits.yml").write_text(
        "# Written by `python -m grading.training.train`: which situations train the models and\n"
        "# which are held out to choose thresholds (fixed by a hash of the situation id).\n"
        + yaml.safe_dump(splits, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"request reading, out of fold: accuracy {request['meta']['out_of_fold_accuracy']}")
    print(f"trained on {len(train)} pairs ({len(splits['train'])} situations) + {len(extra_dev)} "
          f"development replies; dev split {len(dev)} pairs ({len(splits['dev'])} situations)")
    print("red-line model, out of fold (folds by situation):")
    for c, r in report.items():
        print(f"  {c:20s} threshold {r['threshold']:.2f}  recall {r['recall']} of {r['violations']}  "
              f"false on clean {r['false_on_clean']} of {r['clean']}")
    print(f"rules' share of each score (the rest from the level model): {levels['meta']['blend']}; "
          f"level = a * prediction + b: {levels['meta']['line']}")
    print(f"combiner (rules + model): threshold {combiner['meta']['threshold']}, recall "
          f"{combiner['meta']['training_recall']}, false on clean {combiner['meta']['training_false_on_clean']}")
    return 0


def _write(path: Path, data: dict) -> None:
    """The model as JSON, one feature a line (readable, and a retrain's diff stays line by line),
    in the order _export gives (the features of most training rows first)."""
    head = {k: v for k, v in data.items() if k != "weights"}
    lines = [json.dumps(f, ensure_ascii=False) + ": " + json.dumps(w) for f, w in data["weights"].items()]
    text = json.dumps(head, ensure_ascii=False, sort_keys=True, default=_plain)[:-1]
    text += ', "weights": {\n' + ",\n".join(lines) + "\n}}\n"
    path.write_text(text, encoding="utf-8")


def _plain(x):
    return x.item() if hasattr(x, "item") else str(x)


if __name__ == "__main__":
    sys.exit(main())
