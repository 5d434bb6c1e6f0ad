"""What the coach's transcript page shows, computed without a request."""
from __future__ import annotations

from trainer import charts
from trainer.filters import DIMENSION_LABELS
from trainer.models import DIMENSIONS, Attempt
from trainer.services.attempts import effective_scores, effective_total, track_result
from trainer.trainee.pages import attempt_view


class AttemptSoFar:
    """An attempt still being played, seen by its coach: the scores of its counted turns so far,
    computed for the page and never stored (the attempt stores its scores when it ends)."""

    def __init__(self, attempt: Attempt):
        self._attempt = attempt
        turns = attempt.counted_turns
        per_turn = [effective_scores(t) for t in turns]
        self.scores = ({d: round(sum(s[d] for s in per_turn) / len(per_turn)) for d in DIMENSIONS}
                       if per_turn else {d: 0 for d in DIMENSIONS})
        self.total = round(sum(effective_total(t) for t in turns) / len(turns)) if turns else None

    def __getattr__(self, name):
        return getattr(self._attempt, name)


def transcript_view(attempt: Attempt, forms: dict) -> dict:
    """The trainee's report plus, per counted turn, machine vs coach scores and an override form."""
    view = attempt_view(attempt)
    if attempt.status != "finished":
        view["attempt"] = AttemptSoFar(attempt)
        labels = {d: str(DIMENSION_LABELS[d]) for d in DIMENSIONS}
        view["radar"] = charts.radar(view["attempt"].scores, labels)
    coach_totals = {t["turn"].id: effective_total(t["turn"]) for t in view["counted"]}
    return {**view, "result": track_result(attempt), "override_forms": forms,
            "coach_totals": coach_totals, "in_progress": attempt.status != "finished"}
