"""Lockout after repeated failed logins: 5 wrong passwords within 15 minutes lock the account for
15 minutes; the login page says the same thing whether the name exists, the password is wrong or
the account is locked; an admin lifts a lockout with `rmtrainer users unlock NAME`."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from conftest import PASSWORD
from trainer.cli import main
from trainer.extensions import db
from trainer.models import User, utcnow
from trainer.services import logins


def failure_message(response) -> str:
    """The error the login page shows (one flash)."""
    flashes = re.findall(r'class="flash error"[^>]*>([^<]*)<', response.get_data(as_text=True))
    assert len(flashes) == 1, response.get_data(as_text=True)
    return flashes[0]


def fail(auth, times, username="amy"):
    for n in range(times):
        assert auth.login(username, f"wrong-password-{n}").status_code == 401


@pytest.fixture
def amy(make_user):
    return make_user("amy")


@pytest.fixture
def later(monkeypatch):
    """later(minutes): the lockout's clock moves on."""
    def move(minutes):
        moved = utcnow() + timedelta(minutes=minutes)
        monkeypatch.setattr(logins, "utcnow", lambda: moved)
    return move


def test_five_failures_lock_the_account_even_against_the_right_password(auth, client, amy, later):
    fail(auth, 5)
    locked = auth.login("amy", PASSWORD)
    assert locked.status_code == 401
    assert client.get("/catalogue").status_code == 302                     # not logged in
    later(14)
    assert auth.login("amy", PASSWORD).status_code == 401                  # still locked
    later(16)
    assert auth.login("amy", PASSWORD).status_code == 302                  # the lock has run out
    assert client.get("/catalogue").status_code == 200


def test_four_failures_do_not_lock(auth, amy):
    fail(auth, 4)
    assert auth.login("amy", PASSWORD).status_code == 302


def test_failures_further_apart_than_the_window_do_not_add_up(auth, amy, later):
    fail(auth, 4)
    later(16)
    fail(auth, 4)
    assert auth.login("amy", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(auth, amy):
    fail(auth, 4)
    assert auth.login("amy", PASSWORD).status_code == 302
    auth.logout()
    fail(auth, 4)
    assert auth.login("amy", PASSWORD).status_code == 302


def test_the_message_does_not_tell_whether_the_account_exists_or_is_locked(auth, amy):
    unknown = failure_message(auth.login("nobody", "wrong-password"))
    wrong = failure_message(auth.login("amy", "wrong-password"))
    fail(auth, 4)
    locked = auth.login("amy", PASSWORD)
    assert locked.status_code == 401
    assert unknown == wrong == failure_message(locked)
    assert "nobody" not in unknown


def test_an_admin_unlocks_an_account_from_the_cli(app, auth, amy, monkeypatch):
    fail(auth, 5)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "test")
    result = CliRunner().invoke(main, ["users", "unlock", "amy"])
    assert result.exit_code == 0, result.output
    assert "unlocked 'amy'" in result.output
    db.session.expire_all()
    assert auth.login("amy", PASSWORD).status_code == 302


def test_unlocking_an_unknown_name_says_so(app, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "test")
    result = CliRunner().invoke(main, ["users", "unlock", "nobody"])
    assert result.exit_code == 1 and "no user named 'nobody'" in result.output


def test_lockout_settings_are_read_from_config(app, auth, amy):
    app.config.update(LOGIN_MAX_FAILURES=2, LOCKOUT_MINUTES=60)
    fail(auth, 2)
    assert auth.login("amy", PASSWORD).status_code == 401
    stored = db.session.get(User, amy.id)
    db.session.refresh(stored)
    assert timedelta(minutes=59) < stored.locked_until - utcnow() <= timedelta(minutes=60)
