"""The turns coaches reviewed, written as corpus situation files (the grader's training format).

A bank grows the corpus from its own trainees: each turn a coach graded (an override, whether it
kept or changed the machine's scores) becomes a labelled pair, the coach's scores as the labels.
Names from the persona are replaced, so the files carry no trainee or customer names.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict

import yaml
from sqlalchemy import select

from grading.model import DIMENSIONS
from trainer.extensions import db
from trainer.models import Attempt, GradeOverride, Turn



def reviewed_turns() -> list:
    """Every turn with a coach's grade (its latest), oldest first, with its attempt."""
    rows = db.session.execute(
        select(Turn, GradeOverride).join(GradeOverride, GradeOverride.turn_id == Turn.id)
        .order_by(Turn.id, GradeOverride.id)).all()
    latest = {}
    for turn, override in rows:
        latest[turn.id] = (turn, override)
    return list(latest.values())


def _anonymise(text: str, persona: dict) -> str:
    """The text with the persona's names replaced: full name and address first, then the
    surname alone (so 王建国 and 王先生 go before 王)."""
    names = {str(persona.get(k) or "") for k in ("name", "address", "surname")} - {""}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "客户" if len(name) > 1 else "某")
    return text


def _level(score) -> int:
    return max(0, min(4, int(score) // 20))


def export_situations() -> dict:
    """Situation id -> situation document (corpus format), one per scenario step."""
    from grading.training.corpus import REQUESTS, STANCES
    from scenarios import load_library
    library = load_library()
    grouped = defaultdict(lambda: defaultdict(list))
    for turn, override in reviewed_turns():
        attempt: Attempt = turn.attempt
        state = json.loads(turn.state_before_json)
        persona = state.get("persona") or {}
        report = turn.report
        scores = override.scores
        labels = [_level(scores.get(d, 0)) for d in DIMENSIONS]
        machine_reds = sorted({v.get("category") for v in report.get("violations", [])
                               if v.get("severity") == "red_line" and v.get("category")})
        red_lines = machine_reds if labels[3] == 0 else []
        reading = report.get("reading") or {}
        request = reading.get("request") if reading.get("request") in REQUESTS else "legitimate"
        stance = reading.get("stance") if reading.get("stance") in STANCES else "answers"
        if request == "legitimate" and stance not in ("answers", "ignores"):
            stance = "answers"
        key = f"bank_{attempt.scenario_id}_{turn.step_id}"
        grouped[key][(_anonymise(turn.customer_line, persona), request)].append({
            "reply": _anonymise(turn.reply, persona), "stance": stance, "labels": labels,
            "red_lines": red_lines, "register": ""})
    out = {}
    for key, customers in grouped.items():
        scenario_id = key[len("bank_"):].rsplit("_", 1)[0]
        scenario = library.get(scenario_id)
        kind = scenario.kind if scenario else "general"
        out[re.sub(r"[^a-z0-9_]", "_", key.lower())] = {
            "situation": re.sub(r"[^a-z0-9_]", "_", key.lower()), "kind": kind,
            "title": "教练复核的学员回复", "author": "coach-review",
            "context": {"customer_risk": None, "product_risk": None, "customer_age": None},
            "customers": [{"line": line, "request": request, "replies": replies}
                          for (line, request), replies in customers.items()]}
    return out


def write_situations(situations: dict, folder) -> list:
    """Write each situation to FOLDER/<id>.yaml; the paths written."""
    from pathlib import Path
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sid, doc in sorted(situations.items()):
        path = folder / f"{sid}.yaml"
        path.write_text("# Exported by `rmtrainer corpus export`: turns coaches reviewed, names removed.\n"
                        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
        paths.append(path)
    return paths
