"""The password policy: at least 10 characters, not only whitespace, not a common password from
the list shipped in the repository, not the username; wherever a password is set."""
from __future__ import annotations

import pytest

from trainer.services.passwords import COMMON, common_passwords
from trainer.services.users import UserError, create_user, set_password


@pytest.mark.parametrize("password, message", [
    ("12345678", "at least 10 characters"),
    ("password", "at least 10 characters"),
    (" " * 8, "empty or only spaces"),
    (" " * 12, "empty or only spaces"),
    ("\t\n  \u3000   \t  ", "empty or only spaces"),
    ("1234567890", "one of the most common"),
    ("Password123", "one of the most common"),
    ("QWERTYUIOP", "one of the most common"),
    ("woaini1314", "one of the most common"),
    ("amy-the-trainee", "may not be the username"),
])
def test_weak_passwords_are_refused_with_the_reason(app, password, message):
    with pytest.raises(UserError, match=message):
        create_user("amy-the-trainee", password)


def test_a_password_change_follows_the_same_policy(app, make_user):
    amy = make_user("amy")
    for weak in ("12345678", "password123", " " * 10):
        with pytest.raises(UserError):
            set_password(amy, weak)
    set_password(amy, "a-sound-passphrase")
    assert amy.check_password("a-sound-passphrase")


def test_the_list_ships_in_the_repository_and_holds_the_usual_suspects():
    assert COMMON.is_file() and COMMON.parent.name == "data"
    assert {"123456", "password", "12345678", "qwerty", "1234567890", "password123"} <= common_passwords()
    assert len(common_passwords()) >= 200


def test_the_cli_refuses_a_common_password(runner, app, monkeypatch):
    from click.testing import CliRunner
    from trainer.cli import main
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "test")
    result = CliRunner().invoke(main, ["users", "create", "amy", "--password", "password123"])
    assert result.exit_code == 1 and "one of the most common" in result.output
