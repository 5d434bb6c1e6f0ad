"""Flask extensions, created once and bound to the app in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for the trainer's models."""


class SessionLoginManager(LoginManager):
    """Flask-Login reading only the server-checked session (trainer/sessions.py). The app never
    issues a "remember me" cookie, so one that arrives is ignored: a forged one with non-ASCII
    bytes made Flask-Login's digest comparison raise on every page, the error page included."""

    def _load_user_from_remember_cookie(self, cookie):
        return None


db = SQLAlchemy(model_class=Base)
login_manager = SessionLoginManager()
csrf = CSRFProtect()
babel = Babel()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address)   # storage and limits come from app.config (RATELIMIT_*)
