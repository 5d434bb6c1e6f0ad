"""Tools for the deployment checks (wheel_smoke.py, two_servers.py): build the wheel from the
checkout, install it into a fresh virtual environment outside the checkout, run its commands and
its gunicorn from another directory, and print each check as it passes. Standard library only:
the scripts run under any Python 3.11; the app they test is the installed wheel's, never the
checkout's."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "trainer"))
from faultkit import HOST, Http, Server, free_port  # noqa: E402  (stdlib-only HTTP client and gunicorn runner)

__all__ = ["HOST", "Http", "ROOT", "Checks", "Venv", "WheelServer", "build_wheel", "built_from",
           "free_port", "prepare", "begin", "workdir"]
# The developer's own settings must not leak into the deployment under test.
UNSET = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DATABASE_URL", "SECRET_KEY", "FLASK_APP")
UNSET_PREFIXES = ("RATELIMIT_", "RMTRAINER_", "WEB_CONCURRENCY")


class Checks:
    """Counts checks; each prints `ok  what` when it holds and stops the run when it does not."""

    def __init__(self, name: str):
        self.name, self.passed, self.start = name, 0, time.monotonic()

    def __call__(self, condition, what: str, detail: str = "") -> None:
        if not condition:
            print(f"FAIL {what}" + (f"\n{detail}" if detail else ""), flush=True)
            print(f"{self.name}: {self.passed} passed, 1 failed", flush=True)
            raise SystemExit(1)
        self.passed += 1
        print(f"ok {time.monotonic() - self.start:6.1f}s  {what}", flush=True)

    def done(self) -> None:
        """The closing line, in the form CI reads."""
        print(f"{self.name}: {self.passed} passed, 0 failed", flush=True)


def workdir(given: str | None) -> Path:
    """The folder for the wheel, the venv and the run: given, or a new one; never in the checkout."""
    path = Path(given).resolve() if given else Path(tempfile.mkdtemp(prefix="rmtrainer-deploy-"))
    if path == ROOT or ROOT in path.parents:
        raise SystemExit(f"{path} is inside the checkout: the deployment must be tested outside it")
    path.mkdir(parents=True, exist_ok=True)
    return path


def source_files() -> list[str]:
    """The checkout's files as git sees them (tracked, plus new ones it does not ignore)."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, check=True, capture_output=True).stdout.decode()
    return sorted(f for f in out.split("\0") if f and (ROOT / f).is_file())


def build_wheel(work: Path) -> Path:
    """Build the wheel from a clean copy of the checkout (no stale build/ folder can leak in)."""
    src, dist = work / "src", work / "dist"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(dist, ignore_errors=True)
    for name in source_files():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    # An absolute path: `pip wheel src` would look for a package named "src" on the index.
    quiet([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)])
    wheels = sorted(dist.glob("rmtrainer-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {dist}, found {wheels}")
    return wheels[0]


def quiet(command: list[str]) -> None:
    """Run a build or install step; its output is shown only when it fails."""
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out.stdout[-3000:]}{out.stderr[-5000:]}")


def built_from(work: Path) -> list[str]:
    """The files the wheel was built from (the checkout's, copied at build time: the checkout
    may have changed since), as paths relative to the checkout."""
    src = work / "src"
    return sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts and ".egg-info" not in p.as_posix())


class Venv:
    """A virtual environment with the wheel installed; commands run with a clean environment."""

    def __init__(self, path: Path):
        self.path, self.bin = path, path / "bin"

    def create(self, wheel: Path, extras: str = "postgres,redis") -> "Venv":
        """A fresh venv with the wheel (and its extras) installed from the package index."""
        shutil.rmtree(self.path, ignore_errors=True)
        quiet([sys.executable, "-m", "venv", str(self.path)])
        # --no-compile: byte-compile only what runs, when it first runs (not all of Faker's locales)
        quiet([str(self.bin / "python"), "-m", "pip", "install", "-q", "--no-compile", f"{wheel}[{extras}]"])
        return self

    def env(self, **settings: str) -> dict:
        """This machine's environment without the developer's settings, plus `settings`."""
        env = {k: v for k, v in os.environ.items()
               if k not in UNSET and not k.startswith(UNSET_PREFIXES)}
        env.update(PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(self.path), **settings)
        return env

    def run(self, *args: str, cwd: Path, env: dict, input: str | None = None) -> subprocess.CompletedProcess:
        """Run one of the venv's programs (rmtrainer, python) from `cwd`; output is captured."""
        return subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=cwd, env=env, input=input,
                              capture_output=True, text=True, timeout=300)


class WheelServer(Server):
    """The installed wheel's gunicorn, with the settings shipped in the package, started from a
    directory outside the checkout."""

    def __init__(self, venv: Venv, env: dict, cwd: Path, log_path: Path, workers: int = 2):
        super().__init__(env["DATABASE_URL"], log_path)
        self.env = {**env, "RMTRAINER_BIND": f"{HOST}:{self.port}", "WEB_CONCURRENCY": str(workers),
                    "RMTRAINER_THREADS": "2", "RMTRAINER_INSECURE_COOKIES": "1"}
        self.env.setdefault("RMTRAINER_ACCESS_LOG", str(cwd / f"access-{self.port}.log"))
        self.command = [str(venv.bin / "gunicorn"), "-c", "python:trainer.gunicorn_conf"]
        self.cwd = cwd

    def access_statuses(self) -> list[tuple[str, int]]:
        """(request line, status) of every request in the access log."""
        path = Path(self.env["RMTRAINER_ACCESS_LOG"])
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
        return [(m.group(1), int(m.group(2))) for m in map(re.compile(r'"([^"]*)" (\d{3}) ').search, lines) if m]


def prepare(work_arg: str | None, checks: Checks) -> tuple[Path, Venv, Path]:
    """Build the wheel and install it into work/venv, unless work/venv already has it (a second
    script in the same CI run reuses the first one's). Returns (work, venv, wheel)."""
    work = workdir(work_arg)
    venv = Venv(work / "venv")
    wheels = sorted((work / "dist").glob("rmtrainer-*.whl"))
    if wheels and (venv.bin / "rmtrainer").exists():
        print(f"(reusing {wheels[0].name} installed in {venv.path})", flush=True)
        return work, venv, wheels[0]
    wheel = build_wheel(work)
    checks(wheel.exists(), f"built {wheel.name} ({wheel.stat().st_size // 1024} KB) from a copy of the checkout")
    venv.create(wheel)
    checks((venv.bin / "rmtrainer").exists(), f"installed it with its dependencies into a fresh venv, {venv.path}")
    return work, venv, wheel


def begin(name: str, doc: str) -> tuple[Checks, Venv, Path, Path]:
    """A script's start: read --workdir, get the installed wheel, and an empty run folder
    work/NAME. Returns (checks, venv, wheel, run)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--workdir", help="where the wheel, venv and runs go (default: a new temporary folder)")
    checks = Checks(name)
    work, venv, wheel = prepare(ap.parse_args().workdir, checks)
    run = work / name
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    return checks, venv, wheel, run
