"""The cohort's results as CSV: the right columns, one row per attempt, a safe file name, and no
cell a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io
import re

import pytest

from test_coach_flow import SPLIT, Coach
from trainer.services import coaching
from trainer.services.attempts import submit_reply

HEADER = ["trainee", "scenario", "mode", "status", "started", "finished", "total",
          "etiquette", "structure", "empathy", "compliance", "red_lines", "ending"]


def download(client, auth, cohort_id):
    """carol downloads the cohort's CSV."""
    Coach(client, auth, "carol")
    response = client.get(f"/coach/cohorts/{cohort_id}/results.csv")
    assert response.status_code == 200
    return response


def test_the_csv_has_the_header_and_one_row_per_attempt(client, auth, make_user, make_cohort, make_attempt):
    cohort = make_cohort("2026秋季/../新员工", coach=make_user("carol", role="coach"))
    amy, bob = make_user("amy", cohort=cohort), make_user("bob", cohort=cohort)
    make_user("zoe")                                   # not in the cohort: not in the file
    done = make_attempt(amy, "aml_split_withdrawal", mode="exam", seed=32)
    submit_reply(done, SPLIT)
    make_attempt(bob, "transfer_not_arrived")
    make_attempt(make_user("zed"), "transfer_not_arrived")

    response = download(client, auth, cohort.id)
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(rf'attachment; filename="cohort-{cohort.id}(-[A-Za-z0-9_.-]+)?-results-\d{{4}}-\d{{2}}-\d{{2}}\.csv"',
                        disposition), disposition
    assert "/" not in disposition.split("filename=")[1] and ".." not in disposition

    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")                   # so spreadsheet programs read the Chinese as UTF-8
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == HEADER
    assert [r[:4] for r in rows[1:]] == [["amy", "aml_split_withdrawal", "exam", "finished"],
                                         ["bob", "transfer_not_arrived", "practice", "active"]]
    amy_row = dict(zip(HEADER, rows[1]))
    assert amy_row["total"] == str(done.total)
    assert [amy_row[d] for d in HEADER[7:11]] == [str(done.scores[d]) for d in HEADER[7:11]]
    assert amy_row["red_lines"] == str(done.red_line_count) != "0"
    assert amy_row["ending"] == done.ending_id and amy_row["finished"] == done.finished_at.strftime("%Y-%m-%d %H:%M")
    bob_row = dict(zip(HEADER, rows[2]))
    assert bob_row["finished"] == bob_row["total"] == bob_row["ending"] == ""


def test_a_trainee_named_like_a_formula_is_neutralised(client, auth, make_user, make_cohort, make_attempt):
    cohort = make_cohort("A", coach=make_user("carol", role="coach"))
    for name in ("=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)"):
        make_attempt(make_user(name, cohort=cohort), "transfer_not_arrived")
    rows = list(csv.reader(io.StringIO(download(client, auth, cohort.id).get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r[0] for r in rows[1:]) == ["'+1+1", "'-2", "'=cmd|' /C calc'!A0", "'@SUM(A1)"]


@pytest.mark.parametrize("value, safe", [
    ("=cmd", "'=cmd"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"),
    ("amy", "amy"), ("王=1", "王=1"), ("", ""), (42, 42), (None, None),
])
def test_safe_cell_prefixes_what_a_spreadsheet_would_run(value, safe):
    assert coaching.safe_cell(value) == safe
