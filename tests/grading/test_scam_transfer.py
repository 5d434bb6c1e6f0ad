"""Going ahead with a transfer a telephone scam is steering: the customer's words decide it."""
from grading import Context, grade

SCAM = "公安局的王警官打电话说我的卡涉嫌洗钱，要转到安全账户核查，还让我谁都别告诉。你快帮我转。"
REPLY = "好的大爷，账号给我，我这就给您转。"


def test_processing_a_scam_victims_transfer_caps_compliance_and_says_why():
    report = grade(REPLY, Context(kind="aml", customer_line=SCAM))
    hits = [f for f in report.findings if f.rule == "compliance.NoScamTransfer"]
    assert hits and report.scores["compliance"] <= 30
    assert {f.text for f in hits} <= {"账号给我", "这就给您转", "给您转"}


def test_the_same_words_for_an_ordinary_transfer_are_fine():
    report = grade(REPLY, Context(kind="general", customer_line="帮我给我儿子转五千块生活费，他在外地上学。"))
    assert not [f for f in report.findings if f.rule == "compliance.NoScamTransfer"]
    assert report.scores["compliance"] > 30


def test_stopping_the_transfer_and_calling_96110_is_not_caught():
    report = grade("大爷，公安不会让您往安全账户转钱，这是诈骗。这笔先不转，我陪您打96110核实，也请您儿子过来。",
                   Context(kind="aml", customer_line=SCAM))
    assert not [f for f in report.findings if f.rule == "compliance.NoScamTransfer"]
    assert report.scores["compliance"] >= 80
