"""Every page and API answer carries the security headers; pages load nothing from outside."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_pages_and_api_carry_security_headers(client):
    for path in ("/login", "/api/v1/scenarios", "/no-such-page"):
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_style_or_outside_hosts():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text, path
        assert not re.search(r'\sstyle="', text), path
        assert not re.search(r'(src|href)="https?://', text), path
