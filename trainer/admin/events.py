"""The audit log as a person reads it: an action's name in the UI language and a one-line
summary of its detail (stored as English text or JSON) in place of the raw record."""
from __future__ import annotations

import json
import re
from datetime import datetime

from flask_babel import gettext as _, lazy_gettext as _l

from trainer.localtime import local_text

ACTION_LABELS = {
    "login": _l("Logged in"), "login_failed": _l("Failed login"), "lockout": _l("Account locked"),
    "unlock": _l("Account unlocked"), "logout": _l("Logged out"), "password_change": _l("Password changed"),
    "role_change": _l("Role changed"), "user_create": _l("Account created"),
    "user_data_delete": _l("Trainee's data deleted"), "grade_override": _l("Grade overridden"),
    "csv_export": _l("Results exported"), "retention_run": _l("Old data removed"),
    "token_issue": _l("API token issued"), "token_revoke": _l("API tokens revoked"),
    "cohort_invite": _l("Invited to a cohort"), "cohort_join": _l("Joined a cohort"),
    "password_reset": _l("Password reset by an admin"), "user_deactivate": _l("Account deactivated"),
    "user_reactivate": _l("Account reactivated"), "turn_confirm": _l("Grade confirmed"),
}
# English phrases the services write, and reasons for token revocation.
PHRASES = {"unknown user": _l("unknown username"), "account locked": _l("the account was locked"),
           "revoked by an admin": _l("revoked by an admin"), "password change": _l("password change"),
           "password reset": _l("password reset"), "account deactivated": _l("account deactivated"),
           "admin": _l("added by an admin"), "invitation": _l("accepted an invitation")}
ROLE_NAMES = {"trainee": _l("trainee"), "coach": _l("coach"), "admin": _l("admin")}
UTC_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC")


def action_label(action: str) -> str:
    """The action's readable name in the UI language (its code when it has none)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _phrase(text: str) -> str:
    return str(PHRASES.get(text, text))


def _local_stamp(text: str) -> str:
    """"2026-11-30 01:00 UTC" written in the configured zone."""
    def convert(match):
        return local_text(datetime.strptime(match.group(1), "%Y-%m-%d %H:%M"), "%Y-%m-%d %H:%M")
    return UTC_STAMP.sub(convert, text)


def _scores(scores: dict) -> str:
    """Scores in rubric order (the stored JSON has its keys sorted), with the dimensions' labels."""
    from trainer.filters import DIMENSION_LABELS
    order = [d for d in DIMENSION_LABELS if d in scores] + [d for d in scores if d not in DIMENSION_LABELS]
    return ", ".join(f"{DIMENSION_LABELS.get(d, d)} {scores[d]}" for d in order)


def _from_dict(action: str, d: dict) -> str:
    """The summary of a JSON detail, by action; any other dict as key: value pairs."""
    if action == "user_data_delete":
        return _("%(attempts)s attempts, %(turns)s turns, %(overrides)s coach grades, %(api_tokens)s API tokens",
                 **{k: d.get(k, 0) for k in ("attempts", "turns", "overrides", "api_tokens")})
    if action in ("grade_override", "turn_confirm"):
        text = _("attempt %(attempt)s of %(trainee)s", attempt=d.get("attempt", "?"), trainee=d.get("trainee", "?"))
        return text + (": " + _scores(d["scores"]) if isinstance(d.get("scores"), dict) else "")
    if action == "csv_export":
        return _("cohort %(cohort)s, %(rows)s rows", cohort=d.get("cohort", "?"), rows=d.get("rows", "?"))
    if action == "token_issue":
        return _("token %(id)s, valid until %(until)s", id=d.get("token", "?"),
                 until=_local_stamp(str(d.get("expires", "?"))))
    if action == "token_revoke":
        return _("%(n)s tokens: %(reason)s", n=d.get("tokens", "?"), reason=_phrase(str(d.get("reason", ""))))
    if action == "cohort_invite":
        return _("cohort %(cohort)s", cohort=d.get("cohort", "?"))
    if action == "cohort_join":
        return _("cohort %(cohort)s (%(how)s)", cohort=d.get("cohort", "?"), how=_phrase(str(d.get("by", ""))))
    if action == "retention_run":
        return _("%(attempts)s attempts, %(turns)s turns, %(overrides)s coach grades, %(audit)s audit events "
                 "older than %(days)s days", attempts=d.get("attempts", 0), turns=d.get("turns", 0),
                 overrides=d.get("overrides", 0), audit=d.get("audit_events", 0), days=d.get("days", "?"))
    return ", ".join(f"{k}: {v}" for k, v in d.items())


def _from_text(action: str, text: str) -> str:
    """The summary of a plain-text detail, by action."""
    if match := re.fullmatch(r"wrong password \((\d+) of (\d+)\)", text):
        return _("wrong password (%(n)s of %(m)s)", n=match.group(1), m=match.group(2))
    if match := re.fullmatch(r"locked until (.+)", text):
        return _("locked until %(t)s", t=_local_stamp(match.group(1)))
    if match := re.fullmatch(r"(\w+) -> (\w+)", text):
        return f"{ROLE_NAMES.get(match.group(1), match.group(1))} → {ROLE_NAMES.get(match.group(2), match.group(2))}"
    if match := re.fullmatch(r"role (\w+)", text):
        return _("role: %(role)s", role=ROLE_NAMES.get(match.group(1), match.group(1)))
    return _phrase(text)


def summary(action: str, detail: str) -> str:
    """One line saying what the event's detail means, in the UI language."""
    detail = (detail or "").strip()
    if not detail:
        return ""
    if detail.startswith("{"):
        try:
            parsed = json.loads(detail)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return _from_dict(action, parsed)
    return _from_text(action, detail)
