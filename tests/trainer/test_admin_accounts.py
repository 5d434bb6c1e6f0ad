"""An admin runs accounts from /admin: creates users, resets passwords (the user must choose a
new one before any page opens), deactivates and reactivates, revokes API tokens after a
confirmation page, finds people by display name; every action is in the audit log."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from conftest import PASSWORD, Auth
from trainer.extensions import db
from trainer.models import AuditEvent, User
from trainer.services import audit
from trainer.services.users import UserError, deactivate, issue_token

TEMPORARY = "temporary-pass-42"
CHOSEN = "my-own-secret-77"


@pytest.fixture
def people(make_user, make_cohort):
    carol = make_user("carol", role="coach")
    cohort = make_cohort("秋季新员工", coach=carol)
    return {"amy": make_user("amy", cohort=cohort), "carol": carol, "root": make_user("root", role="admin")}


@pytest.fixture
def admin(app, people):
    """A second browser, logged in as the admin (the `auth` client stays free for the user)."""
    other = Auth(app.test_client())
    assert other.login("root").status_code == 302
    return other


def post(who: Auth, url: str, data=None, page=None):
    return who.client.post(url, data={**(data or {}), "csrf_token": who.csrf(page or url)})


def text(response) -> str:
    return response.get_data(as_text=True)


def api(client, token):
    return client.get("/api/v1/scenarios", headers={"Authorization": f"Bearer {token}"})


def test_an_admin_creates_an_account_that_can_log_in(admin, auth, client):
    response = post(admin, "/admin/users/new?lang=en", {"username": "dan", "display_name": "王大年", "role": "coach",
                                                       "password": TEMPORARY})
    assert response.status_code == 302
    listed = text(admin.client.get(response.headers["Location"] + "&lang=en"))
    assert "Account dan created" in listed and "<td>王大年</td>" in listed
    dan = User.query.filter_by(username="dan").one()
    assert (dan.role, dan.display_name, dan.must_change_password) == ("coach", "王大年", False)
    assert AuditEvent.query.filter_by(action="user_create", actor="root", target="user:dan").count() == 1
    assert auth.login("dan", TEMPORARY).headers["Location"].endswith("/coach/")


@pytest.mark.parametrize("body, message", [
    ({"username": "dan", "password": "short"}, "at least 10 characters"),
    ({"username": "dan", "password": "password123"}, "most common"),
    ({"username": "amy", "password": TEMPORARY}, "already exists"),
    ({"username": "deleted-9", "password": TEMPORARY}, "reserved"),
    ({"username": "", "password": TEMPORARY}, "Please enter a username"),
])
def test_a_refused_account_says_why_and_creates_nothing(admin, body, message):
    response = post(admin, "/admin/users/new?lang=en", {"role": "trainee", **body}, page="/admin/users/new")
    assert response.status_code == 422 and message in text(response)
    assert User.query.count() == 3


def test_a_new_account_can_be_made_to_change_its_password_first(admin, auth, client):
    post(admin, "/admin/users/new", {"username": "dan", "role": "trainee", "password": TEMPORARY, "must_change": "y"})
    assert auth.login("dan", TEMPORARY).headers["Location"].endswith("/password")
    for page in ("/catalogue", "/history", "/"):
        assert client.get(page).headers["Location"].endswith("/password")


def test_a_reset_password_must_be_changed_before_any_page_opens(admin, auth, client, people):
    amy = people["amy"]
    auth.login("amy")
    token = issue_token(amy)
    confirm = text(admin.client.get(f"/admin/users/{amy.id}/reset-password?lang=en"))
    assert "Reset the password of amy?" in confirm
    assert post(admin, f"/admin/users/{amy.id}/reset-password", {"password": TEMPORARY}).status_code == 302
    # her open session and her API token end at once
    assert client.get("/catalogue").status_code == 302 and api(client, token).status_code == 401
    assert auth.login("amy").status_code == 401                      # the old password is gone
    assert auth.login("amy", TEMPORARY).headers["Location"].endswith("/password")
    for page in ("/catalogue", "/history", "/attempts/1", "/coach/"):
        assert client.get(page).headers["Location"].endswith("/password"), page
    form = text(client.get("/password?lang=en"))
    assert "An administrator has set your password" in form
    assert ">Catalogue</a>" not in form and ">My progress</a>" not in form     # no links that lead nowhere
    mismatch = post(auth, "/password?lang=en", {"current": TEMPORARY, "new": CHOSEN, "confirm": CHOSEN + "x"},
                    page="/password")
    assert mismatch.status_code == 422 and "The two new passwords differ" in text(mismatch)
    same = post(auth, "/password?lang=en", {"current": TEMPORARY, "new": TEMPORARY, "confirm": TEMPORARY},
                page="/password")
    assert same.status_code == 422 and "must differ from the current one" in text(same)
    done = post(auth, "/password", {"current": TEMPORARY, "new": CHOSEN, "confirm": CHOSEN})
    assert done.headers["Location"].endswith("/catalogue")
    assert client.get("/catalogue").status_code == 200               # the session goes on
    auth.logout()
    assert auth.login("amy", CHOSEN).headers["Location"].endswith("/catalogue")
    assert [e.actor for e in AuditEvent.query.filter_by(action="password_reset")] == ["root"]
    assert AuditEvent.query.filter_by(action="password_change", target="user:amy").count() == 1


def test_a_wrong_current_password_is_refused(auth, client, people):
    auth.login("amy")
    response = post(auth, "/password?lang=en", {"current": "not-my-password", "new": CHOSEN, "confirm": CHOSEN},
                    page="/password")
    assert response.status_code == 422 and "the current password is wrong" in text(response)
    db.session.expire_all()
    assert people["amy"].check_password(PASSWORD)


def test_a_temporary_password_must_meet_the_policy(admin, people):
    response = post(admin, f"/admin/users/{people['amy'].id}/reset-password?lang=en", {"password": "amy"},
                    page=f"/admin/users/{people['amy'].id}/reset-password")
    assert response.status_code == 422 and "at least 10 characters" in text(response)
    db.session.expire_all()
    assert not people["amy"].must_change_password


def test_a_deactivated_account_cannot_log_in_or_use_its_tokens_until_reactivated(admin, auth, client, people):
    amy = people["amy"]
    auth.login("amy")
    token = issue_token(amy)
    question = text(admin.client.get(f"/admin/users/{amy.id}/deactivate?lang=en"))
    assert "Deactivate amy?" in question and "can no longer log in" in question
    db.session.expire_all()
    assert db.session.get(User, amy.id).deactivated_at is None        # asking changes nothing
    assert post(admin, f"/admin/users/{amy.id}/deactivate").status_code == 302
    assert "Deactivated" in text(admin.client.get("/admin/users?q=amy&lang=en"))
    assert client.get("/catalogue").status_code == 302                 # her open session ended
    assert auth.login("amy").status_code == 401 and api(client, token).status_code == 401
    with pytest.raises(UserError):
        issue_token(db.session.get(User, amy.id))
    assert post(admin, f"/admin/users/{amy.id}/reactivate", page="/admin/users").status_code == 302
    assert auth.login("amy").status_code == 302
    assert api(client, token).status_code == 401                      # revoked tokens stay revoked
    actions = [e.action for e in AuditEvent.query.filter_by(target="user:amy").order_by(AuditEvent.id)]
    assert "user_deactivate" in actions and "user_reactivate" in actions


def test_an_admin_cannot_deactivate_themselves_or_the_last_admin(admin, people):
    root = people["root"]
    post(admin, f"/admin/users/{root.id}/deactivate")
    db.session.expire_all()
    assert root.deactivated_at is None
    with pytest.raises(UserError, match="last active admin"):
        deactivate(root, actor=people["carol"])


def test_revoking_tokens_asks_first_and_then_the_api_answers_401(admin, client, people):
    amy = people["amy"]
    token = issue_token(amy)
    question = text(admin.client.get(f"/admin/users/{amy.id}/revoke-tokens?lang=en"))
    assert "Revoke the API tokens of amy?" in question and "1 live tokens" in question
    assert api(client, token).status_code == 200
    post(admin, f"/admin/users/{amy.id}/revoke-tokens")
    assert api(client, token).status_code == 401


def test_users_are_found_by_display_name_or_username(admin, make_user):
    User.query.filter_by(username="amy").one().display_name = "李晓梅"
    db.session.commit()
    found = text(admin.client.get("/admin/users", query_string={"q": "晓梅"}))
    assert "<tr><td>amy</td>" in found and "<tr><td>carol</td>" not in found
    assert text(admin.client.get("/admin/users?q=caro")).count("<tr><td>") == 1


def test_the_audit_log_reads_in_the_ui_language_local_time_and_filters_by_account(app, admin, people):
    event = audit.record("token_revoke", "user:amy", {"tokens": 2, "reason": "revoked by an admin"})
    event.at = datetime(2026, 11, 30, 1, 5, 0)          # UTC
    db.session.commit()
    zh = text(admin.client.get("/admin/audit?lang=zh&user=amy"))
    assert "2026-11-30 09:05:00" in zh and "Asia/Shanghai" in zh    # +8 hours
    assert "吊销 API 令牌" in zh and "2 个令牌：由管理员吊销" in zh
    assert "{" not in re.search(r'<tbody>.*</tbody>', zh, re.S).group(0)   # no raw JSON
    en = text(admin.client.get("/admin/audit?lang=en&user=amy"))
    assert "API tokens revoked" in en and "2 tokens: revoked by an admin" in en
    assert 'data-action="login"' not in en                # root's logins are not amy's events
    app.config["TIME_ZONE"] = "Europe/London"
    assert "2026-11-30 01:05:00" in text(admin.client.get("/admin/audit?user=amy"))
