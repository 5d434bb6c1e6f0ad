"""A coach's page of one trainee: every attempt with track, scenario title in the UI language,
mode, local date, total, pass/fail and red lines; filters by scenario and date; links to the
transcripts; reached from the dashboard and the cohort page; nobody else's trainee."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from test_coach_flow import SPLIT, Coach, section
from trainer.extensions import db
from trainer.services.attempts import start_attempt, submit_reply


@pytest.fixture
def people(make_user, make_cohort):
    """carol coaches amy (cohort A); dave coaches bob (cohort B)."""
    carol, dave = make_user("carol", role="coach"), make_user("dave", role="coach")
    amy = make_user("amy", cohort=make_cohort("A", coach=carol))
    amy.display_name = "李新人"
    bob = make_user("bob", cohort=make_cohort("B", coach=dave))
    db.session.commit()
    return {"carol": carol, "dave": dave, "amy": amy, "bob": bob}


@pytest.fixture
def record(people):
    """amy's attempts: an exam-track failure (red line) on 1 March 17:30 UTC, which is 2 March in
    Shanghai, and a practice still in progress on 10 March."""
    amy = people["amy"]
    failed = start_attempt(amy, "aml_split_withdrawal", "practice", seed=32, track_id="compliance_refresher")
    submit_reply(failed, SPLIT)
    failed.started_at = datetime(2026, 3, 1, 17, 30)
    playing = start_attempt(amy, "transfer_not_arrived", "practice", seed=7, track_id="onboarding")
    playing.started_at = datetime(2026, 3, 10, 2, 0)
    db.session.commit()
    return {"failed": failed, "playing": playing}


def rows(page: str) -> dict:
    """attempt id -> the row's cell texts, as the table shows them."""
    table = section(page, r'<table class="attempts">')
    out = {}
    for attempt_id, row in re.findall(r'<tr data-attempt="(\d+)">(.*?)</tr>', table, re.S):
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        out[int(attempt_id)] = cells
    return out


def test_the_trainee_page_lists_every_attempt_with_its_result(client, auth, people, record):
    page = Coach(client, auth, "carol").page(f"/coach/trainees/{people['amy'].id}")
    assert "李新人" in page
    shown = rows(page)
    failed, playing = record["failed"], record["playing"]
    assert list(shown) == [playing.id, failed.id]                       # newest first
    assert shown[failed.id][:7] == ["2026-03-02 01:30", "Compliance refresher", "A cash withdrawal split to dodge reporting",
                                    "practice", str(failed.total), "Not passed", str(failed.red_line_count)]
    assert failed.red_line_count > 0
    assert shown[playing.id][:7] == ["2026-03-10 10:00", "Onboarding", "A transfer that never arrived",
                                     "practice", "—", "In progress", "0"]
    assert f'href="/coach/attempts/{failed.id}"' in page and f'href="/coach/attempts/{playing.id}"' in page


def test_the_trainee_page_shows_chinese_titles_in_the_chinese_ui(client, auth, people, record):
    auth.login("carol")
    page = client.get(f"/coach/trainees/{people['amy'].id}").get_data(as_text=True)
    assert "大额取现要求拆分规避上报" in page and "合规复训" in page and "未通过" in page


@pytest.mark.parametrize("query, expected", [
    ("?scenario=aml_split_withdrawal", ["failed"]),
    ("?scenario=transfer_not_arrived", ["playing"]),
    ("?first=2026-03-02&last=2026-03-02", ["failed"]),     # local day: 17:30 UTC on the 1st is the 2nd
    ("?last=2026-03-01", []),
    ("?first=2026-03-03", ["playing"]),
    ("?first=2026-03-01&last=2026-03-31&scenario=transfer_not_arrived", ["playing"]),
])
def test_the_trainee_page_filters_by_scenario_and_local_date(client, auth, people, record, query, expected):
    page = Coach(client, auth, "carol").page(f"/coach/trainees/{people['amy'].id}{query}")
    if expected:
        assert sorted(rows(page)) == sorted(record[k].id for k in expected)
    else:
        assert "No attempts match these filters." in page


@pytest.mark.parametrize("query, message", [
    ("?first=2026-02-30", "“2026-02-30” is not a real date; use YYYY-MM-DD"),
    ("?first=2026-03-05&last=2026-03-01", "The end date is before the start date"),
    ("?scenario=nope", "Choose a scenario from the list"),
])
def test_a_bad_filter_says_what_is_wrong(client, auth, people, record, query, message):
    Coach(client, auth, "carol")
    response = client.get(f"/coach/trainees/{people['amy'].id}{query}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#34;", '"')


def test_the_dashboard_and_cohort_pages_link_to_the_trainee_page(client, auth, people, record):
    coach = Coach(client, auth, "carol")
    link = f'href="/coach/trainees/{people["amy"].id}"'
    assert link in coach.page("/coach/")
    assert link in coach.page(f"/coach/cohorts/{people['amy'].cohorts[0].id}")
    assert link in coach.page("/coach/cohorts")
    assert link in coach.page(f"/coach/attempts/{record['failed'].id}")


def test_another_coachs_trainee_is_not_found(client, auth, people, record):
    Coach(client, auth, "dave")
    assert client.get(f"/coach/trainees/{people['amy'].id}").status_code == 404
    assert client.get("/coach/trainees/99999").status_code == 404
    page = client.get(f"/coach/trainees/{people['bob'].id}").get_data(as_text=True)
    assert "No attempts yet." in page
