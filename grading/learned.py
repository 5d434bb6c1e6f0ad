"""Linear models trained on the corpus, scored without the training stack.

A model is a JSON file in grading/models/: its classes, a bias per class, and for each feature
the weights it adds to each class (features with all-zero weights are left out). Scoring sums the
weights of the features present, so the strongest cues of a decision can be listed and read.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from functools import cached_property, lru_cache
from itertools import chain, compress, repeat
from operator import gt, is_not
from pathlib import Path

import numpy as np

MODELS = Path(__file__).parent / "models"


class LinearModel:
    """A linear model over named features: `sigmoid` (one-vs-rest), `softmax` or `regression`."""

    def __init__(self, name: str, link: str, classes, bias, weights: dict, meta: dict):
        self.name, self.link, self.classes, self.meta = name, link, tuple(classes), meta
        self.bias = np.asarray(bias, dtype=np.float64)
        self.names = list(weights)                                # row -> feature
        self.index = {f: i for i, f in enumerate(weights)}       # feature -> row
        self.matrix = _matrix(weights, len(self.classes))
        self._rowmaps = {}                                        # FeatureSpace -> rows

    @classmethod
    def load(cls, path: Path, fast: bool = True) -> "LinearModel":
        """Read a model file written by grading.training.train (from its .npz when that was packed
        from this very JSON, see grading.training.pack: the same numbers, read 50 times faster)."""
        raw = Path(path).read_bytes()
        if fast:
            packed = _read_npz(npz_path(path), hashlib.sha256(raw).hexdigest())
            if packed is not None:
                return packed
        data = json.loads(raw.decode("utf-8"))
        return cls(data["name"], data["link"], data["classes"], data["bias"], data["weights"],
                   data.get("meta", {}))

    @classmethod
    def _from_arrays(cls, head: dict, bias: np.ndarray, names: list, matrix: np.ndarray) -> "LinearModel":
        self = cls.__new__(cls)
        self.name, self.link, self.classes, self.meta = head["name"], head["link"], tuple(head["classes"]), head["meta"]
        self.bias = bias
        self.names = names     # `index` is made from them when first asked for (see below)
        self.matrix = matrix
        self._rowmaps = {}
        self._packed = True        # read from the .npz (tests check the shipped ones are current)
        return self

    @cached_property
    def index(self) -> dict:
        """Feature -> row. Made on first use: grading looks features up in the shared space
        (FeatureSpace), so the three largest models never need their own (saved at cold start)."""
        return dict(zip(self.names, range(len(self.names))))

    def rows(self, features):
        """Row numbers of the features this model knows (features are distinct)."""
        if isinstance(features, Encoded):
            if self not in features.space.members:    # read by name: its features may be unnumbered
                return self.rows(features.named())
            rows = self._rowmap(features.space)[features.ids]
            return rows[rows >= 0]
        rows = np.fromiter(map(self.index.get, features, repeat(-1)), dtype=np.int64, count=len(features))
        return rows[rows >= 0]

    def _rowmap(self, space: "FeatureSpace") -> np.ndarray:
        """For each feature of a shared space, this model's row (-1 if it has none); cached."""
        if space not in self._rowmaps:
            rowmap = np.full(len(space.index) + 1, -1, dtype=np.int64)
            for f, i in self.index.items():
                j = space.index.get(f)
                if j is not None:
                    rowmap[j] = i
            self._rowmaps[space] = rowmap
        return self._rowmaps[space]

    def raw(self, features) -> np.ndarray:
        """The linear score of each class."""
        if isinstance(features, Encoded) and self in features.space.columns:
            return self.bias + features.sums(self)
        known = _recent_reply(features)
        if known is not None and self in known[1].space.columns:
            # The gaming model after encode_reply: the reply's own features were summed for every
            # stacked model at once (its weight is 0.0 on the request's features, which it lacks);
            # only what follows them (its shape features) is added here.
            n, encoded = known
            rest = [r for r in map(self.index.get, features[n:]) if r is not None]
            own = self.bias + encoded.sums(self)
            return own + np.add.reduce(self.matrix.take(rest, axis=0), axis=0) if rest else own
        rows = self.rows(features)
        # np.add.reduce is what ndarray.sum calls, without its Python wrapper (the same sum)
        return self.bias + np.add.reduce(self.matrix.take(rows, axis=0), axis=0) if len(rows) else self.bias.copy()

    def predict(self, features) -> dict:
        """Class -> probability (sigmoid, softmax) or value (regression)."""
        # The link in Python floats around numpy's exp and sum: each numpy call costs microseconds
        # in a grading run (its code is out of cache between replies), the arithmetic nothing.
        # Python's +, -, /, min and max on floats round as numpy's do, element by element; exp
        # and the softmax total stay numpy's own, so every value is the one numpy gave.
        if isinstance(features, Encoded) and self in features.space.columns:
            raw = features.raw(self)
        else:
            raw = self.raw(features).tolist()
        if self.link == "sigmoid":
            # -min(max(r, -30.0), 30.0) without two calls per class: max keeps r unless -30.0
            # is greater, min keeps that unless 30.0 is smaller (the same value, NaN included)
            exps = np.exp([-(30.0 if 30.0 < c else c) for c in [-30.0 if -30.0 > r else r for r in raw]]).tolist()
            vals = [1 / (1 + e) for e in exps]
        elif self.link == "softmax":
            top = max(raw)
            exps = np.exp([r - top for r in raw])
            total = float(np.add.reduce(exps))
            vals = [e / total for e in exps.tolist()]
        else:
            vals = raw
        return dict(zip(self.classes, vals))

    def weight(self, feature: str, cls_index: int = 0) -> float:
        """The weight one feature adds to one class (0 when the model does not know it)."""
        row = self.index.get(feature)
        return 0.0 if row is None else float(self.matrix[row, cls_index])

    def cues(self, features, cls: str, n: int = 5) -> list:
        """The n features present that push hardest towards `cls`, as (feature, weight)."""
        i = self.classes.index(cls)
        if isinstance(features, Encoded) and self not in features.space.members:
            features = features.named()   # see rows()
        if isinstance(features, Encoded) and self in features.space.columns:
            # The stacked block holds this model's weight of every feature (0.0 where it has
            # none, so a weight > 0 is exactly a known feature pushing towards the class).
            column = features.block()[:, features.space.columns[self].start + i]
            order = np.argsort(-column, kind="stable")[:n].tolist()
            weights = column.take(order).tolist()
            top = [j for j, w in zip(order, weights) if w > 0.0]
            return list(zip(_names(features.names, top), weights[:len(top)]))
        if isinstance(features, Encoded):
            rows = self._rowmap(features.space)[features.ids]
            present = np.flatnonzero(rows >= 0)
            weights = self.matrix[rows[present], i]
            pushing = weights > 0
            present, weights = present[pushing], weights[pushing]
            # A stable sort on -weight, as sorted() below: equal weights keep the features' order.
            top = np.argsort(-weights, kind="stable")[:n]
            names = features.names
            return [(names[j], w) for j, w in zip(present[top].tolist(), weights[top].tolist())]
        # The known features' weights read in one numpy call (not one scalar per feature), then
        # picked and sorted as above: stable, equal weights in the features' order.
        rows = list(map(self.index.get, features))
        known = list(map(is_not, rows, repeat(None)))
        names = list(compress(features, known))
        column = self.matrix[list(compress(rows, known)), i].tolist()
        top = sorted(compress(range(len(column)), map(gt, column, repeat(0.0))),
                     key=column.__getitem__, reverse=True)[:n]
        return [(names[j], column[j]) for j in top]


def _matrix(weights: dict, width: int) -> np.ndarray:
    """The weights as a (features × classes) array: read as one flat run of numbers when every
    row has one weight per class (faster at each cold start than converting nested lists)."""
    if not weights:
        return np.zeros((0, width))
    rows = weights.values()
    if sum(map(len, rows)) != width * len(weights):
        return np.asarray(list(rows), dtype=np.float64)
    return np.fromiter(chain.from_iterable(rows), dtype=np.float64,
                       count=width * len(weights)).reshape(len(weights), width)


# A packed model (grading.training.pack): the JSON's numbers as plain arrays. Names are one UTF-8
# run split by NUL (no feature has one): a unicode array would be padded to the longest name.
_SEP = "\x00"


def npz_path(json_path: Path) -> Path:
    """Where the packed copy of a JSON model lives."""
    return Path(json_path).with_suffix(".npz")


def write_npz(model: LinearModel, json_path: Path) -> None:
    """Pack a model read from json_path beside it, recording the JSON's sha256."""
    names = model.names
    if any(_SEP in f for f in names):
        raise ValueError(f"{model.name}: a feature name holds a NUL; cannot pack")
    head = {"name": model.name, "link": model.link, "classes": list(model.classes), "meta": model.meta}
    np.savez_compressed(npz_path(json_path),
             source_sha256=np.array(hashlib.sha256(Path(json_path).read_bytes()).hexdigest()),
             head=np.frombuffer(json.dumps(head, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
             names=np.frombuffer(_SEP.join(names).encode("utf-8"), dtype=np.uint8),
             bias=model.bias, matrix=model.matrix)


def _read_npz(path: Path, digest: str):
    """The packed model at path if it was packed from the JSON whose sha256 is digest, else None."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["source_sha256"]) != digest:
                return None
            head = json.loads(z["head"].tobytes().decode("utf-8"))
            names, bias, matrix = z["names"].tobytes().decode("utf-8"), z["bias"], z["matrix"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None     # unreadable, or of another layout: the JSON is the truth
    names = names.split(_SEP) if len(matrix) else []
    if len(names) != len(matrix) or bias.dtype != np.float64 or matrix.dtype != np.float64:
        return None
    return LinearModel._from_arrays(head, bias, names, matrix)


class FeatureSpace:
    """One numbering of the features several models share, so a reply's features are looked up
    once for all of them (the lookups, not the arithmetic, are what grading time is spent on)."""

    def __init__(self, models):
        # In the models' own order (ids are internal: no output depends on them, and sorting
        # 77,000 names cost every cold start): the first model's features, then each other's
        # new ones. Each model's rows are found as its names are numbered (one pass over them).
        first = models[0]
        self.index = index = dict(zip(first.names, range(len(first.names))))
        rows_of = {first: np.arange(len(first.names))}
        for m in models[1:]:
            rows = np.fromiter(map(index.get, m.names, repeat(-1)), dtype=np.int64, count=len(m.names))
            new = np.flatnonzero(rows < 0)
            if len(new):
                start = len(index)
                index.update(zip(map(m.names.__getitem__, new.tolist()), range(start, start + len(new))))
                rows[new] = np.arange(start, start + len(new))
            rows_of[m] = rows
        self.unknown = len(index)      # the row every unknown feature maps to (no model has it)
        # The models whose every feature is numbered here: only their rows can be read off ids
        # (another model's features this space lacks would all map to the unknown row).
        self.members = frozenset(models)
        # Every model's weights side by side on the space's rows (zeros where a model lacks a
        # feature, and on the unknown row): one gather and one sum score a reply for all models.
        # A sum over rows adds them in order, column by column, and adding 0.0 changes no float,
        # so each model's scores are exactly those it would compute alone.
        # (A one-class model alone would sum its single column pairwise, not in order: the gaming
        # model's score read off the stack may differ from its own in the 16th digit, no more.)
        self.columns, start = {}, 0
        for m in models:
            self.columns[m] = slice(start, start + len(m.classes))
            start += len(m.classes)
        self.stack = np.zeros((len(index) + 1, start))
        self.bias = np.zeros(start)      # the stacked models' biases side by side
        for m, columns in self.columns.items():
            self.bias[columns] = m.bias
        for m, columns in self.columns.items():
            if m is first:    # numbered first, in its own order: its rows are 0, 1, ...
                self.stack[:len(m.names), columns] = m.matrix
            else:
                self.stack[rows_of[m], columns] = m.matrix

    def crossed(self, request: str) -> dict:
        """For one request type, a reply feature f -> the id of "r:<request>|f" (cached)."""
        tables = getattr(self, "_crossed", None)
        if tables is None:    # built whole before it is shared: a second thread sees all or none
            tables = {}
            for name, i in self.index.items():
                if name.startswith("r:") and "|" in name:
                    req, feature = name[2:].split("|", 1)
                    tables.setdefault(req, {})[feature] = i
            self._crossed = tables
        return tables.get(request, {})

    def encode(self, features) -> "Encoded":
        """The features as ids in this space."""
        n = len(features)
        ids = np.fromiter(map(self.index.get, features, repeat(self.unknown, n)), dtype=np.int64, count=n)
        return Encoded(self, ids, features)


class Encoded:
    """Features with their ids in a shared space (and their names, for cues)."""

    def __init__(self, space: FeatureSpace, ids: np.ndarray, names):
        self.space, self.ids, self.names = space, ids, names
        self._block = self._sums = self._raw = None

    def named(self) -> list:
        """The features by name, in their order (for a model outside the space)."""
        names = self.names
        return [names[j] for j in range(len(names))]

    def block(self) -> np.ndarray:
        """The stacked weights of these features, one row per feature, in their order."""
        if self._block is None:
            # take, not stack[ids]: the same rows copied, several times faster on a large stack
            self._block = self.space.stack.take(self.ids, axis=0)
        return self._block

    def sums(self, model: LinearModel) -> np.ndarray:
        """The sum of the model's weights over these features (all the space's models at once)."""
        if self._sums is None:
            self._sums = np.add.reduce(self.block(), axis=0)   # ndarray.sum's own sum, sans wrapper
        return self._sums[self.space.columns[model]]

    def raw(self, model: LinearModel) -> list:
        """model.raw(self) as a list: every stacked model's bias added in one go (same sums)."""
        if self._raw is None:
            self.sums(model)
            self._raw = (self.space.bias + self._sums).tolist()
        columns = self.space.columns[model]
        return self._raw[columns.start:columns.stop]


@lru_cache(maxsize=None)
def pair_space():
    """The space of the reply models (red line, stance, levels), or None before training. The
    gaming model's features are numbered too (after theirs), so a reply's words are looked up once
    for all four, and its column is stacked with theirs (one sum scores all four). The red-line
    model, which knows the most features, is numbered first: in its order, its most common
    features first (grading.training.train._export), so the others' add only rarer ones after."""
    models = [m for m in (model("redline"), model("stance"), model("levels")) if m is not None]
    if not models:
        return None
    gaming = model("gaming")
    return FeatureSpace(models + ([gaming] if gaming is not None else []))


# The last reply's own features and their ids (encode_reply): the gaming model is next asked
# about those same features, in a list with its shape features after them.
_recent = None


def _recent_reply(features):
    """(n, encoded) when the features begin with the n features encode_reply last encoded
    (encoded is that whole reply's, request features included)."""
    recent = _recent
    if recent is None or not isinstance(features, (list, tuple)):
        return None
    own, encoded = recent
    n = len(own)
    # Compared by value (identical strings compare by identity first): a match is exact.
    if len(features) < n or tuple(features[:n]) != own:
        return None
    return n, encoded


def encode_pair(features):
    """A reply's features encoded for the reply models (unchanged when there are none)."""
    space = pair_space()
    return space.encode(features) if space is not None else features


def encode_reply(text: str, kind: str, request: str):
    """encode_pair(pair_features(text, kind, request)), the same ids in the same order, without
    writing out the request × word features: each word's crossed id is looked up directly (their
    names are written only when a cue is read)."""
    global _recent
    from grading.features import pair_features, text_features_split
    space = pair_space()
    if space is None:
        return pair_features(text, kind, request)
    own, n_words = text_features_split(text)
    head = own + ("k:" + kind, "r:" + request)
    # text_features puts every word and word pair (w:, b:) before the characters (c:)
    words = own[:n_words] if request != "legitimate" else ()
    index, unknown = space.index, space.unknown
    # Looked up straight into one array (no list between: each numpy call is slow when out of
    # cache, and fromiter is one).
    looked_up = map(index.get, head, repeat(unknown))
    if words:
        looked_up = chain(looked_up, map(space.crossed(request).get, words, repeat(unknown)))
    ids = np.fromiter(looked_up, dtype=np.int64, count=len(head) + len(words))
    encoded = Encoded(space, ids, _PairNames(head, request, words))
    _recent = (own, encoded)
    return encoded


def _names(names, js: list) -> list:
    """names[j] for each j (a reply's lazily written names picked in one call)."""
    if isinstance(names, _PairNames):
        return names.pick(js)
    return [names[j] for j in js]


class _PairNames:
    """The names of a reply's encoded features: its own, then "r:<request>|<word>" made on demand."""

    def __init__(self, head: list, request: str, words: list):
        self.head, self.request, self.words = head, request, words

    def __len__(self):
        return len(self.head) + len(self.words)

    def pick(self, js: list) -> list:
        """The names at positions js (one call, not one per name)."""
        head, n = self.head, len(self.head)
        return [head[j] if j < n else f"r:{self.request}|{self.words[j - n]}" for j in js]

    def __getitem__(self, j: int) -> str:
        if j < len(self.head):
            return self.head[j]
        return f"r:{self.request}|{self.words[j - len(self.head)]}"


@lru_cache(maxsize=None)
def model(name: str):
    """The shipped model of that name, or None when it has not been trained."""
    path = MODELS / f"{name}.json"
    return LinearModel.load(path) if path.exists() else None
