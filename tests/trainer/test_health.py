"""GET /healthz, and the 503 every request gets while the database is unavailable (the real outage,
through a proxy to PostgreSQL, is in test_faults.py; these run on any database)."""
from __future__ import annotations

import pytest
from sqlalchemy import exc, text

from test_api import Api
from trainer.extensions import db
from trainer.health import MESSAGE, code_revision
from trainer.services.users import issue_token


def test_healthz_is_200_when_the_database_answers_at_the_codes_revision(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"status": "ok", "database": {"reachable": True},
                                   "schema": {"current": code_revision(), "code": code_revision(),
                                              "up_to_date": True}}


def test_healthz_is_503_when_the_database_is_at_another_revision(client):
    db.session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "schema_outdated" and body["database"]["reachable"] is True
    assert body["schema"] == {"current": "older", "code": code_revision(), "up_to_date": False}


@pytest.fixture
def database_down(app):
    """Every request fails as it would with the database gone: psycopg's OperationalError."""
    def refuse():
        raise exc.OperationalError("SELECT 1", {}, Exception("connection refused"))
    app.before_request_funcs.setdefault(None, []).insert(0, refuse)


def test_an_api_request_gets_a_json_503_while_the_database_is_down(client, make_user, database_down):
    api = Api(client, "any-token")
    response = api.get("/scenarios")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json() == {"error": MESSAGE, "status": 503}


def test_a_page_gets_a_plain_503_page_while_the_database_is_down(client, database_down):
    for path in ("/login", "/catalogue", "/coach/"):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert "数据库暂时不可用" in page and "The database is unavailable, try again shortly." in page
        assert "Traceback" not in page and "OperationalError" not in page and "SELECT" not in page


def test_healthz_says_unreachable_when_the_database_does_not_answer(client, monkeypatch):
    def refused(engine):
        raise exc.OperationalError("SELECT version_num FROM alembic_version", {},
                                   Exception("connection to db.internal:5432 refused"))
    monkeypatch.setattr("trainer.schema.current_revision", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable",
                                   "database": {"reachable": False, "error": "OperationalError"},
                                   "schema": {"current": None, "code": code_revision(), "up_to_date": False}}
    assert "db.internal" not in response.get_data(as_text=True)     # no internal address leaks


def test_a_token_of_a_real_user_still_gets_the_503_not_a_401(client, make_user, database_down):
    api = Api(client, issue_token(make_user("amy")))
    assert api.post("/attempts", {"scenario_id": "transfer_not_arrived"}).status_code == 503
