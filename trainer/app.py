"""The Flask app factory: config, extensions, blueprints (re-exported as `trainer.create_app`)."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from trainer import config, health
from trainer.extensions import babel, csrf, db, login_manager, migrate

# Templates live at the repository's top level; a built wheel carries them inside the package
# (setup.py copies them to trainer/templates), so an installed app looks there first.
_PACKAGE = Path(__file__).resolve().parent
TEMPLATES = _PACKAGE / "templates" if (_PACKAGE / "templates").is_dir() else _PACKAGE.parent / "templates"
LOCALES = ("zh", "en")
MAX_ID = 2**31 - 1   # ids are INTEGER columns (32-bit on PostgreSQL)


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: a number beyond MAX_ID names no row, so it is a 404 before any query
    (SQLite and PostgreSQL raise on such a parameter: it was a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def select_locale() -> str:
    """The UI language: ?lang= (remembered), the user's choice, else Chinese."""
    lang = request.args.get("lang")
    if lang in LOCALES:
        session["lang"] = lang
    if session.get("lang") in LOCALES:
        return session["lang"]
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    return "zh"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config from the environment (or test_config), extensions, blueprints."""
    # Named after the package, as when this lived in trainer/__init__.py: the same app name,
    # logger ("trainer"), root path and instance folder.
    app = Flask("trainer", instance_relative_config=True, template_folder=str(TEMPLATES))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_env(app.instance_path))
    app.json.ensure_ascii = False   # Chinese stays readable in API responses
    if test_config:
        app.config.update(test_config)
    if app.config["PROXY_HOPS"]:   # behind N trusted proxies: the client's address, for limits and audit
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    config.secure_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    babel.init_app(app, locale_selector=select_locale)
    from trainer.schema import MIGRATIONS, ensure_current
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    app.url_map.converters["int"] = IdConverter   # before any route is added
    _register(app)
    health.install(app)   # GET /healthz; 503 (not 500) while the database is down
    if app.config.get("SCHEMA_CHECK", True):
        ensure_current(app, db)
    return app


def _register(app: Flask) -> None:
    from trainer import filters, ratelimit, security, sessions
    from trainer.admin.views import bp as admin_bp
    from trainer.api.views import bp as api_bp
    from trainer.auth.views import bp as auth_bp
    from trainer.coach.views import bp as coach_bp
    from trainer.errors import register_errors
    from trainer.trainee.views import bp as trainee_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(trainee_bp)
    app.register_blueprint(coach_bp, url_prefix="/coach")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    csrf.exempt(api_bp)   # bearer-token API: no cookies, so no CSRF
    filters.register(app)
    security.install(app)
    ratelimit.install(app, api_bp)
    register_errors(app)

    login_manager.user_loader(sessions.load_user)   # checks the session is still live server-side
