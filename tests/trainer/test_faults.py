"""Faults, tested against real processes: gunicorn killed with SIGKILL in the middle of an attempt
loses no reply and the attempt resumes; PostgreSQL going away while the app serves gives a clear
503, and the app recovers by itself when it is back. All traffic stays on 127.0.0.1."""
from __future__ import annotations

import html
import os
import threading

import pytest
import sqlalchemy
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from conftest import database_url
from faultkit import Http, Proxy, Server
from test_api import CAUSE, DETAILS, OPENING
from trainer.health import MESSAGE

pytestmark = pytest.mark.faults
PASSWORD = "fault-tests-9"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def rmtrainer(*args, env: dict) -> str:
    """Run an `rmtrainer` command in-process, as an operator would from a shell."""
    from trainer.cli import main
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def prepare(url: str) -> str:
    """Migrate the database, create trainee `amy` and return her API token."""
    env = {"DATABASE_URL": url, "SECRET_KEY": "fault-tests"}
    rmtrainer("db", "upgrade", env=env)
    rmtrainer("users", "create", "amy", "--password", PASSWORD, env=env)
    return rmtrainer("users", "token", "amy", env=env).strip().splitlines()[-1]


def reply(api: Http, attempt_id: int, text: str) -> dict:
    """Send a reply through the API; it must be graded at once."""
    response = api.post(f"/api/v1/attempts/{attempt_id}/turns", body={"reply": text})
    assert response.status == 200, response.text
    return response.json()


# ---- a: kill -9 in the middle of an attempt ---------------------------------------------

def test_kill_9_mid_attempt_loses_no_reply_and_the_attempt_resumes(tmp_path):
    url = database_url(tmp_path)
    token = prepare(url)
    server = Server(url, tmp_path / "gunicorn.log").start()
    try:
        api, page = Http(server.base, token), Http(server.base)
        started = api.post("/api/v1/attempts", body={"scenario_id": "transfer_not_arrived", "seed": 7})
        assert started.status == 201, started.text
        attempt_id = started.json()["attempt_id"]
        first = OPENING.format(address=started.json()["persona"]["address"])
        reply(api, attempt_id, first)                                   # turn 1: the API
        assert page.login("amy", PASSWORD).status == 200
        play = f"/attempts/{attempt_id}"
        sent = page.post(f"{play}/reply", form={"reply": DETAILS, "csrf_token": page.csrf(play)})
        assert sent.status == 200 and 'id="customer-line"' in sent.text   # turn 2: the page
        before = api.get(f"/api/v1/attempts/{attempt_id}").json()
        assert [t["reply"] for t in before["turns"]] == [first, DETAILS]

        server.kill9()
        with pytest.raises(OSError):
            api.get("/healthz", timeout=2)                              # really gone
        server.start()                                                  # same port, same database

        after = api.get(f"/api/v1/attempts/{attempt_id}")
        assert after.status == 200, after.text
        after = after.json()
        assert [t["reply"] for t in after["turns"]] == [first, DETAILS]
        assert all(t["graded"] for t in after["turns"])
        assert after["status"] == "active" and after["state"] == before["state"]
        assert after["customer"] == before["customer"]
        # The page session survives the restart (signed cookie, same SECRET_KEY) and resumes too.
        resumed = page.get(play)
        assert resumed.status == 200
        assert resumed.text.count('class="bubble trainee') == 2
        assert html.escape(before["customer"]) in resumed.text
        third = reply(api, attempt_id, CAUSE)                           # and play goes on
        assert third["turn_index"] == 2
    finally:
        server.stop()
    assert "Traceback" not in server.log()


# ---- b: the database restarts while the app serves --------------------------------------

@pytest.fixture
def postgres_url():
    """A fresh database of this run's own on this machine's PostgreSQL (dropped afterwards);
    skipped when there is no PostgreSQL, except in CI."""
    server = make_url(os.environ.get("RMTRAINER_TEST_DATABASE_URL") or PG_DEFAULT)
    admin = sqlalchemy.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT",
                                     connect_args={"connect_timeout": 3})
    name = f"rmtrainer_faults_{os.getpid()}"

    def run(sql):
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(sql))
    try:
        run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        run(f"CREATE DATABASE {name}")
    except sqlalchemy.exc.OperationalError as e:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is needed in CI: {e}")
        pytest.skip(f"no PostgreSQL at {server.host}:{server.port}")
    try:
        yield server.set(database=name)
    finally:
        run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def test_the_database_going_away_gives_503_and_the_app_recovers_without_a_restart(
        postgres_url, monkeypatch):
    from trainer import create_app
    from trainer.extensions import db
    from trainer.services.attempts import start_attempt
    from trainer.services.users import create_user, issue_token

    proxy = Proxy((postgres_url.host, postgres_url.port or 5432)).start()
    proxied = postgres_url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", proxied)          # the production engine options apply
    app = create_app({"SECRET_KEY": "fault-tests", "AUTO_MIGRATE": True,
                      "SESSION_COOKIE_SECURE": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    with app.app_context():
        amy = create_user("amy", PASSWORD)
        token = issue_token(amy)
        attempt_id = start_attempt(amy, "transfer_not_arrived", seed=7).id
        db.session.remove()
    api = {"Authorization": f"Bearer {token}"}
    people = app.test_client()
    people.post("/login", data={"username": "amy", "password": PASSWORD,
                                "csrf_token": _csrf(people.get("/login").get_data(as_text=True))})
    show = f"/api/v1/attempts/{attempt_id}"

    def all_up():
        assert app.test_client().get(show, headers=api).status_code == 200
        assert people.get("/catalogue").status_code == 200
        health = app.test_client().get("/healthz")
        assert health.status_code == 200 and health.get_json()["database"]["reachable"] is True

    try:
        all_up()
        # Requests keep coming from two threads while the database goes away and comes back.
        statuses, stop = [], threading.Event()

        def hammer():
            client = app.test_client()
            while not stop.wait(0.005):
                statuses.append(client.get(show, headers=api).status_code)
        threads = [threading.Thread(target=hammer) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            cut_and_restore(proxy, app, people, api, show, all_up)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=10)
        assert statuses and set(statuses) <= {200, 503}, sorted(set(statuses))
        played = app.test_client().post(f"{show}/turns", headers=api, json={
            "reply": OPENING.format(address="先生")})
        assert played.status_code == 200, played.get_data(as_text=True)
    finally:
        proxy.cut()
        with app.app_context():
            db.engine.dispose()


def cut_and_restore(proxy, app, people, api, show, all_up):
    """Twice: cut the database off, check every kind of request gets the clear 503, restore."""
    for _ in range(2):
        proxy.cut()
        down = app.test_client()
        for response in (down.get(show, headers=api),
                         down.post(f"{show}/turns", json={"reply": "您好"}, headers=api)):
            assert response.status_code == 503, response.get_data(as_text=True)
            assert response.get_json() == {"error": MESSAGE, "status": 503}
            assert response.headers["Retry-After"]
        page = people.get("/catalogue")
        text = page.get_data(as_text=True)
        assert page.status_code == 503 and "数据库暂时不可用" in text and MESSAGE in text.lower()
        assert "Traceback" not in text and "OperationalError" not in text
        health = down.get("/healthz")
        assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
        assert health.get_json()["database"]["reachable"] is False
        proxy.restore()
        all_up()                                     # the same app object: no restart


def _csrf(page: str) -> str:
    import re
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return html.unescape(m.group(1)) if m else ""
