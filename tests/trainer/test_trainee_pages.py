"""What a trainee sees: catalogue, role-play with highlighted evidence, retry, exam mode, report,
history, language switch."""
import re

from trainer.extensions import db
from trainer.models import Assignment, Attempt

GOOD = "王先生您好，非常抱歉让您着急了。您反映的是两天前那笔转账还没到账，我马上帮您查询原因，今天下午三点前给您回电话。"
RED = "您放心，钱肯定丢不了，这种事保本的，跌不了。"


def post(client, auth, path, data):
    return client.post(path, data={**data, "csrf_token": auth.csrf("/catalogue")})


def customer_line(html):
    return re.search(r'id="customer-line">([^<]*)<', html).group(1)


def test_catalogue_lists_tracks_and_assigned_work_due_first(client, auth, make_user, make_cohort):
    coach = make_user("coach1", "coach")
    cohort = make_cohort("秋季", coach)
    make_user("amy", cohort=cohort)
    from datetime import date
    db.session.add_all([Assignment(cohort_id=cohort.id, scenario_id="aml_split_withdrawal", due=date(2030, 5, 1), created_by=coach.id),
                        Assignment(cohort_id=cohort.id, scenario_id="transfer_not_arrived", due=date(2030, 1, 1), created_by=coach.id)])
    db.session.commit()
    auth.login("amy")
    html = client.get("/catalogue").get_data(as_text=True)
    assert "新员工入职" in html and "合规复训" in html
    assigned = html[html.index("assigned"):]
    assert assigned.index("2030-01-01") < assigned.index("2030-05-01")
    assert 'data-scenario="transfer_not_arrived"' in html


def test_two_clicks_start_a_scenario_and_the_customer_speaks(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    r = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice", "track_id": "onboarding"})
    assert r.status_code == 302
    html = client.get(r.location).get_data(as_text=True)
    assert "跨行转账" in html and customer_line(html)
    assert "<meter" in html and 'name="reply"' in html


def test_practice_reply_shows_highlights_scores_and_model_answer(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    r = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice"})
    attempt_url = r.location
    first_line = customer_line(client.get(attempt_url).get_data(as_text=True))
    post(client, auth, attempt_url + "/reply", {"reply": GOOD})
    html = client.get(attempt_url).get_data(as_text=True)
    assert '<mark class="good"' in html and "今天下午三点前给您回电话" in html
    assert "Total" in html or "总分" in html
    assert "<details class=\"model\">" in html
    assert customer_line(html) != first_line


def test_red_line_is_highlighted_red_and_retry_answers_the_line_again(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    url = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice"}).location
    line = customer_line(client.get(url).get_data(as_text=True))
    post(client, auth, url + "/reply", {"reply": RED})
    html = client.get(url).get_data(as_text=True)
    assert '<mark class="red_line"' in html
    post(client, auth, url + "/retry", {})
    html = client.get(url).get_data(as_text=True)
    assert customer_line(html) == line
    attempt = Attempt.query.one()
    assert attempt.turns[0].superseded and attempt.counted_turns == []


def test_empty_reply_is_refused_with_a_message_and_nothing_changes(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    url = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice"}).location
    r = post(client, auth, url + "/reply", {"reply": "   "})
    html = client.get(r.location).get_data(as_text=True)
    assert "Please type your reply" in html or "请输入" in html
    assert Attempt.query.one().turns == []


def test_exam_mode_shows_no_feedback_until_the_end_and_uses_a_fixed_seed(client, auth, make_user):
    make_user("amy")
    make_user("bob")
    auth.login("amy")
    url = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "exam"}).location
    post(client, auth, url + "/reply", {"reply": GOOD})
    html = client.get(url).get_data(as_text=True)
    assert "<mark" not in html and "Exam mode" in html or "考试" in html
    assert "Retry this turn" not in html
    auth.logout()
    auth.login("bob")
    post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "exam"})
    a, b = Attempt.query.order_by(Attempt.id).all()
    assert a.seed == b.seed and a.state["persona"] == b.state["persona"]


def play_to_end(client, auth, url, reply=GOOD, limit=12):
    for _ in range(limit):
        html = client.get(url).get_data(as_text=True)
        if 'name="reply"' not in html:
            return html
        post(client, auth, url + "/reply", {"reply": reply})
    return client.get(url).get_data(as_text=True)


def test_final_report_has_radar_red_lines_first_transcript_and_debrief(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    url = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice"}).location
    post(client, auth, url + "/reply", {"reply": RED})
    html = play_to_end(client, auth, url)
    assert '<svg class="radar"' in html
    assert html.index('class="card redlines"') < html.index('class="card transcript"')
    attempt = Attempt.query.one()
    assert attempt.status == "finished" and attempt.ending_id
    assert '<mark class="red_line"' in html and "Model answer" in html or "参考答案" in html


def test_history_shows_attempts_and_a_progress_chart(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    url = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice"}).location
    play_to_end(client, auth, url)
    html = client.get("/history").get_data(as_text=True)
    assert '<svg class="trendchart"' in html and "跨行转账" in html


def test_language_switch_changes_the_interface(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    client.get("/language/en", headers={"Referer": "http://localhost/catalogue"})
    en = client.get("/catalogue").get_data(as_text=True)
    client.get("/language/zh", headers={"Referer": "http://localhost/catalogue"})
    zh = client.get("/catalogue").get_data(as_text=True)
    assert "Catalogue" in en and "Log out" in en
    assert "退出" in zh and "Log out" not in zh


def test_login_rejects_a_wrong_password_and_pages_need_login(client, auth, make_user):
    make_user("amy")
    assert client.get("/catalogue").status_code == 302
    r = auth.login("amy", "wrong-password")
    assert r.status_code == 401 and ("Wrong username or password" in r.get_data(as_text=True) or "用户名或密码错误" in r.get_data(as_text=True))


def test_reply_form_without_csrf_token_is_refused(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    url = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice"}).location
    r = client.post(url + "/reply", data={"reply": GOOD})
    assert r.status_code == 400
    assert Attempt.query.one().turns == []
