"""Rate limits (Flask-Limiter): POST /login per client address; the JSON API per token and per
address. Limits are read from config on each request (RATELIMIT_LOGIN, RATELIMIT_API,
RATELIMIT_API_PER_IP), counts live in RATELIMIT_STORAGE_URI (memory://, or a Redis shared by
every worker). A refusal is a 429 with Retry-After: the error page for people, JSON for the API.
"""
from __future__ import annotations

from flask import current_app, request

from trainer.api.auth import MAX_TOKEN_CHARS
from trainer.extensions import limiter
from trainer.models import ApiToken

LOGIN_MESSAGE = "Too many login attempts from your network; wait a minute and try again"
API_MESSAGE = "too many requests: slow down and retry after the number of seconds in Retry-After"


def login_limit() -> str:
    """The limit on POST /login per client address."""
    return current_app.config["RATELIMIT_LOGIN"]


def api_limit() -> str:
    """The limit on API requests per token."""
    return current_app.config["RATELIMIT_API"]


def api_ip_limit() -> str:
    """The limit on API requests per client address, whatever tokens it sends."""
    return current_app.config["RATELIMIT_API_PER_IP"]


def api_caller() -> str:
    """Who an API request counts against: its token's digest (never the token), else its address."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token and len(token) <= MAX_TOKEN_CHARS:
        return "token:" + ApiToken.digest(token)
    return "ip:" + (request.remote_addr or "")


# The login view wears this decorator; GET /login (reading the form) is never limited.
limit_login = limiter.limit(login_limit, methods=["POST"], error_message=LOGIN_MESSAGE)


def install(app, api_bp) -> None:
    """Bind the limiter to the app and put the API's limits on its blueprint (idempotent)."""
    limiter.init_app(app)
    limiter.shared_limit(api_limit, scope="api-token", key_func=api_caller, error_message=API_MESSAGE)(api_bp)
    limiter.shared_limit(api_ip_limit, scope="api-ip", error_message=API_MESSAGE)(api_bp)
