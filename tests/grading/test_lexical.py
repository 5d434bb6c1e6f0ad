"""Lexical accidents a trainee would feel: words found inside other words, negations that are not,
excuses that reach too far. Each case is a real reply and what the trainee should see."""
import pytest

from grading import Context, grade


def red(reply, **ctx):
    return {f.category for f in grade(reply, Context(**ctx)).red_lines}


def rules(reply, **ctx):
    return {f.rule for f in grade(reply, Context(**ctx)).findings}


def test_roll_over_product_is_not_an_insult():
    assert "etiquette.Insult" not in rules("这款是滚动发行的产品，每月都有新的一期。", kind="product_sale")


def test_complete_statements_are_not_padded_statements():
    assert "falsify" not in red("请您提供近半年完整流水，我们按真实情况帮您重新申请。", kind="loan_rejection")


def test_cannot_help_is_not_an_offer_of_help():
    moves = grade("这个我不能帮您办，规定不允许。", Context(kind="general")).moves
    assert "options" not in moves and "ownership" not in moves


@pytest.mark.parametrize("reply", ["不光保本，收益还比定期高。", "这款基金不只保本，还能稳赚。"])
def test_not_only_is_not_a_negation(reply):
    assert "guarantee" in red(reply, kind="product_sale", customer_risk="C3", product_risk="R3")


def test_a_deposit_elsewhere_does_not_excuse_a_fund_promise():
    ctx = dict(kind="product_sale", customer_line="我定期到期了，听说这个基金不错，会不会亏？")
    assert "guarantee" in red("这个基金保本的，您放心买。", **ctx)
    assert not red("大额存单是存款，保本保息，受存款保险保障。", kind="product_sale")


def test_refutation_in_other_words_is_read_as_a_refutation():
    assert not red("网上说这个基金保本，这种说法不对，基金净值会波动，可能亏损。", kind="product_sale")


def test_excusing_words_in_an_earlier_clause_do_not_excuse():
    assert "suitability" in red("我如实跟您讲，测评那几题选C就能到C4，这个R4的基金您就能买了。",
                                kind="product_sale", customer_risk="C2", product_risk="R4")


@pytest.mark.parametrize("reply", ["保本5%？您哪听来的，没这种东西。", "保本5%？您哪聽來的，沒這種東西。"])
def test_a_claim_asked_back_and_knocked_down_is_not_the_claim(reply):
    report = grade(reply, Context(kind="general", customer_risk="C2", product_risk="R3",
                                  customer_line="我听说你们有款理财年化5%，保本的，还有额度吗？"))
    assert not report.red_lines


@pytest.mark.parametrize("reply", ["保本？当然保本。", "保本？不用担心，肯定保本的。"])
def test_a_claim_asked_back_and_then_confirmed_is_still_the_claim(reply):
    report = grade(reply, Context(kind="product_sale", customer_line="这个理财保本吗？"))
    assert "guarantee" in {f.category for f in report.red_lines}


def test_a_dialect_maozi_in_simplified_is_graded_as_its_traditional_spelling():
    # tw2s reads a lone 么 as the Taiwan variant of 幺 ("买么子" came out "买幺子"); typed 麼 gives 么.
    customer = "听说在你们这贷款得先买保险？"
    simplified = grade("莫听别个乱讲，冇得这回事。贷款就是贷款，不要您买么子。", Context(kind="loan_rejection", customer_line=customer))
    traditional = grade("莫聽別個亂講，冇得這回事。貸款就是貸款，不要您買麼子。", Context(kind="loan_rejection", customer_line=customer))
    assert simplified.scores == traditional.scores and simplified.total == traditional.total


def test_a_sarcastic_so_what_is_found_with_its_optional_character():
    report = grade("那又怎么样？规定就是规定。", Context(kind="complaint", customer_line="你们这服务太差了！"))
    assert "etiquette.Sarcasm" in {f.rule for f in report.findings}


def test_a_benchmark_denied_with_the_not_equal_sign_is_not_a_promise():
    report = grade("业绩比较基准≠预期收益率，产品为净值型，到期年化以实际净值为准。",
                   Context(kind="product_sale", customer_line="说明书写业绩比较基准3.2%，那到期就是3.2%对吧？"))
    assert not report.red_lines
