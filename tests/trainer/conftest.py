"""The Flask tutorial's fixtures: app, client, runner, and builders for users and attempts."""
from __future__ import annotations

import os

import pytest
import sqlalchemy

from trainer import create_app
from trainer.extensions import db
from trainer.models import Cohort
from trainer.services.attempts import start_attempt
from trainer.services.users import create_user

PASSWORD = "correct-horse-9"


def database_url(tmp_path) -> str:
    """SQLite in the test's folder, or RMTRAINER_TEST_DATABASE_URL (emptied first), e.g. the
    PostgreSQL that .ci/run runs tests/trainer against a second time."""
    url = os.environ.get("RMTRAINER_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test",
                      "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
                      # scrypt at production strength costs ~0.1 s a hash; tests make hundreds
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "AUTO_MIGRATE": True})

    @app.before_request
    def fresh_request_globals():
        # The fixture keeps one app context open for the builders, and Flask reuses it for
        # every test request; clear `g` so each request starts like a real one (no cached
        # CSRF token or logged-in user from the previous request).
        from flask import g
        g.__dict__.clear()

    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user("amy", role="trainee", cohort=None) -> User (password PASSWORD)."""
    def build(username, role="trainee", cohort=None):
        return create_user(username, PASSWORD, role, cohort=cohort)
    return build


@pytest.fixture
def make_cohort(app, make_user):
    """make_cohort("秋季新员工", coach=user) -> Cohort."""
    def build(name, coach=None):
        cohort = Cohort(name=name, coach_id=coach.id if coach else None)
        db.session.add(cohort)
        db.session.commit()
        return cohort
    return build


@pytest.fixture
def make_attempt(app):
    """make_attempt(user, "transfer_not_arrived", mode="practice", seed=7) -> Attempt."""
    def build(user, scenario_id="transfer_not_arrived", mode="practice", seed=7, track_id=None):
        return start_attempt(user, scenario_id, mode, seed=seed, track_id=track_id)
    return build


class Auth:
    """Log in and out through the real login form (CSRF token read from the page)."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path="/login"):
        import re
        html = self.client.get(path).get_data(as_text=True)
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
        return m.group(1) if m else ""

    def login(self, username, password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": self.csrf()})

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.csrf("/catalogue")})


@pytest.fixture
def auth(client):
    return Auth(client)
