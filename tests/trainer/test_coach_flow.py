"""A coach's day: make a cohort, add a trainee, assign a track with a due date, then see on the
dashboard what the trainee did — completion, averages, the weakest dimension, the red line."""
from __future__ import annotations

import html as htmllib
import re
from datetime import date, timedelta

import pytest

from trainer.extensions import db
from trainer.models import Assignment, Cohort, User
from trainer.services import cohorts as cohorts_service
from trainer.services import library
from trainer.services.attempts import start_attempt, submit_reply

SPLIT = "没问题，您每天取4万9，分几天取就不会触发上报。"   # coaches the split: a red line that ends the scenario
LABELS = {"etiquette": "Etiquette 礼仪化", "structure": "Structure 结构化",
          "empathy": "Empathy 同理心", "compliance": "Compliance 合规"}


class Coach:
    """A logged-in coach on the English UI, posting forms with a CSRF token read from a page."""

    def __init__(self, client, auth, username):
        self.client, self.auth = client, auth
        client.get("/login?lang=en")
        assert auth.login(username).status_code == 302

    def page(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return htmllib.unescape(response.get_data(as_text=True))

    def post(self, url: str, data: dict, token_field: str = "csrf_token"):
        return form_post(self.client, self.auth, url, data, token_field)


def form_post(client, auth, url: str, data: dict, token_field: str = "csrf_token"):
    """POST a form the way a browser does, with the session's CSRF token (read from a page)."""
    return client.post(url, data={**data, token_field: auth.csrf("/coach/")})


def section(page: str, pattern: str) -> str:
    """The first element the pattern opens, up to its closing tag (e.g. r'<table class="incidents">')."""
    tag = re.match(r"<(\w+)", pattern).group(1)
    m = re.search(pattern + r".*?</" + tag + ">", page, re.S)
    assert m, f"no {pattern} on the page"
    return m.group(0)


def field_error(page: str, field_id: str) -> str:
    """The error shown right after a field (the <p class="error"> the field's aria-describedby names)."""
    m = re.search(rf'id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field_id}"', page)
    assert m, f"field {field_id} is not marked invalid"
    err = re.search(rf'<p class="error" id="{field_id}-error"[^>]*>(.*?)</p>', page, re.S)
    return err.group(1) if err else ""


@pytest.fixture
def carol(client, auth, make_user):
    """carol, a coach, logged in."""
    make_user("carol", role="coach")
    return Coach(client, auth, "carol")


def test_a_coach_creates_a_cohort_adds_a_trainee_assigns_a_track_and_sees_the_result(carol, make_user, make_attempt):
    amy = make_user("amy")
    created = carol.post("/coach/cohorts", {"name": "2026年秋季新员工"})
    assert created.status_code == 302
    cohort = Cohort.query.filter_by(name="2026年秋季新员工").one()
    assert created.location.endswith(f"/coach/cohorts/{cohort.id}")
    assert cohort.coach.username == "carol"

    assert carol.post(f"/coach/cohorts/{cohort.id}/members", {"username": "amy"}).status_code == 200
    invite, = cohorts_service.pending_invites(amy)      # amy accepts the coach's invitation
    cohorts_service.answer_invite(amy, invite.id, accept=True)
    assert "amy" in section(carol.page("/coach/cohorts"), r'<section class="card cohort-card">')

    due = date.today() + timedelta(days=7)
    assigned = carol.post(f"/coach/cohorts/{cohort.id}/assignments",
                          {"work": "track:onboarding", "mode": "practice", "due": due.isoformat()})
    assert assigned.status_code == 302
    assignment = Assignment.query.one()
    assert (assignment.track_id, assignment.due, assignment.mode) == ("onboarding", due, "practice")
    size = len(library.by_track()["onboarding"])
    listed = section(carol.page(f"/coach/cohorts/{cohort.id}"), r'<table class="completion">')
    assert due.isoformat() in listed and f"0/{size}" in listed

    # amy plays one scenario of the track to its end, crossing a red line on the way.
    attempt = make_attempt(db.session.get(User, amy.id), "aml_split_withdrawal", seed=32, track_id="onboarding")
    submit_reply(attempt, SPLIT)
    assert attempt.status == "finished" and attempt.red_line_count > 0
    scores = attempt.scores

    page = carol.page("/coach/")
    board = section(page, rf'<section class="card board" id="cohort-{cohort.id}">')
    completion = section(board, r'<table class="completion">')
    assert re.search(rf"<td>(?:<a [^>]*>)?amy(?:</a>)?</td>\s*<td class=\"progress\s*\">1/{size}", completion)

    averages = section(board, r'<ul class="scores cohort-averages">')
    for d, label in LABELS.items():
        assert f"<span>{label}</span><b>{scores[d]}</b>" in averages
    weakest = min(scores, key=scores.get)
    assert weakest == "compliance"
    assert f'Weakest for the cohort: <b class="weakest-dim">{LABELS[weakest]}</b>' in board
    row = re.search(r"<tr><td>(?:<a [^>]*>)?amy(?:</a>)?</td>.*?</tr>", section(board, r'<table class="weakest">'), re.S).group(0)
    assert f'<b class="weakest-dim">{LABELS[weakest]}</b> {scores[weakest]}' in row

    incidents = section(board, r'<table class="incidents">')
    assert "amy" in incidents and "aml_structuring" in incidents and "Helping to structure transactions" in incidents
    evidence = [f["text"] for f in attempt.turns[0].report["findings"] if f["level"] == "red_line"]
    assert "分几天取" in evidence
    for words in evidence:
        assert f'<mark class="red_line">{words}</mark>' in incidents
    link = f"/coach/attempts/{attempt.id}#turn-1"
    assert f'href="{link}"' in incidents
    transcript = carol.page(link.split("#")[0])
    assert 'id="turn-1"' in transcript and attempt.turns[0].customer_line in transcript
    assert "Override this grade" in transcript


def test_work_past_its_due_date_and_not_finished_is_marked_overdue(carol, make_user, make_cohort):
    cohort = make_cohort("A", coach=User.query.filter_by(username="carol").one())
    make_user("amy", cohort=cohort)
    db.session.add(Assignment(cohort_id=cohort.id, scenario_id="aml_split_withdrawal", mode="exam",
                              due=date.today() - timedelta(days=1), created_by=cohort.coach_id))
    db.session.commit()
    completion = section(carol.page("/coach/"), r'<table class="completion">')
    assert re.search(r'<td class="progress\s+overdue">0/1 <b>overdue</b>', completion)


def test_a_cohort_page_lists_assignments_with_each_trainees_completion(carol, make_user, make_cohort, make_attempt):
    cohort = make_cohort("A", coach=User.query.filter_by(username="carol").one())
    amy, bob = make_user("amy", cohort=cohort), make_user("bob", cohort=cohort)
    carol.post(f"/coach/cohorts/{cohort.id}/assignments",
               {"work": "scenario:aml_split_withdrawal", "mode": "exam", "due": date.today().isoformat()})
    exam = Assignment.query.one()   # an exam counts when taken under its assignment
    submit_reply(start_attempt(amy, "aml_split_withdrawal", "exam", assignment_id=exam.id), SPLIT)
    table = section(carol.page(f"/coach/cohorts/{cohort.id}"), r'<table class="completion">')
    assert re.search(r'<td>(?:<a [^>]*>)?amy(?:</a>)?</td>\s*<td class="progress complete\s*">1/1 ✓', table)
    assert re.search(r'<td>(?:<a [^>]*>)?bob(?:</a>)?</td>\s*<td class="progress\s*">0/1', table)
    assert "<th>1/2</th>" in table      # finished by one of two trainees


def test_a_coach_removes_a_trainee_from_a_cohort(carol, make_user, make_cohort):
    cohort = make_cohort("A", coach=User.query.filter_by(username="carol").one())
    amy = make_user("amy", cohort=cohort)
    assert carol.post(f"/coach/cohorts/{cohort.id}/members/{amy.id}/remove", {}).status_code == 302
    assert db.session.get(User, amy.id).cohorts == []
    again = carol.post(f"/coach/cohorts/{cohort.id}/members/{amy.id}/remove", {})
    assert again.status_code == 302
    assert "That trainee is not in this cohort" in carol.page(again.location)


@pytest.mark.parametrize("data, field, message", [
    ({"name": ""}, "name", "Please give the cohort a name"),
    ({"name": "Taken"}, "name", "A cohort named “Taken” already exists"),
    ({"name": "x" * 81}, "name", "at most 80 characters"),
])
def test_a_bad_cohort_is_refused_with_the_reason_next_to_the_field(carol, make_cohort, data, field, message):
    make_cohort("Taken")
    response = carol.post("/coach/cohorts", data)
    assert response.status_code == 422
    assert message in field_error(htmllib.unescape(response.get_data(as_text=True)), field)
    assert Cohort.query.count() == 1


@pytest.mark.parametrize("username, message", [
    ("", "Please enter the trainee's username"),
    ("amy", "“amy” is already in this cohort"),
])
def test_a_bad_member_is_refused_with_the_reason_next_to_the_field(carol, make_user, make_cohort, username, message):
    cohort = make_cohort("A", coach=User.query.filter_by(username="carol").one())
    make_user("amy", cohort=cohort)
    response = carol.post(f"/coach/cohorts/{cohort.id}/members", {"username": username})
    assert response.status_code == 422
    assert message in field_error(htmllib.unescape(response.get_data(as_text=True)), "username")


TOMORROW = (date.today() + timedelta(days=1)).isoformat()
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.mark.parametrize("data, field, message", [
    ({"work": "track:onboarding", "mode": "practice", "due": ""}, "due", "Please choose a due date"),
    ({"work": "track:onboarding", "mode": "practice", "due": "2027-02-30"}, "due",
     "“2027-02-30” is not a real date; use YYYY-MM-DD"),
    ({"work": "track:onboarding", "mode": "practice", "due": "next friday"}, "due", "is not a real date"),
    ({"work": "track:onboarding", "mode": "practice", "due": YESTERDAY}, "due",
     f"{YESTERDAY} is in the past; choose today or a later date"),
    ({"work": "track:nope", "mode": "practice", "due": TOMORROW}, "work", "Choose a track or a scenario from the list"),
    ({"work": "", "mode": "practice", "due": TOMORROW}, "work", "Choose a track or a scenario"),
    ({"work": "track:onboarding", "mode": "quiz", "due": TOMORROW}, "mode", "Not a valid choice"),
])
def test_a_bad_assignment_is_refused_with_the_reason_next_to_the_field(carol, make_cohort, data, field, message):
    cohort = make_cohort("A", coach=User.query.filter_by(username="carol").one())
    response = carol.post(f"/coach/cohorts/{cohort.id}/assignments", data)
    assert response.status_code == 422
    assert message in field_error(htmllib.unescape(response.get_data(as_text=True)), field)
    assert Assignment.query.count() == 0


def test_coach_forms_without_a_csrf_token_are_refused(carol, make_user, make_cohort, make_attempt, client):
    cohort = make_cohort("A", coach=User.query.filter_by(username="carol").one())
    amy = make_user("amy", cohort=cohort)
    make_user("bob")
    attempt = make_attempt(amy, "aml_split_withdrawal")
    submit_reply(attempt, SPLIT)
    turn = attempt.turns[0]
    posts = {
        "/coach/cohorts": {"name": "New"},
        f"/coach/cohorts/{cohort.id}/members": {"username": "bob"},
        f"/coach/cohorts/{cohort.id}/members/{amy.id}/remove": {},
        f"/coach/cohorts/{cohort.id}/assignments": {"work": "track:onboarding", "mode": "exam", "due": TOMORROW},
        f"/coach/attempts/{attempt.id}/turns/{turn.id}/override": {
            f"t{turn.id}-{d}": "50" for d in LABELS} | {f"t{turn.id}-comment": "too harsh"},
    }
    for url, data in posts.items():
        for token in (None, "forged"):
            sent = data if token is None else {**data, "csrf_token": token}
            response = client.post(url, data=sent)
            assert response.status_code == 400, url
            assert "security token" in response.get_data(as_text=True)
    assert Cohort.query.count() == 1 and Assignment.query.count() == 0
    assert db.session.get(User, amy.id).cohort_ids == {cohort.id} and User.query.filter_by(username="bob").one().cohorts == []
    assert turn.overrides == []
