"""`rmtrainer db`: schema migrations with Flask-Migrate/Alembic (upgrade, current, migrate)."""
from __future__ import annotations

import click


def _app():
    from trainer.app import create_app
    return create_app({"SCHEMA_CHECK": False})


@click.group("db")
def db_group():
    """Database schema migrations."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade_command(revision: str):
    """Bring the database (DATABASE_URL) up to the code's schema."""
    from flask_migrate import upgrade
    from trainer.extensions import db
    from trainer.schema import MIGRATIONS, current_revision
    app = _app()
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=revision)
        click.echo(f"database at revision {current_revision(db.engine)}")
        db.engine.dispose()     # close the connections now, not whenever they are collected


@db_group.command("current")
def current_command():
    """Print the database's revision and the code's."""
    from trainer.extensions import db
    from trainer.schema import current_revision, head_revision
    app = _app()
    with app.app_context():
        click.echo(f"database: {current_revision(db.engine) or 'empty'}; code: {head_revision()}")
        db.engine.dispose()


@db_group.command("migrate")
@click.option("-m", "--message", required=True, help="What the new revision changes.")
def migrate_command(message: str):
    """Write a new revision from the difference between the models and the database."""
    from flask_migrate import migrate
    from trainer.schema import MIGRATIONS
    with _app().app_context():
        migrate(directory=str(MIGRATIONS), message=message)
