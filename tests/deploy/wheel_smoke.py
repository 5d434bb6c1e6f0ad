"""Wheel smoke test, as an operator deploys: build the wheel, install it into a fresh virtual
environment outside the checkout and, from another directory, check that it carries every file
the app needs, migrate a new SQLite database, start gunicorn with the packaged settings, log in
through the real login form, play through the JSON API, open the report page, visit every page
each role can reach, `rmtrainer grade` a sample file, and start `rmtrainer serve --demo`.
Fails on any 500 or missing file.

    python tests/deploy/wheel_smoke.py [--workdir DIR]      (.ci/run runs it)
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from deploykit import HOST, ROOT, Checks, Http, Venv, WheelServer, begin, built_from, free_port

PASSWORD = "smoke-test-pass-9"
SCENARIO = "transfer_not_arrived"
BRUSH_OFF = "这不归我管，你自己去查吧。"     # ends the scenario in a few turns (complaint filed)
ROOMS = ("grading/", "scenarios/", "trainer/")
CORPUS = "grading/corpus/"   # what the models were trained on; the app reads grading/models/ instead
# What the app needs at run time, by kind: (label, pattern of paths in the wheel)
KINDS = [
    ("templates", r"trainer/templates/.+\.html"), ("static files", r"trainer/static/.+"),
    ("compiled translations", r"trainer/translations/.+\.mo"),
    ("migrations", r"trainer/migrations/versions/.+\.py"), ("migration environment", r"trainer/migrations/env\.py"),
    ("rule packs", r"grading/packs/[^/]+/.+\.yml"), ("kinds", r"grading/kinds\.yml"),
    ("grader data (grading/*.yml)", r"grading/[^/]+\.yml"), ("grader word lists", r"grading/data/.+\.txt"),
    ("grader models", r"grading/models/.+\.json"), ("scenario library", r"scenarios/library/.+\.yml"),
    ("tracks", r"scenarios/tracks\.yml"), ("gunicorn settings", r"trainer/gunicorn_conf\.py"),
]
# Run inside the installed venv (Babel comes with Flask-Babel): every translation of each .po
# must be in the .mo the wheel ships (a stale .mo shows English where Chinese was written).
CATALOG_CHECK = """
import sys, zipfile, io
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
z = zipfile.ZipFile(sys.argv[1])
for po in (n for n in z.namelist() if n.endswith(".po")):
    mo = po[:-3] + ".mo"
    if mo not in z.namelist():
        print(f"{mo} missing"); continue
    want = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(io.BytesIO(z.read(po)))
            if m.id and m.string and not m.fuzzy}
    have = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_mo(io.BytesIO(z.read(mo))) if m.id}
    same = lambda v: tuple(v) if isinstance(v, (list, tuple)) else v   # plurals: po a tuple, mo a list
    stale = [k for k, v in want.items() if same(have.get(k)) != same(v)]
    print(f"{mo}: {len(want)} translations, {len(stale)} stale" + (f": {stale[:3]}" if stale else ""))
"""


def check_wheel(checks: Checks, venv: Venv, wheel: Path, run: Path) -> None:
    """Every run-time file of the checkout is in the wheel, by kind; the .mo matches the .po."""
    names, sources = set(zipfile.ZipFile(wheel).namelist()), built_from(wheel.parent.parent)
    corpus = [f for f in sources if f.startswith(CORPUS)]
    expected = [f for f in sources if f.startswith(ROOMS) and Path(f).name != "README.md" and f not in corpus]
    expected += ["trainer/" + f for f in sources if f.startswith("templates/")]
    missing = sorted(set(expected) - names)
    checks(not missing, f"the wheel has all {len(expected)} files of grading/, scenarios/, trainer/ "
                        f"and templates/ (READMEs and the training corpus aside)", "missing: " + ", ".join(missing[:20]))
    print(f"     (training corpus, not read at run time: {sum(f in names for f in corpus)} of {len(corpus)} "
          f"files shipped)", flush=True)
    counts = []
    for label, pattern in KINDS:
        n = sum(1 for name in names if re.fullmatch(pattern, name))
        checks(n > 0, f"  ... {label}: {n}")
        counts.append(n)
    entry = next((n for n in names if n.endswith(".dist-info/entry_points.txt")), None)
    checks(entry and "rmtrainer = trainer.cli:main" in zipfile.ZipFile(wheel).read(entry).decode(),
           "  ... the rmtrainer console script")
    out = venv.run("python", "-c", CATALOG_CHECK, str(wheel), cwd=run, env=venv.env())
    lines = out.stdout.strip().splitlines()
    checks(out.returncode == 0 and lines and all(line.endswith(" 0 stale") for line in lines),
           "  ... compiled translations match their .po: " + "; ".join(lines), out.stderr)


def rmtrainer(checks: Checks, venv: Venv, run: Path, env: dict, *args: str, expect: str = "",
              input: str | None = None) -> str:
    """Run `rmtrainer ARGS` from the run directory; it must succeed (and print `expect`)."""
    out = venv.run("rmtrainer", *args, cwd=run, env=env, input=input)
    shown = " ".join(a if len(a) < 40 else a[:37] + "..." for a in args)
    checks(out.returncode == 0 and expect in out.stdout, f"rmtrainer {shown}" + (f" -> {expect}" if expect else ""),
           out.stdout[-2000:] + out.stderr[-3000:])
    return out.stdout


def crawl(http: Http, start: list[str], limit: int = 40) -> dict[str, int]:
    """GET the `start` pages and every same-site link found on the pages reached (at most `limit`)."""
    seen: dict[str, int] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = http.get(path)
        seen[path] = response.status
        if response.status == 200 and "text/html" in response.headers.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', response.text):
                href = html.unescape(href)
                if not href.startswith(("//", "/static/")) and href not in seen:
                    queue.append(href)
    return seen


def log_in(checks: Checks, base: str, username: str, password: str) -> Http:
    """Log in through the real form (CSRF token from the page); the home page must follow."""
    http = Http(base)
    page = http.get("/login")
    checks(page.status == 200 and 'name="csrf_token"' in page.text, f"GET /login as {username}: 200 with a CSRF token")
    landed = http.login(username, password)
    checks(landed.status == 200 and 'action="/logout"' in landed.text,
           f"POST /login as {username} through the form: logged in", landed.text[:500])
    return http


def play(checks: Checks, base: str, token: str, http: Http) -> int:
    """One turn through the JSON API, its graded reply on the page, then the attempt's report."""
    api = Http(base, token)
    library = api.get("/api/v1/scenarios")
    checks(library.status == 200 and len(library.json()["scenarios"]) >= 19,
           f"GET /api/v1/scenarios: {len(library.json().get('scenarios', []))} scenarios")
    started = api.post("/api/v1/attempts", body={"scenario_id": SCENARIO, "mode": "practice", "seed": 12})
    checks(started.status == 201, f"POST /api/v1/attempts ({SCENARIO}): 201", started.text)
    attempt_id = started.json()["attempt_id"]
    turn = api.post(f"/api/v1/attempts/{attempt_id}/turns", body={"reply": BRUSH_OFF})
    report = turn.json().get("report") or {} if turn.status == 200 else {}
    checks(turn.status == 200 and set(report.get("scores", {})) >= {"etiquette", "compliance"},
           f"POST /api/v1/attempts/{attempt_id}/turns: graded, total {report.get('total')}", turn.text[:500])
    page = http.get(f"/attempts/{attempt_id}")
    checks(page.status == 200 and page.text.count('class="bubble trainee') == 1 and 'class="scores"' in page.text,
           f"GET /attempts/{attempt_id}: the role-play page shows the turn and its scores", page.text[:500])
    for _ in range(10):
        if turn.json().get("ending"):
            break
        turn = api.post(f"/api/v1/attempts/{attempt_id}/turns", body={"reply": BRUSH_OFF})
        checks(turn.status == 200, "  ... another turn", turn.text[:500])
    ending = turn.json().get("ending")
    checks(ending, f"the attempt ended: {ending and ending.get('id', ending)}", turn.text[:500])
    report_page = http.get(f"/attempts/{attempt_id}")
    checks(report_page.status == 200 and "<svg" in report_page.text,
           f"GET /attempts/{attempt_id}: the final report (radar chart)", report_page.text[:500])
    return attempt_id


def check_pages(checks: Checks, server: WheelServer, attempt_id: int) -> None:
    """Each role's pages, found by following links, answer without a server error."""
    coach_view = ["/", f"/coach/attempts/{attempt_id}"]
    for name, start in (("smoke", ["/"]), ("smokecoach", coach_view), ("smokeadmin", coach_view)):
        statuses = crawl(log_in(checks, server.base, name, PASSWORD), start)
        bad = {p: s for p, s in statuses.items() if s >= 500}
        checks(not bad and len(statuses) > 3, f"{name}: {len(statuses)} pages reached by links, none a 5xx: "
               + " ".join(f"{p} {s}" for p, s in statuses.items()), json.dumps(bad, ensure_ascii=False))
    missing = Http(server.base).get("/no-such-page")
    checks(missing.status == 404 and "<html" in missing.text, "GET /no-such-page: the 404 page")
    css = Http(server.base).get("/static/app.css")
    checks(css.status == 200 and "text/css" in css.headers.get("Content-Type", ""), "GET /static/app.css: 200 text/css")
    zh, en = Http(server.base).get("/login").text, Http(server.base).get("/login?lang=en").text
    checks("登录" in zh and "Log in" in en, "the login page in Chinese (登录) and English (Log in)")


def check_demo(checks: Checks, venv: Venv, run: Path) -> None:
    """`rmtrainer serve --demo` (the issue's report: every page was a 500) serves and logs in."""
    port = free_port()
    env = venv.env(DATABASE_URL=f"sqlite:///{run / 'demo.sqlite'}")
    with open(run / "demo.log", "wb") as log:
        proc = subprocess.Popen([str(venv.bin / "rmtrainer"), "serve", "--demo", "--port", str(port)],
                                cwd=run, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        base, deadline = f"http://{HOST}:{port}", time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if Http(base).get("/login", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        checks(proc.poll() is None, "rmtrainer serve --demo: started", (run / "demo.log").read_text()[-3000:])
        http = log_in(checks, base, "trainee", "rmtrainer-demo")
        checks(http.get("/history").status == 200, "  ... the demo trainee's progress page: 200")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    checks("Traceback" not in (run / "demo.log").read_text(errors="replace"), "  ... no traceback in its output")


def main() -> None:
    checks, venv, wheel, run = begin("smoke", __doc__)
    check_wheel(checks, venv, wheel, run)
    where = venv.run("python", "-c", "import trainer, grading, scenarios; print(trainer.__file__); "
                     "print(trainer.TEMPLATES)", cwd=run, env=venv.env()).stdout.split()
    checks(where and all(Path(p).is_relative_to(venv.path) for p in where),
           f"the app is the installed one, its templates inside it: {' '.join(where)}")
    version = wheel.name.split("-")[1]
    rmtrainer(checks, venv, run, venv.env(), "--version", expect=f"rmtrainer {version}")
    env = venv.env(DATABASE_URL=f"sqlite:///{run / 'smoke.sqlite'}", SECRET_KEY="wheel-smoke")
    rmtrainer(checks, venv, run, env, "db", "upgrade", expect="database at revision")
    rmtrainer(checks, venv, run, env, "scenarios", "check", expect="")
    rmtrainer(checks, venv, run, env, "users", "create", "smokecoach", "--role", "coach", "--cohort", "smoke-cohort",
              "--password", PASSWORD)
    rmtrainer(checks, venv, run, env, "users", "create", "smokeadmin", "--role", "admin", "--password", PASSWORD)
    rmtrainer(checks, venv, run, env, "users", "create", "smoke", "--cohort", "smoke-cohort", "--password", PASSWORD)
    token = rmtrainer(checks, venv, run, env, "users", "token", "smoke").strip().splitlines()[-1]
    server = WheelServer(venv, env, run, run / "gunicorn.log").start()
    try:
        checks(Http(server.base).get("/healthz").json()["schema"]["up_to_date"],
               f"gunicorn -c python:trainer.gunicorn_conf (from {run}): /healthz 200, schema up to date")
        attempt_id = play(checks, server.base, token, log_in(checks, server.base, "smoke", PASSWORD))
        check_pages(checks, server, attempt_id)
    finally:
        server.stop()
    errors = [(line, status) for line, status in server.access_statuses() if status >= 500]
    checks(not errors and server.access_statuses(), f"access log: {len(server.access_statuses())} requests, no 5xx",
           str(errors[:10]))
    checks("Traceback" not in server.log(), "gunicorn's log: no traceback", server.log()[-3000:])
    shutil.copy(ROOT / "samples" / "replies.jsonl", run / "replies.jsonl")
    graded = rmtrainer(checks, venv, run, env, "grade", "replies.jsonl").splitlines()
    records = [json.loads(line) for line in graded]
    checks(len(records) == 5 and all("total" in r and "scores" in r for r in records),
           f"  ... 5 records graded, totals {[r.get('total') for r in records]}")
    rmtrainer(checks, venv, run, env, "grade", "--text", "阿姨您放心，这款基金保本的，跌不了。", "--kind", "product_sale",
              "--customer-risk", "C2", "--product-risk", "R4", expect="NoGuarantee")
    check_demo(checks, venv, run)
    checks.done()


if __name__ == "__main__":
    sys.exit(main())
