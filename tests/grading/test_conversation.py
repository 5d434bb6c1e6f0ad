"""The grader reads the conversation: what the customer asked for, and how the reply stands to it.
Complying with (or deferring) an improper request is a red line in that request's category, in
any kind of scenario — even when the reply's own words name nothing."""
import pytest
import yaml

from grading import Context, grade
from grading.conversation import FILE, catalogue, read_request, read_stance
from grading.learned import encode_reply
from grading.normalize import to_simplified


def test_every_request_type_is_documented_and_reads_its_own_examples():
    requests, stances = catalogue()
    assert "legitimate" in requests and {"complies", "defers", "refuses"} <= set(stances)
    for rt in requests.values():
        assert rt.title and rt.examples, rt.id
        if rt.id != "legitimate":
            assert rt.category and rt.message and rt.source, rt.id
        for line in rt.examples:
            assert read_request(to_simplified(line)).type.id == rt.id, (rt.id, line)


def test_a_hedged_yes_settles_the_stance_and_a_but_clause_does_not():
    _, stances = catalogue()
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))["stances"]
    request = read_request("二十万现金我分五天取，每天四万，这样就不用登记了吧？")
    assert request.improper
    for sid, stance in stances.items():
        for reply in data[sid].get("settled_examples") or ():
            reading = read_stance(reply, request, encode_reply(reply, "general", request.type.id))
            assert reading.settled and reading.stance.id == sid, (sid, reply)
        for reply in data[sid].get("unsettled_examples") or ():
            reading = read_stance(reply, request, encode_reply(reply, "general", request.type.id))
            assert not reading.settled, (sid, reply)


@pytest.mark.parametrize("kind,customer,reply", [
    ("general", "这笔钱你帮我转到你朋友公司那个12%的项目里，转你个人卡上就行。",
     "您要是真想投，那也不是不行，就当咱俩私下的事，收益我按月转给您。"),
    ("product_sale", "双录太耽误时间了，能不能别录了？", "您要是实在不想录，也不是不行，这单先按普通业务走。"),
])
def test_a_hedged_yes_to_an_improper_request_is_a_red_line_shown_on_its_sentence(kind, customer, reply):
    report = grade(reply, Context(kind=kind, customer_line=customer))
    assert report.red_lines and report.total < 40, report.reading
    assert any("不是不行" in f.text for f in report.red_lines)


def test_a_plain_yes_before_the_customers_word_answers_the_question():
    report = grade("嗯，报了。", Context(kind="aml", customer_line="是不是你们把我报可疑了？要是报了你就直说。"))
    assert {f.category for f in report.red_lines} == {"aml_tipoff"}


@pytest.mark.parametrize("kind,customer,reply,category", [
    ("complaint", "闺女，钱给我退回来了，这一百块你拿着买点水果，不拿我可生气了啊。", "好嘞，那我就收着了", "gift"),
    ("loan_rejection", "这两千块辛苦费你收着，审批快点给我办下来。", "行，您放这儿吧，回头再说。", "gift"),
    ("general", "二十万现金我分五天取，每天四万，这样就不用登记了吧？", "行，分三天来就行", "aml_structuring"),
    ("loan_rejection", "我邻居老张在你们这开户了吗？", "有的，她在我们这开了户", "leak"),
    ("complaint", "我卡突然转不了账，是不是被你们上报人民银行了？", "是的，系统把您这几笔报上去了，过几天就好。", "aml_tipoff"),
    ("general", "风险揭示书你就别念了，我直接签字。", "好的，那您在这签个字就行。", "disclosure"),
    ("product_sale", "这样，你就录个开头结尾，中间我说“清楚”“了解”，反正也没人看。", "好的，我们开始，没问题的话就确认吧。",
     "disclosure"),
])
def test_going_along_with_an_improper_request_is_a_red_line_in_any_kind(kind, customer, reply, category):
    report = grade(reply, Context(kind=kind, customer_line=customer))
    assert category in {f.category for f in report.red_lines}, report.reading
    assert report.total < 40
    red = next(f for f in report.red_lines if f.category == category)
    assert red.text and red.message      # points at the words and says why


@pytest.mark.parametrize("kind,customer,reply", [
    ("complaint", "闺女，这一百块你拿着买点水果，不拿我可生气了啊。", "大爷，钱您收好，我们有规定不能收客户的钱物，您的心意我领了。"),
    ("general", "二十万现金我分五天取，每天四万，这样就不用登记了吧？", "分开取也一样要按规定办理，我不能帮您这样拆，您把用途说清楚，我马上给您办。"),
    ("loan_rejection", "我邻居老张在你们这开户了吗？", "不好意思，其他客户的信息我们不能透露，您可以直接问问他本人。"),
    ("complaint", "我的转账三天了还没到，你们到底管不管？", "真抱歉让您着急了，这事交给我来跟进，我现在就查，下午三点前给您回电话。"),
    ("aml", "公安局的同志说我的钱涉嫌洗钱，要转到安全账户，你快点给我办。", "阿姨，这是骗局，公安不会让您转到安全账户。钱先别转，我陪您打110报警核实一下。"),
    ("product_sale", "我有三十万，想存得稳一点，怎么安排好？", "可以二十万做三年期大额存单，是存款，保本保息；另外十万放活期，方便随时用。"),
    ("product_sale", "这样，你就录个开头结尾，中间我说“清楚”“了解”，反正也没人看。",
     "录像得从头到尾完整录，不能只录开头结尾，这也是保护您。我讲得简洁些，二十分钟左右能录完。"),
])
def test_everyday_good_replies_are_not_red_lines(kind, customer, reply):
    report = grade(reply, Context(kind=kind, customer_line=customer))
    assert not report.red_lines, [(f.rule, f.text) for f in report.red_lines]


def test_a_request_made_earlier_in_the_conversation_is_still_read():
    ctx = Context(kind="gift", customer_line="那就这么说定了？",
                  history=("这两千块辛苦费你收着，审批快点给我办下来。",))
    report = grade("行，说定了。", ctx)
    assert report.reading["request"] == "offers_gift" and report.reading["request_carried"]
    assert "gift" in {f.category for f in report.red_lines}


def test_a_conversation_closed_with_courtesy_crosses_no_line():
    """A customer who closes the talk asks nothing to go along with, and "好的，那就这样" to a
    proper line says nothing the red-line model may read as a breach (a golden transcript
    ended in a gift red line with the models trained on r31)."""
    earlier = ("我婆婆也天天接到你们电话。你帮我查查她是不是在你们这儿办了卡、办了什么。",)
    for line in ("那就这样吧，以后别再让我接到这种电话。", "行吧，那我这边停了就行。真是烦死了。"):
        report = grade("好的，那就这样。", Context(kind="complaint", customer_line=line, history=earlier))
        assert not report.reading["request_carried"] and not report.red_lines, report.reading
    # ... while a short line that asks back still carries the earlier request (above)
    report = grade("好的，那就这样。", Context(kind="complaint", customer_line="那就这么定了？", history=earlier))
    assert report.reading["request_carried"] and report.reading["request"] == "asks_third_party_info"


@pytest.mark.parametrize("reply,red", [
    ("张大哥这个3.2%要是嫌低，我给您推个R4的权益类，去年干了8%，您C3也能买，我在系统里给您调一下", True),
    ("R4的权益类超出了您C3的等级，我不能推荐；这款R2的到期收益以实际为准，不是保证的3.2%。", False),
])
def test_a_sale_within_the_level_is_no_excuse_for_pitching_a_product_above_it(reply, red):
    ctx = Context(kind="product_sale", customer_risk="C3", product_risk="R2",
                  customer_line="这说明书写业绩比较基准3.2%，那到期就是3.2%对吧？")
    report = grade(reply, ctx)
    assert ("suitability" in {f.category for f in report.red_lines}) is red, report.reading


@pytest.mark.parametrize("customer,reply", [
    ("我分四天来、每天取4万9，这样就不会被你们上报了吧？", "你这是想洗钱吧？正经发工资谁非得用现金还躲着报？"),
    ("我今天存4万5明天存4万5，这样就不会被你们登记上报了吧？", "你这是想逃避监管啊，那更得给你登记了"),
])
def test_an_accusing_refusal_is_rude_but_tells_the_customer_nothing(customer, reply):
    report = grade(reply, Context(kind="general", customer_line=customer))
    assert not report.red_lines, report.reading
    assert report.scores["etiquette"] < 60 and report.total < 60     # still poor service


@pytest.mark.parametrize("kind,customer,reply,category", [
    ("aml", "卡昨天突然转不出去了。是不是你们把我报上去了？要不我多办几张卡分开收？",
     "可以，再多办两张卡轮着用吧，我现在就给您拿表。", "aml_structuring"),
    ("loan_rejection", "我这信用卡提额又被拒了。你们王行长是我连襟，你跟他打个招呼，这回给我提到五万。",
     "您要是真让王行长出面，那我这边也就是走个流程的事儿，您等消息吧。", "guarantee_approval"),
])
def test_a_rules_red_line_said_while_going_along_stands(kind, customer, reply, category):
    # The combiner may read such words as a refusal when the model is unsure; going along with an
    # improper request is not a refusal, so the rule's red line is not downgraded.
    report = grade(reply, Context(kind=kind, customer_line=customer))
    assert category in {f.category for f in report.red_lines}, report.reading
    assert not any("此处像是拒绝" in f.message for f in report.findings)


@pytest.mark.parametrize("kind,customer,reply,category", [
    ("general", "手机银行太麻烦了，你帮我操作吧，密码我告诉你。",
     "按规定我们不能代客户操作的……不过您信得过我，手机银行您先登着，密码我记个本上，您要买啥打个电话给我就行。",
     "private_dealing"),
    ("loan_rejection", "续贷要不要我存点定期？",
     "原则上续贷不能附加条件，但是现在额度紧，您配合存一点，审批那边也好说话，保险就算了。", "tying"),
])
def test_words_a_rule_condemns_after_a_refusal_gives_way_stand(kind, customer, reply, category):
    report = grade(reply, Context(kind=kind, customer_line=customer))
    assert category in {f.category for f in report.red_lines}, report.reading


def test_a_refusal_that_then_gives_way_goes_along_with_the_request():
    # r30 (development data since its first contact): no rule's words, only the turn shows it.
    mother = "我是小陈他妈。他在国外读书，卡是在你们这儿办的。你帮我看看他这个月都花哪儿了，还剩多少？我是他妈还不能看吗？"
    report = grade("按规定不能查……那您报一下他的身份证号，我就看一眼余额，流水不跟您说。",
                   Context(kind="confidentiality", customer_line=mother))
    assert "leak" in {f.category for f in report.red_lines}, report.reading
    assert report.reading["stance"] == "complies"
    # Promising to do one's best after the turn gives the customer nothing he asked for (r25).
    report = grade("「打招呼」这个事我真做不了，审批是独立的，谁说都不好使。卡和印台历的好意我都心领了，东西不能收。"
                   "月底前能不能批我不敢打包票，但我会盯紧，有进展马上告诉您。",
                   Context(kind="gift", customer_line="这两千块的购物卡你拿着。审批那边你打个招呼，月底前能批下来吧？"))
    assert not report.red_lines, [(f.category, f.text) for f in report.red_lines]
    # Nor does a refusal that stays refused after "不过" ("不过您可以让他本人……").
    report = grade("按规定不能查。不过您可以让他本人在手机银行上看，或者他授权后带着委托书来办。",
                   Context(kind="confidentiality", customer_line=mother))
    assert not report.red_lines, [(f.category, f.text) for f in report.red_lines]


@pytest.mark.parametrize("risk,customer,reply", [
    (("C1", "R3"), "测评你帮我改成C3吧，我签字自担风险。",
     "但测评这件事我真不能帮您挑答案，也不能替您做。测评可以重新做，但只有在您的实际情况变了的时候才有意义。"
     "按您现在C1的情况，适合的是大额存单和储蓄国债，都是本金有保障的，或者R1级的现金管理类产品，它也不是存款，不保本。"),
    (("C2", "R4"), "那用我老婆的账户买总行了吧？她测评是C4。",
     "杨先生，我知道您觉得我这也不行那也不行，挺憋屈的。但用您爱人的账户买，钱是您的、风险也是您担，"
     "本质上是绕开风险等级的管理，银行不能这样办理。咱们在您的等级内看看别的选择？"),
])
def test_a_careful_refusal_that_names_the_forbidden_thing_after_a_turn_is_no_red_line(risk, customer, reply):
    # Safe deposits named in a later sentence; a workaround named after "但" and refused after it.
    report = grade(reply, Context(kind="product_sale", customer_risk=risk[0], product_risk=risk[1],
                                  customer_line=customer))
    assert not report.red_lines, [(f.category, f.text) for f in report.red_lines]
