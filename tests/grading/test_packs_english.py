"""The grader speaks English when asked: every rule, request type and stance carries its English
text, findings and feedback carry it, and Chinese stays the default."""
import re

import pytest

from grading import Context, ForbiddenItem, grade
from grading.conversation import catalogue
from grading.feedback import CATEGORY_NAMES, CATEGORY_NAMES_EN, category_name
from grading.loader import RuleError, load_packs, load_rule
from grading.model import RED_LINE_CATEGORIES
from grading.verdicts import CATEGORY_MESSAGES_EN

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Chinese that English text may keep: a quoted word the rule is about ("您"), a 「term」, the
# name of a regulation (《反洗钱法》, glossed in English beside it).
QUOTED = re.compile(r"[\"“「《][^\"”」》]*[\"”」》]")


def untranslated(rules) -> list:
    """Ids of rules missing their English message, or their English suggestion."""
    return [r.id for r in rules
            if not r.message_en.strip() or (r.suggestion.strip() and not r.suggestion_en.strip())]


def english_outside_quotes(text: str) -> bool:
    """True when the text, its quoted words aside, has no Chinese characters."""
    return not CJK.search(QUOTED.sub("", text))


def test_every_rule_has_its_english_message_and_suggestion():
    assert untranslated(load_packs()) == []


@pytest.mark.parametrize("rule", load_packs(), ids=lambda r: r.id)
def test_every_english_text_is_english(rule):
    assert english_outside_quotes(rule.message_en), rule.message_en
    if rule.suggestion_en:
        assert english_outside_quotes(rule.suggestion_en), rule.suggestion_en


def test_a_rule_without_english_is_named(tmp_path):
    folder = tmp_path / "compliance"
    folder.mkdir()
    path = folder / "NoGuaranteeDraft.yml"
    path.write_text("type: phrase\nlevel: warning\nmessage: 承诺保本\nsuggestion: 如实说明风险\n"
                    "source: 某办法\npatterns: [保本]\nexamples: {fail: [保本], pass: [不保本]}\n", encoding="utf-8")
    assert untranslated([load_rule(path)]) == ["compliance.NoGuaranteeDraft"]
    path.write_text(path.read_text(encoding="utf-8") + 'message_en: "Promised the capital is safe"\n',
                    encoding="utf-8")
    assert untranslated([load_rule(path)]) == ["compliance.NoGuaranteeDraft"]   # suggestion_en still missing
    path.write_text(path.read_text(encoding="utf-8") + 'suggestion_en: "State the risks"\n', encoding="utf-8")
    assert untranslated([load_rule(path)]) == []


def test_an_unknown_language_key_is_still_a_load_error(tmp_path):
    folder = tmp_path / "etiquette"
    folder.mkdir()
    path = folder / "Greeting2.yml"
    path.write_text("type: move\nmove: greeting\nmessage: 问候\nmessage_fr: Salue\npatterns: [您好]\n"
                    "examples: {fail: [办好了], pass: [您好]}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="message_fr: unknown key"):
        load_rule(path)


def test_request_types_and_stances_have_english():
    requests, stances = catalogue()
    for r in requests.values():
        assert r.title_en and english_outside_quotes(r.title_en), r.id
        if r.message:
            assert r.message_en and english_outside_quotes(r.message_en), r.id
    for s in stances.values():
        assert s.title_en and english_outside_quotes(s.title_en), s.id


def test_every_red_line_category_has_an_english_name_and_message():
    for cat in RED_LINE_CATEGORIES:
        assert english_outside_quotes(CATEGORY_NAMES_EN[cat]) and CATEGORY_MESSAGES_EN[cat]
        assert category_name(cat, "en") == CATEGORY_NAMES_EN[cat]
        assert category_name(cat) == CATEGORY_NAMES[cat]


def test_findings_carry_english_beside_the_chinese_default():
    report = grade("您放心，这款理财保本，肯定不亏。", Context(kind="product_sale", product_risk="R3"))
    red = [f for f in report.findings if f.rule == "compliance.NoGuarantee"][0]
    rule = {r.id: r for r in load_packs()}["compliance.NoGuarantee"]
    assert red.message == rule.message and red.message_en == rule.message_en
    assert red.message_for("en") == rule.message_en and red.message_for("zh") == rule.message
    assert red.suggestion_for("en") == rule.suggestion_en
    as_json = red.to_dict()
    assert as_json["message"] == rule.message and as_json["message_en"] == rule.message_en


def test_feedback_in_english_makes_the_same_points():
    report = grade("您放心，这款理财保本，肯定不亏。", Context(kind="product_sale", product_risk="R3"))
    assert len(report.feedback_en) == len(report.feedback) >= 1
    first = report.feedback_en[0]
    assert first.startswith("Red line (Guaranteed capital or returns)")
    assert all(english_outside_quotes(p.replace(report.reply, "")) for p in report.feedback_en), report.feedback_en
    assert report.to_dict()["feedback"] == report.feedback     # the Chinese stays where it was


def test_a_request_the_reply_went_along_with_is_explained_in_english():
    line = "我不会用手机银行，密码告诉你，你帮我操作一下。"
    report = grade("没问题，包在我身上。", Context(kind="general", customer_line=line))
    red = [f for f in report.red_lines if f.rule == "conversation.wants_staff_operation"]
    request = catalogue()[0]["wants_staff_operation"]
    assert red and red[0].message_en == request.message_en
    assert red[0].suggestion_en.startswith(request.title_en + ": refuse it clearly")


def test_jargon_names_its_term_in_english():
    report = grade("您这笔要走LPR加点，我们看DTI。", Context(kind="loan_rejection"))
    jargon = [f for f in report.findings if f.rule == "etiquette.Jargon"]
    assert jargon and all(f.message_en.startswith("Unexplained banking jargon: 「") for f in jargon)
    assert all(f.suggestion_en.startswith("Say it in words the customer knows: ") for f in jargon)


def test_a_step_forbidden_item_without_english_is_named_by_its_category():
    ctx = Context(kind="aml", forbidden=(ForbiddenItem(pattern="分五天", message="教客户拆分", category="aml_structuring"),))
    report = grade("您可以分五天来取。", ctx)
    step = [f for f in report.findings if f.rule == "step.forbidden"][0]
    assert step.message == "教客户拆分"
    assert step.message_en.startswith(CATEGORY_MESSAGES_EN["aml_structuring"])

