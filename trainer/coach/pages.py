"""What the coach's transcript and agreement pages show, computed without a request."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

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


def agreement_bars(rows: dict, labels: dict, width: int = 560, height: int = 220) -> Markup:
    """Grouped bars per dimension: share of turns within 10 points, and at the same rubric level."""
    left, right, top, bottom = 36, 10, 28, 30
    w, h = width - left - right, height - top - bottom
    group = w / len(rows)
    bar = group * 0.3
    series = (("within_10", "within"), ("same_level", "level"))
    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{top + h * (1 - g / 100):.1f}" '
                   f'y2="{top + h * (1 - g / 100):.1f}" class="grid"/><text x="{left - 4}" '
                   f'y="{top + h * (1 - g / 100) + 4:.1f}" text-anchor="end" class="tick">{g}%</text>'
                   for g in (0, 50, 100))
    bars = ""
    for i, (dim, row) in enumerate(rows.items()):
        x0 = left + i * group + group * 0.2
        for k, (key, css) in enumerate(series):
            value = row[key]
            pct = 0 if value is None else round(value * 100)
            y = top + h * (1 - pct / 100)
            x = x0 + k * bar
            shown = "—" if value is None else f"{pct}%"
            bars += (f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{top + h - y:.1f}" '
                     f'class="{css}"><title>{escape(labels.get(dim, dim))}: {shown}</title></rect>'
                     f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 3:.1f}" text-anchor="middle" class="value">{shown}</text>')
        bars += (f'<text x="{left + i * group + group / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                 f'class="axis">{escape(labels.get(dim, dim))}</text>')
    legend = "".join(f'<rect x="{left + k * 170}" y="6" width="12" height="12" class="{css}"/>'
                     f'<text x="{left + k * 170 + 16}" y="16" class="axis">{escape(labels.get(key, key))}</text>'
                     for k, (key, css) in enumerate(series))
    return Markup(f'<svg class="barchart" viewBox="0 0 {width} {height}" width="100%" role="img" '
                  f'aria-label="{escape(labels.get("title", "agreement"))}">{grid}{bars}{legend}</svg>')
