"""`rmtrainer grade` on hostile batches: one bad line fails alone (too deep, too many digits, not
UTF-8, not standard JSON), lines end at \\n only, and a caller's regex cannot hold the run (issue 12)."""
from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from trainer.cli import main

OK = {"id": "ok", "context": {"kind": "gift"}, "customer": "一点心意您收下。",
      "reply": "谢谢您的心意，按照规定我们不能收礼品，请您收回。"}


def ok_line(rid="ok") -> bytes:
    return json.dumps({**OK, "id": rid}, ensure_ascii=False).encode("utf-8")


def run(data: bytes):
    result = CliRunner().invoke(main, ["grade", "-"], input=data)
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def test_one_bad_line_fails_alone_and_the_batch_goes_on():
    lines = [ok_line("a"),
             b"[" * 100_000 + b"]" * 100_000,                              # nested deeper than Python goes
             b'{"id": ' + b"7" * 4301 + b', "reply": "x", "context": {"kind": "gift"}}',   # 4,301 digits
             b'{"id": "u", "reply": "\xff\xfe\xe4\xbd", "context": {"kind": "gift"}}',     # not UTF-8
             b'{"id": NaN, "reply": "x", "context": {"kind": "gift"}}',   # not standard JSON
             ok_line("b")]
    result, out = run(b"\n".join(lines) + b"\n")
    assert result.exit_code == 1
    assert [o.get("id") for o in out] == ["a", None, None, None, None, "b"]
    assert "scores" in out[0] and "scores" in out[5]
    errors = [o["error"] for o in out[1:5]]
    assert errors == ["invalid JSON: nested too deeply",
                      "invalid JSON: a whole number has more than 4300 digits",
                      "invalid JSON: the text must be UTF-8",
                      "invalid JSON: NaN is not a JSON value"]
    assert [o["line"] for o in out[1:5]] == [2, 3, 4, 5]
    assert "4 line(s) could not be graded" in result.stderr


def test_lines_end_at_newline_only():
    """U+2028, U+2029 and U+0085 are legal inside JSON strings; splitlines() split the line there."""
    records = [{**OK, "id": f"s{i}", "reply": OK["reply"] + sep + "祝您生活愉快。"}
               for i, sep in enumerate(["\u2028", "\u2029", "\u0085", "\x1c", "\x0b"])]
    data = b"\n".join(json.dumps(r, ensure_ascii=False).encode("utf-8") for r in records) + b"\r\n"
    result, out = run(data)
    assert result.exit_code == 0, result.stderr
    assert [o["id"] for o in out] == ["s0", "s1", "s2", "s3", "s4"]
    assert all("scores" in o for o in out)


def test_a_context_that_is_not_an_object_is_an_error_line():
    line = json.dumps({"id": "p", "reply": "您好", "context": [["kind", "general"]]}).encode()
    result, out = run(line + b"\n" + ok_line())
    assert out[0] == {"id": "p", "line": 1, "error": "context must be an object"}
    assert "scores" in out[1] and result.exit_code == 1


def test_a_backtracking_forbidden_pattern_cannot_hold_the_batch():
    """(a+)+$ on 40 characters took Python's re minutes per reply; it now runs in linear time."""
    record = {"id": "redos", "reply": "a" * 40 + "!",
              "context": {"kind": "general", "forbidden": [{"pattern": "(a+)+$", "message": "m"}]}}
    caught = {"id": "hit", "reply": "好的，aaaa", "context": record["context"]}
    data = "\n".join(json.dumps(r) for r in (record, caught)) + "\n"
    done = subprocess.run([sys.executable, "-c", "from trainer.cli import main; main()", "grade", "-"],
                          input=data.encode(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    first, second = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert first["id"] == "redos" and "scores" in first
    assert not [f for f in first["findings"] if f["rule"] == "step.forbidden"]
    assert [f["text"] for f in second["findings"] if f["rule"] == "step.forbidden"] == ["aaaa"]


def test_a_pattern_that_cannot_be_bounded_is_refused_with_a_reason():
    """Lookaround needs the backtracking engine, and with (a+)+ that engine has no bound."""
    context = {"kind": "general", "forbidden": [{"pattern": "(?<!b)(a+)+$", "message": "m"}]}
    result, out = run(json.dumps({"id": "x", "reply": "a" * 40, "context": context}).encode() + b"\n")
    assert result.exit_code == 1
    assert out[0]["id"] == "x" and "could backtrack without bound" in out[0]["error"]
    assert "bound its repetitions" in out[0]["error"]
