"""Error pages for people and JSON errors for the API, with the right status codes."""
from __future__ import annotations

import logging

from flask import abort, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape

log = logging.getLogger(__name__)
# The last resort when even the error page cannot be rendered: no template, no database.
BARE_500 = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>500 · RM Trainer</title>
<link rel="stylesheet" href="{css}"></head>
<body><main><section class="card narrow"><h1>500</h1>
<p>服务器内部错误，请稍后再试。</p><p lang="en">Internal server error; please try again.</p>
<p><a href="/">返回首页 · Start page</a></p></section></main></body></html>
"""

MESSAGES = {400: "Bad request", 401: "Please log in", 403: "You do not have access to this page",
            404: "Not found", 405: "Method not allowed", 409: "Conflict",
            413: "The request is too large", 422: "The request could not be processed",
            429: "Too many requests", 500: "Internal server error"}


def wants_json() -> bool:
    """API routes (and clients that ask for JSON) get JSON errors."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, message: str | None = None):
    """A JSON or HTML error with a message a person can act on."""
    message = message or MESSAGES.get(status, "Error")
    if wants_json():
        return jsonify(error=message, status=status), status
    from trainer.health import DATABASE_DOWN, plain_page
    try:
        return render_template("errors/error.html", status=status, message=_(message)), status
    except DATABASE_DOWN:   # the page header asks who is logged in; keep the status, drop the header
        return plain_page(status, message), status


def refuse_nul_characters() -> None:
    """before_request: a NUL character in the query string or a form field is a 400. Nobody types
    one, and PostgreSQL can neither store nor compare text holding it (it was a 500). The API reads
    JSON, not forms: trainer/api/parse.py checks its bodies."""
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and request.blueprint != "api":
        sources.append(request.form)
    for values in sources:
        if any("\x00" in value for _, value in values.items(multi=True) if isinstance(value, str)):
            abort(400, description="Text may not contain NUL characters")


def register_errors(app) -> None:
    """Install the handlers on the app (and the NUL check, whose 400 they render)."""
    app.before_request(refuse_nul_characters)

    def handler(e):
        status = getattr(e, "code", 500) or 500
        custom = getattr(e, "description", None)
        # Werkzeug's stock descriptions are long English prose; keep only our own messages.
        if custom == getattr(type(e), "description", None):
            custom = None
        return error_response(status, custom)

    def server_error(e):
        # The request's session may hold a failed flush (PendingRollbackError on the next query,
        # e.g. the page header asking who is logged in): roll it back before rendering anything.
        from trainer.extensions import db
        try:
            db.session.rollback()
        except Exception:      # noqa: BLE001 - a dead connection: the session is discarded at teardown
            log.warning("rollback failed while answering a 500", exc_info=True)
        try:
            return handler(e)
        except Exception:      # noqa: BLE001 - never let the error page itself fail
            log.exception("the error page failed to render")
            from flask import url_for
            if wants_json():
                return jsonify(error=MESSAGES[500], status=500), 500
            return make_response(BARE_500.format(css=escape(url_for("static", filename="app.css"))), 500)

    for status in MESSAGES:
        app.register_error_handler(status, server_error if status == 500 else handler)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return error_response(400, "The form expired or is missing its security token; reload the page and try again")
