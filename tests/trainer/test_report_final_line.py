"""The report of a finished attempt shows the customer's last words and what actually happened."""
import html as htmllib
import re

from trainer.models import Attempt

GOOD = "王先生您好，非常抱歉让您着急了。您反映的是两天前那笔转账还没到账，我马上帮您查询原因，今天下午三点前给您回电话。"


def post(client, auth, path, data):
    return client.post(path, data={**data, "csrf_token": auth.csrf("/catalogue")})


def test_the_report_shows_the_customers_final_line_and_the_debrief_of_what_happened(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    url = post(client, auth, "/attempts", {"scenario_id": "transfer_not_arrived", "mode": "practice"}).location
    for _ in range(12):
        page = client.get(url).get_data(as_text=True)
        if 'name="reply"' not in page:
            break
        post(client, auth, url + "/reply", {"reply": GOOD})
    attempt = Attempt.query.one()
    assert attempt.status == "finished"
    # The last words are the whole last turn (customer_line): the reaction to the last reply, then
    # the ending's own words (state.final_line), which close it.
    final = attempt.state["final_line"]
    assert final and attempt.state["customer_line"].endswith(final)
    shown = htmllib.unescape(re.search(r'id="final-line">(.*?)</div>', page, re.S).group(1))
    assert shown == attempt.state["customer_line"]
    assert "客户最后说" in page or "The customer's last words" in page
    events = re.search(r'<ul class="debrief-events">(.*?)</ul>', page, re.S).group(1)
    turns = len(attempt.state["history"])
    assert f"共{turns}轮" in events or f"{turns} turns" in events
    # The customer was addressed as 王先生 whatever the surname: the report says the customer noticed.
    if attempt.state["persona"]["surname"] != "王":
        assert "叫错了客户的姓" in events or "surname wrong" in events
