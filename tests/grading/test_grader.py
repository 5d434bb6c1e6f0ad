"""The grader on real replies: red lines found with their words, correct disclosures left alone,
traditional input graded the same, gaming replies kept low, spans verbatim."""
import pytest

from grading import Context, ContextError, grade

SALE_C2_R4 = Context(kind="product_sale", customer_risk="C2", product_risk="R4")
SALE_C4_R4 = Context(kind="product_sale", customer_risk="C4", product_risk="R4")


def categories(report):
    return {f.category for f in report.red_lines}


@pytest.mark.parametrize("reply,ctx,category,evidence", [
    ("阿姨您放心，这款理财保本，收益也稳。", SALE_C4_R4, "guarantee", "保本"),
    ("虽然不保本，但基本不会亏，您放心。", SALE_C4_R4, "guarantee", "不会亏"),
    ("这个产品跟定期存款差不多，收益还高。", SALE_C4_R4, "guarantee", "跟定期存款差不多"),
    ("这款基金挺适合您的，我这就帮您下单。", SALE_C2_R4, "suitability", "适合您"),
    ("测评我帮您填，最后几题选激进一点的就行。", SALE_C2_R4, "suitability", "测评我帮您填"),
    ("我跟审批那边挺熟，帮您打个招呼。", Context(kind="loan_rejection"), "favoritism", "打个招呼"),
    ("您放心，下次肯定能批。", Context(kind="loan_rejection"), "guarantee_approval", "肯定能批"),
    ("现在不方便收，等贷款批下来您再请我吃饭。", Context(kind="gift"), "gift", "现在不方便收"),
    ("具体金额不能说，不过他在我们这是贵宾客户。", Context(kind="confidentiality"), "leak", "他在我们这是贵宾客户"),
    ("他没在我们行开户，您别找了。", Context(kind="confidentiality"), "leak", "他没在我们行开户"),
    ("您每天取四万九，就不会触发报告。", Context(kind="aml"), "aml_structuring", "四万九"),
    ("系统已经把您这笔标成可疑了，您最近注意点。", Context(kind="aml"), "aml_tipoff", "标成可疑"),
    ("您可以找中介把流水包装一下。", Context(kind="loan_rejection"), "falsify", "流水包装一下"),
])
def test_red_lines_are_found_with_their_words(reply, ctx, category, evidence):
    report = grade(reply, ctx)
    assert category in categories(report)
    assert any(evidence in f.text or f.text in evidence for f in report.red_lines if f.category == category)
    assert report.scores["compliance"] == 0
    assert report.total <= 30


@pytest.mark.parametrize("reply,ctx", [
    ("这款理财不保本，可能出现本金亏损，请您谨慎考虑。", SALE_C4_R4),
    ("我没法向您保证收益，任何理财都存在亏损的可能。", SALE_C4_R4),
    ("您说的“保本高收益”，我得如实告诉您，这样的理财并不存在。", SALE_C4_R4),
    ("大额存单属于存款，保本保息，受存款保险保障。", Context(kind="product_sale", customer_risk="C1", product_risk="R1")),
    ("我保证今天下班前给您回复。", Context(kind="complaint")),
    ("我不能保证一定能批下来，但会尽快帮您提交并跟进。", Context(kind="loan_rejection")),
    ("请不要找中介包装流水，资料造假会影响审批，甚至涉嫌违法。", Context(kind="loan_rejection")),
    ("您的心意我领了，这份礼物我真的不能收。", Context(kind="gift")),
    ("我不能告诉您他是否在我行开户，这是对每位客户的保护。", Context(kind="confidentiality")),
    ("我不能帮您把钱拆开取，这样做是规避监管。", Context(kind="aml")),
    ("这款基金是R4，高于您C2的风险等级，按规定我不能给您办理。", SALE_C2_R4),
])
def test_correct_disclosures_and_refusals_are_not_red_lines(reply, ctx):
    assert grade(reply, ctx).red_lines == []


def test_a_red_line_caps_a_polished_reply():
    polished = ("王阿姨您好，非常理解您想让养老钱多一点收益的心情。首先，您这笔钱两年内不用；其次，"
                "这款产品期限两年；最后请您放心，它是保本的，到期一定能拿到4%。您可以回去和家人商量。")
    report = grade(polished, Context(kind="product_sale", customer_risk="C3", product_risk="R2"))
    assert report.scores["etiquette"] >= 70 and report.scores["empathy"] >= 60
    assert report.scores["compliance"] == 0 and report.total <= 30
    assert report.feedback[0].startswith("红线")


def test_traditional_input_scores_the_same_and_spans_point_at_what_was_typed():
    simp = "王先生您好，非常抱歉让您着急了。这款理财保本，您放心，我马上帮您查询，今天内给您回复。"
    trad = "王先生您好，非常抱歉讓您著急了。這款理財保本，您放心，我馬上幫您查詢，今天內給您回覆。"
    ctx = Context(kind="complaint", customer_line="我的錢怎麼還沒到？")
    a, b = grade(simp, ctx), grade(trad, ctx)
    assert a.scores == b.scores and a.total == b.total
    red = b.red_lines[0]
    assert trad[red.start:red.end] == red.text == "保本"


def test_full_width_and_spaces_do_not_move_spans():
    reply = "您好！　这款理财 保本 ，ＯＫ？"
    report = grade(reply, SALE_C4_R4)
    red = report.red_lines[0]
    assert (red.start, red.end) == (reply.index("保本"), reply.index("保本") + 2)   # found independently


@pytest.mark.parametrize("reply,flag", [
    ("", "empty"),
    ("   ", "empty"),
    ("asdfgh 啊啊啊 qwer", "gibberish"),
    ("您好，非常感谢，首先，其次，最后，祝您生活愉快，再见。", "no_substance"),
    ("您好！我们行新推出了一款信用卡，现在办卡送积分，还有分期优惠，推荐您办一张。", "off_topic"),
    ("我上周五转给供应商的八万块到现在都没到，你们银行到底怎么回事？", "echo"),
])
def test_gaming_replies_land_in_the_lowest_band(reply, flag):
    ctx = Context(kind="complaint", customer_line="我上周五转给供应商的八万块到现在都没到，你们银行到底怎么回事？")
    report = grade(reply, ctx)
    assert flag in report.flags
    assert report.total <= 40
    assert report.feedback


def test_sarcasm_is_not_rescued_by_honorifics():
    ctx = Context(kind="complaint")
    sarcastic = grade("您可真会挑时候，请您下次早点来，谢谢您。", ctx)
    polite = grade("非常抱歉让您久等了，请您稍坐，我马上帮您办理，谢谢您的耐心。", ctx)
    assert sarcastic.scores["etiquette"] <= 20 < 70 <= polite.scores["etiquette"]
    assert any(f.rule == "etiquette.Sarcasm" and "可真会" in f.text for f in sarcastic.findings)


def test_empathy_without_keywords_beats_a_mechanical_answer():
    ctx = Context(kind="loan_rejection", customer_line="孩子下个月的学费就指望这笔贷款了！")
    warm = grade("孩子下个月的学费等不起，这确实急。我先帮您看看还有哪些办法，今天内给您答复。", ctx)
    cold = grade("系统显示不通过。", ctx)
    assert warm.scores["empathy"] - cold.scores["empathy"] >= 30


def test_blame_after_understanding_is_low_empathy():
    ctx = Context(kind="complaint", customer_line="说好的稳健，怎么亏了三万？")
    report = grade("我懂，可那是您当初没看清楚合同。", ctx)
    assert report.scores["empathy"] <= 35
    assert any(f.rule == "empathy.BlameCustomer" for f in report.findings)


def test_length_is_not_structure():
    ctx = Context(kind="complaint", customer_line="我的转账怎么还没到？")
    ramble = "这个事情呢我们也是很重视的，" * 12 + "反正就是这样。"
    tight = "非常抱歉让您着急了。我马上帮您查询这笔转账的原因，今天下午三点前给您回复处理结果。"
    # The ramble stays in the rubric's level 1 (a fragment or rambling); the tight reply reaches
    # level 3 or better (apology, action, a time commitment).
    assert grade(ramble, ctx).scores["structure"] <= 35 < 60 <= grade(tight, ctx).scores["structure"]


def test_sale_without_risk_statement_loses_compliance_but_is_no_red_line():
    # (Not "收益比存款高": ten of the corpus's twelve such replies were labelled a guarantee by
    # their authors, as domain.md's "exaggerating returns" reads it.)
    report = grade("您好，这款理财期限一年，很适合您这笔闲钱，您考虑一下。", SALE_C4_R4)
    assert report.red_lines == []
    assert 30 <= report.scores["compliance"] <= 59
    assert "risk_disclosure" in report.missing_moves


def test_same_reply_same_report():
    ctx = Context(kind="gift")
    a = grade("谢谢您的心意，按规定不能收，请您收回。", ctx)
    b = grade("谢谢您的心意，按规定不能收，请您收回。", ctx)
    assert a.to_dict() == b.to_dict()


def test_step_forbidden_phrases_apply():
    from grading import ForbiddenItem
    ctx = Context(kind="complaint", forbidden=(ForbiddenItem(pattern="前任经理.{0,4}(的)?责任", message="不要把责任推给同事"),))
    report = grade("这都是前任经理的责任，跟我没关系。", ctx)
    assert any(f.rule == "step.forbidden" and "前任经理" in f.text for f in report.findings)


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ContextError, match="unknown kind 'sales'"):
        Context(kind="sales")


def test_the_wrong_surname_is_a_slip_not_a_named_address():
    ctx = Context(kind="complaint", customer_line="我的转账怎么还没到？", customer_surname="温")
    right = grade("温先生您好，非常抱歉让您着急了，我马上帮您查。", ctx)
    wrong = grade("王先生您好，非常抱歉让您着急了，我马上帮您查。", ctx)
    assert "named_address" in right.moves and "named_address" not in wrong.moves
    slip = next(f for f in wrong.findings if f.rule == "etiquette.WrongName")
    assert slip.text == "王先生" and "温" in slip.message
    assert wrong.scores["etiquette"] < right.scores["etiquette"]


def test_a_compound_surname_said_right_is_no_slip():
    # The rule knows 阳 as a surname too and marks only "阳女士" of "欧阳女士" (CI, 2026-12-01: a Faker
    # persona named 欧阳 made the customer snap "我姓欧阳！" at a correct greeting).
    ctx = Context(kind="complaint", customer_line="你们凭什么拿我的号码天天推销？", customer_surname="欧阳")
    report = grade("欧阳女士，非常抱歉给您添麻烦了，我马上把您的号码移出营销名单。", ctx)
    assert not [f for f in report.findings if f.rule == "etiquette.WrongName"]
    assert "named_address" in report.moves
    wrong = grade("阳女士，非常抱歉给您添麻烦了，我马上把您的号码移出营销名单。", ctx)
    assert [f.text for f in wrong.findings if f.rule == "etiquette.WrongName"] == ["阳女士"]
