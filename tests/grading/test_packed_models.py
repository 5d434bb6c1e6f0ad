"""The packed models (.npz) hold exactly the JSON's numbers, and are used only while they match it."""
import shutil

import numpy as np
import pytest

from grading.learned import MODELS, LinearModel, npz_path
from grading.training.pack import pack

NAMES = sorted(p.stem for p in MODELS.glob("*.json"))


def _same(a: LinearModel, b: LinearModel) -> None:
    assert (a.name, a.link, a.classes, a.meta) == (b.name, b.link, b.classes, b.meta)
    assert list(a.index.items()) == list(b.index.items())
    for x, y in ((a.bias, b.bias), (a.matrix, b.matrix)):
        assert x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()


@pytest.mark.parametrize("name", NAMES)
def test_shipped_npz_matches_its_json(name):
    """Every shipped .npz was packed from the JSON beside it (else run python -m grading.training.pack)."""
    path = MODELS / f"{name}.json"
    fast = LinearModel.load(path)
    assert fast.__dict__.get("_packed"), f"{npz_path(path).name} is missing or stale: run python -m grading.training.pack"
    _same(fast, LinearModel.load(path, fast=False))


def test_stale_npz_is_ignored(tmp_path):
    """A JSON changed after packing is read as JSON: its new numbers, not the old .npz's."""
    for name in ("stance", "combiner"):
        shutil.copy(MODELS / f"{name}.json", tmp_path)
    pack(tmp_path)
    path = tmp_path / "stance.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"bias": [', '"bias": [0.5, ', 1).replace("-0.4363, ", "", 1), encoding="utf-8")
    loaded = LinearModel.load(path)
    assert not loaded.__dict__.get("_packed")
    assert loaded.bias[0] == 0.5
    assert LinearModel.load(tmp_path / "combiner.json").__dict__.get("_packed")
    npz_path(tmp_path / "combiner.json").write_bytes(b"not a zip")
    _same(LinearModel.load(tmp_path / "combiner.json"), LinearModel.load(MODELS / "combiner.json", fast=False))


def test_npz_loads_without_pickle():
    """The .npz holds plain arrays only."""
    with np.load(MODELS / "redline.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
