"""Rate limits as a client meets them: POST /login per address (the error page, 429), the API per
token and per address (JSON, 429), Retry-After on every refusal, and one count shared by every
worker when the limits live in Redis. Limits are set small here; the defaults are in config."""
from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import PASSWORD
from trainer import config
from trainer.services.users import issue_token

REDIS = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


def login_post(auth, username="amy", password="wrong-password"):
    return auth.client.post("/login", data={"username": username, "password": password,
                                            "csrf_token": auth.csrf()})


def test_login_posts_beyond_the_limit_get_the_429_page(app, auth, make_user):
    make_user("amy")
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    assert [login_post(auth, password=p).status_code for p in ("wrong-1", "wrong-2", "wrong-3")] == [401] * 3
    refused = login_post(auth, password=PASSWORD)        # even the right password: the address is throttled
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert "<html" in page and ("Too many login attempts" in page or "登录尝试过于频繁" in page)
    assert auth.client.get("/login").status_code == 200   # reading the form is never limited


def test_other_addresses_are_not_throttled_by_one_address(app, auth, make_user):
    make_user("amy")
    app.config["RATELIMIT_LOGIN"] = "2 per minute"
    for _ in range(2):
        login_post(auth)
    assert login_post(auth).status_code == 429
    elsewhere = auth.client.post("/login", data={"username": "amy", "password": PASSWORD, "csrf_token": auth.csrf()},
                                 environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 302


def test_api_requests_beyond_the_per_token_limit_get_429_json(app, client, make_user):
    app.config["RATELIMIT_API"] = "2 per minute"
    amy_token, bob_token = issue_token(make_user("amy")), issue_token(make_user("bob"))
    amy = {"Authorization": f"Bearer {amy_token}"}
    assert [client.get("/api/v1/scenarios", headers=amy).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/scenarios", headers=amy)
    assert refused.status_code == 429 and refused.is_json
    body = refused.get_json()
    assert body["status"] == 429 and "Retry-After" in body["error"]
    assert int(refused.headers["Retry-After"]) > 0
    # Another token is counted on its own.
    assert client.get("/api/v1/scenarios", headers={"Authorization": f"Bearer {bob_token}"}).status_code == 200


def test_the_api_limits_each_address_whatever_tokens_it_sends(app, client):
    app.config["RATELIMIT_API_PER_IP"] = "3 per minute"
    statuses = [client.get("/api/v1/scenarios", headers={"Authorization": f"Bearer made-up-{n}"}).status_code
                for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_rate_limit_settings_come_from_the_environment(monkeypatch, tmp_path):
    defaults = config.from_env(str(tmp_path))
    assert defaults["RATELIMIT_STORAGE_URI"] == "memory://" and defaults["RATELIMIT_ENABLED"]
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS)
    monkeypatch.setenv("RATELIMIT_LOGIN", "5 per minute")
    settings = config.from_env(str(tmp_path))
    assert settings["RATELIMIT_STORAGE_URI"] == REDIS and settings["RATELIMIT_LOGIN"] == "5 per minute"


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS} (start one to test limits shared across workers)")
    return client


# Another worker: its own process and app, the same Redis; one login POST from the same address.
WORKER = """
import sys
from trainer import create_app
from trainer.extensions import db
app = create_app({"TESTING": True, "SECRET_KEY": "w", "SQLALCHEMY_DATABASE_URI": sys.argv[1], "AUTO_MIGRATE": True,
                  "RATELIMIT_STORAGE_URI": sys.argv[2], "RATELIMIT_LOGIN": "3 per minute", "WTF_CSRF_ENABLED": False})
with app.app_context():
    response = app.test_client().post("/login", data={"username": "x", "password": "wrong-pass"},
                                      environ_base={"REMOTE_ADDR": sys.argv[3]})
    print(response.status_code)
    db.session.remove()
    db.engine.dispose()
"""


def test_limits_in_redis_are_shared_by_every_worker(app, tmp_path):
    redis = _redis_or_skip()
    address = "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])   # this test's own counter in the shared Redis
    from trainer import create_app
    here = create_app({"TESTING": True, "SECRET_KEY": "w", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "RATELIMIT_STORAGE_URI": REDIS, "RATELIMIT_LOGIN": "3 per minute", "WTF_CSRF_ENABLED": False})

    def post():
        with here.app_context():
            return here.test_client().post("/login", data={"username": "x", "password": "wrong-pass"},
                                           environ_base={"REMOTE_ADDR": address}).status_code
    try:
        assert [post(), post()] == [401, 401]
        worker = subprocess.run([sys.executable, "-c", WORKER, f"sqlite:///{tmp_path / 'worker.sqlite'}", REDIS, address],
                                capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert worker.returncode == 0, worker.stderr
        assert worker.stdout.split()[-1] == "401"           # the third POST, made by the other worker
        assert post() == 429                                # the fourth, back here: over the shared limit
        assert any(redis.scan_iter(f"*{address}*"))
    finally:
        for key in redis.scan_iter(f"*{address}*"):
            redis.delete(key)
        with here.app_context():
            from trainer.extensions import db
            db.session.remove()
            db.engine.dispose()


def test_an_unreachable_limit_store_does_not_stop_logins(app, tmp_path, make_user):
    from trainer import create_app
    from trainer.extensions import db
    broken = create_app({"TESTING": True, "SECRET_KEY": "w", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0", "WTF_CSRF_ENABLED": False,
                         "SESSION_COOKIE_SECURE": False})
    make_user("amy")
    with broken.app_context():
        client = broken.test_client()
        assert client.post("/login", data={"username": "amy", "password": "wrong-pass"}).status_code == 401
        assert client.post("/login", data={"username": "amy", "password": PASSWORD}).status_code == 302
        db.session.remove()
        db.engine.dispose()


def test_limits_can_be_turned_off_for_a_load_test(app):
    from trainer import create_app
    from trainer.extensions import db
    off = create_app({"TESTING": True, "SECRET_KEY": "w", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                      "RATELIMIT_ENABLED": False, "RATELIMIT_LOGIN": "1 per minute", "WTF_CSRF_ENABLED": False})
    with off.app_context():
        client = off.test_client()
        assert [client.post("/login", data={"username": "x", "password": "wrong-pass"}).status_code
                for _ in range(3)] == [401, 401, 401]
        db.session.remove()
        db.engine.dispose()
