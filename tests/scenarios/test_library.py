"""The library as shipped: it passes check, its scenarios are real, its model answers are good."""
import re
from dataclasses import replace

import pytest

from grading import grade
from grading.loader import load_packs
from scenarios import MOVES, check, load_scenario, load_tracks, start, step_context
from scenario_helpers import REPO

LIBRARY = sorted((REPO / "scenarios" / "library").glob("*.yml"))


def test_the_library_and_tracks_pass_check():
    assert [str(p) for p in check()] == []


def test_the_reference_scenarios_are_in_the_library(library):
    assert {"transfer_not_arrived", "retiree_r4_product", "aml_split_withdrawal"} <= set(library)
    assert len(library) == len(LIBRARY)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_each_scenario_has_branching_steps_and_endings(path):
    scenario = load_scenario(path)
    assert scenario.id == path.stem, "the file name is the scenario id"
    assert len(scenario.steps) >= 3 and len(scenario.endings) >= 2
    branching = [s for s in scenario.steps.values() if len({t.next or t.end for t in s.transitions}) > 1]
    assert branching, "at least one step must lead to different places depending on the reply"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_model_answer_passes_its_own_step(path):
    """A model answer graded in its own step's context has no red line and makes every move."""
    scenario = load_scenario(path)
    state, _ = start(scenario, 1)
    for step in scenario.steps.values():
        at = replace(state, step=step.id, customer_line=step.customer[0])
        context = step_context(scenario, at)
        report = grade(context.model_answer, context)
        assert not report.red_lines, (step.id, [(f.rule, f.text) for f in report.red_lines])
        missing = [m for m in step.moves if not set(m.split("|")) & report.moves]
        assert not missing, (step.id, missing)
        assert report.total >= 70, (step.id, report.total, report.scores)


def test_every_move_id_is_one_the_grader_can_prove():
    proved = {rule.move for rule in load_packs() if getattr(rule, "move", None)}
    assert set(MOVES) <= proved, sorted(set(MOVES) - proved)


def test_tracks_define_the_three_training_tracks(library):
    tracks = load_tracks()
    assert list(tracks) == ["onboarding", "crisis", "compliance_refresher"]
    assert tracks["onboarding"].hints and tracks["onboarding"].model_answers == "each_turn"
    assert not tracks["crisis"].hints and tracks["crisis"].difficulties == (3,)
    refresher = tracks["compliance_refresher"]
    assert refresher.red_line_trap and refresher.pass_mark == 70 and refresher.red_line_fails
    members = [s.id for s in library.values() if "compliance_refresher" in s.tracks]
    assert {"retiree_r4_product", "aml_split_withdrawal"} <= set(members)


def test_track_result_applies_the_pass_mark_and_red_lines(library):
    tracks = load_tracks()
    state, _ = start(library["aml_split_withdrawal"], 1)
    clean = replace(state, history=[{"total": 80, "red_lines": []}, {"total": 62, "red_lines": []}])
    assert tracks["compliance_refresher"].result(clean) == {
        "track": "compliance_refresher", "average": 71, "red_lines": [], "passed": True}
    breached = replace(clean, history=clean.history + [{"total": 90, "red_lines": ["aml_tipoff"]}])
    assert tracks["compliance_refresher"].result(breached)["passed"] is False
    assert tracks["compliance_refresher"].result(clean, outcome="red_line_breach")["passed"] is False
    assert tracks["onboarding"].result(breached)["passed"] is None


def test_the_readme_example_is_a_valid_scenario(tmp_path):
    readme = (REPO / "scenarios" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S).group(1)
    path = tmp_path / "early_deposit_withdrawal.yml"
    path.write_text(example, encoding="utf-8")
    assert [str(p) for p in check([path])] == []
    assert load_scenario(path).first_step == "ask"
