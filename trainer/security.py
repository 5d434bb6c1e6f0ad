"""Security headers on every response: a strict CSP (no inline script, no outside hosts),
no MIME sniffing, no framing."""
from __future__ import annotations

from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def install(app) -> None:
    """Add the headers to every response (pages, API and errors alike). Installed before the rate
    limiter, so it runs after the limiter has added its headers (after_request runs in reverse)."""
    @app.after_request
    def secure_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            # Pages show a trainee's replies and scores, the API and CSV the same: no copy in
            # a browser's or proxy's cache. Only the app's own CSS and images may be kept.
            response.headers["Cache-Control"] = "no-store"
        _retry_after(response)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _retry_after(response) -> None:
    """Retry-After only where it means something: a 429 keeps the limiter's wait, a 503 says
    when the database may be back; the limiter adds one to every response (and had raised the
    503's 5 seconds to the end of its own window)."""
    from trainer.health import RETRY_AFTER_SECONDS
    if response.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
