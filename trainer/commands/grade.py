"""`rmtrainer grade`: the batch contract (JSONL in, JSONL out) and a readable single report."""
from __future__ import annotations

import os
import sys

# Grading's numpy work is a few small sums per reply: OpenBLAS's thread pool, started when numpy
# loads, only spins (0.12 CPU-s and 45 ms of wall time at every start, measured); one thread per
# process, set before grading imports numpy (a caller's own setting wins; --jobs forks processes).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click  # noqa: E402
import orjson  # noqa: E402

from grading import DIMENSIONS, Context, ContextError, grade  # noqa: E402
from grading.engine import warm  # noqa: E402
from grading.feedback import CATEGORY_NAMES, DIMENSION_NAMES  # noqa: E402
from grading.normalize import pattern_to_simplified  # noqa: E402
from grading.safe_regex import is_safe  # noqa: E402
from trainer.jsontext import BadJSON, loads  # noqa: E402


def grade_record(record, line_no: int, explain: bool = False) -> dict:
    """Grade one batch input record; a bad record becomes {"id", "line", "error"}. With
    `explain` the record carries the grader's whole reading (request, stance, cues)."""
    rid = record.get("id") if isinstance(record, dict) else None
    try:
        if not isinstance(record, dict):
            raise ValueError("each line must be a JSON object")
        reply = record.get("reply")
        if not isinstance(reply, str):
            raise ValueError("missing reply (a string)")
        context = record.get("context")
        if context is not None and not isinstance(context, dict):
            raise ValueError("context must be an object")
        context = dict(context or {})
        if "kind" not in context:
            raise ValueError("missing context.kind")
        check_types(record, context)
        if record.get("customer") and "customer_line" not in context:
            context["customer_line"] = record["customer"]
        report = grade(reply, Context.from_dict(context), explain=explain)
    except (ValueError, TypeError, ContextError) as e:
        return {"id": rid, "line": line_no, "error": str(e)}
    out = {"id": rid, **report.to_dict()}
    if explain:
        out["reading"] = report.reading
    return out


def check_types(record: dict, context: dict) -> None:
    """ValueError for a field of a type the grader takes on trust (a wrong one crashed it):
    text fields, move ids, and forbidden items with a valid pattern and a known dimension."""
    texts = {"customer": record.get("customer"), "context.customer_line": context.get("customer_line"),
             "context.model_answer": context.get("model_answer")}
    for name, value in texts.items():
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be a string")
    history = context.get("history") or []
    if not isinstance(history, list) or len(history) > 20 or not all(
            isinstance(h, str) and len(h) <= 2000 for h in history):
        raise ValueError("context.history must be a list of at most 20 earlier customer lines "
                         "(strings of at most 2,000 characters)")
    surname = context.get("customer_surname")
    if surname is not None and not (isinstance(surname, str) and 0 < len(surname) <= 4):
        raise ValueError("context.customer_surname must be a surname of 1 to 4 characters")
    moves = context.get("expected_moves") or []
    if not isinstance(moves, list) or not all(isinstance(m, str) for m in moves):
        raise ValueError("context.expected_moves must be a list of move ids (strings)")
    forbidden = context.get("forbidden") or []
    if not isinstance(forbidden, list):
        raise ValueError("context.forbidden must be a list of {pattern, message} objects")
    for item in forbidden:
        if not (isinstance(item, dict) and isinstance(item.get("pattern"), str)
                and isinstance(item.get("message"), str)):
            raise ValueError("each context.forbidden item needs a pattern and a message (strings)")
        if item.get("category") is not None and not isinstance(item["category"], str):
            raise ValueError("context.forbidden category must be a string")
        if item.get("dimension", "compliance") not in DIMENSIONS:
            raise ValueError(f"context.forbidden dimension must be one of {', '.join(DIMENSIONS)}")
        problem = is_safe(pattern_to_simplified(item["pattern"]))   # the pattern as the grader runs it
        if problem:
            raise ValueError(f"context.forbidden pattern: {problem}")


def _parse(line: bytes, line_no: int):
    """(record, None), or (None, error record) for a line that is not one standard JSON value."""
    try:
        return loads(line), None
    except BadJSON as e:
        return None, {"id": None, "line": line_no, "error": f"invalid JSON: {e}"}


def _progress(items, total):
    if sys.stderr.isatty():
        from tqdm import tqdm
        return tqdm(items, total=total, unit="reply", file=sys.stderr)
    return items


CHUNK = 64   # lines handed to a worker process at a time


def grade_line(numbered: tuple, explain: bool = False):
    """Grade one raw input line (line number, bytes) into its output record; None for a blank line."""
    line_no, line = numbered
    if not line.strip():
        return None
    record, error = _parse(line, line_no)
    return error or grade_record(record, line_no, explain)


def _graded(numbered: list, jobs: int, explain: bool):
    """Output records in input order; with jobs > 1 the lines are graded in that many processes."""
    # Loaded once here, then frozen out of the collector's sight: one process walks it in no
    # collection again, and forked workers start with the rules and models in memory.
    warm()
    if jobs <= 1 or len(numbered) < 2 * CHUNK:
        return map(lambda n: grade_line(n, explain), numbered)
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    pool = ProcessPoolExecutor(max_workers=jobs)
    # map() keeps input order; chunks amortise the hand-over between processes.
    return _closing(pool, pool.map(partial(grade_line, explain=explain), numbered, chunksize=CHUNK))


def _closing(pool, results):
    try:
        yield from results
    finally:
        pool.shutdown()


def _encode(record: dict) -> str:
    """One output line's JSON (UTF-8 text, keys in the record's order). orjson writes a graded
    record (2.4 kB on average) ten times faster than json's encoder (9.9 µs), the same values."""
    return orjson.dumps(record).decode("utf-8")


def _batch(input_file, output_file, jobs: int = 1, explain: bool = False) -> int:
    # Lines end at \n only: JSON text may hold U+2028 or U+0085, which splitlines() splits at;
    # each line is decoded alone, so a line of bad UTF-8 fails alone.
    lines = input_file.read().split(b"\n")
    numbered = list(enumerate(lines, 1))
    failed = 0
    write = output_file.write   # click's lazy file looks the method up on every call otherwise
    for out in _progress(_graded(numbered, jobs, explain), len(numbered)):
        if out is None:
            continue
        if "error" in out:
            failed += 1
            click.echo(f"line {out['line']}: {out['error']}", err=True)
        write(_encode(out) + "\n")
    return failed


def render_explain(report) -> str:
    """What the grader read: the request, the reply's stance, the model's view and its cues."""
    r = report.reading
    out = ["解读 reading:",
           f"  request  {r.get('request')} ({r.get('request_confidence')})"
           + (f"  customer's words “{r['request_cue']}”" if r.get("request_cue") else "")
           + ("  (from an earlier line)" if r.get("request_carried") else ""),
           f"           model cues: {', '.join(r.get('request_cues') or []) or '-'}",
           f"  stance   {r.get('stance')} ({r.get('stance_confidence')})  cues: "
           + (", ".join(r.get("stance_cues") or []) or "-"),
           "  red-line model: " + ", ".join(f"{c} {p}" for c, p in (r.get("model") or {}).items())]
    if r.get("levels"):
        out.append("  level model: " + ", ".join(f"{d} {v}" for d, v in r["levels"].items()))
    for f in report.red_lines:
        why = f"request {f.request} complied with" if f.request else (f"rule {f.rule}" if not f.cues else "model")
        out.append(f"  red line {f.category}: {why}; “{f.text}”"
                   + (f"; cues {', '.join(f.cues)}" if f.cues else "")
                   + (f"; p={f.confidence:.2f}" if f.confidence is not None else "")
                   + (f"; {f.source}" if f.source else ""))
    reviewed = [f for f in report.findings if f.level == "warning" and f.confidence is not None]
    for f in reviewed:
        out.append(f"  reviewed, not a red line: {f.rule} “{f.text}” (combiner {f.confidence:.2f})")
    return "\n".join(out)


def render_report(reply: str, report) -> str:
    """A terminal report: scores, then the reply with evidence marked, then findings and feedback."""
    out = [f"总分 total {report.total}   " + "   ".join(
        f"{DIMENSION_NAMES[d]} {d} {report.scores[d]}" for d in DIMENSIONS)]
    marked, pos = [], 0
    for f in sorted((f for f in report.findings if f.start >= pos), key=lambda f: f.start):
        if f.start < pos:
            continue
        style = {"red_line": dict(fg="red", bold=True), "warning": dict(fg="yellow"),
                 "suggestion": dict(fg="cyan"), "good": dict(fg="green")}[f.level]
        marked.append(reply[pos:f.start] + click.style(f"[{reply[f.start:f.end]}]", **style))
        pos = f.end
    out.append("回复 reply: " + "".join(marked) + reply[pos:])
    for f in sorted(report.findings, key=lambda f: ("red_line", "warning", "suggestion", "good").index(f.level)):
        cat = f" {CATEGORY_NAMES.get(f.category, f.category)}" if f.category else ""
        out.append(f"  {f.level:<10} {f.rule}{cat} [{f.start}:{f.end}] “{f.text}” {f.message}")
    if report.missing_moves:
        out.append("缺少 missing: " + ", ".join(report.missing_moves))
    if report.flags:
        out.append("标记 flags: " + ", ".join(report.flags))
    out.append("反馈 feedback:")
    out.extend(f"  {i}. {p}" for i, p in enumerate(report.feedback, 1))
    return "\n".join(out)


@click.command("grade")
@click.argument("input_file", type=click.File("rb"), required=False)
@click.option("-o", "--output", "output_file", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write the JSONL results (default: standard output).")
@click.option("--text", help="Grade one reply and print a readable report.")
@click.option("--kind", default="general", help="Kind of situation for --text.")
@click.option("--customer", default="", help="The customer's last line, for --text.")
@click.option("--customer-risk", help="Customer risk level C1–C5, for --text.")
@click.option("--product-risk", help="Product risk level R1–R5, for --text.")
@click.option("--explain", is_flag=True,
              help="Also show what the grader read: request, stance, the model's cues.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Processes for a batch (default: all cores); output stays in input order.")
def grade_command(input_file, output_file, text, kind, customer, customer_risk, product_risk,
                  explain, jobs):
    """Grade replies: INPUT.jsonl → JSONL results, or one --text reply → a readable report."""
    if text is not None:
        try:
            ctx = Context(kind=kind, customer_line=customer, customer_risk=customer_risk,
                          product_risk=product_risk)
        except ContextError as e:
            raise click.BadParameter(str(e)) from None
        report = grade(text, ctx)
        click.echo(render_report(text, report))
        if explain:
            click.echo(render_explain(report))
        return
    if input_file is None:
        raise click.UsageError("give INPUT.jsonl or --text")
    failed = _batch(input_file, output_file, jobs or os.cpu_count() or 1, explain)
    if failed:
        click.echo(f"{failed} line(s) could not be graded", err=True)
        sys.exit(1)
