"""A coach assigns work, sees the trainee's result on the dashboard, and overrides a grade."""
from datetime import date, timedelta

from e2e_helpers import login, shot

REPLIES = [
    "王先生您好，非常抱歉让您着急了。您反映的是那笔转账还没到账，我马上帮您查询原因，今天下午三点前给您回电话。",
    "您放心，钱肯定丢不了，保本的。",
    "我已经提交了查询，也联系了收款行核实。今天下午三点前一定给您回复处理结果，您看可以吗？",
]


def test_coach_assigns_sees_result_and_overrides(browser, server):
    coach = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    coach.base = server
    login(coach, "coach")
    coach.click("text=学员组")
    coach.click("text=2026秋季新员工")
    coach.select_option("select[name=work]", "scenario:transfer_not_arrived")
    coach.fill("input[name=due]", (date.today() + timedelta(days=3)).isoformat())
    coach.click("form[action$='/assignments'] button[type=submit]")
    assert coach.locator(".flash").first.inner_text().startswith("已布置")

    trainee = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    trainee.base = server
    login(trainee, "trainee")
    assigned = trainee.locator("section.assigned")
    assert "跨行转账扣款未到账" in assigned.inner_text()
    assigned.locator("button[data-scenario=transfer_not_arrived]").click()
    for i in range(8):
        if trainee.locator("#reply").count() == 0:
            break
        trainee.fill("#reply", REPLIES[min(i, len(REPLIES) - 1)])
        trainee.click("form.reply-form button[type=submit]")
    assert trainee.locator("svg.radar").count() == 1

    coach.goto(server + "/coach/")
    dashboard = coach.inner_text("main")
    assert "李新人" in dashboard and "红线" in dashboard
    shot(coach, "coach-dashboard")
    coach.locator("a[href*='/coach/attempts/']").first.click()
    machine_total = coach.locator(".scores li.total b").first.inner_text()
    form = coach.locator("details.override-form").first
    form.locator("summary").click()
    for name in ("etiquette", "structure", "empathy", "compliance"):
        form.locator(f"input[name$='-{name}']").fill("90")
    form.locator("textarea[name$='-comment']").fill("开场道歉和时间承诺都到位，给满意分。")
    form.locator("button[type=submit]").click()
    page_text = coach.inner_text("main")
    assert "开场道歉和时间承诺都到位" in page_text
    assert coach.locator(".scores li.total b").first.inner_text() != machine_total or "90" in page_text
    shot(coach, "coach-override")
