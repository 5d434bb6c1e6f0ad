"""Gunicorn settings for RM Trainer (see docs/deployment.md). Shipped in the package, so an
installed wheel has them: `gunicorn -c python:trainer.gunicorn_conf` from any directory; in a
checkout, `gunicorn -c gunicorn.conf.py` reads the same settings.

Every setting can be changed from the environment without editing this file:
  RMTRAINER_BIND       where to listen (default 127.0.0.1:8000; behind a reverse proxy keep it
                       on loopback or a private interface); PORT alone gives 0.0.0.0:$PORT
  WEB_CONCURRENCY      worker processes (default: 1 per core, plus 1)
  RMTRAINER_THREADS    threads per worker (default 2)
  RMTRAINER_ACCESS_LOG access log file, "-" for stdout (default), "" for none
  FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-* (default 127.0.0.1)
"""
from __future__ import annotations

import os

# --- what to run ---------------------------------------------------------------------------
wsgi_app = "trainer:create_app()"

# --- where to listen -----------------------------------------------------------------------
bind = [os.environ.get("RMTRAINER_BIND")
        or (f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000")]

# --- how many -------------------------------------------------------------------------------
# A turn costs ~10 ms of Python (grading, the ORM, JSON) and a few database round trips. Python
# holds the GIL while it computes, so parallelism comes from processes, and every extra runnable
# thread costs GIL hand-offs and context switches. Measured with benchmarks/load_test.py on 2
# cores, 100 trainees, turn p95: 40 ms with 3 workers x 2 threads vs 43 ms with 5 x 4 (the usual
# "2 per core + 1") on an idle machine, but 160-180 ms vs 520-620 ms while other work kept one
# core busy; 5 x 1 could not keep up. So: one worker per core plus one, two threads each (one
# computes while the other waits on PostgreSQL); gthread keeps idle keep-alive connections off
# the threads. Each worker opens its own database pool
# (RMTRAINER_DB_POOL_SIZE, see trainer/config.py): keep servers x workers x (pool size +
# overflow) below PostgreSQL's max_connections (100 by default), or put PgBouncer in front.
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = int(os.environ.get("RMTRAINER_THREADS") or 2)

# Load the app (config, scenario library, grading rules) once in the master, then fork: the
# workers start at once, share that memory copy-on-write, and a broken config or an
# unmigrated database stops the start instead of crash-looping the workers.
preload_app = True

# --- time limits ----------------------------------------------------------------------------
timeout = 30            # a worker silent this long is killed and replaced
graceful_timeout = 30   # on SIGTERM/SIGHUP, requests in flight get this long to finish
keepalive = 5           # seconds an idle keep-alive connection from the proxy stays open
# Recycle each worker after a few thousand requests (jittered so they do not all restart at
# once): bounds any slow memory growth without a visible restart.
max_requests = 5000
max_requests_jitter = 500

# --- behind a reverse proxy -----------------------------------------------------------------
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

# --- logs -----------------------------------------------------------------------------------
accesslog = os.environ.get("RMTRAINER_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("RMTRAINER_LOG_LEVEL", "info")
# Combined log format plus the request time in milliseconds (%(M)s) and the worker's <pid> (%(p)s).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %(p)s'


def when_ready(server):
    """Warm the per-process caches in the master, so forked workers start with them."""
    from trainer.services import library
    library.scenarios()
    library.tracks()
    from grading import Context, grade
    grade("您好，我马上帮您查询，今天内给您回复。", Context(kind="complaint"))


def post_fork(server, worker):
    """Drop the database connections inherited from the master (a socket is never shared)."""
    from trainer.extensions import db
    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
