"""Small hardening: a forged remember_token cookie is ignored (it was a 500 on every page), and
the SQLite database file is readable by its owner only."""
from __future__ import annotations

import os
import stat

import pytest

from trainer import create_app


@pytest.mark.parametrize("value", ["1|é", "1|forged", "|", "1", "1|" + "f" * 64])
def test_a_forged_remember_token_is_ignored(client, value):
    client.set_cookie("remember_token", value)
    for path in ("/catalogue", "/", "/login"):
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
    assert client.get("/catalogue").headers["Location"].startswith("/login")


def test_a_forged_remember_token_does_not_spoil_a_real_session(client, auth, make_user):
    make_user("amy")
    auth.login("amy")
    client.set_cookie("remember_token", "1|é")
    assert client.get("/catalogue").status_code == 200


def test_the_sqlite_file_is_created_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    path = tmp_path / "fresh.sqlite"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "AUTO_MIGRATE": True})
    with app.app_context():
        from trainer.extensions import db
        db.engine.dispose()
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_an_existing_sqlite_file_is_made_owner_only(tmp_path):
    path = tmp_path / "old.sqlite"
    path.touch()
    os.chmod(path, 0o644)
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "AUTO_MIGRATE": True})
    with app.app_context():
        from trainer.extensions import db
        db.engine.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
