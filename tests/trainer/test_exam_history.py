"""An unfinished exam shows no total (nor red lines) on /history, and no coach can grade one of
its turns before it ends: the exam rule is that nothing is shown, or changed, until the end."""
from __future__ import annotations

import re

import pytest

from trainer.models import GradeOverride
from trainer.services.attempts import start_attempt, submit_reply
from trainer.services.cohorts import CohortError, override_turn


def test_an_unfinished_exam_shows_no_total_and_cannot_be_overridden(client, auth, make_user, make_cohort):
    coach = make_user("coach1", "coach")
    amy = make_user("amy", cohort=make_cohort("A", coach))
    exam = start_attempt(amy, "transfer_not_arrived", "exam")
    submit_reply(exam, "您好，我马上帮您查询。")
    assert exam.status == "active"
    with pytest.raises(CohortError) as refused:
        override_turn(exam.turns[0], coach, {"etiquette": 90, "structure": 90, "empathy": 90, "compliance": 90}, "好")
    assert refused.value.field == "comment"          # the page shows its message by the comment box
    assert GradeOverride.query.count() == 0
    auth.login("amy")
    page = client.get("/history").get_data(as_text=True)
    row = re.search(r"<tr><td>[^<]*</td>\s*<td><a href=\"/attempts/%d\">.*?</tr>" % exam.id, page, re.S).group(0)
    assert re.search(r'<td class="total">—</td>', row)
