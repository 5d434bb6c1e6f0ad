"""Tools for the fault tests: a gunicorn server that can be SIGKILLed, a stdlib HTTP client, and
a TCP proxy to PostgreSQL that can be cut and restored. Everything talks to 127.0.0.1 only."""
from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Response:
    """Status, headers and body of one HTTP exchange."""

    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", "replace")

    def json(self):
        """The body as JSON."""
        return json.loads(self.body)


class Http:
    """A tiny client with a cookie jar (pages) and an optional bearer token (API)."""

    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, method: str, path: str, body=None, form=None, timeout=15) -> Response:
        """Send one request; non-2xx answers are returned, not raised."""
        headers, data = {}, None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            with e:
                return Response(e.code, e.headers, e.read())

    def get(self, path: str, **kw) -> Response:
        """GET path."""
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> Response:
        """POST path (body= JSON, form= a form)."""
        return self.request("POST", path, **kw)

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on a page."""
        page = self.get(path).text
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        return html.unescape(m.group(1)) if m else ""

    def login(self, username: str, password: str) -> Response:
        """Log in through the login form."""
        return self.post("/login", form={"username": username, "password": password,
                                         "csrf_token": self.csrf("/login")})


class Server:
    """gunicorn with the repository's gunicorn.conf.py, in its own process group."""

    def __init__(self, database_url: str, log_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "fault-tests",
                    "RMTRAINER_BIND": f"{HOST}:{self.port}", "WEB_CONCURRENCY": "2",
                    "RMTRAINER_THREADS": "2", "RMTRAINER_INSECURE_COOKIES": "1",
                    "RMTRAINER_ACCESS_LOG": ""}
        # What to run, and where: tests/deploy runs an installed wheel's gunicorn elsewhere.
        self.command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
        self.cwd = ROOT
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "Server":
        """Start gunicorn and wait until /healthz answers 200."""
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if Http(self.base).get("/healthz", timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"gunicorn did not become healthy:\n{self.log()}")

    def kill9(self) -> None:
        """SIGKILL the master and its workers at once, as a crash of the machine would."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), or kill when that takes too long."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill9()

    def log(self) -> str:
        """What the server printed."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class Proxy:
    """A TCP relay HOST:port -> target; cut() drops every connection and refuses new ones (a
    database restarting), restore() listens again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listening = threading.Event()
        self._acceptor: threading.Thread | None = None

    def start(self) -> "Proxy":
        """Listen and relay."""
        listener = socket.create_server((HOST, self.port))   # SO_REUSEADDR: same port again
        listener.settimeout(0.05)
        self._listening.set()
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._listening.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    client.close()
                    continue
                if not self._listening.is_set():      # cut() came meanwhile: drop this one too
                    client.close()
                    upstream.close()
                    break
                client.settimeout(None)
                upstream.settimeout(None)
                with self._lock:
                    self._sockets.update((client, upstream))
                for src, dst in ((client, upstream), (upstream, client)):
                    thread = threading.Thread(target=self._pump, args=(src, dst), daemon=True)
                    self._threads.append(thread)
                    thread.start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                self._drop(s)

    def _drop(self, s: socket.socket) -> None:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        with self._lock:
            self._sockets.discard(s)
        s.close()

    def cut(self) -> None:
        """Stop listening and drop every open connection."""
        self._listening.clear()
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
        with self._lock:
            open_sockets = list(self._sockets)
        for s in open_sockets:
            self._drop(s)
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads = [t for t in self._threads if t.is_alive()]
        assert not self._threads, "a relay outlived cut()"

    def restore(self) -> None:
        """Listen again on the same port."""
        self.start()
