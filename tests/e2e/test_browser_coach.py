"""A coach's week in the browser: assign work, see the trainee's result on the dashboard, open the
trainee's page and a transcript, override a grade (the totals on the page change), and download
the cohort's results (the CSV is opened and read)."""
import csv
import io
from datetime import date, timedelta

from e2e_helpers import SHOTS, login, shot

REPLIES = [
    "王先生您好，非常抱歉让您着急了。您反映的是那笔转账还没到账，我马上帮您查询原因，今天下午三点前给您回电话。",
    "您放心，钱肯定丢不了，保本的。",
    "我已经提交了查询，也联系了收款行核实。今天下午三点前一定给您回复处理结果，您看可以吗？",
]


def new_page(browser, server):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                               accept_downloads=True).new_page()
    page.set_default_timeout(15000)
    page.base = server
    return page


def trainee_finishes_the_assignment(browser, server):
    trainee = new_page(browser, server)
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
    return trainee


def test_coach_path_dashboard_trainee_transcript_override_export(browser, server):
    coach = new_page(browser, server)
    login(coach, "coach")
    coach.click("text=学员组")
    coach.click("text=2026秋季新员工")
    coach.select_option("select[name=work]", "scenario:transfer_not_arrived")
    coach.fill("input[name=due]", (date.today() + timedelta(days=3)).isoformat())
    coach.click("form[action$='/assignments'] button[type=submit]")
    assert coach.locator(".flash").first.inner_text().startswith("已布置")
    trainee = trainee_finishes_the_assignment(browser, server)

    # dashboard -> the trainee's page
    coach.goto(server + "/coach/")
    dashboard = coach.inner_text("main")
    assert "李新人" in dashboard and "红线" in dashboard
    shot(coach, "coach-dashboard")
    coach.locator("table.weakest").first.screenshot(path=str(SHOTS / "coach-dashboard-trainees.png"))
    coach.locator("a.trainee-link", has_text="李新人").first.click()
    assert coach.locator("h1").inner_text().startswith("李新人")
    rows = coach.locator("table.attempts tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "跨行转账扣款未到账" in row and "练习" in row and "进行中" not in row
    shot(coach, "coach-trainee-page")

    # a filter that matches nothing, then back to all
    coach.fill("input[name=last]", "2020-01-01")
    coach.click("form.filters button[type=submit]")
    assert "没有符合筛选条件的演练" in coach.inner_text("main")
    coach.click("text=显示全部")

    # -> the transcript -> override the first turn: its total and the attempt's change on the page
    coach.locator("table.attempts a", has_text="对话记录").first.click()
    turn_total = coach.locator("#turn-1 .scores li.total b")
    summary_total = coach.locator("section.summary .scores li.total b")
    machine_turn, machine_summary = turn_total.inner_text(), summary_total.inner_text()
    form = coach.locator("#turn-1 details.override-form")
    form.locator("summary").click()
    for name in ("etiquette", "structure", "empathy", "compliance"):
        form.locator(f"input[name$='-{name}']").fill("95")
    form.locator("textarea[name$='-comment']").fill("开场道歉和时间承诺都到位，给高分。")
    form.locator("button[type=submit]").click()
    assert "开场道歉和时间承诺都到位" in coach.inner_text("main")
    assert turn_total.inner_text() == "95" != machine_turn
    assert summary_total.inner_text() != machine_summary
    coach.locator("#turn-1").scroll_into_view_if_needed()
    shot(coach, "coach-override")
    coach.locator("#turn-1").screenshot(path=str(SHOTS / "coach-override-turn-1.png"))
    coach.locator("section.summary").screenshot(path=str(SHOTS / "coach-override-summary.png"))

    # the trainee sees the coach's grade on the ended attempt
    trainee.reload()
    assert trainee.locator("#turn-1 .scores li.total b").inner_text() == "95"
    assert "主管评分" in trainee.inner_text("main") or "开场道歉和时间承诺都到位" in trainee.inner_text("main")
    shot(trainee, "trainee-sees-override")
    trainee.locator("#turn-1").screenshot(path=str(SHOTS / "trainee-sees-override-turn-1.png"))

    # -> export: download the CSV and read it
    coach.click("text=2026秋季新员工")
    with coach.expect_download() as info:
        coach.click("text=下载成绩（CSV）")
    download = info.value
    assert download.suggested_filename.startswith("2026秋季新员工-results-")
    with open(download.path(), "rb") as f:
        raw = f.read()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    mine = [r for r in rows if r["display_name"] == "李新人"]
    assert len(mine) == 1
    assert mine[0]["scenario_title"] == "跨行转账扣款未到账"
    assert mine[0]["overridden"] == "yes" and mine[0]["coach_total"] != mine[0]["machine_total"]
    assert {r["display_name"] for r in rows} >= {"李新人", "张小满", "陈晓"}
    with coach.expect_download() as info:
        coach.click("text=下载成绩（Excel）")
    assert info.value.suggested_filename.endswith(".xlsx")
    shot(coach, "coach-cohort-page")
