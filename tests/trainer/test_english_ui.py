"""A trainee who chose English reads the grader in English: findings, suggestions, red-line
categories, dimensions, the ending and the radar; the Chinese UI is unchanged."""
import html as htmllib
import json
import re

import pytest

from grading.loader import load_packs
from trainer.extensions import db
from trainer.services.attempts import start_attempt

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SPLIT = "没问题，您每天取4万9，分几天取就不会触发上报。"   # coaches the split: a red line that ends the scenario
RULE = {r.id: r for r in load_packs()}["compliance.NoStructuringAdvice"]


def between(page: str, start: str, end: str) -> str:
    """The part of the page from the first `start` to the next `end`."""
    i = page.index(start)
    return page[i:page.index(end, i)]


def spans(page: str, css_class: str) -> list:
    """The text of every span with this class."""
    return [htmllib.unescape(t) for t in re.findall(rf'<span class="(?:[^"]* )?{css_class}">([^<]*)</span>', page)]


@pytest.fixture
def finished_report(client, auth, make_user):
    """Play the split-withdrawal scenario's first turn with a red line in the chosen language;
    the scenario ends there, and the attempt page is its final report."""
    def play(lang):
        amy = make_user("amy")
        auth.login("amy")
        client.get(f"/language/{lang}", headers={"Referer": "http://localhost/catalogue"})
        attempt = start_attempt(amy, "aml_split_withdrawal", "practice", seed=32)
        url = f"/attempts/{attempt.id}"
        client.post(url + "/reply", data={"reply": SPLIT, "turn": 0, "csrf_token": auth.csrf(url)})
        # practice stops on a red line (retry or practise again); "end here" shows the report
        page = client.get(url + "?report=1").get_data(as_text=True)
        assert "redlines" in page, "the scenario did not end on the red line"
        return attempt, page
    return play


def test_the_report_speaks_english_when_english_is_chosen(finished_report):
    _, page = finished_report("en")
    red_lines = between(page, '<section class="card redlines"', "</section>")
    categories, messages = spans(red_lines, "category"), spans(red_lines, "message")
    assert categories and set(categories) == {"Helping to structure transactions"}
    assert RULE.message_en in messages
    assert all(m and not CJK.search(m) for m in categories + messages), categories + messages
    assert all(not CJK.search(s) for s in spans(red_lines, "suggestion"))
    ending = between(page, "<h2>Ending", "</h2>")
    assert "Red line crossed" in ending and not CJK.search(ending)
    debrief = between(page, '<p class="debrief">', "</p>")
    assert debrief and not CJK.search(debrief)
    scores = between(page, '<ul class="scores">', "</ul>")
    assert "Compliance" in scores and not CJK.search(scores)
    feedback = between(page, '<ol class="feedback">', "</ol>")
    assert "Red line (Helping to structure transactions)" in htmllib.unescape(feedback)


def test_the_radar_is_labelled_in_english(finished_report):
    _, page = finished_report("en")
    radar = between(page, '<svg class="radar"', "</svg>")
    labels = re.findall(r'class="axis">([^<]*)<', radar)
    assert [re.sub(r" \d+$", "", label) for label in labels] == ["Etiquette", "Structure", "Empathy", "Compliance"]
    assert not CJK.search(radar)


def test_the_chinese_report_is_unchanged(finished_report):
    _, page = finished_report("zh")
    red_lines = between(page, '<section class="card redlines"', "</section>")
    assert set(spans(red_lines, "category")) == {"协助拆分交易"}
    assert RULE.message in spans(red_lines, "message")
    assert RULE.message_en not in page
    assert "触碰红线" in between(page, '<span class="outcome', "</span>")
    radar = between(page, '<svg class="radar"', "</svg>")
    assert "合规" in radar and "Compliance" not in radar


def test_a_turn_graded_before_the_grader_spoke_english_shows_its_rules_english(finished_report, client):
    attempt, _ = finished_report("en")
    turn = attempt.turns[0]
    stored = json.loads(turn.report_json)
    for f in stored["findings"]:
        f.pop("message_en", None)
        f.pop("suggestion_en", None)
    stored.pop("feedback_en")
    turn.report_json = json.dumps(stored, ensure_ascii=False)
    db.session.commit()
    page = client.get(f"/attempts/{attempt.id}?report=1").get_data(as_text=True)
    messages = spans(between(page, '<section class="card redlines"', "</section>"), "message")
    assert RULE.message_en in messages
    # What cannot be looked up (a scenario's own message, the old feedback) stays as it was.
    assert "<ol class=\"feedback\"><li>红线" in page
