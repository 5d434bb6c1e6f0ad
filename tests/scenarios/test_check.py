"""The validator: each broken file yields exactly the problems its `# expect:` lines announce."""
import copy
import re

import pytest

from scenarios import ScenarioError, check, load_library, load_scenario
from scenarios.validate import validate
from scenarios.yamlmap import Document, load_document
from scenario_helpers import BROKEN, REPO

EXPECT = re.compile(r"^# expect: (.*)$", re.M)
BROKEN_FILES = sorted(p for p in BROKEN.glob("*.yml") if p.stem != "duplicate_id")


def expected(path) -> list[str]:
    """The problems a broken file announces in its header, as `line: key: message`."""
    return EXPECT.findall(path.read_text(encoding="utf-8"))


def test_every_broken_file_announces_what_it_breaks():
    assert len(BROKEN_FILES) >= 20
    for path in BROKEN_FILES:
        assert expected(path), f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_broken_file_reports_file_line_key_and_message(path):
    problems = check([str(path)])
    assert [f"{p.line}: {p.key}: {p.message}" for p in problems] == expected(path)
    assert {p.file for p in problems} == {str(path)}


def test_duplicate_ids_across_files_name_both_files(monkeypatch):
    monkeypatch.chdir(REPO)
    path = "tests/scenarios/broken/duplicate_id.yml"
    problems = [p for p in check(["scenarios/library", path]) if p.file == path]
    assert [f"{p.line}: {p.key}: {p.message}" for p in problems] == expected(REPO / path)
    assert "scenarios/library/transfer_not_arrived.yml" in problems[0].message


def test_problem_prints_as_file_line_key_message():
    path = str(BROKEN / "missing_step.yml")
    (problem,) = check([path])
    assert str(problem) == f"{path}:35: steps[ask].transitions[0].next: no step with id 'anwser'"


def test_a_whole_directory_is_checked_at_once():
    problems = check([str(BROKEN)])
    files = {p.file for p in problems}
    assert files == {str(p) for p in BROKEN.glob("*.yml")} - {str(BROKEN / "duplicate_id.yml")}


def test_loading_a_broken_file_raises_with_every_problem():
    with pytest.raises(ScenarioError) as err:
        load_scenario(BROKEN / "many_problems.yml")
    assert len(err.value.problems) == len(expected(BROKEN / "many_problems.yml"))
    assert "unknown kind 'chat'" in str(err.value)


def test_loading_a_directory_with_a_broken_file_raises():
    with pytest.raises(ScenarioError, match="no step with id 'anwser'"):
        load_library(BROKEN)


def test_missing_file_is_a_problem_not_a_crash():
    (problem,) = check(["no/such/file.yml"])
    assert str(problem) == "no/such/file.yml:1: (file): no such file"


def test_broken_tracks_file_is_reported(tmp_path):
    tracks = tmp_path / "tracks.yml"
    tracks.write_text("tracks:\n  - id: onboarding\n    hints: maybe\n", encoding="utf-8")
    problems = [str(p) for p in check([], tracks_path=tracks)]
    assert f"{tracks}:3: tracks[onboarding].hints: expected true or false, got text 'maybe'" in problems
    assert f"{tracks}:2: tracks[onboarding]: missing required key 'title'" in problems


def test_wrong_types_anywhere_are_reported_never_a_crash():
    """Replace every value of a real scenario with a wrong type: check still answers."""
    path = REPO / "scenarios" / "library" / "transfer_not_arrived.yml"
    doc, _ = load_document(str(path), path.read_text(encoding="utf-8"))
    for key_path in doc.lines:
        for bad in (None, 5, "x", [{"id": [1]}], {"a": {}}):
            data = copy.deepcopy(doc.data)
            node = data
            for part in key_path[:-1]:
                node = node[part]
            node[key_path[-1]] = bad
            problems = validate(Document(doc.file, data, doc.lines), {"onboarding"})
            assert all(p.file == str(path) and p.line >= 1 for p in problems)
