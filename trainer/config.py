"""Configuration from environment variables, with safe defaults for the embedded SQLite setup."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta


def from_env(instance_path: str) -> dict:
    """Settings read from the environment; DATABASE_URL defaults to SQLite in the instance folder."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or "sqlite:///" + os.path.join(instance_path, "rmtrainer.sqlite"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("RMTRAINER_INSECURE_COOKIES") != "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("RMTRAINER_INSECURE_COOKIES") != "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "BABEL_DEFAULT_LOCALE": "zh",
        "WTF_CSRF_TIME_LIMIT": None,   # the session lifetime bounds it; a long role-play must not fail
        "REPLY_MAX_CHARS": 2000,
    }


def _instance_secret(instance_path: str) -> str:
    """A random key kept in the instance folder, so restarts keep sessions valid."""
    path = os.path.join(instance_path, "secret_key")
    os.makedirs(instance_path, exist_ok=True)
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(secrets.token_hex(32))
        os.chmod(path, 0o600)
    with open(path, encoding="utf-8") as f:
        return f.read().strip()
