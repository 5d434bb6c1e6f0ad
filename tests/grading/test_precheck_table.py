"""The shipped pre-check table (grading/data/prechecks.json) says what the patterns themselves say."""
from grading import precheck_table
from grading.anchors import compute_prechecks, prechecks


def test_table_is_current_and_complete():
    """Made by this anchors.py on this Python, for every pattern of the packs (else: run
    python -m grading.precheck_table, or python -m grading.training.pack)."""
    table = precheck_table.load()
    missing = [p for p in precheck_table.patterns() if p not in table]
    assert table and not missing, f"{len(missing)} patterns not in the table: run python -m grading.precheck_table"


def test_table_entries_equal_the_analysis():
    """Every entry, types included, is what compute_prechecks gives."""
    for pattern, checks in precheck_table.load().items():
        live = compute_prechecks(pattern)
        assert checks == live and [type(x) for x in checks] == [type(x) for x in live], pattern


def test_stale_table_is_ignored(tmp_path):
    """A table made by other code (another key) is not used; a pattern it lacks is analysed."""
    path = tmp_path / "prechecks.json"
    path.write_text('{"key": "other", "patterns": {"保本": [["x"], null, null]}}', encoding="utf-8")
    assert precheck_table.load(path) == {}
    assert prechecks("保本保息(?!吗)") == compute_prechecks("保本保息(?!吗)")
