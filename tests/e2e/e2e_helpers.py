"""Steps the browser tests share: log in as a person would, keep a screenshot."""
import os
import warnings
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

SHOTS = Path(os.environ.get("RMTRAINER_SCREENSHOTS", "/tmp/rmtrainer-screenshots"))


def login(page, username, password="rmtrainer-demo"):
    """Log in through the form, as a person would."""
    page.goto(page.base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")


def shot(page, name: str, folder: Path = SHOTS, full_page: bool = True) -> None:
    """Keep a screenshot of what the test saw (for a person to look at).

    Headless chromium now and then answers Page.captureScreenshot with "Unable to capture
    screenshot" while a mobile viewport is still settling (CI, 2026-12-01). The picture is for a
    person, not an assertion, so it is tried again after a frame and, failing that, the test goes
    on with a warning instead of failing on something no user would see."""
    folder.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        try:
            page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)
            return
        except PlaywrightError as error:
            if "capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(250 * (attempt + 1))
    warnings.warn(f"screenshot {name} could not be captured after three tries")
