"""Parallel wrong passwords are all counted: the lockout holds on SQLite (where SELECT ... FOR
UPDATE is a no-op) and on PostgreSQL alike."""
from __future__ import annotations

import re

from concurrency import at_once
from conftest import PASSWORD
from trainer.extensions import db
from trainer.models import AuditEvent, User


def login_from_a_fresh_browser(app, username, password):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_parallel_wrong_passwords_lock_the_account(app, make_user):
    make_user("amy")
    statuses = at_once(24, lambda i: login_from_a_fresh_browser(app, "amy", f"wrong-{i}").status_code)
    assert statuses == [401] * 24
    # the right password now meets a locked account
    assert login_from_a_fresh_browser(app, "amy", PASSWORD).status_code == 401
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).where(AuditEvent.action == "lockout")) >= 1
    amy = db.session.scalar(db.select(User).filter_by(username="amy"))
    assert amy.locked_until is not None


def test_every_parallel_failure_is_counted(app, make_user):
    app.config.update(LOGIN_MAX_FAILURES=100)
    make_user("amy")
    at_once(12, lambda i: login_from_a_fresh_browser(app, "amy", f"wrong-{i}"))
    db.session.expire_all()
    amy = db.session.scalar(db.select(User).filter_by(username="amy"))
    assert amy.failed_logins == 12
