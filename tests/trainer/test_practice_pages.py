"""Practice that teaches, as the pages show it: a red line stops a practice attempt with the
customer's reaction, the rule and its regulation, retry and 再练一次; exams fail on a red line,
visibly; the report's verdict, last words and turns played; the catalogue's per-scenario status;
and the same retry through the JSON API."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from scenarios.persona import render
from test_api import Api
from trainer.extensions import db
from trainer.models import Attempt
from trainer.services import library
from trainer.services.attempts import start_attempt, submit_reply
from trainer.services.cohorts import override_turn
from trainer.services.users import issue_token

SPLIT = "没问题，您每天取4万9，分几天取就不会触发上报。"     # coaches the split: aml_split_withdrawal ends on it
PROPER = ("您好，大额取现我们可以帮您提前预约办理，按规定需要核实一下您的身份，也想了解一下这笔钱的用途。"
          "但拆分取现来规避报告是不行的，这一点请您理解。")
SCENARIO = "aml_split_withdrawal"


def post(client, auth, path, data):
    return client.post(path, data={**data, "csrf_token": auth.csrf("/catalogue")})


class _ElementText(HTMLParser):
    """Collects the text inside the element with a given id, nested elements included."""
    VOID = {"input", "br", "meta", "link", "img", "hr"}

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.depth, self.found, self.parts = element_id, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in self.VOID
        elif dict(attrs).get("id") == self.element_id and not self.found:
            self.found, self.depth = True, 1

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str:
    """The visible text of the element with this id (tags dropped, spaces squeezed)."""
    parser = _ElementText(element_id)
    parser.feed(html)
    assert parser.found, f"no #{element_id} on the page"
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def customer_line(html: str) -> str:
    return text_of(html, "customer-line")


@pytest.fixture
def amy(make_user, auth):
    user = make_user("amy")
    auth.login("amy")
    return user


def start_page(client, auth, track="compliance_refresher", mode="practice", scenario=SCENARIO):
    return post(client, auth, "/attempts", {"scenario_id": scenario, "mode": mode, "track_id": track}).location


def test_a_red_line_in_practice_stops_with_the_reaction_the_rule_and_the_ways_on(client, auth, amy):
    url = start_page(client, auth)
    post(client, auth, url + "/reply", {"reply": SPLIT})
    html = client.get(url).get_data(as_text=True)
    attempt = Attempt.query.one()
    assert attempt.status == "finished" and attempt.outcome == "red_line_breach"   # stored as it happened
    stop = text_of(html, "red-line-stop")
    assert "红线" in stop and "对话到这里就结束了" in stop
    assert text_of(html, "customer-reaction") == attempt.state["customer_line"] != ""
    assert "依据" in stop and "《反洗钱法》" in stop                                # the regulation
    assert "每天取4万9" in stop and "重答这一轮" in stop and "再练一次" in stop and "查看报告" in stop
    assert 'name="reply"' not in html                                                # nothing to answer


def test_retrying_the_red_lined_turn_resumes_before_it_and_keeps_it_in_the_record(client, auth, amy):
    url = start_page(client, auth)
    first = customer_line(client.get(url).get_data(as_text=True))
    post(client, auth, url + "/reply", {"reply": SPLIT})
    post(client, auth, url + "/retry", {})
    html = client.get(url).get_data(as_text=True)
    assert customer_line(html) == first and 'name="reply"' in html
    assert "已重答" in html and "每天取4万9" in html                                 # the retried reply stays
    post(client, auth, url + "/reply", {"reply": PROPER, "turn": "1"})
    html = client.get(url).get_data(as_text=True)
    assert 'id="red-line-stop"' not in html and customer_line(html) not in (first, "")
    attempt = Attempt.query.one()
    assert attempt.status == "active" and [t.superseded for t in attempt.turns] == [True, False]
    assert attempt.red_line_count == 0 and attempt.turns[0].red_lines > 0


def test_a_coach_graded_red_line_attempt_is_final_and_shows_the_report(client, auth, make_user, make_cohort):
    coach = make_user("coach1", "coach")
    amy = make_user("amy", cohort=make_cohort("秋季", coach))
    attempt = start_attempt(amy, SCENARIO, "practice", seed=32, track_id="compliance_refresher")
    submit_reply(attempt, SPLIT)
    override_turn(attempt.turns[0], coach, {"etiquette": 20, "structure": 20, "empathy": 20, "compliance": 0}, "红线")
    auth.login("amy")
    html = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'id="red-line-stop"' not in html and 'id="verdict"' in html and "重答这一轮" not in html
    assert "再练一次" in html


def test_practise_again_meets_the_same_customer_in_a_new_attempt(client, auth, amy):
    url = start_page(client, auth)
    html = client.get(url).get_data(as_text=True)
    post(client, auth, url + "/reply", {"reply": SPLIT})
    old = Attempt.query.one()
    again = post(client, auth, "/attempts", {"scenario_id": SCENARIO, "mode": "practice", "again_of": str(old.id)}).location
    assert again != url
    new_html = client.get(again).get_data(as_text=True)
    assert customer_line(new_html) == customer_line(html)
    new = Attempt.query.filter(Attempt.id != old.id).one()
    assert (new.seed, new.track_id, new.mode, new.state["persona"]) == (old.seed, old.track_id, "practice",
                                                                      old.state["persona"])
    assert db.session.get(Attempt, old.id).turns[0].reply == SPLIT                   # the old one is kept


def test_practise_again_cannot_borrow_an_exam_customer_or_another_trainees(client, auth, amy, make_user):
    exam = start_attempt(amy, SCENARIO, "exam")
    bob = make_user("bob")
    bobs = start_attempt(bob, SCENARIO, "practice")
    r = post(client, auth, "/attempts", {"scenario_id": SCENARIO, "mode": "practice", "again_of": str(exam.id)})
    assert "cannot be practised again" in client.get(r.location).get_data(as_text=True)
    post(client, auth, "/attempts", {"scenario_id": SCENARIO, "mode": "practice", "again_of": str(bobs.id)})
    mine = Attempt.query.filter_by(user_id=amy.id, mode="practice").one()
    assert mine.seed != bobs.seed and mine.state["persona"] != bobs.state["persona"]


def test_in_an_exam_a_red_line_fails_the_attempt_visibly_and_offers_no_retry(client, auth, amy):
    url = start_page(client, auth, track="onboarding", mode="exam")     # onboarding sets no pass mark
    post(client, auth, url + "/reply", {"reply": SPLIT})
    html = client.get(url).get_data(as_text=True)
    assert 'id="red-line-stop"' not in html
    verdict = text_of(html, "verdict")
    assert "未通过" in verdict and "总分" in verdict
    assert "触碰红线即不通过" in html
    assert "重答这一轮" not in html and "再练一次" not in html
    assert post(client, auth, url + "/retry", {}).status_code == 302
    assert Attempt.query.one().turns[0].superseded is False


def test_the_report_gives_one_total_pass_fail_the_last_words_and_the_turns_played(client, auth, amy):
    url = start_page(client, auth)
    post(client, auth, url + "/reply", {"reply": SPLIT})
    html = client.get(url + "?report=1").get_data(as_text=True)
    attempt = Attempt.query.one()
    verdict = text_of(html, "verdict")
    assert f"总分 {attempt.total}" in verdict and "未通过" in verdict
    assert "及格线 70（合规复训）" in html and "未达及格线" in html
    summary = html[html.index('class="card summary"'):html.index('id="played"')]
    assert summary.count('class="total"') == 0                        # one total: the verdict's
    # the customer's whole last turn, which the ending's own words (the engine's final_line) close
    assert text_of(html, "final-line") == attempt.state["customer_line"]
    assert attempt.state["customer_line"].endswith(attempt.state["final_line"])
    played = text_of(html, "played")
    assert "客户要拆分交易以躲避报告或登记" in played and "你顺从了" in played
    assert "处红线" in played and "件事客户没有说出来" in played


def test_a_clean_play_on_a_graded_track_passes(client, auth, amy):
    url = start_page(client, auth, scenario="gift_festival")
    scenario = library.scenario("gift_festival")
    for _ in range(scenario.max_turns):
        attempt = Attempt.query.one()
        if attempt.status != "active":
            break
        state = attempt.state
        post(client, auth, url + "/reply", {"reply": render(scenario.steps[state["step"]].model_answer,
                                                            state["persona"]).strip()})
    html = client.get(url).get_data(as_text=True)
    assert "通过" in text_of(html, "verdict") and "未通过" not in text_of(html, "verdict")
    assert "计分的各轮都没有触碰红线" in text_of(html, "played")
    assert "你没有顺从" in text_of(html, "played")                    # the gift was refused
    catalogue = client.get("/catalogue").get_data(as_text=True)
    assert "✓ 通过" in text_of(catalogue, "scenario-gift_festival")


def test_the_catalogue_shows_each_scenario_once_with_length_tracks_and_status(client, auth, amy):
    url = start_page(client, auth, scenario="transfer_not_arrived", track="onboarding")
    post(client, auth, url + "/reply", {"reply": PROPER})
    stopped = start_page(client, auth)
    post(client, auth, stopped + "/reply", {"reply": SPLIT})
    html = client.get("/catalogue").get_data(as_text=True)
    assert html.count('id="scenario-complaint_card_fraud"') == 1
    card = text_of(html, "scenario-complaint_card_fraud")
    assert "未开始" in card and "同时属于 2 条训练路径" in card and "新员工入职" in card and "合规复训" in card
    assert re.search(r"\d+ 步 · 约 \d+ 分钟", card)
    assert "投诉：借记卡就在客户身上" in card and "考点" not in card
    transfer = text_of(html, "scenario-transfer_not_arrived")
    assert "进行中" in transfer and "继续" in transfer
    assert f'href="{url[url.index("/attempts"):]}"' in html                  # the resume link
    split = text_of(html, "scenario-aml_split_withdrawal")
    total = Attempt.query.filter_by(scenario_id=SCENARIO).one().total
    assert f"最高分 {total}" in split and "继续" in split                     # stopped at a red line: retry waits


def test_the_api_retries_a_red_lined_turn_in_practice(client, amy):
    api = Api(client, issue_token(amy))
    started = api.start(SCENARIO, seed=32)
    ended = api.post(f"/attempts/{started['attempt_id']}/turns", {"reply": SPLIT, "turn": 0}).get_json()
    assert ended["ending"]["outcome"] == "red_line_breach" and ended["can_retry"] is True
    path = f"/attempts/{started['attempt_id']}/turns"
    retried = api.post(path, {"retry": 0})
    assert retried.status_code == 200
    body = retried.get_json()
    assert body["retried"] == 0 and body["customer"] == started["customer"] and body["next_turn"] == 1
    assert api.post(path, {"retry": 0}).get_json() == body                           # a resend: the same answer
    going = api.post(path, {"reply": PROPER, "turn": 1}).get_json()
    assert going["customer"] and "ending" not in going
    shown = api.get(f"/attempts/{started['attempt_id']}").get_json()
    assert [t["superseded"] for t in shown["turns"]] == [True, False]


def test_the_api_refuses_retry_in_an_exam_and_mixed_with_a_reply(client, amy):
    api = Api(client, issue_token(amy))
    exam = api.start(SCENARIO, mode="exam")
    api.post(f"/attempts/{exam['attempt_id']}/turns", {"reply": SPLIT})
    refused = api.post(f"/attempts/{exam['attempt_id']}/turns", {"retry": 0})
    assert refused.status_code == 403 and "practice" in refused.get_json()["error"]
    practice = api.start(SCENARIO, seed=32)
    mixed = api.post(f"/attempts/{practice['attempt_id']}/turns", {"retry": 0, "reply": PROPER})
    assert mixed.status_code == 422
