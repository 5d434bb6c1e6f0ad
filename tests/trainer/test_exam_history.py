"""An unfinished exam shows no total (nor red lines) on /history, even after a coach grades one of
its turns: the exam rule is that nothing is shown until the end."""
from __future__ import annotations

import re

from trainer.services.attempts import start_attempt, submit_reply
from trainer.services.cohorts import override_turn


def test_a_coach_override_does_not_reveal_an_unfinished_exams_total(client, auth, make_user, make_cohort):
    coach = make_user("coach1", "coach")
    amy = make_user("amy", cohort=make_cohort("A", coach))
    exam = start_attempt(amy, "transfer_not_arrived", "exam")
    submit_reply(exam, "您好，我马上帮您查询。")
    assert exam.status == "active"
    override_turn(exam.turns[0], coach, {"etiquette": 90, "structure": 90, "empathy": 90, "compliance": 90}, "好")
    assert exam.total is not None          # stored for the coach...
    auth.login("amy")
    page = client.get("/history").get_data(as_text=True)
    row = re.search(r"<tr><td>[^<]*</td>\s*<td><a href=\"/attempts/%d\">.*?</tr>" % exam.id, page, re.S).group(0)
    assert re.search(r'<td class="total">—</td>', row) and str(exam.total) not in row   # ...not for her
