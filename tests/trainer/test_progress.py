"""Progress charts as people see them: the trainee's scores by date (one line per dimension and
the total, the pass mark as a dashed line, dates in the configured time zone, labels in the UI
language, the legend clear of the plot), and a cohort's weekly averages on the cohort page."""
from __future__ import annotations

import html as htmllib
import json
import re
from datetime import datetime

import pytest

from trainer.extensions import db
from trainer.models import Attempt

DIMS = ("etiquette", "structure", "empathy", "compliance")


@pytest.fixture
def people(make_user, make_cohort):
    carol = make_user("carol", role="coach")
    cohort = make_cohort("秋季新员工", coach=carol)
    return {"amy": make_user("amy", cohort=cohort), "bob": make_user("bob", cohort=cohort), "cohort": cohort}


def finished(user, when: datetime, values: tuple, total: int, track="compliance_refresher") -> Attempt:
    """A finished attempt with these scores, finished at `when` (UTC)."""
    attempt = Attempt(user_id=user.id, scenario_id="transfer_not_arrived", track_id=track, mode="practice", seed=1,
                      state_json="{}", status="finished", scores_json=json.dumps(dict(zip(DIMS, values))),
                      total=total, started_at=when, finished_at=when)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def chart(page: str) -> str:
    return re.search(r'<svg class="trendchart".*?</svg>', htmllib.unescape(page), re.S).group(0)


def test_the_trainees_chart_has_dates_a_line_per_dimension_and_the_pass_mark(auth, client, people):
    amy = people["amy"]
    finished(amy, datetime(2026, 11, 2, 20, 0), (60, 50, 40, 90), 62)    # 11-03 04:00 in Shanghai
    finished(amy, datetime(2026, 11, 9, 3, 0), (70, 60, 55, 95), 71)
    finished(amy, datetime(2026, 11, 23, 3, 0), (80, 75, 70, 100), 82)
    auth.login("amy")
    svg = chart(client.get("/history?lang=en").get_data(as_text=True))
    assert svg.count("<polyline") == 5                                     # four dimensions and the total
    for label in ("Etiquette", "Structure", "Empathy", "Compliance", "Total", "Pass mark 70 · Compliance refresher"):
        assert f">{label}" in svg, label
    dates = re.findall(r'class="tick date">([^<]*)<', svg)
    assert dates == ["11-03", "11-09", "11-23"]                            # each attempt's local date
    assert "Total 2026-11-03: 62" in svg and "Empathy 同理心 2026-11-23: 70" in svg
    mark = re.search(r'<line x1="[^"]*" x2="[^"]*" y1="([^"]*)" y2="[^"]*" class="mark">', svg)
    zero = float(re.search(r'y1="([^"]*)" y2="[^"]*" class="grid"/><text[^>]*>0<', svg).group(1))
    hundred = float(re.search(r'y1="([^"]*)" y2="[^"]*" class="grid"/><text[^>]*>100<', svg).group(1))
    assert float(mark.group(1)) == pytest.approx(zero + (hundred - zero) * 0.7, abs=0.1)
    # the legend is in its own band below the date labels
    band = float(re.search(r'class="legend-band" transform="translate\(0,([^)]*)\)"', svg).group(1))
    date_y = max(float(y) for y in re.findall(r'<text x="[^"]*" y="([^"]*)" text-anchor="middle" class="tick date"', svg))
    assert band > date_y and band > zero
    zh = chart(client.get("/history?lang=zh").get_data(as_text=True))
    assert ">礼仪化<" in zh and ">总分<" in zh and "及格线 70" in zh


def test_no_chart_before_a_finished_attempt(auth, client, people):
    auth.login("amy")
    page = client.get("/history?lang=en").get_data(as_text=True)
    assert "trendchart" not in page and "Finish a scenario to see your progress here." in page


def test_the_cohort_page_shows_weekly_averages_per_dimension(auth, client, people):
    amy, bob = people["amy"], people["bob"]
    finished(amy, datetime(2026, 11, 2, 2, 0), (60, 40, 50, 80), 60)    # Monday 11-02 (Shanghai)
    finished(bob, datetime(2026, 11, 8, 2, 0), (80, 60, 70, 100), 80)   # Sunday 11-08: same week
    finished(amy, datetime(2026, 11, 9, 2, 0), (90, 90, 90, 90), 90)    # the next week
    auth.login("carol")
    page = client.get(f"/coach/cohorts/{people['cohort'].id}?lang=en").get_data(as_text=True)
    assert "Trend per dimension (weekly averages)" in page
    svg = chart(page)
    assert svg.count("<polyline") == 5
    assert "Etiquette 礼仪化 2026-11-02: 70" in svg and "Structure 结构化 2026-11-02: 50" in svg
    assert "Total 2026-11-02: 70" in svg and "Compliance 合规 2026-11-09: 90" in svg
    assert re.findall(r'class="tick date">([^<]*)<', svg) == ["11-02", "11-09"]   # one label a week, its Monday
