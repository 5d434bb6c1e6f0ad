"""Golden transcripts: scripted attempts played through the engine and the REAL grader.

A scenario that no longer plays as its author intended — a step, a transition, a threshold or a
grader rule changed under it — fails here with the path the attempt actually took.
"""
import pytest
import yaml

from grading import grade
from scenarios import advance, load_library, start, step_context
from scenario_helpers import TRANSCRIPTS

RUN_KEYS = {"name", "seed", "replies", "ending", "red_lines"}
FILES = sorted(TRANSCRIPTS.glob("*.yml"))

# Runs whose transcript states what a trainer expects but the (frozen) grader gets wrong, keyed by
# (scenario, run name). Each is a strict xfail: when the grader is fixed the run passes and this
# entry must go. Do not "fix" these by rewording the reply to dodge the grader.
GRADER_GETS_WRONG = {
}


def _runs():
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for run in data["runs"]:
            reason = GRADER_GETS_WRONG.get((data["scenario"], run["name"]))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(data["scenario"], run, id=f"{path.stem}: {run['name'][:40]}", marks=marks)


def play(scenario, seed: int, replies: list):
    """Play replies in order; return the final state and the ending (None if still going)."""
    state, _ = start(scenario, seed)
    ending = None
    for i, reply in enumerate(replies):
        assert ending is None, f"the attempt ended at reply {i} ({ending.id}); {len(replies) - i} left"
        report = grade(reply, step_context(scenario, state))
        state, _, ending = advance(scenario, state, report)
    return state, ending


@pytest.mark.parametrize("scenario_id,run", list(_runs()))
def test_transcript_reaches_its_ending_with_its_red_lines(scenario_id, run):
    assert set(run) == RUN_KEYS, f"a run has exactly the keys {sorted(RUN_KEYS)}"
    scenario = load_library()[scenario_id]
    state, ending = play(scenario, run["seed"], run["replies"])
    path = " -> ".join(f"{h['step']}({h['total']})" for h in state.history)
    assert ending is not None, f"no ending after all replies; path: {path}"
    assert ending.id == run["ending"], f"path: {path}"
    found = sorted({c for h in state.history for c in h["red_lines"]})
    assert found == sorted(run["red_lines"]), f"path: {path}"


def test_every_library_scenario_has_a_good_and_a_bad_run():
    library = load_library()
    covered = {}
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == data["scenario"] and data["scenario"] in library, path.name
        covered[data["scenario"]] = {run["name"].split()[0] for run in data["runs"]
                                     if (data["scenario"], run["name"]) not in GRADER_GETS_WRONG}
    for sid in library:
        assert {"good", "bad"} <= covered.get(sid, set()), f"{sid} needs a good and a bad run"


def test_every_known_grader_error_names_a_run():
    runs = {(yaml.safe_load(p.read_text(encoding="utf-8"))["scenario"], run["name"])
            for p in FILES for run in yaml.safe_load(p.read_text(encoding="utf-8"))["runs"]}
    assert set(GRADER_GETS_WRONG) <= runs, sorted(set(GRADER_GETS_WRONG) - runs)
