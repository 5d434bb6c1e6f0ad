"""Bearer-token authentication for the JSON API, and its JSON errors.

Only the `Authorization: Bearer <token>` header authenticates: a browser's session cookie never
does, so a page on another site cannot make a logged-in browser call the API (no CSRF needed).
"""
from __future__ import annotations

from typing import Optional

from flask import g, jsonify, request

from trainer.models import User
from trainer.services import tokens

REALM = 'Bearer realm="rmtrainer"'
MAX_TOKEN_CHARS = 256   # issued tokens are 43 characters; anything much longer is not ours


class ApiError(Exception):
    """An API request that fails with a status and a message a client can act on."""

    def __init__(self, status: int, message: str, headers: Optional[dict] = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_json(error: ApiError):
    """The API's error format: {"error": message, "status": code}, with any extra headers."""
    response = jsonify(error=error.message, status=error.status)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _unauthorized(message: str, invalid: bool = False) -> ApiError:
    challenge = REALM + (', error="invalid_token"' if invalid else "")
    return ApiError(401, message, {"WWW-Authenticate": challenge})


def token_user() -> User:
    """The user whose bearer token came with this request; ApiError(401) when there is none."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        raise _unauthorized("missing bearer token: send the header 'Authorization: Bearer <token>' "
                            "(a token comes from `rmtrainer users token NAME`)")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer":
        raise _unauthorized("the Authorization header must use the Bearer scheme: 'Bearer <token>'")
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise _unauthorized("invalid or revoked token", invalid=True)
    # One query for the token and its user: this runs before every API request.
    user, why = tokens.lookup(token)
    if why == "expired":
        raise _unauthorized("the token has expired: ask for a new one (`rmtrainer users token NAME`)", invalid=True)
    if user is None:
        raise _unauthorized("invalid or revoked token", invalid=True)
    return user


def authenticate() -> None:
    """before_request hook: every API endpoint needs a valid token; the user goes to g.api_user."""
    g.api_user = token_user()


def api_user() -> User:
    """The authenticated API user of this request."""
    return g.api_user
