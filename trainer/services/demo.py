"""Demo data for the Quick start: a cohort, a coach, trainees, an assignment and a few attempts."""
from __future__ import annotations

from datetime import date, timedelta

from trainer.extensions import db
from trainer.models import Assignment, Cohort, User
from trainer.services.attempts import start_attempt, submit_reply
from trainer.services.users import create_user

PASSWORD = "rmtrainer-demo"
PEOPLE = [("coach", "coach", "王教练"), ("admin", "admin", "系统管理员"),
          ("trainee", "trainee", "李新人"), ("trainee2", "trainee", "张小满"), ("trainee3", "trainee", "陈晓")]
# A few played turns so the coach's dashboard has something to show on first start.
SAMPLE_PLAYS = [
    ("trainee2", "transfer_not_arrived", [
        "您好，非常抱歉让您着急了。您反映的是两天前那笔跨行转账没到账，我马上帮您查询这笔款项的状态，今天下午三点前给您回电话。",
        "我已经提交了查询，也联系了收款行核实，今天下午三点前一定给您回复处理结果，您看可以吗？",
    ]),
    ("trainee3", "retiree_r4_product", [
        "您放心，这款产品很稳，基本不会亏，我现在就帮您办。",
    ]),
]


def seed_demo() -> list:
    """Create the demo people and data once (idempotent); returns (username, role) pairs."""
    if User.query.filter_by(username="coach").first():
        return [(u, r) for u, r, _ in PEOPLE]
    coach = create_user("coach", PASSWORD, "coach", "王教练")
    cohort = Cohort(name="2026秋季新员工", coach_id=coach.id)
    db.session.add(cohort)
    db.session.commit()
    for username, role, name in PEOPLE[1:]:
        create_user(username, PASSWORD, role, name, cohort=cohort if role == "trainee" else None)
    db.session.add(Assignment(cohort_id=cohort.id, track_id="onboarding", mode="practice",
                              due=date.today() + timedelta(days=7), created_by=coach.id))
    db.session.commit()
    for username, scenario_id, replies in SAMPLE_PLAYS:
        user = User.query.filter_by(username=username).one()
        attempt = start_attempt(user, scenario_id, "practice", seed=2026, track_id="onboarding")
        for reply in replies:
            if attempt.status == "active":
                submit_reply(attempt, reply)
    return [(u, r) for u, r, _ in PEOPLE]
