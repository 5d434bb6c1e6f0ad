"""The audit log as an admin reads it at /admin/audit: logins, failed logins, lockouts, logouts,
account changes, grade overrides and CSV exports, each with who, what, when and from where;
paged, filtered by action, escaped, and closed to everyone but admins."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from trainer.models import AuditEvent
from trainer.services import audit
from trainer.services.attempts import submit_reply
from trainer.services.cohorts import override_turn
from trainer.services.users import change_role

HELLO = "您好，真的很抱歉让您着急了，这件事由我来跟进，我马上帮您查。"


@pytest.fixture
def people(make_user, make_cohort):
    carol = make_user("carol", role="coach")
    cohort = make_cohort("秋季新员工", coach=carol)
    return {"amy": make_user("amy", cohort=cohort), "carol": carol, "root": make_user("root", role="admin"),
            "cohort": cohort}


def rows(client, **query) -> list:
    """The audit table as the admin sees it in English: one (who, action, target, summary, ip)
    per row, the action as its code (the row's data-action; the cell shows its readable name)."""
    page = client.get("/admin/audit", query_string={"lang": "en", **query})
    assert page.status_code == 200
    found = re.findall(r"<tr data-action=\"([^\"]*)\"><td class=\"nowrap\">[^<]*</td><td>([^<]*)</td>"
                       r"<td class=\"action\">[^<]*</td>\s*<td>([^<]*)</td><td class=\"detail\">([^<]*)</td>"
                       r"<td>([^<]*)</td></tr>", page.get_data(as_text=True))
    return [tuple(htmllib.unescape(cell) for cell in (who, action, target, detail, ip))
            for action, who, target, detail, ip in found]


def as_admin(auth):
    auth.logout()
    assert auth.login("root").status_code == 302


def test_logins_failures_lockouts_and_logouts_are_recorded_with_the_address(auth, client, people):
    auth.login("nobody", "wrong-password")
    for n in range(5):
        auth.login("amy", f"wrong-password-{n}")
    auth.login("carol")
    auth.logout()
    auth.login("root")
    seen = rows(client)
    assert ("anonymous", "login_failed", "user:nobody", "unknown username", "127.0.0.1") in seen
    assert ("anonymous", "login_failed", "user:amy", "wrong password (5 of 5)", "127.0.0.1") in seen
    assert any(r[:3] == ("anonymous", "lockout", "user:amy") and "locked until" in r[3] for r in seen)
    assert ("carol", "login", "user:carol", "", "127.0.0.1") in seen
    assert ("carol", "logout", "user:carol", "", "127.0.0.1") in seen
    assert seen[0][:2] == ("root", "login")                    # newest first


def test_account_changes_grade_overrides_and_exports_are_recorded(auth, client, people, make_attempt):
    attempt = make_attempt(people["amy"])
    turn = submit_reply(attempt, HELLO).turn
    attempt.status = "finished"            # a coach grades an attempt once it has ended
    override_turn(turn, people["carol"], {"etiquette": 70, "structure": 60, "empathy": 80, "compliance": 90}, "更好")
    change_role(people["amy"], "coach", actor=people["root"])
    auth.login("carol")
    assert client.get(f"/coach/cohorts/{people['cohort'].id}/results.csv").status_code == 200
    as_admin(auth)
    seen = rows(client)
    assert ("cli", "user_create", "user:amy", "role: trainee", "") in seen
    override = next(r for r in seen if r[1] == "grade_override")
    assert override[:3] == ("carol", "grade_override", f"turn:{turn.id}")
    assert override[3].startswith(f"attempt {attempt.id} of amy: Etiquette"), override[3]
    assert re.search(r"Compliance[^,]* 90$", override[3]), override[3]
    assert ("root", "role_change", "user:amy", "trainee → coach", "") in seen
    export = next(r for r in seen if r[1] == "csv_export")
    assert export[0] == "carol" and export[2] == f"cohort:{people['cohort'].id}" and export[4] == "127.0.0.1"


def test_the_log_filters_by_action_and_pages_fifty_at_a_time(auth, client, people):
    for n in range(60):
        audit.record("csv_export", f"cohort:{n}")
    auth.login("root")
    first = rows(client, action="csv_export")
    assert len(first) == 50 and {r[1] for r in first} == {"csv_export"}
    assert first[0][2] == "cohort:59"                          # newest first
    second = rows(client, action="csv_export", page=2)
    assert len(second) == 10 and second[-1][2] == "cohort:0"
    assert {r[1] for r in rows(client, action="login")} == {"login"}
    assert rows(client, action="csv_export", page=99) == []    # past the end: an empty page, not an error
    assert len(rows(client, action="no-such-action")) == 50    # unknown filter: everything


def test_hostile_text_in_the_log_is_shown_as_text(auth, client, people):
    auth.login("<script>alert(1)</script>", "wrong-password")
    auth.login("root")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("who, status", [("amy", 403), ("carol", 403)])
def test_only_admins_read_the_log(auth, client, people, who, status):
    assert client.get("/admin/audit").status_code == 302       # anonymous: to the login page
    auth.login(who)
    assert client.get("/admin/audit").status_code == status
    assert client.get("/admin/users").status_code == status


def test_an_unknown_action_is_a_programming_error(app):
    with pytest.raises(ValueError):
        audit.record("made_up")
    assert AuditEvent.query.filter_by(action="made_up").count() == 0
