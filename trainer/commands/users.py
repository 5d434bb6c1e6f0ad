"""`rmtrainer users create|token|revoke-tokens|password|unlock|delete-data`: accounts, API bearer tokens,
lockouts and deleting a trainee's data on request, against the configured database."""
from __future__ import annotations

from contextlib import contextmanager

import click

from trainer.models import ROLES


@contextmanager
def _app_context():
    """The app as the environment configures it (DATABASE_URL, SECRET_KEY), its database closed after."""
    from trainer.app import create_app
    from trainer.extensions import db
    app = create_app()
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@click.group("users")
def users_group():
    """Accounts: create trainees, coaches and admins; API tokens; passwords, lockouts, data deletion."""


@users_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="trainee", show_default=True, help="What the account may do.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 10 characters, not a common password; asked for (hidden) when not given.")
@click.option("--cohort", "cohort_name", help="A trainee joins this cohort; a coach runs it (created if new).")
def create_command(name, role, password, cohort_name):
    """Create an account NAME with a hashed password."""
    from trainer.extensions import db
    from trainer.models import Cohort
    from trainer.services.users import UserError, create_user
    if cohort_name and role == "admin":
        raise click.UsageError("--cohort is for trainees and coaches; admins see every cohort")
    with _app_context():
        cohort = Cohort.query.filter_by(name=cohort_name).first() if cohort_name else None
        new_cohort = bool(cohort_name) and cohort is None
        if new_cohort:
            cohort = Cohort(name=cohort_name)
            db.session.add(cohort)
            db.session.flush()      # an id for the user; committed with the user, or rolled back
        try:
            user = create_user(name, password, role, cohort=cohort if role == "trainee" else None)
        except UserError as e:
            db.session.rollback()
            raise click.ClickException(str(e)) from None
        if cohort is not None and role == "coach":
            cohort.coach_id = user.id
            db.session.commit()
        if new_cohort:
            click.echo(f"created cohort '{cohort.name}'")
        where = f" in cohort '{cohort.name}'" if cohort is not None else ""
        click.echo(f"created {role} '{user.username}'{where}")


@users_group.command("token")
@click.argument("name")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="How long the token lives (default: API_TOKEN_DAYS, 90).")
def token_command(name, days):
    """Print a new API bearer token for NAME (shown once; only its hash is stored; it expires)."""
    from trainer.services.users import UserError, issue_token
    with _app_context():
        user = _find(name)
        try:
            click.echo(issue_token(user, days))
        except UserError as e:
            raise click.ClickException(str(e)) from None


@users_group.command("revoke-tokens")
@click.argument("name")
def revoke_tokens_command(name):
    """Revoke every API token of NAME (audited); the API refuses them from now on."""
    from trainer.services import tokens
    with _app_context():
        count = tokens.revoke_all(_find(name), "revoked from the command line")
        click.echo(f"revoked {count} API token{'s' if count != 1 else ''} of '{name}'")


def _find(name: str):
    """The user NAME, or a clear error."""
    from trainer.models import User
    user = User.query.filter_by(username=name).first()
    if user is None:
        raise click.ClickException(f"no user named '{name}'")
    return user


@users_group.command("password")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 10 characters, not a common password; asked for (hidden) when not given.")
def password_command(name, password):
    """Set NAME's password; their sessions end, so they log in again."""
    from trainer.services.users import UserError, set_password
    with _app_context():
        try:
            set_password(_find(name), password)
        except UserError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"password of '{name}' changed; their sessions have ended")


@users_group.command("unlock")
@click.argument("name")
def unlock_command(name):
    """Let NAME log in again after a lockout from failed logins."""
    from trainer.services.logins import is_locked, unlock
    with _app_context():
        user = _find(name)
        was_locked = is_locked(user)
        unlock(user)
        click.echo(f"unlocked '{name}'" if was_locked else f"'{name}' was not locked; failed-login count reset")


@users_group.command("delete-data")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_data_command(name, yes):
    """Delete trainee NAME's attempts, turns, coach grades and API tokens; anonymise the account."""
    from trainer.services.users import UserError, data_counts, delete_user_data
    with _app_context():
        user = _find(name)
        if user.role != "trainee":
            raise click.ClickException(f"'{name}' is a {user.role}: only a trainee's data is deleted this way")
        counts = data_counts(user)
        if not yes:
            click.confirm(f"delete {counts['attempts']} attempts, {counts['turns']} turns, "
                          f"{counts['overrides']} coach grades and {counts['api_tokens']} API tokens "
                          f"of '{name}', and anonymise the account?", abort=True)
        try:
            counts = delete_user_data(user)
        except UserError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"deleted {counts['attempts']} attempts, {counts['turns']} turns, "
                   f"{counts['overrides']} coach grades and {counts['api_tokens']} API tokens of '{name}'; "
                   f"the account is now 'deleted-{user.id}'")
