"""Login sessions end when they should, checked by the server: after 30 idle minutes, 8 hours
after login, at logout (a cookie captured before logout and replayed after it opens nothing), at a
new login elsewhere and at a password change. Cookies are Secure, HttpOnly and SameSite=Lax."""
from __future__ import annotations

import pytest

from trainer import config, create_app
from trainer.extensions import db
from trainer.services.users import set_password
from trainer.sessions import SEEN, STARTED

ENDED = ("Your session has ended", "会话已结束")


def assert_logged_out(response):
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def session_cookie(client) -> str:
    return client.get_cookie("session").value


@pytest.fixture
def amy(make_user):
    return make_user("amy")


def age_session(client, seconds_idle=0, seconds_since_login=0):
    """Move the session's clock back, as if time had passed since the last request / the login."""
    with client.session_transaction() as s:
        s[SEEN] -= seconds_idle
        s[STARTED] -= seconds_since_login


def test_a_cookie_replayed_after_logout_is_refused(auth, client, amy):
    auth.login("amy")
    assert client.get("/catalogue").status_code == 200
    captured = session_cookie(client)
    assert auth.logout().status_code == 302
    client.set_cookie("session", captured)          # the attacker's copy, taken before logout
    response = client.get("/catalogue")
    assert_logged_out(response)
    assert client.get("/history").status_code == 302
    # Logging in again does not bring the old cookie back to life.
    auth.login("amy")
    client.set_cookie("session", captured)
    assert_logged_out(client.get("/catalogue"))


def test_an_idle_session_ends_after_the_idle_timeout(auth, client, amy, app):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    auth.login("amy")
    age_session(client, seconds_idle=29 * 60)
    assert client.get("/catalogue").status_code == 200          # 29 idle minutes: still in
    age_session(client, seconds_idle=31 * 60)
    response = client.get("/catalogue")
    assert_logged_out(response)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert any(text in page for text in ENDED)


def test_activity_keeps_a_session_alive(auth, client, amy):
    auth.login("amy")
    for _ in range(3):                                          # 3 × 20 idle minutes, with requests between
        age_session(client, seconds_idle=20 * 60)
        assert client.get("/catalogue").status_code == 200


def test_a_session_ends_eight_hours_after_login_however_active(auth, client, amy, app):
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600
    auth.login("amy")
    age_session(client, seconds_since_login=8 * 3600 - 60)
    assert client.get("/catalogue").status_code == 200
    age_session(client, seconds_since_login=120)
    assert_logged_out(client.get("/catalogue"))


def test_the_idle_timeout_is_configurable(auth, client, amy, app):
    app.config["SESSION_IDLE_MINUTES"] = 5
    auth.login("amy")
    age_session(client, seconds_idle=6 * 60)
    assert_logged_out(client.get("/catalogue"))


def test_logging_in_elsewhere_ends_the_older_session(app, auth, client, amy):
    auth.login("amy")
    other = app.test_client()
    from conftest import Auth
    Auth(other).login("amy")
    assert other.get("/catalogue").status_code == 200
    assert_logged_out(client.get("/catalogue"))


def test_a_password_change_ends_every_session(auth, client, amy):
    auth.login("amy")
    set_password(amy, "a-new-password-7")
    assert_logged_out(client.get("/catalogue"))
    assert auth.login("amy", "a-new-password-7").status_code == 302
    assert client.get("/catalogue").status_code == 200


def test_a_forged_session_without_the_server_token_is_refused(auth, client, amy):
    auth.login("amy")
    with client.session_transaction() as s:
        s.pop("sid")                                            # e.g. a cookie from before this release
    assert_logged_out(client.get("/catalogue"))


def test_login_starts_a_fresh_session(auth, client, amy):
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"                         # session fixation attempt
    auth.login("amy")
    with client.session_transaction() as s:
        assert "planted" not in s and s["sid"] == db.session.get(type(amy), amy.id).session_token


def test_session_cookies_are_secure_httponly_and_samesite_lax(tmp_path):
    from conftest import database_url
    production = create_app({"SECRET_KEY": "prod", "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
                             "AUTO_MIGRATE": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with production.app_context():
        from trainer.services.users import create_user
        create_user("amy", "correct-horse-9")
        from conftest import Auth
        client = production.test_client()
        client.environ_base["wsgi.url_scheme"] = "https"           # Secure cookies travel over https only
        response = Auth(client).login("amy")
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        db.session.remove()
        db.engine.dispose()


def test_session_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RMTRAINER_SESSION_IDLE_MINUTES", "10")
    settings = config.from_env(str(tmp_path))
    assert settings["SESSION_IDLE_MINUTES"] == 10
    assert settings["SESSION_COOKIE_SECURE"] and settings["SESSION_COOKIE_HTTPONLY"]
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
