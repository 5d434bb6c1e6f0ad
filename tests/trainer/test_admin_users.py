"""The admin's user list at /admin/users: change a role, lift a lockout, delete a trainee's data
on request (after typing the name), each audited; an admin cannot demote themselves."""
from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from trainer.extensions import db
from trainer.models import ApiToken, Attempt, AuditEvent, GradeOverride, Turn, User
from trainer.services.attempts import submit_reply
from trainer.services.cohorts import override_turn
from trainer.services.users import issue_token

HELLO = "您好，真的很抱歉让您着急了，这件事由我来跟进，我马上帮您查。"
SCORES = {"etiquette": 70, "structure": 60, "empathy": 80, "compliance": 90}


@pytest.fixture
def people(make_user, make_cohort):
    carol = make_user("carol", role="coach")
    cohort = make_cohort("秋季新员工", coach=carol)
    return {"amy": make_user("amy", cohort=cohort), "bob": make_user("bob", cohort=cohort),
            "carol": carol, "root": make_user("root", role="admin")}


@pytest.fixture
def admin(auth, people):
    assert auth.login("root").status_code == 302
    return auth


def post(auth, url, data=None):
    return auth.client.post(url, data={**(data or {}), "csrf_token": auth.csrf("/admin/users")})


def flashes(auth) -> str:
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', auth.client.get("/admin/users").get_data(as_text=True)))


def test_the_user_list_shows_every_account_with_its_role(admin, client):
    page = client.get("/admin/users").get_data(as_text=True)
    for name in ("amy", "bob", "carol", "root"):
        assert f"<td>{name}</td>" in page
    assert client.get("/admin/users?q=bo").get_data(as_text=True).count("<tr><td>") == 1


def test_an_admin_changes_a_role_and_it_takes_effect_at_once(admin, client, auth, people):
    amy = people["amy"]
    response = post(auth, f"/admin/users/{amy.id}/role", {"role": "coach"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (amy.role, amy.cohorts) == ("coach", [])            # coaches are not cohort members
    event = AuditEvent.query.filter_by(action="role_change").one()
    assert (event.actor, event.target, event.detail) == ("root", "user:amy", "trainee -> coach")
    auth.logout()
    auth.login("amy")
    assert client.get("/coach/").status_code == 200


def test_an_admin_cannot_change_their_own_role(admin, auth, people):
    root = people["root"]
    post(auth, f"/admin/users/{root.id}/role", {"role": "trainee"})
    db.session.expire_all()
    assert root.role == "admin"
    shown = flashes(auth)
    assert "cannot change your own role" in shown or "不能更改自己的角色" in shown


def test_an_unknown_role_is_refused(admin, auth, people):
    amy = people["amy"]
    assert post(auth, f"/admin/users/{amy.id}/role", {"role": "boss"}).status_code == 400
    db.session.expire_all()
    assert amy.role == "trainee"


def test_an_admin_unlocks_a_locked_account(auth, client, people):
    for n in range(5):
        auth.login("amy", f"wrong-password-{n}")
    assert auth.login("amy").status_code == 401
    auth.login("root")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Locked until" in page or "锁定至" in page
    assert post(auth, f"/admin/users/{people['amy'].id}/unlock").status_code == 302
    assert AuditEvent.query.filter_by(action="unlock", actor="root", target="user:amy").count() == 1
    auth.logout()
    assert auth.login("amy").status_code == 302


def test_deleting_a_trainees_data_removes_it_and_anonymises_the_account(admin, auth, client, people, make_attempt):
    amy, carol = people["amy"], people["carol"]
    attempt = make_attempt(amy)
    turn = submit_reply(attempt, HELLO).turn
    attempt.status = "finished"            # a coach grades an attempt once it has ended
    override_turn(turn, carol, SCORES, "更好")
    token = issue_token(amy)
    kept = make_attempt(people["bob"])
    attempt_id, kept_id = attempt.id, kept.id
    confirm = client.get(f"/admin/users/{amy.id}/delete-data").get_data(as_text=True)
    assert "amy" in confirm and re.search(r"1 (attempts|次演练)", confirm)
    wrong = post(auth, f"/admin/users/{amy.id}/delete-data", {"confirm": "bob"})
    assert wrong.status_code == 422 and Attempt.query.filter_by(user_id=amy.id).count() == 1
    done = post(auth, f"/admin/users/{amy.id}/delete-data", {"confirm": "amy"})
    assert done.status_code == 302
    assert [Attempt.query.filter_by(user_id=amy.id).count(), Turn.query.filter_by(attempt_id=attempt_id).count(),
            GradeOverride.query.count(), ApiToken.query.filter_by(user_id=amy.id).count()] == [0, 0, 0, 0]
    assert db.session.get(Attempt, kept_id) is not None            # bob's data stays
    stored = db.session.get(User, amy.id)
    assert (stored.username, stored.display_name, stored.cohorts) == (f"deleted-{amy.id}", "", [])
    event = AuditEvent.query.filter_by(action="user_data_delete").one()
    assert (event.actor, event.target) == ("root", "user:amy") and '"attempts": 1' in event.detail
    # amy can no longer log in, and her token no longer opens the API.
    auth.logout()
    assert auth.login("amy").status_code == 401 and auth.login(f"deleted-{amy.id}", PASSWORD).status_code == 401
    assert client.get("/api/v1/scenarios", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_deleted_trainees_open_session_ends(app, auth, client, people):
    auth.login("amy")
    other = app.test_client()
    from conftest import Auth
    root = Auth(other)
    root.login("root")
    other.post(f"/admin/users/{people['amy'].id}/delete-data",
               data={"confirm": "amy", "csrf_token": root.csrf(f"/admin/users/{people['amy'].id}/delete-data")})
    assert client.get("/catalogue").status_code == 302


def test_only_a_trainees_data_is_deleted_this_way(admin, client, people):
    assert client.get(f"/admin/users/{people['carol'].id}/delete-data").status_code == 404
    assert client.get("/admin/users/9999/delete-data").status_code == 404
