"""Adding many trainees to a cohort at once, from pasted usernames or a CSV file, with a report
line per name that says what happened — and, to a coach, nothing about accounts outside their reach."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from trainer.extensions import db
from trainer.models import Cohort, CohortInvite, User
from trainer.services import audit
from trainer.services.cohorts import CohortError, add_member, in_reach, join

MAX_NAMES = 200
MAX_BYTES = 64 * 1024          # a CSV of 200 usernames is a few KB
SEPARATORS = re.compile(r"[\n\r,，;；]+")    # one a line, or commas (full-width too, as Chinese keyboards type them)
HEADER_CELLS = {"username", "user", "login", "用户名", "账号", "帐号"}
# The one answer for a name the coach may not add: "no such user" and "not yours" must read alike.
NOT_IN_REACH = _l("Not added: none of your trainees has this username. If it is a trainee, they "
                  "have been sent an invitation and join when they accept it.")


class BulkError(ValueError):
    """The list itself cannot be read (too long, not text, empty)."""


@dataclass
class Outcome:
    """What happened to one name of the list."""
    line: int
    username: str
    added: bool
    reason: str


def names_from_text(text: str) -> list:
    """(line number, username) pairs from pasted text: one a line or comma-separated; blanks skipped."""
    out = []
    for number, line in enumerate((text or "").splitlines() or [""], start=1):
        out.extend((number, name.strip()) for name in SEPARATORS.split(line) if name.strip())
    return out


def names_from_csv(data: bytes) -> list:
    """(line number, username) pairs from a CSV file's first column (a header row is skipped);
    UTF-8 (with or without BOM) or GB18030, as Excel saves a Chinese sheet."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BulkError(_l("The file is not a text CSV file"))
    out = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cell = row[0].strip() if row else ""
        if not cell or (number == 1 and cell.lower() in HEADER_CELLS):
            continue
        out.append((number, cell))
    return out


def add_many(cohort: Cohort, names: list, actor: User) -> list:
    """Add each named trainee to the cohort and say, per name, what happened. An admin adds any
    trainee; a coach adds trainees of their own other cohorts and invites the rest (NOT_IN_REACH)."""
    if not names:
        raise BulkError(_l("Please enter at least one username"))
    if len(names) > MAX_NAMES:
        raise BulkError(_l("At most %(max)d usernames at a time; this list has %(n)d", max=MAX_NAMES, n=len(names)))
    seen, out = set(), []
    for line, username in names:
        if username in seen:
            out.append(Outcome(line, username, False, str(_l("Listed twice: added once at most"))))
            continue
        seen.add(username)
        out.append(_add_one(cohort, line, username[:64], actor))
    db.session.commit()
    return out


def _add_one(cohort: Cohort, line: int, username: str, actor: User) -> Outcome:
    if actor.role == "admin":
        try:
            add_member(cohort, username)
        except CohortError as e:
            return Outcome(line, username, False, str(e.message))
        return Outcome(line, username, True, str(_l("Added")))
    user = User.query.filter_by(username=username).first()
    if user is not None and cohort in user.cohorts:
        return Outcome(line, username, False, str(_l("Already in this cohort")))
    if user is not None and user.is_active and user.role == "trainee" and in_reach(user, actor):
        join(cohort, user, "coach", actor=actor)
        return Outcome(line, username, True, str(_l("Added")))
    if user is not None and user.is_active and user.role == "trainee" and \
            CohortInvite.query.filter_by(cohort_id=cohort.id, user_id=user.id).first() is None:
        db.session.add(CohortInvite(cohort_id=cohort.id, user_id=user.id, invited_by=actor.id))
    audit.record("cohort_invite", audit.user_target(username), {"cohort": cohort.name, "bulk": True},
                 actor=actor, commit=False)
    return Outcome(line, username, False, str(NOT_IN_REACH))
