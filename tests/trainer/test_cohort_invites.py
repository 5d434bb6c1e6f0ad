"""A coach cannot probe accounts or claim trainees: adding a member by name answers the same
thing whatever the name is, and only invites; the trainee joins by accepting. An admin assigns."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from trainer.extensions import db
from trainer.models import AuditEvent, CohortInvite, User


@pytest.fixture
def world(make_user, make_cohort):
    carol = make_user("carol", "coach")
    mine, other = make_cohort("A", carol), make_cohort("B")
    return {"carol": carol, "mine": mine, "other": other, "zoe": make_user("zoe"),
            "bob": make_user("bob", cohort=other), "dave": make_user("dave", "coach"),
            "root": make_user("root", "admin")}


def add(client, auth, cohort, username):
    response = client.post(f"/coach/cohorts/{cohort.id}/members",
                           data={"username": username, "csrf_token": auth.csrf("/coach/")})
    return response.status_code, " ".join(re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<',
                                                       htmllib.unescape(response.get_data(as_text=True))))


def answer(client, auth, invite, choice="accept"):
    return client.post("/invitations", data={"invite_id": str(invite.id), "answer": choice,
                                             "csrf_token": auth.csrf("/catalogue")}, follow_redirects=True)


def test_the_coach_hears_the_same_for_any_name_and_no_one_joins(client, auth, world):
    client.get("/login?lang=en")
    auth.login("carol")
    answers = {name: add(client, auth, world["mine"], name) for name in ("nobody", "dave", "bob", "zoe")}
    for name, (status, message) in answers.items():
        assert status == 200
        assert message == f"If “{name}” is a trainee, they have been invited; they join when they accept the invitation."
    assert "B" not in " ".join(m for _, m in answers.values())
    db.session.expire_all()
    assert db.session.get(User, world["zoe"].id).cohorts == []            # invited, not claimed
    assert db.session.get(User, world["bob"].id).cohort_ids == {world["other"].id}
    # a trainee may be in several cohorts: bob (in B) is invited too; nobody and dave (a coach) are not
    assert sorted((i.user_id, i.cohort_id) for i in CohortInvite.query.all()) == \
        sorted([(world["zoe"].id, world["mine"].id), (world["bob"].id, world["mine"].id)])


def test_the_trainee_accepts_and_joins(client, auth, world):
    auth.login("carol")
    add(client, auth, world["mine"], "zoe")
    auth.logout()
    client.get("/login?lang=en")
    auth.login("zoe")
    page = client.get("/catalogue?lang=en").get_data(as_text=True)
    assert "invites you to join the cohort" in htmllib.unescape(page)
    response = answer(client, auth, CohortInvite.query.one())
    assert "You joined A" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world["zoe"].id).cohort_ids == {world["mine"].id}
    assert CohortInvite.query.count() == 0
    assert AuditEvent.query.filter_by(action="cohort_join", target="user:zoe").count() == 1


def test_a_trainee_cannot_answer_someone_elses_invitation(client, auth, world):
    auth.login("carol")
    add(client, auth, world["mine"], "zoe")
    auth.logout()
    client.get("/login?lang=en")
    auth.login("bob")
    response = answer(client, auth, CohortInvite.query.one())
    assert "That invitation is no longer open" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world["bob"].id).cohort_ids == {world["other"].id}
    assert db.session.get(User, world["zoe"].id).cohorts == []


def test_an_admin_assigns_directly_with_the_reason_when_refused(client, auth, world):
    auth.login("root")
    status, message = add(client, auth, world["mine"], "zoe")
    assert status == 302
    db.session.expire_all()
    assert db.session.get(User, world["zoe"].id).cohort_ids == {world["mine"].id}
    status, _ = add(client, auth, world["mine"], "nobody")
    assert status == 422
