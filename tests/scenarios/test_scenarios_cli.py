"""`rmtrainer scenarios check|list` as a scenario author and a script use them."""
import json
import re

from click.testing import CliRunner

from trainer.commands.scenarios import scenarios_group
from scenario_helpers import BROKEN


def run(*args):
    return CliRunner().invoke(scenarios_group, list(args))


def test_check_the_library_succeeds_with_a_summary():
    result = run("check")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"OK: \d+ scenario file\(s\) and tracks.yml checked, no problems.\n",
                        result.stdout)


def test_check_a_broken_file_prints_file_line_key_message_and_exits_1():
    path = str(BROKEN / "unknown_move.yml")
    result = run("check", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:30: steps[ask].expects.moves[0]: "
                                          "unknown move id 'greting'; see MOVES in scenarios/schema.py"]
    assert result.stderr == "1 problem(s) in 1 file(s).\n"


def test_check_reports_every_problem_of_every_path():
    result = run("check", str(BROKEN / "many_problems.yml"), str(BROKEN / "yaml_syntax.yml"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert lines[-1] == (f"{BROKEN / 'yaml_syntax.yml'}:22: (yaml): "
                         "YAML syntax error: expected ',' or ']', but got ':'")
    assert result.stderr == "5 problem(s) in 2 file(s).\n"


def test_list_table_shows_each_scenario():
    result = run("list")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["id", "title", "kind", "difficulty", "tracks", "steps", "endings"]
    row = next(r for r in rows if r.startswith("transfer_not_arrived "))
    assert row.split() == ["transfer_not_arrived", "跨行转账扣款未到账", "complaint", "1",
                           "onboarding", "6", "4"]


def test_list_json_is_machine_readable():
    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["retiree_r4_product"] == {
        "id": "retiree_r4_product",
        "title": {"zh": "退休教师要买超出风险等级的产品", "en": "A retiree (C2) who wants an R4 product"},
        "kind": "product_sale", "difficulty": 2, "tracks": ["onboarding", "compliance_refresher"],
        "steps": 4, "endings": 5}


def test_the_group_is_registered_on_rmtrainer():
    from trainer.cli import main
    result = CliRunner().invoke(main, ["scenarios", "--help"])
    assert result.exit_code == 0 and "check" in result.stdout and "list" in result.stdout
