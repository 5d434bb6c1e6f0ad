"""API tokens expire (API_TOKEN_DAYS by default), can be revoked from the CLI and the admin page,
are revoked by a password change and by data deletion, are never issued for (nor accepted from)
an anonymised account, and every issue and revocation is in the audit log."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from trainer.cli import main
from trainer.extensions import db
from trainer.models import ApiToken, AuditEvent, User, utcnow
from trainer.services import tokens
from trainer.services.users import UserError, delete_user_data, issue_token, set_password


@pytest.fixture
def rmtrainer(app, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "test")

    def run(*args):
        result = CliRunner().invoke(main, list(args))
        db.session.expire_all()
        return result
    return run


def call(client, token):
    return client.get("/api/v1/scenarios", headers={"Authorization": f"Bearer {token}"})


def refused(response, message="invalid or revoked token"):
    return response.status_code == 401 and message in response.get_json()["error"]


def events(action):
    return [(e.target, e.detail) for e in AuditEvent.query.filter_by(action=action).order_by(AuditEvent.id)]


def test_a_token_expires_after_the_configured_days(app, client, make_user, monkeypatch):
    amy = make_user("amy")
    token = issue_token(amy)
    assert call(client, token).status_code == 200
    stored = ApiToken.query.one()
    assert timedelta(days=89) < stored.expires_at - utcnow() <= timedelta(days=90)
    later = utcnow() + timedelta(days=91)
    monkeypatch.setattr(tokens, "utcnow", lambda: later)
    assert refused(call(client, token), "the token has expired")
    app.config["API_TOKEN_DAYS"] = 7
    monkeypatch.undo()
    short = issue_token(amy)
    assert call(client, short).status_code == 200
    newest = ApiToken.query.order_by(ApiToken.id.desc()).first()
    assert timedelta(days=6) < newest.expires_at - utcnow() <= timedelta(days=7)


def test_the_cli_issues_with_days_and_revokes_and_both_are_audited(client, make_user, rmtrainer):
    make_user("amy")
    issued = rmtrainer("users", "token", "amy", "--days", "30")
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip()
    assert call(client, token).status_code == 200
    revoked = rmtrainer("users", "revoke-tokens", "amy")
    assert revoked.exit_code == 0 and "revoked 1 API token of 'amy'" in revoked.output
    assert refused(call(client, token))
    assert [t for t, _ in events("token_issue")] == ["user:amy"]
    assert events("token_revoke")[0][0] == "user:amy" and '"tokens": 1' in events("token_revoke")[0][1]


def test_an_admin_revokes_a_users_tokens_from_the_user_list(client, auth, make_user):
    amy = make_user("amy")
    make_user("root", role="admin")
    token = issue_token(amy)
    auth.login("root")
    page = client.get("/admin/users?q=amy&lang=en").get_data(as_text=True)
    assert "Revoke API tokens" in page
    action = re.search(r'action="(/admin/users/\d+/revoke-tokens)"', page).group(1)
    response = client.post(action, data={"csrf_token": auth.csrf("/admin/users")}, follow_redirects=True)
    assert "Revoked 1 API tokens of amy" in response.get_data(as_text=True)
    assert refused(call(client, token))
    (target, detail), = events("token_revoke")
    assert target == "user:amy" and "revoked by an admin" in detail
    assert AuditEvent.query.filter_by(action="token_revoke").one().actor == "root"


def test_a_password_change_revokes_the_tokens(client, make_user):
    amy = make_user("amy")
    token = issue_token(amy)
    set_password(amy, "a-brand-new-passphrase")
    assert refused(call(client, token))
    assert "password change" in events("token_revoke")[0][1]


def test_data_deletion_ends_the_tokens_and_no_token_is_issued_for_the_anonymised_account(
        client, make_user, rmtrainer):
    amy = make_user("amy")
    token = issue_token(amy)
    delete_user_data(amy)
    assert refused(call(client, token))
    anonymised = db.session.get(User, amy.id)
    with pytest.raises(UserError, match="not an active account"):
        issue_token(anonymised)
    result = rmtrainer("users", "token", anonymised.username)
    assert result.exit_code == 1 and "not an active account" in result.output
    assert ApiToken.query.count() == 0


def test_a_token_left_on_an_anonymised_account_is_refused(client, make_user):
    amy = make_user("amy")
    token = issue_token(amy)
    amy.password_hash = "!deleted"          # anonymised by an older version that kept its tokens
    db.session.commit()
    assert refused(call(client, token))


def test_a_token_without_an_expiry_is_refused(client, make_user):
    amy = make_user("amy")
    token = issue_token(amy)
    ApiToken.query.one().expires_at = None
    db.session.commit()
    assert refused(call(client, token), "the token has expired")
