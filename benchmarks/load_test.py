"""Load benchmark: gunicorn (with the repository's gunicorn.conf.py) on a fresh PostgreSQL database,
and simulated trainees (benchmarks/locustfile.py) playing scenarios with 1-3 s think time, at
25, 50 and 100 concurrent trainees. Prints turns/s, p50/p95/p99 latency of the turn request and
of all requests, and errors, per stage. Target: p95 <= 150 ms at 100 trainees, no errors.

Needs locust, which is not a dependency of the app: `pip install locust`. Then, with PostgreSQL on
this machine (and Redis for the shared rate-limit store, if there is one):
    python benchmarks/load_test.py                       # 25, 50, 100 trainees, 60 s each
    python benchmarks/load_test.py --stages 100 --duration 30
All traffic goes to 127.0.0.1; every stage stops itself after --duration seconds.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cpuload import CpuMeter

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"          # the only address this benchmark ever sends traffic to
PCTS = ("50%", "95%", "99%")
TURN_LINE = re.compile(r'"POST /api/v1/attempts/\d+/turns [^"]*" \d+ \S+ "[^"]*" "[^"]*" (\d+)ms')


def parse_args():
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stages", default="25,50,100", help="concurrent trainees per stage (default 25,50,100)")
    ap.add_argument("--duration", type=int, default=60, help="seconds measured per stage (default 60)")
    ap.add_argument("--think", default="1-3", help="think time between requests, seconds (default 1-3)")
    ap.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                    help="PostgreSQL server URL, without a database (default: this machine's)")
    ap.add_argument("--database", default="rmtrainer_bench", help="database to create afresh")
    ap.add_argument("--workers", help="gunicorn workers (default: gunicorn.conf.py's)")
    ap.add_argument("--threads", help="gunicorn threads per worker (default: gunicorn.conf.py's)")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--out", type=Path, help="folder for locust CSVs and the server log (default: a temp dir)")
    return ap.parse_args()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def psql(server: str, sql: str) -> None:
    """Run one statement on the server's maintenance database (autocommit)."""
    import sqlalchemy
    engine = sqlalchemy.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text(sql))
    finally:
        engine.dispose()


def rmtrainer(env: dict, *args: str) -> None:
    """Run the `rmtrainer` CLI as an operator would."""
    subprocess.run([sys.executable, "-c", "from trainer.cli import main; main()", *args],
                   env=env, cwd=ROOT, check=True, timeout=300)


def seed(env: dict, trainees: int, tokens_file: Path) -> None:
    """Demo data plus `trainees` accounts in the demo cohort, each with an API token."""
    code = f"""
import json
from trainer import create_app
from trainer.extensions import db
from trainer.models import Cohort
from trainer.services.demo import seed_demo
from trainer.services.users import create_user, issue_token
app = create_app()
with app.app_context():
    seed_demo()
    cohort = Cohort.query.first()
    tokens = [issue_token(create_user(f"load{{i:03d}}", "load-test-pass", "trainee", cohort=cohort))
              for i in range({trainees})]
    db.engine.dispose()
open({str(tokens_file)!r}, "w").write(json.dumps(tokens))
"""
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, timeout=600)


def redis_url() -> str:
    """Redis for the rate-limit store when one answers on this machine, else per-process memory."""
    try:
        with socket.create_connection((HOST, 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return f"redis://{HOST}:6379/15"
    except OSError:
        pass
    return "memory://"


def start_server(env: dict, log: Path) -> subprocess.Popen:
    """gunicorn -c gunicorn.conf.py, waited for until /healthz answers 200."""
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://{env['RMTRAINER_BIND']}"
    for _ in range(300):
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    stop_server(proc)
    sys.exit(f"gunicorn did not start; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group; SIGKILL when it takes too long."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_stage(users: int, args, env: dict, server: subprocess.Popen, out: Path) -> dict:
    """One locust run: ramp up over ~5 s, reset the figures, measure for --duration seconds;
    the CPU the app, locust, PostgreSQL and anything else used meanwhile is measured too."""
    prefix = out / f"stage_{users}"
    ramp = max(1, min(users, round(users / 5)))
    # The load generator shares the 2 cores with the server; at a higher priority its timestamps
    # are not delayed behind the server's runnable threads (it needs ~0.05 core), as they would not
    # be on the separate machines real trainees use. Root only; otherwise it runs as is.
    nice = ["nice", "-n", "-5"] if os.geteuid() == 0 else []
    cmd = [*nice, sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"),
           "--headless", "--only-summary", "--reset-stats", "-u", str(users), "-r", str(ramp),
           "-t", f"{args.duration + 5}s", "--stop-timeout", "5", "--host", f"http://{env['RMTRAINER_BIND']}",
           "--csv", str(prefix), "--loglevel", "WARNING"]
    with open(out / f"locust_{users}.log", "wb") as log:
        load = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        meter = CpuMeter(server.pid, load.pid)
        time.sleep(5)                     # the ramp; locust resets its figures after it
        meter.start()
        log_from = Path(env["RMTRAINER_ACCESS_LOG"]).stat().st_size
        time.sleep(args.duration - 1)
        cpu = meter.stop(args.duration - 1)
        served = server_times(Path(env["RMTRAINER_ACCESS_LOG"]), log_from)
        try:
            load.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(load.pid, signal.SIGKILL)
            load.wait()
            sys.exit(f"locust did not stop; see {out / f'locust_{users}.log'}")
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    return {"users": users, "turn": rows.get("turn", {}), "all": rows["Aggregated"], "cpu": cpu,
            "server_turn": served}


def server_times(log: Path, offset: int) -> dict:
    """p50/p95/p99 of the turn requests' time inside gunicorn (the access log's %(M)s), from
    `offset` on: the part of the latency the app is responsible for, without the client's."""
    times = []
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(offset)
        for line in f:
            m = TURN_LINE.search(line)
            if m:
                times.append(int(m.group(1)))
    times.sort()
    return {p: times[min(len(times) - 1, int(len(times) * int(p[:-1]) / 100))] if times else None
            for p in PCTS}


def figure(row: dict, key: str) -> str:
    """A percentile or count from locust's CSV, '-' when absent."""
    value = row.get(key)
    return "-" if value in (None, "", "N/A") else str(round(float(value)))


def report(results: list) -> None:
    """Print one line per stage (CPU in cores, of the machine's os.cpu_count())."""
    print(f"\n{'trainees':>8} {'turns/s':>8} {'turn p50/p95/p99 ms':>20} {'all p50/p95/p99 ms':>19} "
          f"{'requests':>9} {'errors':>7} {'in-server turn ms':>18}   CPU cores: app/locust/postgres/other")
    for r in results:
        turn, total, cpu = r["turn"], r["all"], r["cpu"]
        print(f"{r['users']:>8} {float(turn.get('Requests/s') or 0):>8.1f} "
              f"{'/'.join(figure(turn, p) for p in PCTS):>20} {'/'.join(figure(total, p) for p in PCTS):>19} "
              f"{total['Request Count']:>9} {total['Failure Count']:>7} "
              f"{'/'.join(figure(r['server_turn'], p) for p in PCTS):>18}   "
              f"{cpu['app']:.2f}/{cpu['load']:.2f}/{cpu['db']:.2f}/{cpu['other']:.2f}")


def main():
    """Set up, run every stage, print the figures, clean up."""
    args = parse_args()
    try:
        import locust  # noqa: F401
    except ImportError:
        sys.exit("this benchmark drives locust: pip install locust")
    stages = [int(s) for s in args.stages.split(",")]
    out = args.out or Path(tempfile.mkdtemp(prefix="rmtrainer-load-"))
    out.mkdir(parents=True, exist_ok=True)
    port, url = free_port(), f"{args.server}/{args.database}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-test-" + os.urandom(8).hex(),
           "RMTRAINER_BIND": f"{HOST}:{port}", "RMTRAINER_ACCESS_LOG": str(out / "access.log"),
           "RATELIMIT_STORAGE_URI": redis_url(),
           # Every simulated trainee comes from 127.0.0.1: the per-address API limit would count
           # them as one client. The per-token limit (one trainee) stays as configured.
           "RATELIMIT_API_PER_IP": "1000000 per minute", "RMTRAINER_BENCH_THINK": args.think,
           "RMTRAINER_BENCH_TOKENS": str(out / "tokens.json")}
    if args.workers:
        env["WEB_CONCURRENCY"] = args.workers
    if args.threads:
        env["RMTRAINER_THREADS"] = args.threads
    print(f"database {url} (fresh), server http://{HOST}:{port}, output {out}")
    psql(args.server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    psql(args.server, f"CREATE DATABASE {args.database}")
    rmtrainer(env, "db", "upgrade")
    seed(env, max(stages), out / "tokens.json")
    server = start_server(env, out / "server.log")
    results = []
    try:
        for users in stages:
            print(f"stage: {users} trainees for {args.duration} s ...", flush=True)
            results.append(run_stage(users, args, env, server, out))
            report(results[-1:])
            (out / "results.json").write_text(json.dumps(results, indent=1))
    finally:
        stop_server(server)
        if not args.keep:
            psql(args.server, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    print("\nall stages:")
    report(results)
    print(f"(locust CSVs, failures and the server's access log are in {out})")


if __name__ == "__main__":
    main()
