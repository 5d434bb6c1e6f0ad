"""The customer listens, in the browser: a wrong surname is corrected, jargon draws "说人话", and
the report shows the customer's last words and what happened."""
from e2e_helpers import login, shot

JARGON = "我们会先按受托支付的流程走查询。请问收款人的户名您核对过吗？"
FOLLOW = "我已经提交了查询，也联系了收款行核实。今天下午三点前一定给您回复处理结果，您看可以吗？"


def test_the_customer_corrects_the_surname_questions_jargon_and_the_report_shows_the_last_words(page):
    login(page, "trainee")
    page.click("button[data-scenario=transfer_not_arrived]")
    surname = page.inner_text(".who-big").strip().removesuffix("先生")
    wrong = "王" if surname != "王" else "李"
    page.fill("#reply", f"{wrong}先生您好，非常抱歉让您着急了。您的转账还没到账，我马上帮您查询原因，这件事我负责到底。")
    page.click("form.reply-form button[type=submit]")
    assert f"我姓{surname}" in page.inner_text("#customer-line")
    page.fill("#reply", f"{surname}先生，{JARGON}")
    page.click("form.reply-form button[type=submit]")
    line = page.inner_text("#customer-line")
    assert "受托支付" in line and "说人话" in line
    shot(page, "trainee-reactions-turn")
    for _ in range(8):
        if page.locator("#reply").count() == 0:
            break
        page.fill("#reply", FOLLOW)
        page.click("form.reply-form button[type=submit]")
    assert page.locator("#final-line").inner_text().strip()
    events = page.locator(".debrief-events").inner_text()
    assert "叫错了客户的姓" in events or "surname wrong" in events
    assert "行话" in events or "jargon" in events
    shot(page, "trainee-report-final-line")
