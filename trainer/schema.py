"""The database schema is owned by Alembic migrations (trainer/migrations): the app checks the
database is at the code's revision before serving, and says what to run when it is not."""
from __future__ import annotations

from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaError(RuntimeError):
    """The database is not at the revision this code needs."""


def head_revision() -> str:
    """The newest migration the code ships."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine) -> str | None:
    """The revision the database says it is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_current(app, db) -> None:
    """Upgrade when the app may (AUTO_MIGRATE), otherwise refuse to run on an old schema."""
    with app.app_context():
        current, head = current_revision(db.engine), head_revision()
        if current == head:
            return
        if app.config.get("AUTO_MIGRATE"):
            from flask_migrate import upgrade
            upgrade(directory=str(MIGRATIONS))
            return
        where = app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]
        raise SchemaError(
            f"the database ({where}) is at revision {current or 'none (empty)'}, this code needs "
            f"{head}: run `rmtrainer db upgrade` (with the same DATABASE_URL) and start again")
