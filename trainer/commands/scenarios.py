"""`rmtrainer scenarios check|list`: validate scenario files and list the library."""
from __future__ import annotations

import json

import click

from scenarios import ScenarioError, check, load_library, scenario_files


@click.group("scenarios")
def scenarios_group():
    """Scenario files: check them, list the library."""


@scenarios_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
def check_command(paths):
    """Check scenario files or directories (default: the library); exit 1 on any problem."""
    problems = check(list(paths) or None)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        files = len({p.file for p in problems})
        click.echo(f"{len(problems)} problem(s) in {files} file(s).", err=True)
        raise SystemExit(1)
    count = len(scenario_files(list(paths) or None))
    click.echo(f"OK: {count} scenario file(s) and tracks.yml checked, no problems.")


@scenarios_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for scripts.")
def list_command(fmt):
    """List the library: id, title, kind, difficulty, tracks, steps, endings."""
    try:
        library = load_library()
    except ScenarioError as exc:
        raise click.ClickException(f"the library has problems; run `rmtrainer scenarios check`\n{exc}")
    rows = [{"id": s.id, "title": s.title, "kind": s.kind, "difficulty": s.difficulty,
             "tracks": list(s.tracks), "steps": len(s.steps), "endings": len(s.endings)}
            for s in library.values()]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    header = ("id", "title", "kind", "difficulty", "tracks", "steps", "endings")
    table = [header] + [(r["id"], r["title"]["zh"], r["kind"], str(r["difficulty"]),
                         ",".join(r["tracks"]), str(r["steps"]), str(r["endings"])) for r in rows]
    widths = [max(_width(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip())


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns, so columns still line up."""
    return sum(2 if "\u2e80" <= ch <= "\ufe4f" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)
