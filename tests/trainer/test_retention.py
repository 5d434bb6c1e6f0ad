"""Data retention and deletion on request, as an operator runs them: `rmtrainer retention apply
--days N [--audit-days M]` and `rmtrainer users delete-data NAME` print what they deleted, leave
everything newer (or anyone else's) alone, and are audited. Also `rmtrainer users password`."""
from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from conftest import PASSWORD
from trainer.cli import main
from trainer.extensions import db
from trainer.models import ApiToken, Attempt, AuditEvent, GradeOverride, Turn, User, utcnow
from trainer.services import audit
from trainer.services.attempts import submit_reply
from trainer.services.cohorts import override_turn
from trainer.services.retention import apply_retention
from trainer.services.users import UserError, create_user, issue_token, set_password

HELLO = "您好，真的很抱歉让您着急了，这件事由我来跟进，我马上帮您查。"
SCORES = {"etiquette": 70, "structure": 60, "empathy": 80, "compliance": 90}


@pytest.fixture
def rmtrainer(app, monkeypatch):
    """rmtrainer(*args) runs the CLI against the test database, as an operator would."""
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "test")

    def run(*args, input=None):
        result = CliRunner().invoke(main, list(args), input=input)
        db.session.expire_all()
        return result
    return run


@pytest.fixture
def history(make_user, make_cohort, make_attempt):
    """amy: an attempt from 100 days ago (one turn, one coach grade) and one from today; bob: one
    from 40 days ago; audit events from 400 days ago and today."""
    carol = make_user("carol", role="coach")
    cohort = make_cohort("A", coach=carol)
    amy, bob = make_user("amy", cohort=cohort), make_user("bob", cohort=cohort)
    old = make_attempt(amy)
    turn = submit_reply(old, HELLO).turn
    old.status = "finished"                # a coach grades an attempt once it has ended
    override_turn(turn, carol, SCORES, "old")
    recent = make_attempt(amy)
    submit_reply(recent, HELLO)
    middle = make_attempt(bob)
    old.started_at = utcnow() - timedelta(days=100)
    middle.started_at = utcnow() - timedelta(days=40)
    audit.record("csv_export", "cohort:1").at = utcnow() - timedelta(days=400)
    db.session.commit()
    return {"old": old.id, "recent": recent.id, "middle": middle.id, "amy": amy, "bob": bob, "carol": carol}


def attempt_ids() -> set:
    return {a.id for a in Attempt.query}


def test_retention_deletes_attempts_turns_and_grades_older_than_n_days(rmtrainer, history):
    result = rmtrainer("retention", "apply", "--days", "90")
    assert result.exit_code == 0, result.output
    assert "deleted 1 attempts, 1 turns and 1 coach grades last active more than 90 days ago" in result.output
    assert "audit events kept" in result.output
    assert attempt_ids() == {history["recent"], history["middle"]}
    assert Turn.query.filter_by(attempt_id=history["old"]).count() == 0 and GradeOverride.query.count() == 0
    assert AuditEvent.query.filter_by(action="csv_export").count() == 1     # audit kept without --audit-days
    run = AuditEvent.query.filter_by(action="retention_run").one()
    assert run.actor == "cli" and '"attempts": 1' in run.detail and '"days": 90' in run.detail


def test_audit_events_are_kept_on_their_own_longer_clock(rmtrainer, history):
    result = rmtrainer("retention", "apply", "--days", "30", "--audit-days", "365")
    assert result.exit_code == 0, result.output
    assert "deleted 2 attempts" in result.output and "deleted 1 audit events older than 365 days" in result.output
    assert attempt_ids() == {history["recent"]}
    assert AuditEvent.query.filter_by(action="csv_export").count() == 0
    assert AuditEvent.query.filter_by(action="retention_run").count() == 1   # the run itself stays
    assert AuditEvent.query.filter_by(action="user_create").count() == 3     # today's events stay


def test_a_finished_attempt_counts_from_when_it_finished(history):
    old = db.session.get(Attempt, history["old"])
    old.finished_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert apply_retention(90)["attempts"] == 0 and history["old"] in attempt_ids()


@pytest.mark.parametrize("args, message", [
    (["--days", "0"], "0 is not in the range 1<=x<=36500"),
    (["--days", "30", "--audit-days", "0"], "0 is not in the range 1<=x<=36500"),
    ([], "Missing option '--days'"),
])
def test_retention_refuses_a_period_that_is_not_whole_days(rmtrainer, history, args, message):
    result = rmtrainer("retention", "apply", *args)
    assert result.exit_code == 2 and message in result.output
    assert len(attempt_ids()) == 3


def test_delete_data_removes_one_trainees_records_and_anonymises_the_account(rmtrainer, history):
    amy_id = history["amy"].id
    issue_token(history["amy"])
    result = rmtrainer("users", "delete-data", "amy", input="y\n")
    assert result.exit_code == 0, result.output
    assert "delete 2 attempts, 2 turns, 1 coach grades and 1 API tokens of 'amy'" in result.output
    assert f"the account is now 'deleted-{amy_id}'" in result.output
    assert attempt_ids() == {history["middle"]}
    assert ApiToken.query.count() == 0 and GradeOverride.query.count() == 0
    amy = db.session.get(User, amy_id)
    assert amy.username == f"deleted-{amy_id}" and not amy.check_password(PASSWORD)
    event = AuditEvent.query.filter_by(action="user_data_delete").one()
    assert (event.actor, event.target) == ("cli", "user:amy")


def test_delete_data_asks_first_and_refuses_coaches_and_unknown_names(rmtrainer, history):
    assert rmtrainer("users", "delete-data", "amy", input="n\n").exit_code == 1
    assert len(attempt_ids()) == 3
    coach = rmtrainer("users", "delete-data", "carol", "--yes")
    assert coach.exit_code == 1 and "only a trainee's data" in coach.output
    assert rmtrainer("users", "delete-data", "nobody", "--yes").output.strip().endswith("no user named 'nobody'")


def test_passwords_shorter_than_ten_characters_are_refused(app, rmtrainer, make_user):
    with pytest.raises(UserError, match="at least 10 characters"):
        create_user("amy", "nine-9999")
    amy = make_user("amy")
    with pytest.raises(UserError, match="at least 10 characters"):
        set_password(amy, "short")
    result = rmtrainer("users", "password", "amy", "--password", "short")
    assert result.exit_code == 1 and "at least 10 characters" in result.output
    assert rmtrainer("users", "password", "amy", "--password", "a-longer-one").exit_code == 0
    assert db.session.get(User, amy.id).check_password("a-longer-one")
    assert AuditEvent.query.filter_by(action="password_change", target="user:amy").count() == 1


def test_production_passwords_are_hashed_with_scrypt_at_owasp_strength():
    from trainer.models import PASSWORD_METHOD
    method, n, r, p = PASSWORD_METHOD.split(":")
    assert method == "scrypt" and int(n) >= 2 ** 15 and int(r) >= 8 and int(p) >= 1
