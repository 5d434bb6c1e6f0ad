"""The cohort's results for spreadsheets: display names, Chinese scenario and ending titles,
machine and coach scores with an override flag, local times, the cohort's name in the file name
(with an ASCII fallback), UTF-8 with BOM; the same rows as .xlsx; no cell a spreadsheet would run."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from test_coach_flow import SPLIT, Coach
from trainer.extensions import db
from trainer.services import results_export
from trainer.services.attempts import start_attempt, submit_reply
from trainer.services.cohorts import override_turn

HEADER = ["trainee", "display_name", "scenario", "scenario_title", "track", "mode", "status",
          "started", "finished", "machine_total", "machine_etiquette", "machine_structure", "machine_empathy",
          "machine_compliance", "coach_total", "coach_etiquette", "coach_structure", "coach_empathy",
          "coach_compliance", "overridden", "total", "passed", "red_lines", "ending", "ending_title"]
ALL_90 = {"etiquette": 90, "structure": 90, "empathy": 90, "compliance": 90}


def download(client, auth, cohort_id, kind="csv", log_in=True):
    """carol downloads the cohort's results."""
    if log_in:
        Coach(client, auth, "carol")
    response = client.get(f"/coach/cohorts/{cohort_id}/results.{kind}")
    assert response.status_code == 200
    return response


def read_csv(response) -> list:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())          # so Excel reads the Chinese as UTF-8
    return [dict(zip(HEADER, r)) for r in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]]


@pytest.fixture
def cohort(make_user, make_cohort):
    """2026秋季新员工, coached by carol: amy (李新人) and bob (王小明); zoe is in no cohort."""
    cohort = make_cohort("2026秋季新员工", coach=make_user("carol", role="coach"))
    for username, name in (("amy", "李新人"), ("bob", "王小明")):
        make_user(username, cohort=cohort).display_name = name
    make_user("zoe")
    db.session.commit()
    return cohort


def amy_failed_and_overridden(cohort):
    amy = next(m for m in cohort.members if m.username == "amy")
    done = start_attempt(amy, "aml_split_withdrawal", "exam", seed=32, track_id="compliance_refresher")
    submit_reply(done, SPLIT)
    machine_total, machine_scores = done.total, dict(done.scores)
    done.started_at, done.finished_at = datetime(2026, 3, 1, 17, 30), datetime(2026, 3, 1, 17, 35)
    override_turn(done.turns[0], cohort.coach, ALL_90, "拆分取现说明得当")
    return done, machine_total, machine_scores


def test_the_csv_has_names_titles_both_grades_and_local_times(client, auth, cohort, make_user):
    done, machine_total, machine_scores = amy_failed_and_overridden(cohort)
    bob = next(m for m in cohort.members if m.username == "bob")
    start_attempt(bob, "transfer_not_arrived", "practice", seed=7)
    start_attempt(make_user("zed"), "transfer_not_arrived", "practice", seed=7)   # not in the cohort

    response = download(client, auth, cohort.id)
    assert response.mimetype == "text/csv"
    assert list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))[0] == HEADER
    amy_row, bob_row = read_csv(response)
    assert (amy_row["trainee"], amy_row["display_name"]) == ("amy", "李新人")
    assert amy_row["scenario_title"] == "大额取现要求拆分规避上报" and amy_row["track"] == "合规复训"
    assert amy_row["started"] == "2026-03-02 01:30" and amy_row["finished"] == "2026-03-02 01:35"   # Asia/Shanghai
    assert amy_row["machine_total"] == str(machine_total) and amy_row["coach_total"] == amy_row["total"] == "90"
    assert [amy_row[f"machine_{d}"] for d in ALL_90] == [str(machine_scores[d]) for d in ALL_90]
    assert [amy_row[f"coach_{d}"] for d in ALL_90] == ["90"] * 4
    assert amy_row["overridden"] == "yes" and amy_row["passed"] == "yes"
    assert amy_row["ending"] == done.ending_id and amy_row["ending_title"] == "触碰红线"
    assert (bob_row["display_name"], bob_row["status"], bob_row["overridden"]) == ("王小明", "active", "no")
    assert bob_row["finished"] == bob_row["total"] == bob_row["coach_total"] == bob_row["ending_title"] == ""


def test_the_time_zone_comes_from_the_config(app, client, auth, cohort):
    amy_failed_and_overridden(cohort)
    app.config["TIME_ZONE"] = "Europe/London"
    amy_row = read_csv(download(client, auth, cohort.id))[0]
    assert amy_row["started"] == "2026-03-01 17:30"


def test_the_file_name_carries_the_cohort_name_with_an_ascii_fallback(client, auth, cohort):
    disposition = download(client, auth, cohort.id).headers["Content-Disposition"]
    m = re.fullmatch(r'attachment; filename="(cohort-\d+(?:-[A-Za-z0-9_.-]+)?-results-\d{4}-\d{2}-\d{2}\.csv)"; '
                     r"filename\*=UTF-8''([A-Za-z0-9%._-]+)", disposition)
    assert m, disposition
    assert m.group(1).isascii()
    assert re.fullmatch(r"2026秋季新员工-results-\d{4}-\d{2}-\d{2}\.csv", unquote(m.group(2)))


@pytest.mark.parametrize("name, shown", [("A/../B班", "A_.._B班"), ('x"; filename=evil.exe', "x_; filename=evil.exe"),
                                         ("..", None)])
def test_a_cohort_name_cannot_steer_the_file_name(make_cohort, name, shown, app):
    cohort = make_cohort(name)
    header = results_export.content_disposition(cohort, "csv")
    utf8 = unquote(header.split("filename*=UTF-8''")[1])
    assert "/" not in utf8 and '"' not in utf8 and header.count('"') == 2
    assert utf8.startswith(shown or f"cohort-{cohort.id}")


def test_the_xlsx_has_the_same_rows(client, auth, cohort):
    amy_failed_and_overridden(cohort)
    response = download(client, auth, cohort.id, "xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="cohort-' in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert sheet.title == "2026秋季新员工" and rows[0] == HEADER
    amy_row = dict(zip(HEADER, rows[1]))
    assert amy_row["display_name"] == "李新人" and amy_row["scenario_title"] == "大额取现要求拆分规避上报"
    assert amy_row["overridden"] == "yes" and amy_row["coach_total"] == "90"


def test_a_trainee_named_like_a_formula_is_neutralised(client, auth, make_user, make_cohort, make_attempt):
    cohort = make_cohort("A", coach=make_user("carol", role="coach"))
    for name in ("=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)"):
        make_attempt(make_user(name, cohort=cohort), "transfer_not_arrived")
    assert sorted(r["trainee"] for r in read_csv(download(client, auth, cohort.id))) == \
        ["'+1+1", "'-2", "'=cmd|' /C calc'!A0", "'@SUM(A1)"]
    sheet = load_workbook(io.BytesIO(download(client, auth, cohort.id, "xlsx", log_in=False).get_data())).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == \
        ["'+1+1", "'-2", "'=cmd|' /C calc'!A0", "'@SUM(A1)"]


@pytest.mark.parametrize("value, safe", [
    ("=cmd", "'=cmd"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"),
    ("amy", "amy"), ("王=1", "王=1"), ("", ""), (42, 42), (None, None),
])
def test_safe_cell_prefixes_what_a_spreadsheet_would_run(value, safe):
    assert results_export.safe_cell(value) == safe
