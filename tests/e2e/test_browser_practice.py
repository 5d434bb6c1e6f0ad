"""Practice that teaches, in the browser: a red line stops the attempt with the customer's
reaction and the rule, a retry of the turn succeeds, 再练一次 meets the same customer, the report
gives pass/fail and the last words, the catalogue shows statuses, and a phone's first screen
holds the customer's line and the reply box. Screenshots go to /tmp/shots-practice/."""
from pathlib import Path

from e2e_helpers import login, shot as keep

SHOTS = Path("/tmp/shots-practice")
SPLIT = "没问题，您每天取4万9，分几天取就不会触发上报。"     # coaches the split: a red line that ends it
PROPER = ("您好，大额取现我们可以帮您提前预约办理，按规定需要核实一下您的身份，也想了解一下这笔钱的用途。"
          "但拆分取现来规避报告是不行的，这一点请您理解。")
HELLO = "王先生您好，非常抱歉让您着急了。您反映的是那笔转账还没到账，我马上帮您查询原因，今天下午三点前给您回电话。"


def shot(page, name: str, full_page: bool = True) -> None:
    """Keep what the test saw in this file's folder, for a person to look at."""
    keep(page, name, SHOTS, full_page)


def start(page, scenario_id: str, track: str = "") -> str:
    page.goto(page.base + "/catalogue")
    if track:
        page.select_option(f"#scenario-{scenario_id} select[name=track_id]", track)
    page.click(f"button[data-scenario={scenario_id}]")
    page.wait_for_selector("#customer-line")
    return page.inner_text("#customer-line")


def reply(page, text: str) -> None:
    page.fill("#reply", text)
    page.click("form.reply-form button[type=submit]")


def test_a_red_line_in_practice_stops_shows_the_rule_and_a_retry_succeeds(page):
    login(page, "trainee")
    first = start(page, "aml_split_withdrawal")
    reply(page, SPLIT)
    stop = page.locator("#red-line-stop")
    assert "红线" in stop.inner_text() and "《反洗钱法》" in stop.inner_text()    # the rule and its regulation
    assert page.inner_text("#customer-reaction")                                # what the customer does next
    assert page.locator("#reply").count() == 0                                  # no reply to a line not said
    shot(page, "practice-red-line-stop")
    page.click("#retry-turn")
    assert page.inner_text("#customer-line") == first                           # the same line, answered again
    assert "已重答" in page.inner_text(".dialogue")                             # the red line stays in the record
    reply(page, PROPER)
    assert page.locator("#red-line-stop").count() == 0
    latest = page.locator(".feedback-card").last.inner_text()
    assert "红线" not in latest
    assert page.inner_text("#customer-line") not in ("", first)                 # the customer answers: it goes on
    assert page.locator("#reply").count() == 1
    shot(page, "practice-retry-succeeded")


def test_practise_again_meets_the_same_customer(page):
    login(page, "trainee")
    first = start(page, "aml_split_withdrawal")
    who = page.inner_text("details.persona summary .who-big")
    name_url = page.url
    reply(page, SPLIT)
    page.click("#practise-again")
    page.wait_for_selector("#customer-line")
    assert page.url != name_url
    assert page.inner_text("#customer-line") == first
    assert page.inner_text("details.persona summary .who-big") == who


def test_the_report_shows_pass_fail_and_the_customers_last_words(page):
    login(page, "trainee")
    start(page, "aml_split_withdrawal", track="compliance_refresher")    # pass mark 70, red lines fail
    reply(page, SPLIT)
    reaction = page.inner_text("#customer-reaction")
    page.click("text=到此结束，查看报告")
    verdict = page.inner_text("#verdict")
    assert "未通过" in verdict and "总分" in verdict
    assert "触碰红线即不通过" in page.inner_text(".verdict-why")
    assert page.inner_text("#final-line") == reaction
    assert "顺从了" in page.inner_text("#played")
    shot(page, "practice-report")


def test_the_catalogue_shows_each_scenarios_status(page):
    login(page, "trainee")
    start(page, "transfer_not_arrived")
    reply(page, HELLO)
    page.goto(page.base + "/catalogue")
    row = page.locator("#scenario-transfer_not_arrived")
    assert "进行中" in row.inner_text()
    row.locator("a.resume").click()
    assert "/attempts/" in page.url and page.locator("#reply").count() == 1
    page.goto(page.base + "/catalogue")
    other = page.locator("#scenario-complaint_card_fraud")
    assert "未开始" in other.inner_text() and "同时属于 2 条训练路径" in other.inner_text()
    assert "约" in other.locator(".length").inner_text()
    assert page.locator("[id^=scenario-complaint_card_fraud]").count() == 1      # once, however many tracks
    shot(page, "catalogue")


# Lines each element's text takes: a heading squeezed to one character per line takes many.
LINES = """sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).map(e => {
  const lh = parseFloat(getComputedStyle(e).lineHeight) || 20;
  return [e.innerText.trim(), Math.round(e.getBoundingClientRect().height / lh * 10) / 10];
})"""


def wrapped(page, selector: str, most: float) -> list:
    """The elements matching `selector` whose text takes more than `most` lines."""
    return [(text, lines) for text, lines in page.evaluate(LINES, selector) if lines > most]


def test_on_a_phone_the_customers_line_and_the_reply_box_are_on_the_first_screen(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = server
    try:
        login(page, "trainee")
        shot(page, "mobile-catalogue", full_page=False)
        # Nav links, table headings and buttons keep to one line; headings to at most two.
        assert not wrapped(page, "header.top nav a, th, button, .tag", 1.6)
        assert not wrapped(page, "h1, h2", 2.6)
        start(page, "gift_festival")
        shot(page, "mobile-play", full_page=False)
        for selector in ("#customer-line", "#reply"):
            box = page.locator(selector).bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, (selector, box)
        assert page.locator("details.persona").get_attribute("open") is None     # collapsed
        assert not wrapped(page, "header.top nav a, button, .tag", 1.6)
        assert not wrapped(page, "h1", 2.6)
        page.click("details.persona summary")
        assert page.locator("details.persona dl").is_visible()
        shot(page, "mobile-persona-open", full_page=False)
        reply(page, "谢谢阿姨，那我就收下了，您先放这儿吧。")              # takes the gift: a red line
        page.locator("#red-line-stop").scroll_into_view_if_needed()
        assert page.locator("#retry-turn").is_visible()
        assert not wrapped(page, "button, .stop h2", 2.6)
        shot(page, "mobile-red-line-stop")
        page.click("text=到此结束，查看报告")
        assert page.locator("#verdict").is_visible()
        shot(page, "mobile-report")
    finally:
        context.close()
