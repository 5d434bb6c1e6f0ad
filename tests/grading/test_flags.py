"""Whole-reply flags (echo, off topic, gibberish, no substance) on replies trainees really write:
parrots and pitches are caught, answers in a few words or with English words mixed in are not."""
import pytest

from grading import Context, grade

LOAN_FROM_STAFF = "小王，急着交房租押金，还差一万五。你先借我一下，月底连利息一块还你，咱俩这关系还信不过吗？"
SPLIT_CASH = "十万块能不能分三天来取？这样就不用登记了吧"


def test_the_customers_words_handed_back_with_pronouns_swapped_are_an_echo_not_a_red_line():
    customer = "我是她亲哥！村里征地补偿款都打到我妹卡上了，她到底拿了多少？你跟我说个数，一家人有什么不能说的。"
    report = grade("我是她亲哥，村里征地补偿款都打到您妹卡上了，您想知道多少，一家人。感谢您的理解！",
                   Context(kind="confidentiality", customer_line=customer))
    assert report.flags == ["echo"]
    assert report.total < 20
    assert not report.red_lines


def test_a_red_line_in_words_copied_from_the_customer_is_a_warning_in_an_echo():
    report = grade("分三天来取，这样就不用登记了，感谢您的理解。", Context(kind="aml", customer_line=SPLIT_CASH))
    assert report.flags == ["echo"] and report.total < 20 and not report.red_lines
    assert [f.category for f in report.findings if "照抄客户的原话" in f.message] == ["aml_structuring"]


@pytest.mark.parametrize("reply", ["分三天来取，行。", "好，就按您说的，分三天来取。"])
def test_a_parroted_request_with_a_yes_stays_a_red_line(reply):
    report = grade(reply, Context(kind="aml", customer_line=SPLIT_CASH))
    assert [f.category for f in report.red_lines] == ["aml_structuring"]


def test_a_refusal_with_an_alternative_is_not_a_sales_pitch():
    report = grade("姐，员工不能跟客户有钱款往来的，我不能借给您。要不看看信用卡分期？",
                   Context(kind="general", customer_line=LOAN_FROM_STAFF))
    assert report.flags == []
    assert report.total >= 40 and not report.red_lines


def test_a_pure_pitch_is_still_off_topic():
    report = grade("您好！我们行新推出了一款信用卡，现在办卡送积分，还有分期优惠，推荐您办一张。",
                   Context(kind="general", customer_line=LOAN_FROM_STAFF))
    assert report.flags == ["off_topic"] and report.total <= 15


@pytest.mark.parametrize("reply", [
    "刘总，说到这个，我们有个商户收单产品，扫码收款费率低至0.3%，还有境外游客刷卡服务，要不要我给您开通？",
    "刘总，顺便给您介绍一下我们的手机银行，现在绑卡有立减活动，水电费一键缴，您下载一下吧？",
])
def test_a_promotion_that_skips_the_customers_request_is_off_topic(reply):
    # The customer asked how to dodge reporting; the reply pitches instead of answering (r24's
    # gaming replies, development data since it was measured).
    report = grade(reply, Context(kind="aml", customer_line=SPLIT_CASH))
    assert report.flags == ["off_topic"] and report.total <= 15


PRIOR_RM = ("你们前一个客户经理小张微信里明明白白写着'放心保本'，现在亏了3%！我要求全额赔偿。还有，小张是不是被你们处分了？"
            "他是不是也给别的客户这么卖？")


def test_a_complaint_handed_back_in_a_clerks_frame_and_noted_is_an_echo():
    # r25 (development data since it was measured): "您反映……，并询问……是否……。您的诉求我们已知悉"
    report = grade("您反映前一个客户经理小张微信里写着放心保本，现在亏了3%，要求全额赔偿，并询问小张是否被处分、"
                   "是否也这样卖给别的客户。您的诉求我们已知悉。", Context(kind="complaint", customer_line=PRIOR_RM))
    assert report.flags == ["echo"] and report.total < 20


def test_a_pitch_sharing_only_a_function_word_with_the_customer_is_off_topic():
    customer = "我那笔100万的周转贷月底到期，续贷是不是非得买你们那份保险？还有对面档口的老黄，也在你们这儿贷的吧？"
    report = grade("陈老板，最近我们新上了一款三年期大额存单，利率很有竞争力，还有信用卡开卡礼，扫码就能办！",
                   Context(kind="general", customer_line=customer))
    assert report.flags == ["off_topic"] and report.total <= 15


def test_a_refusal_of_its_own_before_a_pitch_is_an_answer_not_off_topic():
    customer = "你私下帮我理个财，我直接转你微信；要不你们那个同事说的朋友公司10%的产品，你帮我签了也行。"
    report = grade("私下的不行。您买我们行这款R2理财吧，年化4%左右，比那个靠谱。", Context(kind="general", customer_line=customer))
    assert "off_topic" not in report.flags


def test_a_refusal_that_then_offers_a_loan_is_not_a_pitch():
    report = grade("杨哥，这两样我都真不能帮你😅 不是不够意思，是规定管得死。要不你试试我们的商户经营贷，线上申请，"
                   "我帮你看看额度？", Context(kind="general", customer_line=LOAN_FROM_STAFF))
    assert report.flags == [] and not report.red_lines and report.total >= 50


def test_a_reply_about_what_the_customer_raised_is_on_topic_without_the_kinds_words():
    customer = "我是做直播的，每天粉丝打赏几十上百笔转进来。今天来取现金被柜员拦着问这问那，是不是我账户被你们盯上了？"
    report = grade("你这种流水我们是要报上去的，已经报了，你自己注意点。", Context(kind="aml", customer_line=customer))
    assert "off_topic" not in report.flags
    assert [f.category for f in report.red_lines] == ["aml_tipoff"]


def test_english_words_in_a_chinese_reply_are_not_gibberish():
    report = grade("Hi刘先生，这个product是R4，您是C3，mismatch了哈，不能buy。金价有波动，not guaranteed，可以看看R3的。",
                   Context(kind="product_sale", customer_risk="C3", product_risk="R4",
                           customer_line="这款黄金挂钩理财我想买二十万。"))
    assert report.flags == [] and not report.red_lines
    assert report.total >= 40


def test_a_reply_mostly_in_english_words_is_not_gibberish_when_its_chinese_is_a_sentence():
    report = grade("邓老师，your risk profile is C2，R4 mismatch，按suitability rule不能sell给您，KYC也不能redo for you。",
                   Context(kind="product_sale", customer_risk="C2", product_risk="R4",
                           customer_line="我想买那个R4的基金，测评能不能重做一下？"))
    assert "gibberish" not in report.flags and not report.red_lines
    assert report.scores["compliance"] >= 60


def test_a_curt_refusal_is_curt_but_still_compliant():
    report = grade("不能借，规定。", Context(kind="general", customer_line=LOAN_FROM_STAFF))
    assert report.flags == ["no_substance"] and report.total <= 15
    assert report.scores["compliance"] >= 60 and not report.red_lines


def test_the_customers_words_restated_and_closed_with_noted_are_an_echo():
    customer = "你们之前那个小王跟我说这个理财是保本的，现在亏了6%！你就说，这到底保不保本？"
    reply = "您是说小王跟您说这是保本的，现在亏了6%，对吧？您的心情我非常理解，我们会认真对待您的反馈。"
    report = grade(reply, Context(kind="complaint", customer_line=customer))
    assert "echo" in report.flags and report.total < 20


@pytest.mark.parametrize("reply", ["征信记录不能删除，请您理解。投诉可以在我这里登记。",
                                   "基金不保本，这个我得说实话。投诉我先给您登记上。"])
def test_an_honest_answer_that_registers_the_complaint_is_not_an_echo(reply):
    customer = "你们那个经理当初说保本，现在亏了！我要投诉，你们把那条记录给我删了！"
    report = grade(reply, Context(kind="complaint", customer_line=customer))
    assert "echo" not in report.flags and report.total >= 20


@pytest.mark.parametrize("reply,customer", [
    ("Grandpa这是scam，公安never让人转钱到safe account，我帮您call police",
     "公安局的人打电话说我涉嫌洗钱，要我把钱转到安全账户，你快帮我转。"),
    ("It's just audio+video recording，十分钟左右，protect你的rights",
     "买个基金还要录像？我不想录，能不能算了？"),
])
def test_a_good_reply_in_chinese_and_english_is_neither_mashing_nor_empty(reply, customer):
    """English words carry content as Chinese ones do: a trainee who writes 'call police' is not
    mashing keys (such replies were capped at 6 as gibberish, then at 15 as saying nothing)."""
    report = grade(reply, Context(kind="aml" if "公安" in customer else "product_sale", customer_line=customer))
    assert report.flags == [] and not report.red_lines
    assert report.total >= 40


def test_a_promise_in_chinese_and_english_is_read_not_dismissed_as_mashing():
    report = grade("一次逾期no big deal，肯定approve的。",
                   Context(kind="loan_rejection", customer_line="我以前逾期过一次，这次房贷能批吧？"))
    assert "gibberish" not in report.flags
    assert [f.category for f in report.red_lines] == ["guarantee_approval"]


@pytest.mark.parametrize("reply", ["哈哈哈哈 jkl;jkl; 嗯嗯嗯", "asdfgh 啊啊啊 qwer 1234"])
def test_keyboard_mashing_is_gibberish_and_no_red_line(reply):
    report = grade(reply, Context(kind="loan_rejection", customer_line="我的车贷为什么被拒了？"))
    assert report.flags == ["gibberish"] and not report.red_lines and report.total <= 10


def test_the_customers_request_handed_back_with_pronouns_swapped_is_an_echo():
    """"转你卡上，你帮我打理" handed back as "转到我卡上让我帮您打理", then thanks: still only
    the customer's words, a reply written to game the grader."""
    customer = ("你上回私下跟我提的那个朋友公司的油茶产业基金，年化12%，现在还能投不？我这儿有五十万合作社的钱。"
                "要不干脆转你卡上，你帮我打理得了，我信得过你。")
    reply = "您好，您说想投那个油茶产业基金，年化12%，有五十万，想转到我卡上让我帮您打理，您信得过我，非常感谢您的信任！"
    report = grade(reply, Context(kind="general", customer_line=customer))
    assert "echo" in report.flags and report.total < 20


CONNECTIONS_AND_INSURANCE = ("上回我开锁店的经营贷被拒了。这回我表哥说他跟你们支行长是老同学，你帮我走走这个关系？"
                             "另外要是我买你们一份保险，是不是就能批了？")


@pytest.mark.parametrize("reply", [
    "郑先生您好，您说您表哥跟支行长是老同学，买一份保险能不能批。感谢您的咨询，我们将竭诚为您服务。",
    "您说表哥跟支行长是老同学，买份保险是不是就能批。我们会依法合规处理，感谢您的咨询。",
])
def test_the_customers_words_in_a_call_centre_script_are_an_echo(reply):
    # The name and title, "感谢您的咨询" and "竭诚为您服务" dilute the words handed back: they are
    # still all the reply says (these scored 58 before).
    report = grade(reply, Context(kind="loan_rejection", customer_line=CONNECTIONS_AND_INSURANCE))
    assert report.flags == ["echo"] and report.total < 20


def test_an_answer_closed_with_the_same_script_is_not_an_echo():
    reply = ("郑先生您好，找关系和买保险都不会影响审批，银行只看经营流水和还款能力。您把近半年的流水带来，"
             "我帮您看看这次能不能补上。感谢您的咨询，我们将竭诚为您服务。")
    report = grade(reply, Context(kind="loan_rejection", customer_line=CONNECTIONS_AND_INSURANCE))
    assert "echo" not in report.flags and report.total >= 60


@pytest.mark.parametrize("reply,customer", [
    ("Sorry上次那样是不合规的。这次normal speed念，你听清了再confirm。",
     "上次双录你们那个同事念得飞快，我根本没听清也说了「了解」，这次也那样快点搞就行。"),
    ("大额存单是CD，有deposit insurance；理财是investment，不保本。",
     "大额存单和你们那个理财到底啥区别？哪个保本？我脑子不好使你说简单点。"),
])
def test_english_words_the_customer_did_not_use_are_the_trainees_own_not_an_echo(reply, customer):
    report = grade(reply, Context(kind="product_sale", customer_line=customer))
    assert "echo" not in report.flags and report.total >= 50
