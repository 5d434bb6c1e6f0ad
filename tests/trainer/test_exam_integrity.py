"""Exam integrity: the exam customer comes from a server-side secret (not from public data),
practice refuses and never draws an exam seed, exam starts per assignment are limited,
completion of an assignment counts only attempts of its mode and track, and model answers follow
the scenario's track policy whatever the entry point."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from test_api import Api, assert_error
from trainer.extensions import db
from trainer.models import Assignment
from trainer.services import assignments
from trainer.services.attempts import AttemptError, start_attempt, submit_reply
from trainer.services.exams import exam_seed
from trainer.services.users import issue_token

SCENARIO = "transfer_not_arrived"
CRISIS = "crisis_media_threat"


@pytest.fixture
def cohort_world(make_user, make_cohort):
    coach = make_user("coach1", "coach")
    cohort = make_cohort("秋季", coach)
    return make_user("amy", cohort=cohort), coach, cohort


def give(cohort, coach, mode, scenario_id=None, track_id=None):
    a = Assignment(cohort_id=cohort.id, scenario_id=scenario_id, track_id=track_id, mode=mode,
                   due=date.today() + timedelta(days=7), created_by=coach.id)
    db.session.add(a)
    db.session.commit()
    return a


def test_the_exam_seed_is_not_the_hash_of_public_data(app):
    public = int(hashlib.sha256(f"exam:{SCENARIO}:1".encode()).hexdigest()[:8], 16) % 2**31
    assert exam_seed(SCENARIO, 1) != public
    app.config["SECRET_KEY"] = "another deployment"
    assert exam_seed(SCENARIO, 1) != public


def test_the_exam_seed_depends_on_the_secret_only_server_side(app):
    first = exam_seed(SCENARIO, 1)
    app.config["EXAM_SEED_SECRET"] = "rotated"
    assert exam_seed(SCENARIO, 1) != first


def test_practice_refuses_the_exam_seed(client, make_user):
    amy = make_user("amy")
    exam = start_attempt(amy, SCENARIO, "exam")
    api = Api(client, issue_token(make_user("bob")))
    response = api.post("/attempts", {"scenario_id": SCENARIO, "mode": "practice", "seed": exam.seed})
    assert_error(response, 422, "this seed is reserved for exams")


def test_an_exam_does_not_show_its_seed(client, make_user):
    api = Api(client, issue_token(make_user("amy")))
    started = api.start(mode="exam")
    assert started["seed"] is None
    assert api.get(f"/attempts/{started['attempt_id']}").get_json()["seed"] is None


def test_an_exam_under_an_assignment_cannot_be_restarted_past_the_limit(app, client, cohort_world):
    amy, coach, cohort = cohort_world
    exam = give(cohort, coach, "exam", scenario_id=SCENARIO)
    api = Api(client, issue_token(amy))
    first = api.start(mode="exam", assignment_id=exam.id)
    again = api.post("/attempts", {"scenario_id": SCENARIO, "mode": "exam", "assignment_id": exam.id})
    assert_error(again, 409, "you have used your 1 exam attempt for this assignment")
    app.config["EXAM_MAX_ATTEMPTS"] = 2
    second = api.start(mode="exam", assignment_id=exam.id)
    assert second["customer"] == first["customer"]               # the same customer for everyone


def test_unassigned_exams_are_limited_too(client, make_user):
    api = Api(client, issue_token(make_user("amy")))
    api.start(mode="exam")
    assert_error(api.post("/attempts", {"scenario_id": SCENARIO, "mode": "exam"}), 409, "exam attempt")


def test_a_practice_attempt_does_not_complete_an_exam_assignment(cohort_world):
    amy, coach, cohort = cohort_world
    exam = give(cohort, coach, "exam", scenario_id="aml_split_withdrawal")
    from test_coach_flow import SPLIT
    practice = start_attempt(amy, "aml_split_withdrawal", "practice", seed=32)
    submit_reply(practice, SPLIT)
    assert practice.status == "finished"
    assert assignments.progress(exam, amy.id)["complete"] is False
    taken = start_attempt(amy, "aml_split_withdrawal", "exam", assignment_id=exam.id)
    submit_reply(taken, SPLIT)
    assert taken.status == "finished" and assignments.progress(exam, amy.id)["complete"] is True


def test_a_track_assignment_counts_only_attempts_on_that_track(cohort_world):
    amy, coach, cohort = cohort_world
    work = give(cohort, coach, "practice", track_id="compliance_refresher")
    from test_coach_flow import SPLIT
    off_track = start_attempt(amy, "aml_split_withdrawal", "practice", seed=32, track_id="onboarding")
    submit_reply(off_track, SPLIT)
    assert assignments.progress(work, amy.id)["done"] == 0
    on_track = start_attempt(amy, "aml_split_withdrawal", "practice", seed=33, assignment_id=work.id)
    assert on_track.track_id == "compliance_refresher"
    submit_reply(on_track, SPLIT)
    assert assignments.progress(work, amy.id)["done"] == 1


def test_an_assignment_of_another_cohort_or_mode_is_refused(cohort_world, make_user, make_cohort):
    amy, coach, cohort = cohort_world
    exam = give(cohort, coach, "exam", scenario_id=SCENARIO)
    with pytest.raises(AttemptError, match="to be done in exam mode"):
        start_attempt(amy, SCENARIO, "practice", assignment_id=exam.id)
    stranger = make_user("sam", cohort=make_cohort("B"))
    with pytest.raises(AttemptError, match=f"no assignment {exam.id} for you"):
        start_attempt(stranger, SCENARIO, "exam", assignment_id=exam.id)


@pytest.mark.parametrize("track_id", [None, "onboarding"])
def test_a_crisis_scenario_shows_no_model_answer_each_turn_whatever_the_entry_point(
        client, auth, make_user, track_id):
    amy = make_user("amy")
    api = Api(client, issue_token(amy))
    fields = {"seed": 5} | ({"track_id": track_id} if track_id else {})
    started = api.start(CRISIS, **fields)
    reply = api.post(f"/attempts/{started['attempt_id']}/turns", {"reply": "您好，非常抱歉，我马上帮您核实这笔费用。"})
    assert reply.status_code == 200 and "model_answer" not in reply.get_json()
    auth.login("amy")
    page = client.get(f"/attempts/{started['attempt_id']}?lang=en").get_data(as_text=True)
    if 'name="reply"' in page:
        assert "Show the model answer" not in page


def test_a_guided_track_still_shows_model_answers_each_turn(client, make_user):
    api = Api(client, issue_token(make_user("amy")))
    started = api.start(SCENARIO, seed=7, track_id="onboarding")
    reply = api.post(f"/attempts/{started['attempt_id']}/turns", {"reply": "您好，我马上帮您查询。"})
    assert reply.get_json()["model_answer"]


def test_parallel_exam_starts_stay_within_the_limit(app, cohort_world):
    from concurrency import at_once
    amy, coach, cohort = cohort_world
    exam = give(cohort, coach, "exam", scenario_id=SCENARIO)
    token, exam_id = issue_token(amy), exam.id
    responses = at_once(6, lambda i: app.test_client().post(
        "/api/v1/attempts", json={"scenario_id": SCENARIO, "mode": "exam", "assignment_id": exam_id},
        headers={"Authorization": f"Bearer {token}"}))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 5, [r.get_json() for r in responses]
