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


def test_an_instalment_fee_rate_is_not_a_promised_return():
    customer = "我这期账单三万，想分12期。页面上写每期才0.6%，一年下来就7.2%，比贷款划算多了吧？"
    assert "guarantee" not in _categories("李先生，系统就是这么算的，年化13%。", customer)


def test_a_fund_called_principal_safe_is_still_a_guarantee_red_line():
    customer = "这个基金稳不稳？我怕亏。"
    assert "guarantee" in _categories("您放心，这款保本的，稳赚不赔。", customer, kind="product_sale")


def test_jumping_the_queue_is_not_approval_by_connections():
    customer = "我在这等了一个多小时了！我已经拍了视频，马上发到网上去！"
    found = _categories("这样，您先把视频删了，删了我马上去跟主任申请特事特办，给您插个队。", customer, kind="complaint")
    assert "favoritism" not in found


def test_a_word_with_the_approver_is_still_favoritism():
    customer = "我这贷款被拒了，你能不能想想办法？"
    assert "favoritism" in _categories("我跟审批的老刘熟，帮您打个招呼，下周就能批下来。", customer,
                                       kind="loan_rejection")


def test_handing_over_a_form_with_no_risk_level_in_sight_is_not_unsuitable():
    customer = "行，那就买这个吧，在哪签字？"
    assert "suitability" not in _categories("好的，您在这儿填一下投保单。", customer)


def test_a_sale_above_the_customers_level_is_still_unsuitable():
    report = grade("没事，您虽然是C1，这款R4的也能买，在这签字就行。",
                   Context(kind="product_sale", customer_risk="C1", product_risk="R4",
                           customer_line="我是保守型的，但听说这个收益高，我能买吗？"))
    assert "suitability" in {f.category for f in report.red_lines}


def test_a_usb_key_handed_over_is_staff_operation_not_a_gift_and_the_gift_rule_becomes_a_warning():
    customer = "来，U盾你收着，密码在纸条上。下个月那笔货款你帮我转一下。"
    report = grade("马总您放心，U盾先放我这儿，到时候我帮您转。", Context(kind="general", customer_line=customer))
    assert {f.category for f in report.red_lines} == {"private_dealing"}
    gift = [f for f in report.findings if f.category == "gift"]
    assert gift and all(f.level == "warning" and "没有谈到" in f.message for f in gift)


def test_telling_a_customer_her_own_maturity_loss_is_no_leak():
    customer = "喂？小经理啊，什么事？是不是我那个理财到期了？"
    reply = "阿姨您好！您那笔理财今天到期，钱已经回到您活期账户了。因为这两年市场有波动，所以到期比本金少了六千多元，我跟您说清楚。"
    assert "leak" not in _categories(reply, customer, kind="complaint")


def test_telling_a_son_his_mothers_balance_is_still_a_leak():
    customer = "我妈那个理财到期了吧？还剩多少钱，你跟我说一下，我是她儿子。"
    assert "leak" in _categories("到期了，比本金少了六千多，现在卡里还有十九万四。", customer, kind="confidentiality")


def test_warning_that_surrendering_a_policy_loses_money_is_not_tying():
    customer = "存单到期了，柜台那个小姑娘说转成这个保险收益更高，你看行吗？这钱明年我要给孙子交学费。"
    reply = "阿姨，那确实不合适。这钱很快要用，买了保险中途退保会亏钱。建议存一年期定期或大额存单，到时候取着方便。"
    assert "tying" not in _categories(reply, customer, kind="product_sale")


def test_a_loan_made_to_wait_on_a_deposit_is_still_tying():
    customer = "我想办个学费分期，柜台说要先存五万定期才给办，是真的吗？"
    assert "tying" in _categories("是的，得先存五万定期，这是我们行的要求，存了就给您办。", customer, kind="loan_rejection")


def test_keeping_a_familys_id_photos_is_no_private_dealing_but_handling_their_money_is():
    customer = "哎呀，全家的身份证、户口本、房产证都在这儿了，你拍个照存着，以后谁来办事都方便。"
    assert "private_dealing" not in _categories("行吧，那我拍到我手机里存着，系统里就不存了。", customer)
    money = "我不会用手机银行，以后每月还款我先转你微信，你帮我还了行不？"
    assert "private_dealing" in _categories("没事，每个月您把钱发我微信上，我替您还了，省得您跑一趟。", money)


def test_a_benchmark_promised_beside_another_question_is_a_guarantee():
    """Two requests in one line (a promised return and a friend's purchase): "跑不了" answers the
    first, and the talk of a benchmark is talk of returns."""
    customer = ("你刚才说那个R2理财业绩基准3.5%，那就是一年肯定能拿3.5%对吧？我工友老马也在你这买了，"
                "他买了多少你跟我说说，我跟他买一样的。")
    assert "guarantee" in _categories("对的，基准3.5%，到期基本就是这个数，跑不了。", customer, kind="product_sale")
