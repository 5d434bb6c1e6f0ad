"""Two app servers, as a bank scales out: two gunicorn instances of the installed wheel on
different loopback ports, from different directories, sharing one PostgreSQL database and one
Redis (their own database number), behind an imaginary load balancer that sends each request
anywhere. Checks that migrations run once (two `db upgrade` at the same moment, and one more
while both servers run), that a session started on one server continues the same attempt on the
other, that a logout on one ends the session on both, that lockouts and rate limits count across
both, and that a server with another SECRET_KEY cannot read the others' sessions.

    python tests/deploy/two_servers.py [--workdir DIR]      (.ci/run runs it after wheel_smoke.py)

Needs this machine's PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379).
"""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from deploykit import HOST, Checks, Http, Venv, WheelServer, begin

DATABASE = "rm_two_servers"
PG_ADMIN = f"postgresql://postgres@{HOST}:5432/postgres"
REDIS_URL = f"redis://{HOST}:6379/11"     # a database number of its own (tests use 0, the benchmark 15)
PASSWORD = "two-servers-pass-9"
LOGIN_LIMIT, API_LIMIT = 20, 40
SHARED = {   # what every app server must have alike (docs/deployment.md)
    "DATABASE_URL": f"postgresql+psycopg://postgres@{HOST}:5432/{DATABASE}",
    "SECRET_KEY": "two-servers-shared-secret-key",
    "RATELIMIT_STORAGE_URI": REDIS_URL,
    "RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute",
    "RATELIMIT_API": f"{API_LIMIT} per minute",
}
FIRST = ("先生您好，真的很抱歉，钱扣了对方却没收到，换谁都着急。这件事由我来跟进，麻烦您说一下转账的时间和收款信息，"
         "我马上帮您查这笔转账的状态。")
SECOND = "谢谢您。请问收款人的户名您是按对方身份证上的名字填的吗？跨行转账被退回，最常见的原因是户名和账号对不上。"
# Run inside the venv (psycopg and redis come with the wheel's extras).
SERVICES = """
import json, sys, psycopg, redis
what, arg = sys.argv[1], sys.argv[2]
if what == "admin":            # statements on the server's maintenance database
    with psycopg.connect(%r, autocommit=True) as c:
        for sql in sys.argv[2:]:
            c.execute(sql)
elif what == "query":          # rows of one query on the test database
    with psycopg.connect(%r) as c:
        print(json.dumps([list(r) for r in c.execute(arg).fetchall()], default=str))
elif what == "flush":          # empty our own Redis database number, nothing else
    redis.Redis.from_url(arg).flushdb()
elif what == "keys":           # how many rate-limit counters it holds
    print(len(redis.Redis.from_url(arg).keys("*rmtrainer*")))
""" % (PG_ADMIN, SHARED["DATABASE_URL"].replace("+psycopg", ""))


class Cluster:
    """The venv, the shared services, and the commands an operator runs against them."""

    def __init__(self, checks: Checks, venv: Venv, run: Path):
        self.checks, self.venv, self.run = checks, venv, run
        self.env = venv.env(**SHARED)

    def services(self, *args: str) -> str:
        """Run SERVICES in the venv (admin SQL, a query, a Redis flush or key count)."""
        out = self.venv.run("python", "-c", SERVICES, *args, cwd=self.run, env=self.env)
        if out.returncode != 0:
            raise SystemExit(f"services {args[0]} failed (PostgreSQL at {HOST}:5432 and Redis at "
                             f"{HOST}:6379 are needed):\n{out.stderr[-3000:]}")
        return out.stdout

    def query(self, sql: str) -> list:
        """The rows of one query on the shared database."""
        return json.loads(self.services("query", sql))

    def fresh(self) -> None:
        """A new database and an empty Redis database number."""
        self.services("admin", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}")
        self.services("flush", REDIS_URL)
        self.checks(True, f"fresh PostgreSQL database {DATABASE}, Redis {REDIS_URL} emptied")

    def drop(self) -> None:
        """Remove what the run made: the database, the Redis counters."""
        self.services("admin", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        self.services("flush", REDIS_URL)

    def rmtrainer(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """An operator's `rmtrainer ARGS` with the shared settings; it must succeed."""
        out = self.venv.run("rmtrainer", *args, cwd=cwd or self.run, env=self.env)
        self.checks(out.returncode == 0, f"rmtrainer {' '.join(args)}", out.stdout[-2000:] + out.stderr[-3000:])
        return out

    def server(self, name: str, workers: int = 2, **settings: str) -> WheelServer:
        """An app server started from its own directory (another machine, in effect)."""
        home = self.run / name
        home.mkdir(exist_ok=True)
        server = WheelServer(self.venv, {**self.env, **settings}, home, home / "gunicorn.log", workers).start()
        self.checks(True, f"server {name}: gunicorn from the wheel on {server.base} ({workers} worker{'s' * (workers > 1)}, "
                          f"run from {home}), /healthz 200")
        return server


def cookies(http: Http):
    """The client's cookie jar."""
    return next(h.cookiejar for h in http.opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor))


def copy_of(http: Http) -> Http:
    """Another client holding a copy of this one's cookies (a cookie copied before logout)."""
    other = Http(http.base)
    for cookie in cookies(http):
        cookies(other).set_cookie(copy.copy(cookie))
    return other


def at(http: Http, server: WheelServer) -> Http:
    """Send this client's next requests to `server` (cookies are per host, not per port)."""
    http.base = server.base
    return http


def logged_in(response) -> bool:
    """The answer is a page for a logged-in user (it has the logout form)."""
    return response.status == 200 and 'action="/logout"' in response.text


def migrations_run_once(c: Cluster) -> None:
    """Two servers' deploy steps run `db upgrade` at the same moment: one migrates, one waits."""
    procs = [subprocess.Popen([str(c.venv.bin / "rmtrainer"), "db", "upgrade"], cwd=c.run, env=c.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    ran = [o.count("Running upgrade") for o in outputs]
    c.checks(all(p.returncode == 0 for p in procs) and sorted(ran)[0] == 0 and sorted(ran)[1] > 0,
             f"two `rmtrainer db upgrade` at once: both succeed, one ran {max(ran)} migrations, the other none",
             "\n---\n".join(outputs))
    rows = c.query("SELECT version_num FROM alembic_version")
    c.checks(len(rows) == 1, f"alembic_version has one row: {rows}")


def session_moves_between_servers(c: Cluster, a: WheelServer, b: WheelServer, token: str) -> None:
    """Log in on A, start on B, reply on A then B: one session, one attempt; logout ends both."""
    page = Http(a.base)
    c.checks(logged_in(page.login("amy", PASSWORD)), "amy logs in through the form on A")
    catalogue = at(page, b).get("/catalogue")
    c.checks(logged_in(catalogue), "... B knows her session: GET /catalogue on B is her catalogue")
    play = page.post("/attempts", form={"scenario_id": "transfer_not_arrived", "mode": "practice",
                                        "track_id": "", "assignment_id": "", "csrf_token": page.csrf("/catalogue")})
    found = re.search(r'action="/attempts/(\d+)/reply"', play.text)
    c.checks(play.status == 200 and found, "... she starts transfer_not_arrived on B (CSRF token from B's page)",
             play.text[:800])
    attempt = f"/attempts/{found.group(1)}"
    for server, text, n in ((a, FIRST, 1), (b, SECOND, 2)):
        at(page, server)
        shown = page.post(f"{attempt}/reply", form={"reply": text, "turn": str(n - 1), "csrf_token": page.csrf(attempt)})
        bubbles = shown.text.count('class="bubble trainee')
        c.checks(shown.status == 200 and bubbles == n,
                 f"... reply {n} on {'A' if server is a else 'B'}: the page shows {bubbles} graded turn(s)", shown.text[:800])
    api = Http(a.base, token).get(f"/api/v1{attempt}")
    c.checks(api.status == 200 and [t["reply"] for t in api.json()["turns"]] == [FIRST, SECOND],
             f"... GET /api/v1{attempt} on A: one attempt, both replies, in order", api.text[:800])
    copied = copy_of(page)
    out = at(page, b).post("/logout", form={"csrf_token": page.csrf("/catalogue")})
    c.checks(out.status == 200 and 'name="password"' in out.text, "amy logs out on B")
    for server in (a, b):
        stale = at(copied, server).get("/catalogue")
        c.checks(not logged_in(stale) and 'name="password"' in stale.text,
                 f"... the session cookie copied before the logout is refused on {'A' if server is a else 'B'}")


def other_secret_key(c: Cluster, a: WheelServer) -> None:
    """Why SECRET_KEY must be shared: a server with its own key cannot read the others' sessions."""
    rogue = c.server("c", workers=1, SECRET_KEY="a-different-secret-key")
    try:
        page = Http(a.base)
        c.checks(logged_in(page.login("amy", PASSWORD)), "amy logs in on A again")
        c.checks(not logged_in(at(page, rogue).get("/catalogue")),
                 "... server C, same database but its own SECRET_KEY, sends her to the login page")
    finally:
        rogue.stop()


def lockout_counts_across(c: Cluster, a: WheelServer, b: WheelServer) -> None:
    """5 wrong passwords, 3 on A and 2 on B, lock the account on both."""
    for i, server in enumerate((a, a, a, b, b)):
        wrong = Http(server.base).login("bob", "not-the-password")
        c.checks(wrong.status == 401, f"bob: wrong password {i + 1} on {'A' if server is a else 'B'}: 401")
    for server, name in ((a, "A"), (b, "B")):
        c.checks(Http(server.base).login("bob", PASSWORD).status == 401,
                 f"... now the right password is refused on {name}: the account is locked")
    c.rmtrainer("users", "unlock", "bob", cwd=c.run / "a")
    c.checks(logged_in(Http(b.base).login("bob", PASSWORD)), "... after the unlock (run on A's machine), bob logs in on B")


def limit_counts_across(c: Cluster, a: WheelServer, b: WheelServer, token: str) -> None:
    """The login limit per address and the API limit per token count requests to both servers."""
    for what, limit, send in (
            ("POST /login", LOGIN_LIMIT, lambda s: Http(s.base).login("nobody", "wrong-password")),
            ("GET /api/v1/scenarios", API_LIMIT, lambda s: Http(s.base, token).get("/api/v1/scenarios"))):
        c.services("flush", REDIS_URL)   # a fresh window: the steps before sent logins too
        served = {"A": 0, "B": 0}
        refused = None
        for i in range(limit * 3):
            name, server = ("A", a) if i % 2 == 0 else ("B", b)
            response = send(server)
            if response.status == 429:
                refused = (name, response)
                break
            served[name] += 1
        c.checks(refused is not None and sum(served.values()) == limit,
                 f"{what} alternately on A and B (limit {limit} a minute; 4 workers in all, so counts in "
                 f"memory would serve up to {4 * limit}): {served['A']} on A + {served['B']} on B served, "
                 f"then 429 on {refused and refused[0]}", f"served {served}")
        c.checks(int(c.services("keys", REDIS_URL)) > 0, f"... the counters are in Redis ({REDIS_URL})")
        c.checks(refused[1].headers.get("Retry-After"), f"... with Retry-After: {refused[1].headers.get('Retry-After')}")
        other = b if refused[0] == "A" else a
        c.checks(send(other).status == 429, "... and the other server refuses too")


def main() -> None:
    checks, venv, _, run = begin("servers", __doc__)
    c = Cluster(checks, venv, run)
    c.fresh()
    servers = []
    try:
        migrations_run_once(c)
        for name, role in (("amy", "trainee"), ("bob", "trainee")):
            c.rmtrainer("users", "create", name, "--role", role, "--password", PASSWORD)
        token = c.rmtrainer("users", "token", "amy").stdout.strip().splitlines()[-1]
        servers = [c.server("a"), c.server("b")]
        a, b = servers
        again = c.rmtrainer("db", "upgrade", cwd=run / "b")
        checks("Running upgrade" not in again.stdout + again.stderr
               and all(Http(s.base).get("/healthz").status == 200 for s in servers),
               "... `db upgrade` again while both serve: nothing to run, both still healthy")
        session_moves_between_servers(c, a, b, token)
        other_secret_key(c, a)
        lockout_counts_across(c, a, b)
        limit_counts_across(c, a, b, token)
    finally:
        for server in servers:
            server.stop()
    for name, server in zip("AB", servers):
        errors = [(line, status) for line, status in server.access_statuses() if status >= 500]
        checks(not errors and "Traceback" not in server.log(),
               f"server {name}: {len(server.access_statuses())} requests, no 5xx, no traceback",
               str(errors[:10]) + server.log()[-3000:])
    c.drop()
    checks(True, f"database {DATABASE} dropped, Redis {REDIS_URL} emptied")
    checks.done()


if __name__ == "__main__":
    sys.exit(main())
