"""A trainee logs in, plays a scenario to its end in practice mode, sees highlights and the report."""
from e2e_helpers import login, shot

GOOD = "王先生您好，非常抱歉让您着急了。您反映的是那笔转账还没到账，我马上帮您查询原因，今天下午三点前给您回电话。"
RED = "您放心，这个钱肯定丢不了，银行兜底，保本的。"
FOLLOW = "我已经提交了查询，也联系了收款行核实。今天下午三点前一定给您回复处理结果，您看可以吗？"


def test_trainee_plays_practice_to_the_end_and_reads_the_report(page):
    login(page, "trainee")
    assert page.locator("h1").first.inner_text() in ("Catalogue", "场景目录")
    page.click("button[data-scenario=transfer_not_arrived]")
    first_line = page.inner_text("#customer-line")
    assert first_line
    page.fill("#reply", GOOD)
    page.click("form.reply-form button[type=submit]")
    assert page.locator("mark.good").count() > 0
    assert page.inner_text("#customer-line") != first_line
    page.fill("#reply", RED)
    page.click("form.reply-form button[type=submit]")
    assert page.locator("mark.red_line").count() > 0
    shot(page, "trainee-practice-feedback")
    page.click("text=Retry this turn" if page.locator("text=Retry this turn").count() else "text=重答这一轮")
    for _ in range(8):
        if page.locator("#reply").count() == 0:
            break
        page.fill("#reply", FOLLOW)
        page.click("form.reply-form button[type=submit]")
    assert page.locator("svg.radar").count() == 1
    assert page.locator("section.transcript mark.good").count() > 0
    assert page.locator(".debrief").inner_text()
    shot(page, "trainee-report")
