"""What a coach's grade changes, as the pages show it: the turn's total, the attempt's total and
pass/fail under its track, machine feedback it contradicts struck through; never during a play."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from test_coach_flow import SPLIT, Coach
from test_coach_grades import override_data
from trainer.extensions import db
from trainer.models import Attempt, GradeOverride
from trainer.services.attempts import start_attempt, submit_reply

ALL_90 = {"etiquette": 90, "structure": 90, "empathy": 90, "compliance": 90}


@pytest.fixture
def amy(make_user, make_cohort):
    carol = make_user("carol", role="coach")
    return make_user("amy", cohort=make_cohort("A", coach=carol))


@pytest.fixture
def failed(amy):
    """amy's compliance-refresher attempt that ended on a red line (so it did not pass)."""
    attempt = start_attempt(amy, "aml_split_withdrawal", "practice", seed=32, track_id="compliance_refresher")
    submit_reply(attempt, SPLIT)
    assert attempt.status == "finished"
    return attempt


def turn_total(page: str, n: int = 1) -> str:
    """The total in turn n's score chips."""
    turn = re.search(rf'<div class="turn[^"]*" id="turn-{n}">(.*?)<details class="model"', page, re.S).group(1)
    return re.search(r'<li class="total"><span>[^<]*</span><b>(\d+)</b>', turn).group(1)


def verdict(page: str) -> str:
    return re.sub(r"\s+", " ", re.search(r'<p class="verdict[^"]*"[^>]*>(.*?)</p>', page, re.S).group(1)).strip()


def test_an_override_moves_the_turn_total_and_the_verdict_and_strikes_the_red_line(client, auth, failed):
    coach = Coach(client, auth, "carol")
    before = coach.page(f"/coach/attempts/{failed.id}")
    turn = failed.turns[0]
    assert turn_total(before) == str(turn.total) and verdict(before).startswith("Not passed")
    assert "Overridden by the coach" not in before

    response = coach.post(f"/coach/attempts/{failed.id}/turns/{turn.id}/override", override_data(turn, ALL_90),
                          token_field=f"t{turn.id}-csrf_token")
    assert response.status_code == 302
    after = coach.page(f"/coach/attempts/{failed.id}")
    assert turn_total(after) == "90"                              # the grader's weights over 90s
    assert verdict(after) == "Passed (average 90)"                # pass mark 70, the red line overruled
    red = re.search(r'<li class="red_line overridden">(.*?)</li>', after, re.S)
    assert red and "Overridden by the coach" in red.group(1) and "<s>" in red.group(1)
    # the UI speaks English here, so the grader's feedback is its English wording of the same points
    assert re.search(r'<li class="overridden"><span class="overridden-label">Overridden by the coach</span> <s>Red line', after)
    assert db.session.get(Attempt, failed.id).total == 90

    auth.logout()
    client.get("/login?lang=en")
    auth.login("amy")
    mine = htmllib.unescape(client.get(f"/attempts/{failed.id}").get_data(as_text=True))
    # the trainee's report states its verdict its own way (total, pass/fail, the pass mark's reason)
    assert turn_total(mine) == "90" and re.sub(r"<[^>]+>", "", verdict(mine)) == "Total 90 Passed"
    assert "average 90" in re.search(r'<ul class="verdict-why">(.*?)</ul>', mine, re.S).group(1)
    assert "Overridden by the coach" in mine


def test_a_lower_grade_strikes_the_good_moves_it_disputes(client, auth, failed):
    turn = failed.turns[0]
    machine = turn.report["scores"]
    coach = Coach(client, auth, "carol")
    lower = {**machine, "etiquette": max(0, machine["etiquette"] - 30)}
    coach.post(f"/coach/attempts/{failed.id}/turns/{turn.id}/override", override_data(turn, lower),
               token_field=f"t{turn.id}-csrf_token")
    page = coach.page(f"/coach/attempts/{failed.id}")
    goods = re.findall(r'<li class="good( overridden)?">', page)
    assert goods and all(goods), "every good etiquette move is disputed by a lower etiquette score"
    # compliance kept at 0: the red line stands and is not struck
    assert re.search(r'<li class="red_line">', page) and "red_line overridden" not in page
    assert verdict(page).startswith("Not passed")


def test_an_attempt_in_progress_cannot_be_overridden(client, auth, amy):
    playing = start_attempt(amy, "transfer_not_arrived", "practice", seed=7)
    submit_reply(playing, "您好，我马上帮您查询。")
    assert playing.status == "active"
    turn = playing.turns[0]
    coach = Coach(client, auth, "carol")
    page = coach.page(f"/coach/attempts/{playing.id}")
    assert "its grades can be overridden once it has ended" in page and "override-form" not in page
    response = coach.post(f"/coach/attempts/{playing.id}/turns/{turn.id}/override", override_data(turn, ALL_90),
                          token_field=f"t{turn.id}-csrf_token")
    assert response.status_code == 409
    assert "This attempt is still being played" in htmllib.unescape(response.get_data(as_text=True))
    assert GradeOverride.query.count() == 0
