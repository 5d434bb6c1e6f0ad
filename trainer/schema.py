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


class DatabaseUnreachable(SchemaError):
    """The database cannot be reached at start: one line saying where and why, no traceback."""


def _reachable_revision(app, db) -> str | None:
    """The database's revision, or DatabaseUnreachable naming the server and the driver's reason."""
    from sqlalchemy.exc import SQLAlchemyError
    try:
        return current_revision(db.engine)
    except SQLAlchemyError as e:
        where = app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]
        reason = (str(getattr(e, "orig", None) or e).strip().splitlines() or [type(e).__name__])[0]
        raise DatabaseUnreachable(f"cannot reach the database ({where}): {reason}; check DATABASE_URL "
                                  "and that the server is running, then start again") from None


def ensure_current(app, db) -> None:
    """Upgrade when the app may (AUTO_MIGRATE), otherwise refuse to run on an old schema."""
    with app.app_context():
        current, head = _reachable_revision(app, db), head_revision()
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
