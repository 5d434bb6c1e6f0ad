"""`rmtrainer users create|token` against the database DATABASE_URL names, as an operator runs them."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from trainer import create_app
from trainer.cli import main
from trainer.extensions import db
from trainer.models import ApiToken, Cohort, User


@pytest.fixture
def database(tmp_path, monkeypatch):
    """An empty SQLite file the commands (and the checks) use through the environment."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    upgraded = CliRunner().invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    return tmp_path / "cli.sqlite"


def rmtrainer(*args, input=None):
    """Run `rmtrainer users ARGS`."""
    return CliRunner().invoke(main, ["users", *args], input=input)


def look(fn):
    """Run fn inside a fresh app on the same database and return what it returns."""
    app = create_app()
    with app.app_context():
        try:
            return fn()
        finally:
            db.session.remove()
            db.engine.dispose()


def test_create_a_trainee_in_a_new_cohort(database):
    result = rmtrainer("create", "amy", "--role", "trainee", "--password", "correct-horse-9", "--cohort", "秋季新员工")
    assert result.exit_code == 0, result.output
    assert "created cohort '秋季新员工'" in result.output and "created trainee 'amy' in cohort '秋季新员工'" in result.output

    def check():
        amy = User.query.filter_by(username="amy").one()
        return amy.role, amy.cohorts[0].name, amy.check_password("correct-horse-9"), amy.password_hash.startswith("scrypt")
    assert look(check) == ("trainee", "秋季新员工", True, True)


def test_a_coach_with_a_cohort_runs_it(database):
    assert rmtrainer("create", "amy", "--password", "correct-horse-9", "--cohort", "A").exit_code == 0
    result = rmtrainer("create", "carol", "--role", "coach", "--password", "correct-horse-9", "--cohort", "A")
    assert result.exit_code == 0, result.output
    assert "created cohort" not in result.output

    def check():
        cohort = Cohort.query.filter_by(name="A").one()
        return cohort.coach.username, [m.username for m in cohort.members], Cohort.query.count()
    assert look(check) == ("carol", ["amy"], 1)


def test_the_password_is_asked_for_when_not_given(database):
    result = rmtrainer("create", "root", "--role", "admin", input="correct-horse-9\ncorrect-horse-9\n")
    assert result.exit_code == 0, result.output
    assert "correct-horse-9" not in result.output                    # typed hidden, never echoed
    assert look(lambda: User.query.filter_by(username="root").one().check_password("correct-horse-9"))


@pytest.mark.parametrize("args, code, message", [
    (["amy", "--password", "short"], 1, "at least 10 characters"),
    (["amy", "--role", "boss", "--password", "correct-horse-9"], 2, "'boss' is not one of"),
    (["root", "--role", "admin", "--password", "correct-horse-9", "--cohort", "A"], 2, "--cohort is for trainees and coaches"),
])
def test_bad_accounts_are_refused_with_the_reason(database, args, code, message):
    result = rmtrainer("create", *args)
    assert result.exit_code == code
    assert message in result.output
    assert look(lambda: (User.query.count(), Cohort.query.count())) == (0, 0)


def test_an_existing_name_is_refused_and_no_cohort_is_left_behind(database):
    assert rmtrainer("create", "amy", "--password", "correct-horse-9").exit_code == 0
    result = rmtrainer("create", "amy", "--password", "correct-horse-9", "--cohort", "New")
    assert result.exit_code == 1 and "user 'amy' already exists" in result.output
    assert look(lambda: Cohort.query.count()) == 0


def test_token_prints_a_new_bearer_token_stored_only_as_its_hash(database):
    assert rmtrainer("create", "amy", "--password", "correct-horse-9").exit_code == 0
    first, second = rmtrainer("token", "amy"), rmtrainer("token", "amy")
    assert first.exit_code == second.exit_code == 0
    token = first.output.strip()
    assert len(token) >= 40 and token != second.output.strip()

    def check():
        stored = ApiToken.query.filter_by(token_hash=ApiToken.digest(token)).one()
        return stored.user.username, ApiToken.query.filter(ApiToken.token_hash == token).count()
    assert look(check) == ("amy", 0)


def test_token_for_an_unknown_user_fails(database):
    result = rmtrainer("token", "nobody")
    assert result.exit_code == 1 and "no user named 'nobody'" in result.output


def test_commands_on_an_unmigrated_database_say_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    result = rmtrainer("create", "amy", "--role", "trainee", "--password", "correct-horse-9")
    assert result.exit_code == 1
    assert "run `rmtrainer db upgrade`" in result.output and "Traceback" not in result.output
