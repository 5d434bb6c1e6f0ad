"""Steps the browser tests share: log in as a person would, keep a screenshot."""
import os
from pathlib import Path

SHOTS = Path(os.environ.get("RMTRAINER_SCREENSHOTS", "/tmp/rmtrainer-screenshots"))


def login(page, username, password="rmtrainer-demo"):
    """Log in through the form, as a person would."""
    page.goto(page.base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")


def shot(page, name: str) -> None:
    """Keep a screenshot of what the test saw (for a person to look at)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
