"""RM Trainer's application room: the Flask app, its persistence, pages, JSON API and CLI.

The app factory lives in trainer.app. It is re-exported here lazily (PEP 562) so that
`from trainer import create_app` and gunicorn's `trainer:create_app()` keep working, while
commands that need no web or database stack (`rmtrainer grade`) do not pay ~0.5 s to import
Flask, SQLAlchemy and Alembic just because trainer.cli lives in this package.
"""
from __future__ import annotations

_APP_NAMES = frozenset({"create_app", "select_locale", "IdConverter", "TEMPLATES", "LOCALES", "MAX_ID"})


def __getattr__(name: str):
    """The app factory's public names, imported from trainer.app on first use."""
    if name in _APP_NAMES:
        from trainer import app
        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
