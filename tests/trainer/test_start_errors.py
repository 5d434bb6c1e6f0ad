"""Starting with the database unreachable is one clear line and a non-zero exit, not a traceback:
under gunicorn and from the rmtrainer command line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from faultkit import free_port
from trainer.cli import main

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"


def test_gunicorn_says_in_one_line_that_the_database_is_unreachable(tmp_path):
    env = {**os.environ, "DATABASE_URL": UNREACHABLE, "SECRET_KEY": "x",
           "RMTRAINER_BIND": f"127.0.0.1:{free_port()}", "WEB_CONCURRENCY": "1"}
    done = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "cannot reach the database (127.0.0.1:" in done.stderr
    assert "Traceback" not in done.stderr and "sqlalche.me" not in done.stderr, done.stderr


@pytest.mark.parametrize("args", [["users", "unlock", "amy"], ["db", "current"]])
def test_the_cli_says_so_too(monkeypatch, args):
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    monkeypatch.setenv("SECRET_KEY", "x")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output or "Connection refused" in result.output
    assert "Traceback" not in result.output
