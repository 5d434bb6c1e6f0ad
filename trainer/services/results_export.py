"""A cohort's results for spreadsheets: one row per attempt with the trainee's display name, the
scenario's and ending's Chinese titles, machine and coach scores, an override flag and local
times; written as CSV (UTF-8 with BOM, for Excel) or .xlsx, under a file name with the cohort's name."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Optional
from urllib.parse import quote

from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload
from werkzeug.utils import secure_filename

from trainer.localtime import stamp, today
from trainer.models import DIMENSIONS, Attempt, Cohort, CohortMember, Turn, User
from trainer.services import library
from trainer.services.attempts import effective_total, track_result

HEADER = ("trainee", "display_name", "scenario", "scenario_title", "track", "mode", "status",
          "started", "finished", "machine_total", *(f"machine_{d}" for d in DIMENSIONS),
          "coach_total", *(f"coach_{d}" for d in DIMENSIONS), "overridden", "total", "passed",
          "red_lines", "ending", "ending_title")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")   # what spreadsheets read as a formula
UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')   # not allowed in a file name on Windows or POSIX


def safe_cell(value):
    """A cell a spreadsheet will not run: text starting with = + - @ gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _average(per_turn: list) -> dict:
    return {d: round(sum(s[d] for s in per_turn) / len(per_turn)) for d in DIMENSIONS}


def _scores(attempt: Attempt) -> tuple:
    """(machine scores, machine total, coach scores, coach total, overridden) over the counted turns."""
    turns = attempt.counted_turns
    if not turns:
        return {}, "", {}, "", False
    machine = _average([t.report["scores"] for t in turns])
    machine_total = round(sum(t.total for t in turns) / len(turns))
    if not any(t.overrides for t in turns):
        return machine, machine_total, {}, "", False
    coach = _average([t.overrides[-1].scores if t.overrides else t.report["scores"] for t in turns])
    return machine, machine_total, coach, round(sum(effective_total(t) for t in turns) / len(turns)), True


def _ending_title(attempt: Attempt, scenario) -> str:
    """The ending's name as the Chinese report shows it (its outcome, e.g. 问题解决)."""
    ending = scenario.endings.get(attempt.ending_id) if scenario and attempt.ending_id else None
    if ending is None:
        return ""
    with force_locale("zh"):
        return gettext(ending.outcome)


def result_rows(cohort: Cohort) -> list:
    """One row per attempt of the cohort's trainees, in HEADER order (scores once an attempt has ended)."""
    turns = selectinload(Attempt.turns).options(defer(Turn.state_before_json), selectinload(Turn.overrides))
    attempts = (Attempt.query.options(turns)
                .join(User, Attempt.user_id == User.id)
                .filter(User.id.in_(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))
                .order_by(User.username, Attempt.started_at, Attempt.id).all())
    people = {u.id: u for u in cohort.members}
    rows = []
    for a in attempts:
        scenario, track = library.scenario(a.scenario_id), library.tracks().get(a.track_id or "")
        ended = a.status == "finished"
        machine, machine_total, coach, coach_total, overridden = _scores(a) if ended else ({}, "", {}, "", False)
        result = track_result(a) if ended else None
        passed = "" if not result or result["passed"] is None else ("yes" if result["passed"] else "no")
        rows.append([
            people[a.user_id].username, people[a.user_id].display_name,
            a.scenario_id, library.title(scenario, "zh") if scenario else "",
            library.title(track, "zh") if track else (a.track_id or ""), a.mode, a.status,
            stamp(a.started_at), stamp(a.finished_at),
            machine_total, *(machine.get(d, "") for d in DIMENSIONS),
            coach_total, *(coach.get(d, "") for d in DIMENSIONS), "yes" if overridden else "no",
            a.total if ended and a.total is not None else "", passed,
            a.red_line_count if ended else "", a.ending_id or "", _ending_title(a, scenario)])
    return rows


def results_csv(cohort: Cohort) -> str:
    """The cohort's results as CSV text with a BOM (Excel then reads it as UTF-8), cells neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in result_rows(cohort):
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def results_xlsx(cohort: Cohort) -> bytes:
    """The same rows as an Excel workbook (openpyxl), one sheet named after the cohort."""
    from openpyxl import Workbook      # only the export needs it
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(UNSAFE_IN_NAMES.sub("_", cohort.name).replace("[", "(").replace("]", ")")
                                     or "results")[:31])
    sheet.append(list(HEADER))
    for row in result_rows(cohort):
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download_name(cohort: Cohort, extension: str, day: Optional[date] = None) -> str:
    """The file name a person sees: <cohort name>-results-<local date>.<extension>, unsafe characters replaced."""
    name = UNSAFE_IN_NAMES.sub("_", cohort.name).strip(" ._") or f"cohort-{cohort.id}"
    return f"{name[:60]}-results-{(day or today()).isoformat()}.{extension}"


def ascii_name(cohort: Cohort, extension: str, day: Optional[date] = None) -> str:
    """The fallback for clients without RFC 6266 support: cohort-<id>[-<ascii name>]-results-<date>."""
    name = secure_filename(cohort.name)[:40]
    stem = f"cohort-{cohort.id}" + (f"-{name}" if name else "")
    return f"{stem}-results-{(day or today()).isoformat()}.{extension}"


def content_disposition(cohort: Cohort, extension: str, day: Optional[date] = None) -> str:
    """An attachment header with an ASCII filename and the UTF-8 one as filename* (RFC 6266, RFC 5987)."""
    return (f'attachment; filename="{ascii_name(cohort, extension, day)}"; '
            f"filename*=UTF-8''{quote(download_name(cohort, extension, day), safe='')}")
