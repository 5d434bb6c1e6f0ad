"""An admin runs accounts in the browser: creates a user, who logs in; resets the password, and
the user must choose a new one before any page opens; revokes the user's API token after a
confirmation page, and the API answers 401. Screenshots go to /tmp/shots-admin/."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from e2e_helpers import login, shot as keep

SHOTS = Path("/tmp/shots-admin")
FIRST = "first-pass-2026"
TEMPORARY = "temporary-pass-88"
CHOSEN = "chosen-by-me-2026"


def shot(page, name: str) -> None:
    """Keep what the test saw in this file's folder, for a person to look at."""
    keep(page, name, SHOTS)


def api_status(base: str, token: str) -> int:
    """The status of GET /api/v1/scenarios with this bearer token."""
    request = urllib.request.Request(base + "/api/v1/scenarios", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def issue_token(tmp_path, username: str) -> str:
    """An API token for `username`, issued as `rmtrainer users token` would, on the served database."""
    from trainer import create_app
    from trainer.extensions import db
    from trainer.models import User
    from trainer.services.users import issue_token as issue
    app = create_app({"SECRET_KEY": "e2e", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}"})
    with app.app_context():
        token = issue(User.query.filter_by(username=username).one())
        db.session.remove()
        db.engine.dispose()
    return token


def new_page(browser, server):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    page.base = server
    return page


def test_admin_creates_a_user_resets_the_password_and_revokes_the_token(browser, server, tmp_path):
    admin = new_page(browser, server)
    login(admin, "admin")
    admin.click("header nav >> text=用户")
    admin.click("main >> text=新建账户")
    admin.fill("input[name=username]", "zhoumin")
    admin.fill("input[name=display_name]", "周敏")
    admin.select_option("select[name=role]", "trainee")
    admin.fill("input[name=password]", FIRST)
    admin.uncheck("input[name=must_change]")
    shot(admin, "01-create-user-form")
    admin.click("form.create-user button[type=submit]")
    assert "已创建账户 zhoumin" in admin.locator(".flash").first.inner_text()
    assert "周敏" in admin.inner_text("table.users")

    # the new user logs in and lands on the catalogue
    user = new_page(browser, server)
    login(user, "zhoumin", FIRST)
    assert user.url.endswith("/catalogue")
    assert "周敏" in user.inner_text("header")
    shot(user, "02-new-user-catalogue")

    # the admin finds her by display name and resets the password (a page that asks first)
    admin.fill("input[name=q]", "周敏")
    admin.click("form.search button[type=submit]")
    admin.click("table.users >> text=重置密码…")
    assert "重置 zhoumin 的密码？" in admin.inner_text("main")
    shot(admin, "03-reset-password-confirm")
    admin.fill("input[name=password]", TEMPORARY)
    admin.click("main form button[type=submit]")
    assert "其下次登录时必须修改密码" in admin.locator(".flash").first.inner_text()
    assert "须修改密码" in admin.inner_text("table.users")
    shot(admin, "04-users-after-reset")

    # her open session has ended; with the temporary password every page leads to the change form
    user.goto(server + "/history")
    assert "/login" in user.url
    login(user, "zhoumin", TEMPORARY)
    assert user.url.endswith("/password")
    assert "管理员已为您设置了密码" in user.inner_text("main")
    user.goto(server + "/catalogue")
    assert user.url.endswith("/password")
    shot(user, "05-forced-password-change")
    user.fill("input[name=current]", TEMPORARY)
    user.fill("input[name=new]", CHOSEN)
    user.fill("input[name=confirm]", CHOSEN + "x")
    user.click("form.password-form button[type=submit]")
    assert "两次输入的新密码不一致" in user.inner_text("main")
    user.fill("input[name=current]", TEMPORARY)
    user.fill("input[name=new]", CHOSEN)
    user.fill("input[name=confirm]", CHOSEN)
    user.click("form.password-form button[type=submit]")
    assert user.url.endswith("/catalogue") and "密码已修改" in user.locator(".flash").first.inner_text()
    shot(user, "06-password-changed")

    # an API token works until the admin revokes it from the user list
    token = issue_token(tmp_path, "zhoumin")
    assert api_status(server, token) == 200
    admin.goto(server + "/admin/users?q=zhoumin")
    admin.click("table.users >> text=吊销 API 令牌…")
    assert "吊销 zhoumin 的 API 令牌？" in admin.inner_text("main")
    shot(admin, "07-revoke-tokens-confirm")
    admin.click("section.confirm button[type=submit]")
    assert "已吊销 zhoumin 的 1 个 API 令牌" in admin.locator(".flash").first.inner_text()
    assert api_status(server, token) == 401

    # the audit log tells the story in words, in Shanghai time, filtered to her account
    admin.goto(server + "/admin/audit?user=zhoumin")
    log = admin.inner_text("table.audit")
    for action in ("创建账户", "管理员重置密码", "修改密码", "吊销 API 令牌", "签发 API 令牌"):
        assert action in log, action
    assert "{" not in log and "Asia/Shanghai" in admin.inner_text("main")
    shot(admin, "08-audit-log")


def seed_progress(tmp_path) -> int:
    """Three weeks of finished attempts for the demo trainee, and an attempt being played with one
    graded turn the coach has not reviewed yet; returns that attempt's id."""
    from datetime import datetime, timedelta

    from trainer import create_app
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.services.attempts import start_attempt, submit_reply
    app = create_app({"SECRET_KEY": "e2e", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}"})
    with app.app_context():
        trainee = User.query.filter_by(username="trainee").one()
        start = datetime.utcnow() - timedelta(days=20)
        for i, (scores, total) in enumerate([((55, 45, 40, 80), 55), ((65, 60, 50, 85), 64), ((70, 62, 66, 95), 72),
                                              ((82, 75, 70, 100), 81)]):
            when = start + timedelta(days=6 * i)
            db.session.add(Attempt(user_id=trainee.id, scenario_id="transfer_not_arrived", track_id="onboarding",
                           mode="practice", seed=i, state_json="{}", status="finished", total=total,
                           scores_json=json.dumps(dict(zip(("etiquette", "structure", "empathy", "compliance"), scores))),
                           started_at=when, finished_at=when))
        db.session.commit()
        played = start_attempt(trainee, "transfer_not_arrived", "practice", seed=7)
        submit_reply(played, "王先生您好，非常抱歉让您着急了，您的转账我马上帮您查询，今天下午三点前给您回电话。")
        attempt_id = played.id
        db.session.remove()
        db.engine.dispose()
    return attempt_id


def test_progress_charts_and_a_confirmed_grade_counting_towards_agreement(browser, server, tmp_path):
    attempt_id = seed_progress(tmp_path)
    trainee = new_page(browser, server)
    login(trainee, "trainee")
    trainee.goto(server + "/history")
    chart = trainee.locator("svg.trendchart")
    assert chart.locator("polyline").count() == 5
    legend = chart.locator("g.legend-band").text_content()
    for label in ("礼仪化", "结构化", "同理心", "合规", "总分", "及格线"):
        assert label in legend, label
    shot(trainee, "09-trainee-progress")

    coach = new_page(browser, server)
    login(coach, "coach")
    coach.click("text=学员组")
    coach.click("text=2026秋季新员工")
    assert coach.locator("#trend svg.trendchart polyline").count() == 5
    coach.locator("#trend").screenshot(path=str(SHOTS / "10-cohort-trend.png"))

    coach.goto(server + f"/coach/attempts/{attempt_id}")
    coach.click("form.confirm-grade button[type=submit]")
    assert "已确认第 1 轮的评分" in coach.locator(".flash").first.inner_text()
    assert "王教练 已确认" in coach.inner_text("main")
    coach.click("header nav >> text=评分一致性")
    row = coach.locator("tr[data-dimension=empathy]").inner_text()
    assert row.split()[1:4] == ["1", "100%", "100%"]          # one reviewed turn, agreed on exactly
    shot(coach, "11-agreement")
