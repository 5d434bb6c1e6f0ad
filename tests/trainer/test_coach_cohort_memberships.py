"""A trainee may be in several cohorts: each cohort's coach sees them (and only their own
cohorts' pages), their assignments come from every cohort, and the migration carries the old
one-cohort memberships over (and back)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from test_coach_flow import Coach
from trainer import create_app
from trainer.extensions import db
from trainer.schema import MIGRATIONS
from trainer.services.assignments import for_trainee
from trainer.services.cohorts import remove_member

BEFORE = "af96834fe426"          # the last revision with user.cohort_id


def test_a_trainee_in_two_cohorts_is_seen_by_both_coaches(client, auth, make_user, make_cohort, make_attempt):
    carol, dave = make_user("carol", role="coach"), make_user("dave", role="coach")
    a, b = make_cohort("新员工A班", coach=carol), make_cohort("合规复训B班", coach=dave)
    amy = make_user("amy", cohort=a)
    amy.display_name = "李新人"
    amy.cohorts.append(b)
    db.session.commit()
    attempt = make_attempt(amy)

    coach = Coach(client, auth, "dave")
    page = coach.page(f"/coach/trainees/{amy.id}")
    assert "李新人" in page and "合规复训B班" in page and "新员工A班" not in page   # only dave's cohort named
    assert f"/coach/attempts/{attempt.id}" in page
    assert "李新人" in coach.page("/coach/") and "李新人" in coach.page(f"/coach/cohorts/{b.id}")
    assert client.get(f"/coach/cohorts/{a.id}").status_code == 403

    remove_member(b, amy.id)
    assert amy.cohort_ids == {a.id}                       # taken out of B, still in A
    assert client.get(f"/coach/trainees/{amy.id}").status_code == 404


def test_assignments_come_from_every_cohort(make_user, make_cohort):
    from datetime import date
    from trainer.models import Assignment
    carol = make_user("carol", role="coach")
    a, b = make_cohort("A", coach=carol), make_cohort("B", coach=carol)
    amy = make_user("amy", cohort=a)
    amy.cohorts.append(b)
    for cohort, scenario in ((a, "transfer_not_arrived"), (b, "aml_split_withdrawal")):
        db.session.add(Assignment(cohort_id=cohort.id, scenario_id=scenario, mode="practice",
                                  due=date(2030, 1, 1), created_by=carol.id))
    db.session.commit()
    assert sorted(x.scenario_id for x, _ in for_trainee(amy)) == ["aml_split_withdrawal", "transfer_not_arrived"]


def test_the_migration_keeps_each_trainees_cohort_and_gives_it_back(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "m", "SCHEMA_CHECK": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO cohort (id, name) VALUES (1, 'A'), (2, 'B')"))
            conn.execute(sa.text(
                "INSERT INTO user (id, username, display_name, password_hash, role, cohort_id, created_at, failed_logins) "
                "VALUES (1, 'amy', '', 'x', 'trainee', 2, '2026-01-01 00:00:00', 0), "
                "(2, 'bob', '', 'x', 'trainee', NULL, '2026-01-01 00:00:00', 0)"))
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT cohort_id, user_id FROM cohort_member")).all() == [(2, 1)]
            assert "cohort_id" not in {c["name"] for c in sa.inspect(conn).get_columns("user")}
            conn.execute(sa.text("INSERT INTO cohort_member (cohort_id, user_id, joined_at) "
                                 "VALUES (1, 1, '2026-02-01 00:00:00')"))
            conn.commit()
        downgrade(directory=str(MIGRATIONS), revision=BEFORE)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT username, cohort_id FROM user ORDER BY id")).all() == \
                [("amy", 2), ("bob", None)]           # the cohort joined first
        db.session.remove()
        db.engine.dispose()
