"""Who reaches the coach area: trainees never; a coach only their own cohorts and their trainees'
attempts; an admin everything. And the dashboard's queries do not grow with the cohort."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from test_coach_flow import SPLIT, Coach, form_post
from trainer.extensions import db
from trainer.models import Assignment, Cohort, GradeOverride, User
from trainer.services import coaching
from trainer.services.attempts import submit_reply

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.fixture
def world(make_user, make_cohort, make_attempt):
    """carol coaches amy (who crossed a red line); dave coaches bob; root is an admin."""
    carol, dave = make_user("carol", role="coach"), make_user("dave", role="coach")
    make_user("root", role="admin")
    mine, theirs = make_cohort("A", coach=carol), make_cohort("B", coach=dave)
    amy, bob = make_user("amy", cohort=mine), make_user("bob", cohort=theirs)
    make_user("zoe")
    attempt = make_attempt(amy, "aml_split_withdrawal", seed=32)
    submit_reply(attempt, SPLIT)
    return {"mine": mine, "theirs": theirs, "attempt": attempt, "turn": attempt.turns[0], "amy": amy, "bob": bob}


def pages(w) -> list:
    """Every coach page, as GET URLs."""
    return ["/coach/", "/coach/cohorts", "/coach/agreement", f"/coach/cohorts/{w['mine'].id}",
            f"/coach/cohorts/{w['mine'].id}/results.csv", f"/coach/attempts/{w['attempt'].id}"]


def posts(w) -> dict:
    """Every coach form: URL -> a valid submission."""
    c, t, a = w["mine"].id, w["turn"].id, w["attempt"].id
    return {"/coach/cohorts": {"name": "Mine now"},
            f"/coach/cohorts/{c}/members": {"username": "zoe"},
            f"/coach/cohorts/{c}/members/{w['amy'].id}/remove": {},
            f"/coach/cohorts/{c}/assignments": {"work": "track:onboarding", "mode": "exam", "due": TOMORROW},
            f"/coach/attempts/{a}/turns/{t}/override": {f"t{t}-{d}": "90" for d in
                                                        ("etiquette", "structure", "empathy", "compliance")}
            | {f"t{t}-comment": "fine"}}


def unchanged(w) -> bool:
    """True when none of the coach forms changed anything."""
    return (db.session.get(User, w["amy"].id).cohort_ids == {w["mine"].id}
            and User.query.filter_by(username="zoe").one().cohorts == []
            and Assignment.query.count() == 0 and GradeOverride.query.count() == 0
            and {c.name for c in Cohort.query.all()} == {"A", "B"})


def test_a_trainee_gets_403_on_every_coach_page_and_form(client, auth, world):
    auth.login("amy")
    for url in pages(world):
        assert client.get(url).status_code == 403, url
    for url, data in posts(world).items():
        assert form_post(client, auth, url, data).status_code == 403, url
    assert unchanged(world)


def test_someone_logged_out_is_sent_to_the_login_page(client, world):
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_a_coach_of_another_cohort_cannot_reach_this_cohort_or_its_attempts(client, auth, world):
    dave = Coach(client, auth, "dave")
    c, a = world["mine"].id, world["attempt"].id
    assert client.get(f"/coach/attempts/{a}").status_code == 404
    assert client.get(f"/coach/attempts/{a}").status_code == client.get("/coach/attempts/99999").status_code
    assert client.get(f"/coach/cohorts/{c}").status_code == 403
    assert client.get(f"/coach/cohorts/{c}/results.csv").status_code == 403
    for url, data in posts(world).items():
        if url == "/coach/cohorts":
            continue                                  # creating a cohort of one's own is allowed
        token_field = f"t{world['turn'].id}-csrf_token" if "override" in url else "csrf_token"
        assert dave.post(url, data, token_field=token_field).status_code in (403, 404), url
    assert unchanged(world)
    dashboard = dave.page("/coach/")
    assert "amy" not in dashboard and "bob" in dashboard
    assert "amy" not in dave.page("/coach/cohorts")


def test_an_admin_sees_every_cohort_and_attempt(client, auth, world):
    root = Coach(client, auth, "root")
    dashboard = root.page("/coach/")
    assert "amy" in dashboard and "bob" in dashboard
    assert root.page(f"/coach/attempts/{world['attempt'].id}")
    assert root.client.get(f"/coach/cohorts/{world['theirs'].id}").status_code == 200


def count_queries(fn) -> int:
    """How many SQL statements fn() sends."""
    statements = []
    listener = lambda *args: statements.append(args[2])   # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


@pytest.fixture
def cohort_of(make_user, make_cohort, make_attempt):
    """cohort_of(name, size): a cohort of carol's with `size` trainees, two attempts each."""
    coach = make_user("carol", role="coach")

    def cohort_of(name, size):
        cohort = make_cohort(name, coach=coach)
        db.session.add(Assignment(cohort_id=cohort.id, track_id="onboarding", mode="practice",
                                  due=date.today(), created_by=coach.id))
        for i in range(size):
            trainee = make_user(f"{name}{i}", cohort=cohort)
            submit_reply(make_attempt(trainee, "aml_split_withdrawal", seed=32), SPLIT)
            submit_reply(make_attempt(trainee, "transfer_not_arrived", seed=11), "您好，我马上帮您查。")
        db.session.commit()
        db.session.expire_all()
        return cohort
    return cohort_of


def test_the_dashboard_makes_the_same_few_queries_for_3_or_12_trainees(cohort_of):
    small, large = cohort_of("s", 3), cohort_of("l", 12)
    small_queries = count_queries(lambda: coaching.boards([small]))
    large_queries = count_queries(lambda: coaching.boards([large]))
    assert small_queries == large_queries <= 6
    board = coaching.boards([large])[0]
    assert len(board.rows) == 12 and len(board.incidents) == 12


def test_the_dashboard_page_does_not_query_per_trainee(client, auth, cohort_of):
    cohort_of("s", 2)
    carol = Coach(client, auth, "carol")
    db.session.expire_all()
    few = count_queries(lambda: carol.page("/coach/"))
    cohort_of("l", 8)
    db.session.expire_all()
    many = count_queries(lambda: carol.page("/coach/"))
    assert few == many <= 8
