"""Health: `GET /healthz` for the reverse proxy and monitoring, and a clear 503 (not a 500) for
any request made while the database is unavailable. Nothing here needs a restart to recover:
the engine's pre-ping (trainer/config.py) replaces dead connections once the database is back."""
from __future__ import annotations

import logging
from functools import lru_cache

from flask import Blueprint, Flask, jsonify, make_response, request, url_for
from markupsafe import escape
from sqlalchemy import exc

from trainer.errors import wants_json
from trainer.extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

MESSAGE = "the database is unavailable, try again shortly"
RETRY_AFTER_SECONDS = 5
# Connection refused or dropped, server shutting down (OperationalError), a closed connection
# (InterfaceError), a dead pooled connection (DisconnectionError), no free connection in the
# pool in time (TimeoutError). Integrity and programming errors stay 500s: they are bugs.
DATABASE_DOWN = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError)
# A page of its own, not a template: rendering one asks the database who is logged in (Flask-Login's
# context processor), which cannot work now.
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>503 · RM Trainer</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{css}"></head>
<body><main><section class="card narrow"><h1>503</h1>
<p>数据库暂时不可用，请稍后再试。</p><p lang="en">The database is unavailable, try again shortly.</p>
<p><a href="{again}">重试 · Try again</a></p></section></main></body></html>
"""
PLAIN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{status} · RM Trainer</title>
<link rel="stylesheet" href="{css}"></head>
<body><main><section class="card narrow"><h1>{status}</h1><p>{message}</p>
<p><a href="/">返回首页 · Start page</a></p></section></main></body></html>
"""


@lru_cache(maxsize=1)
def code_revision() -> str:
    """The schema revision this code needs (read from the migration scripts once)."""
    from trainer.schema import head_revision
    return head_revision()


def check() -> tuple[dict, int]:
    """The health report and its status: 200 when the database answers at the code's revision."""
    from trainer.schema import current_revision
    code = code_revision()
    try:
        current = current_revision(db.engine)
    except exc.SQLAlchemyError as e:
        log.warning("health check: database unreachable: %s", _first_line(e))
        return {"status": "unavailable", "database": {"reachable": False, "error": type(e).__name__},
                "schema": {"current": None, "code": code, "up_to_date": False}}, 503
    up_to_date = current == code
    return {"status": "ok" if up_to_date else "schema_outdated", "database": {"reachable": True},
            "schema": {"current": current, "code": code, "up_to_date": up_to_date}}, \
        200 if up_to_date else 503


@bp.get("/healthz")
def healthz():
    """Health for load balancers: JSON, 200 when ready to serve, 503 when not."""
    body, status = check()
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def database_unavailable(error: Exception):
    """A 503 with a message and Retry-After, JSON for the API, a plain page for people."""
    log.warning("database unavailable during %s %s: %s", request.method, request.path, _first_line(error))
    try:
        db.session.rollback()
    except exc.SQLAlchemyError:
        pass    # the connection is gone; the session is discarded at teardown anyway
    if request.path.startswith(("/api/", "/healthz")) or wants_json():
        response = jsonify(error=MESSAGE, status=503)
    else:
        page = PAGE.format(css=escape(url_for("static", filename="app.css")), again=escape(request.path))
        response = make_response(page)
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def plain_page(status: int, message: str):
    """A page that needs neither a template nor the database (an error while it is down)."""
    page = PLAIN.format(status=status, message=escape(message),
                        css=escape(url_for("static", filename="app.css")))
    return make_response(page, status)


def _first_line(error: Exception) -> str:
    """The driver's message, first line only (the rest repeats the SQL)."""
    return (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0]


def close_session(_error=None) -> None:
    """End the request's session even when its connection died after the response was made.

    Flask-SQLAlchemy's own teardown would raise from the ROLLBACK on the dead connection, after the
    view succeeded, and the server would answer 500. The failed rollback marks the connection
    invalid, so closing a second time returns it to the pool, which replaces it on next use."""
    try:
        db.session.remove()
    except exc.SQLAlchemyError as e:
        log.warning("database connection lost while closing the session: %s", _first_line(e))
        try:
            db.session.remove()
        except exc.SQLAlchemyError:
            db.session.registry.clear()


def install(app: Flask) -> None:
    """Serve /healthz, answer 503 instead of 500 while the database is down, close sessions safely."""
    app.register_blueprint(bp)
    for error in DATABASE_DOWN:
        app.register_error_handler(error, database_unavailable)
    app.teardown_appcontext(close_session)   # runs before Flask-SQLAlchemy's (teardowns run in reverse)
