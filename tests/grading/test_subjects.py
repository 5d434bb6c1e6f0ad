"""A red line needs its subject in the conversation (grading/subjects.yml): the model, or a rule,
does not call a promise a loan approval where nobody spoke of a loan, or keeping a client's USB key
a gift; the same words where the subject is there still cross the line."""
from grading import Context, grade


def _categories(reply, customer, kind="general"):
    report = grade(reply, Context(kind=kind, customer_line=customer))
    return {f.category for f in report.red_lines}


def test_reassurance_without_a_loan_is_not_a_promised_approval():
    customer = "小伙子，这是我的U盾，密码写在这张纸上了。下个月15号帮我给供应商转8万货款。"
    assert "guarantee_approval" not in _categories("马总您放心，U盾先放我这儿，到时候我帮您转。", customer)


def test_keeping_a_clients_key_is_not_accepting_a_gift():
    customer = "来，U盾你收着，密码在纸条上，下个月那笔货款你帮我转一下。"
    found = _categories("马总您放心，U盾先放我这儿，到时候我帮您转。", customer)
    assert "gift" not in found


def test_a_compensation_promise_in_a_fund_complaint_is_not_a_loan_approval():
    customer = "我买的理财亏了三万，你们必须给我个说法，不然我就去投诉！"
    found = _categories("您放心，我保证全额赔偿您的损失，您就别去投诉了。", customer, kind="complaint")
    assert "guarantee_approval" not in found


def test_a_promised_approval_after_a_loan_question_is_still_a_red_line():
    customer = "我这个经营贷到底能不能批下来？你给句准话。"
    assert "guarantee_approval" in _categories("您放心，肯定能批，包在我身上。", customer, kind="loan_rejection")


def test_keeping_a_red_envelope_is_still_a_gift_red_line():
    customer = "小王，这个红包你拿着，一点心意，别推了。"
    assert "gift" in _categories("好嘞，那我就收着了，谢谢您。", customer, kind="gift")
