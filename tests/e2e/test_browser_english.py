"""A trainee switches to English, crosses a red line and reads the final report in English; the
radar's labels fit inside the chart in both languages (screenshots in /tmp/shots-english/)."""
import os
import re
from pathlib import Path

from e2e_helpers import login

SHOTS = Path(os.environ.get("RMTRAINER_SHOTS_ENGLISH", "/tmp/shots-english"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SPLIT = "没问题，您每天取4万9，分几天取就不会触发上报。"   # coaches the split: a red line that ends the scenario


def keep(page, name: str, selector: str | None = None) -> None:
    """Save a screenshot of the page (or of one element) for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(selector) if selector else page
    target.screenshot(path=str(SHOTS / f"{name}.png"), **({} if selector else {"full_page": True}))


def clipped_labels(page) -> list:
    """Radar labels that stick out of the drawn chart, as the browser lays them out."""
    return page.evaluate("""() => {
        const svg = document.querySelector('svg.radar'), box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text.axis')].map(t => [t.textContent, t.getBoundingClientRect()])
            .filter(([_, r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5
                                 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
            .map(([label]) => label);
    }""")


def test_trainee_reads_the_final_report_in_english(page):
    login(page, "trainee")
    page.click("text=English")
    assert page.locator("h1").first.inner_text() == "Catalogue"
    page.click("button[data-scenario=aml_split_withdrawal]")
    page.fill("#reply", SPLIT)
    page.click("form.reply-form button[type=submit]")
    # practice stops on the red line; "End here and see the report" opens the final report
    page.click("text=End here and see the report")
    assert page.locator("section.redlines").count() == 1, "the red line did not end the scenario"

    categories = page.locator("section.redlines span.category").all_inner_texts()
    messages = page.locator("section.redlines span.message").all_inner_texts()
    assert "Helping to structure transactions" in categories
    assert messages and not any(CJK.search(t) for t in categories + messages), categories + messages
    assert page.locator("span.outcome").inner_text() == "Red line crossed"
    assert not CJK.search(page.locator(".debrief").inner_text())
    labels = page.locator("svg.radar text.axis").all_text_contents()
    assert [re.sub(r" \d+$", "", t) for t in labels] == ["Etiquette", "Structure", "Empathy", "Compliance"]
    assert clipped_labels(page) == []
    keep(page, "report-en")
    keep(page, "radar-en", "svg.radar")

    report_url = page.url
    page.click("text=中文")
    page.goto(report_url)        # the language switch returns to the attempt; the report is one link on
    assert "合规" in " ".join(page.locator("svg.radar text.axis").all_text_contents())
    assert clipped_labels(page) == []
    keep(page, "report-zh")
    keep(page, "radar-zh", "svg.radar")
