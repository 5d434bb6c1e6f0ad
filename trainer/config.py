"""Configuration from environment variables, with safe defaults for the embedded SQLite setup."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta


def from_env(instance_path: str) -> dict:
    """Settings read from the environment; DATABASE_URL defaults to SQLite in the instance folder."""
    url = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(instance_path, "rmtrainer.sqlite")
    engine = {}   # SQLite: SQLAlchemy's defaults (a file, no server, nothing to reconnect to)
    if url.startswith("postgresql"):
        engine = {
            "pool_pre_ping": True,    # test a pooled connection before use: a restarted server
            "pool_recycle": 1800,     # ...or one a firewall dropped costs a reconnect, not an error
            # Per worker process (gunicorn.conf.py: 2 threads a worker; connections open on
            # demand). servers x workers x (size + overflow) must stay below max_connections.
            "pool_size": int(os.environ.get("RMTRAINER_DB_POOL_SIZE") or 5),
            "max_overflow": int(os.environ.get("RMTRAINER_DB_MAX_OVERFLOW") or 5),
            "pool_timeout": 10,       # waiting longer for a free connection answers 503
            "connect_args": {"connect_timeout": 5},   # an unreachable server fails fast (503)
        }
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("RMTRAINER_INSECURE_COOKIES") != "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("RMTRAINER_INSECURE_COOKIES") != "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),   # absolute: from login, enforced server-side
        "SESSION_IDLE_MINUTES": _int("RMTRAINER_SESSION_IDLE_MINUTES", 30),
        "LOGIN_MAX_FAILURES": 5,            # failed logins within the window lock the account...
        "LOGIN_FAILURE_WINDOW_MINUTES": 15,
        "LOCKOUT_MINUTES": 15,              # ...for this long (or until `rmtrainer users unlock`)
        # Rate limits (Flask-Limiter). Memory is per process: set RATELIMIT_STORAGE_URI to a
        # Redis (redis://host:6379/0) so every gunicorn worker and server shares one count.
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "RATELIMIT_KEY_PREFIX": "rmtrainer",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,   # Redis down: serve unthrottled (logged); lockouts still hold
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN") or "30 per minute",           # POST /login per IP
        "RATELIMIT_API": os.environ.get("RATELIMIT_API") or "300 per minute",              # per API token
        "RATELIMIT_API_PER_IP": os.environ.get("RATELIMIT_API_PER_IP") or "1200 per minute",
        "PROXY_HOPS": _int("RMTRAINER_PROXY_HOPS", 0),   # trusted reverse proxies setting X-Forwarded-*
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "BABEL_DEFAULT_LOCALE": "zh",
        "TIME_ZONE": os.environ.get("RMTRAINER_TIME_ZONE") or "Asia/Shanghai",   # how pages and exports show times
        "WTF_CSRF_TIME_LIMIT": None,   # the session lifetime bounds it; a long role-play must not fail
        "REPLY_MAX_CHARS": 2000,
        "API_TOKEN_DAYS": _int("RMTRAINER_API_TOKEN_DAYS", 90),        # a new API token's lifetime
        "EXAM_MAX_ATTEMPTS": _int("RMTRAINER_EXAM_MAX_ATTEMPTS", 1),   # exam starts per assignment and scenario
        # Exam customers are derived from this secret (default: from SECRET_KEY), so nobody can
        # compute the exam seed from public data and rehearse it in practice.
        "EXAM_SEED_SECRET": os.environ.get("RMTRAINER_EXAM_SEED_SECRET") or None,
        # POST /api/v1/grade, per request: records, reply characters in all, and answer size
        "GRADE_MAX_ITEMS": 100,
        "GRADE_MAX_CHARS": 20_000,
        "GRADE_MAX_RESPONSE_BYTES": 2 * 1024 * 1024,
    }


def _int(name: str, default: int) -> int:
    """An integer setting from the environment."""
    value = os.environ.get(name)
    return int(value) if value else default


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


def secure_sqlite_file(url: str) -> None:
    """Create an SQLite database file readable by its owner only (0600), or tighten an existing
    one: it holds password hashes and trainees' replies. Other databases are left alone."""
    from sqlalchemy.engine import make_url
    try:
        parsed = make_url(url)
    except Exception:       # noqa: BLE001 - a bad URL is reported when the engine is made
        return
    path = parsed.database
    if not parsed.drivername.startswith("sqlite") or not path or path == ":memory:" or path.startswith("file:"):
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    try:
        os.chmod(path, 0o600)     # SQLite gives its journal files the database file's mode
    except PermissionError:
        pass                      # not ours to change: leave it as its owner set it
