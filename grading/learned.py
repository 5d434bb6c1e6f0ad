"""Linear models trained on the corpus, scored without the training stack.

A model is a JSON file in grading/models/: its classes, a bias per class, and for each feature
the weights it adds to each class (features with all-zero weights are left out). Scoring sums the
weights of the features present, so the strongest cues of a decision can be listed and read.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODELS = Path(__file__).parent / "models"


@dataclass(frozen=True)
class LinearModel:
    """A linear model over named features: `sigmoid` (one-vs-rest), `softmax` or `regression`."""
    name: str
    link: str
    classes: tuple
    bias: tuple
    weights: dict          # feature -> tuple of one weight per class
    meta: dict

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        """Read a model file written by grading.training.train."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(name=data["name"], link=data["link"], classes=tuple(data["classes"]),
                   bias=tuple(data["bias"]), weights={k: tuple(v) for k, v in data["weights"].items()},
                   meta=data.get("meta", {}))

    def raw(self, features) -> list:
        """The linear score of each class."""
        out = list(self.bias)
        w = self.weights
        for f in set(features):
            row = w.get(f)
            if row:
                for i, x in enumerate(row):
                    out[i] += x
        return out

    def predict(self, features) -> dict:
        """Class -> probability (sigmoid, softmax) or value (regression)."""
        raw = self.raw(features)
        if self.link == "sigmoid":
            vals = [1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) for z in raw]
        elif self.link == "softmax":
            top = max(raw)
            exps = [math.exp(z - top) for z in raw]
            vals = [e / sum(exps) for e in exps]
        else:
            vals = raw
        return dict(zip(self.classes, vals))

    def cues(self, features, cls: str, n: int = 5) -> list:
        """The n features present that push hardest towards `cls`, as (feature, weight)."""
        i = self.classes.index(cls)
        scored = [(f, self.weights[f][i]) for f in set(features) if f in self.weights]
        return sorted((x for x in scored if x[1] > 0), key=lambda x: -x[1])[:n]


@lru_cache(maxsize=None)
def model(name: str):
    """The shipped model of that name, or None when it has not been trained."""
    path = MODELS / f"{name}.json"
    return LinearModel.load(path) if path.exists() else None
