"""The customer listens, in the browser: a wrong surname is corrected, jargon draws "说人话", an
apology is acknowledged, a refusal draws push-back, and the report shows the customer's last words
and what happened. The expected reaction lines are read from scenarios/reactions.yml (and the
scenario's own `reactions:` block), so the tests follow the library when its wording changes."""
import re
from pathlib import Path

import yaml

from e2e_helpers import login, shot
from scenarios.engine import MOOD_BANDS, band

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

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


# marketing_call_consent: an upset customer (mood 25-ish) complains of marketing calls she refused.
# An apology WITH ownership and a next step: checked through the engine on seeds 0-39 (the
# `apology` reaction every time, never `apology_without_action`, no transition `say` that would
# silence it).
APOLOGY = ("真的很抱歉，您明确拒绝了还天天被打扰，觉都睡不好，换谁都生气。这件事我来负责：我现在就帮您登记"
           "拒绝营销，电话和短信都停，今天下班前给您回电话确认。")

# gift_festival: the gift refused twice (to the `favor_ask` step), then the favour for her son's loan
# refused twice. At `favor_ask` every transition ends the attempt, so one refusal draws push-back.
# Played through the engine on seeds 0-39: push-back on the third reply, resolved on the fourth.
GIFT_REFUSALS = (
    "太谢谢您了，这些年您这么信任我，这份心意我领了。不过按我们行的规定，客户的礼品和购物卡都不能收，这是纪律，"
    "东西请您带回去给家里人过节。最近家里都好吧？有什么需要我帮忙办的吗？",
    "您替我着想的好意我明白。但不管是在网点、下班后，还是送到家里、发红包，我都不能收，这是我们的廉洁纪律，"
    "您的心意我记在心里了。",
)
FAVOUR_REFUSALS = (
    "您为孩子操心我特别理解。因为审批是审批部门独立进行的，不能靠打招呼，我也没法保证一定能批，最终以审批结果"
    "为准。我能做的是帮他把材料准备扎实，请他带上营业执照和近一年的经营流水，资料一定要真实。这周五下午我约他"
    "来网点面谈，您看好吗？",
    "这个招呼真的打不了。审批部门是独立审批的，不能靠关系，我也没法保证一定能批，最终以审批结果为准。我能做的"
    "是帮孩子把真实的材料准备扎实，这周五下午我约他来网点面谈，您看好吗？",
)


def reaction_versions(reaction_id: str, scenario_id: str) -> list:
    """The versions of a reaction, the one in force first: the scenario's own (when it replaces
    the library's), then scenarios/reactions.yml's."""
    library = yaml.safe_load((SCENARIOS / "reactions.yml").read_text(encoding="utf-8"))["reactions"]
    scenario = yaml.safe_load((SCENARIOS / "library" / f"{scenario_id}.yml").read_text(encoding="utf-8"))
    versions = [r for r in scenario.get("reactions") or [] if r["id"] == reaction_id]
    versions += [r for r in library if r["id"] == reaction_id]
    assert versions and not versions[0].get("disable"), f"{scenario_id} has no {reaction_id} reaction"
    return [r for r in versions if not r.get("disable")]


def _zh(lines: list) -> list:
    return [line["zh"] if isinstance(line, dict) else line for line in lines]


def reaction_lines(reaction_id: str, scenario_id: str, mood_band: str) -> list:
    """The zh lines the reaction in force has for a mood band (its `default` when no key names it)."""
    by_band = reaction_versions(reaction_id, scenario_id)[0]["lines"]
    key = next((k for k in by_band if mood_band in str(k).split("|")), "default")
    return _zh(by_band.get(key, []))


def every_line(reaction_id: str, scenario_id: str) -> list:
    """Every zh line of every version of the reaction, whatever the mood band."""
    return _zh([line for r in reaction_versions(reaction_id, scenario_id)
                for lines in r["lines"].values() for line in lines])


def ending_lines(scenario_id: str, outcome: str) -> list:
    """The customer's parting words of the scenario's endings with this outcome."""
    scenario = yaml.safe_load((SCENARIOS / "library" / f"{scenario_id}.yml").read_text(encoding="utf-8"))
    return [line for e in scenario["endings"] if e["outcome"] == outcome for line in e.get("customer") or []]


def line_pattern(template: str, persona: dict) -> re.Pattern:
    """A reaction line as a pattern: placeholders the page shows are filled, any other one
    (the jargon word, a repeated fact) matches whatever the customer put there."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(persona[p]) if p in persona else ".+?" if i % 2 else re.escape(p)
                              for i, p in enumerate(parts)))


def persona_on_page(page, honorific: str) -> dict:
    """The customer as the page shows them: how to address them, their name and surname."""
    address = page.inner_text("details.persona summary .who-big").strip()
    name = page.inner_text("details.persona dl dd").strip()
    surname = address.removesuffix(honorific)
    assert surname and name.startswith(surname), (address, name)
    return {"address": address, "name": name, "surname": surname}


def mood_band_on_page(page) -> str:
    """The customer's mood band before the next reply, from the mood the page shows."""
    return band(int(page.get_attribute("p.band[data-mood]", "data-mood")), MOOD_BANDS)


def say(page, reply: str) -> None:
    """Send a reply to the customer and wait for the customer's answer page."""
    page.fill("#reply", reply)
    with page.expect_navigation():
        page.click("form.reply-form button[type=submit]")


def opener(line: str, templates: list, persona: dict):
    """The reaction line the customer's turn starts with (None when it starts with none of them)."""
    for template in templates:
        found = line_pattern(template, persona).match(line)
        if found:
            return found.group(0)
    return None


def test_an_apology_with_ownership_is_acknowledged_by_an_upset_customer(page):
    login(page, "trainee")
    page.click("button[data-scenario=marketing_call_consent]")
    persona = persona_on_page(page, "女士")
    mood_band = mood_band_on_page(page)
    assert mood_band in ("furious", "upset"), mood_band      # 25 at the start: an angry caller
    expected = reaction_lines("apology", "marketing_call_consent", mood_band)
    say(page, f"{persona['surname']}女士，{APOLOGY}")
    line = page.inner_text("#customer-line").strip()
    assert opener(line, expected, persona), (line, expected)
    # The brush-off for an apology without action is not what she says.
    assert not opener(line, every_line("apology_without_action", "marketing_call_consent"), persona)
    assert page.locator("#reply").count() == 1
    shot(page, "trainee-apology-acknowledged")


def test_a_refusal_draws_push_back_and_a_second_refusal_ends_the_request(page):
    login(page, "trainee")
    page.click("button[data-scenario=gift_festival]")
    persona = persona_on_page(page, "阿姨")
    for reply in GIFT_REFUSALS:
        say(page, f"{persona['address']}，{reply}")
    asked = page.inner_text("#customer-line").strip()      # the favour: a word with the loan approvers
    pushback = reaction_lines("pushback", "gift_festival", mood_band_on_page(page))
    say(page, f"{persona['address']}，{FAVOUR_REFUSALS[0]}")
    # One refusal does not end it: the reply box is still there, she pushes back and asks again.
    assert page.locator("#reply").count() == 1, "the first refusal ended the attempt"
    line = page.inner_text("#customer-line").strip()
    said = opener(line, pushback, persona)
    assert said, (line, pushback)
    again = line[len(said):].strip()
    assert again and again != asked, (asked, line)
    shot(page, "trainee-refusal-pushback")
    say(page, f"{persona['address']}，{FAVOUR_REFUSALS[1]}")
    accepts = every_line("accepts_firm_refusal", "gift_festival")
    if page.locator("#reply").count():
        line = page.inner_text("#customer-line").strip()
        assert opener(line, accepts, persona), (line, accepts)
    else:
        # The attempt ended: the report shows a resolved ending and the customer's whole last turn,
        # her acceptance of the second refusal, then her parting words.
        final = page.locator("#final-line").inner_text().strip()
        assert "resolved" in page.get_attribute(".outcome", "class").split()
        assert opener(final, accepts, persona), (final, accepts)
        partings = ending_lines("gift_festival", "resolved")
        assert any(line_pattern(p, persona).search(final) for p in partings), (final, partings)
    shot(page, "trainee-refusal-held-twice")
