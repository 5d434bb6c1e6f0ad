"""The low findings of issue 12 (part A), each as a user or client meets it: caching of private
answers, Retry-After, next= with CR/LF, a 404 while the database is down, X-Forwarded-For,
placeholder formats and retention periods."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import event, exc
from werkzeug.middleware.proxy_fix import ProxyFix

from conftest import PASSWORD
from test_api import Api
from trainer.cli import main
from trainer.extensions import db
from trainer.models import AuditEvent
from trainer.services.users import issue_token

from scenarios import check
from scenarios.persona import render

REPO_BROKEN = Path(__file__).resolve().parents[1] / "scenarios" / "broken"


# ---- Cache-Control: no-store ------------------------------------------------------------

def test_private_answers_are_never_cached(client, auth, make_user, make_cohort, make_attempt):
    carol = make_user("carol", role="coach")
    amy = make_user("amy", cohort=make_cohort("A", coach=carol))
    make_attempt(amy)
    token = issue_token(amy)
    api = Api(client, token)
    for response in (api.get("/scenarios"), api.post("/grade", {"reply": "您好", "context": {"kind": "gift"}}),
                     api.get("/attempts/999"), client.get("/api/v1/scenarios")):
        assert response.headers["Cache-Control"] == "no-store", response.status_code
    auth.login("amy")
    for path in ("/catalogue", "/history"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path
    auth.logout()
    auth.login("carol")
    cohort_id = amy.cohorts[0].id
    csv = client.get(f"/coach/cohorts/{cohort_id}/results.csv")
    assert csv.status_code == 200 and csv.headers["Cache-Control"] == "no-store"


def test_the_apps_own_static_files_may_still_be_cached(client):
    response = client.get("/static/app.css")
    response.close()
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


# ---- Retry-After --------------------------------------------------------------------------

def test_retry_after_only_on_429_and_503_and_503_says_five_seconds(client, make_user, queries_fail_later):
    api = Api(client, queries_fail_later["token"])
    ok = api.get("/scenarios")
    assert ok.status_code == 200 and "Retry-After" not in ok.headers
    missing = api.get("/attempts/999")
    assert missing.status_code == 404 and "Retry-After" not in missing.headers
    queries_fail_later["fail"]()
    down = api.get("/scenarios")         # the rate limit was counted, then the token query failed
    assert down.status_code == 503 and down.headers["Retry-After"] == "5"


@pytest.fixture
def queries_fail_later(app, make_user):
    """A token, and fail() to make every SQL statement fail from then on."""
    token = issue_token(make_user("amy"))
    refusals = []
    yield {"token": token, "fail": lambda: refusals.append(_fail_queries())}
    for refuse in refusals:
        event.remove(db.engine, "before_cursor_execute", refuse)


def test_a_429_keeps_the_limiters_retry_after(client, app, make_user):
    app.config["RATELIMIT_API"] = "2 per minute"
    api = Api(client, issue_token(make_user("amy")))
    responses = [api.get("/scenarios") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert 0 < int(responses[2].headers["Retry-After"]) <= 60


# ---- next= with CR/LF, a backslash --------------------------------------------------------

@pytest.mark.parametrize("target", ["/catalogue%0d%0aSet-Cookie:%20x=1", "/catalogue%0aX:1", "/%09/evil.example",
                                    "/%5Cevil.example", "/%5C%5Cevil.example"])
def test_a_next_with_control_characters_or_a_backslash_goes_home(client, auth, make_user, target):
    make_user("amy")
    response = client.post(f"/login?next={target}", data={"username": "amy", "password": PASSWORD,
                                                           "csrf_token": auth.csrf()})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/catalogue", "http://localhost/catalogue")


def test_a_plain_next_still_works(client, auth, make_user):
    make_user("amy")
    response = client.post("/login?next=/history", data={"username": "amy", "password": PASSWORD,
                                                          "csrf_token": auth.csrf()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/history")


# ---- a 404 while the database is down -------------------------------------------------------

def test_a_missing_page_while_the_database_is_down_is_still_a_404_page(client, auth, make_user, app):
    make_user("amy")
    auth.login("amy")
    refuse = _fail_queries()
    try:
        response = client.get("/no-such-page")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>404</h1>" in page and "Not found" in page
    assert response.headers["Content-Security-Policy"] and response.headers["Cache-Control"] == "no-store"


def _fail_queries():
    """From now on every SQL statement fails as it does with the database gone; returns the
    listener, for event.remove."""
    def refuse(*args, **kwargs):
        raise exc.OperationalError("SELECT 1", {}, Exception("connection refused"))
    event.listen(db.engine, "before_cursor_execute", refuse)
    return refuse


# ---- X-Forwarded-For ----------------------------------------------------------------------

@pytest.mark.parametrize("forwarded, stored", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8::1", "2001:db8::1"),
    ("x" * 5000, None),
    ("<script>", None),
    ("203.0.113.7 , evil", None),
], ids=["ipv4", "ipv6", "5000-chars", "markup", "list"])
def test_only_a_real_address_from_x_forwarded_for_is_audited(client, auth, app, make_user, forwarded, stored):
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
    make_user("amy")
    response = client.post("/login", data={"username": "amy", "password": "wrong-password",
                                           "csrf_token": auth.csrf()},
                           headers={"X-Forwarded-For": forwarded})
    assert response.status_code == 401
    event_row = AuditEvent.query.filter_by(action="login_failed").one()
    assert event_row.ip == stored


# ---- placeholders with a format --------------------------------------------------------------

@pytest.mark.parametrize("placeholder", ["{surname:>99999999999}", "{surname:>999999}", "{surname!r}",
                                         "{surname:{surname}}"])
def test_a_placeholder_with_a_format_is_refused_with_its_line(tmp_path, placeholder):
    source = (REPO_BROKEN / "bad_regex.yml").read_text(encoding="utf-8")
    source = source.replace('asked_by: ["(用途"]', 'asked_by: ["用途"]')
    source = source.replace('name: "{surname}先生"', f'name: "{placeholder}先生"')
    path = tmp_path / "formatted.yml"
    path.write_text(source, encoding="utf-8")
    problems = check([str(path)])
    assert [(p.line, p.key) for p in problems] == [(13, "persona.name")]
    assert "has a format; write {surname}" in problems[0].message
    with pytest.raises(ValueError):
        render(placeholder, {"surname": "王"})


# ---- retention periods ------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--days", "99999999999"], ["--days", "30", "--audit-days", "99999999999"],
                                  ["--days", "36501"]])
def test_a_retention_period_past_a_hundred_years_is_a_usage_error(app, monkeypatch, args):
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "test")
    result = CliRunner().invoke(main, ["retention", "apply", *args])
    assert result.exit_code == 2, result.output
    assert "is not in the range 1<=x<=36500" in result.output
    assert not isinstance(result.exception, OverflowError)
