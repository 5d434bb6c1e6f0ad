"""Template helpers: evidence highlighting, titles in the UI language, labels."""
from __future__ import annotations

from flask_babel import get_locale, lazy_gettext as _l

from trainer.services import library

LEVEL_ORDER = {"red_line": 0, "warning": 1, "suggestion": 2, "good": 3}
DIMENSION_LABELS = {"etiquette": _l("Etiquette 礼仪化"), "structure": _l("Structure 结构化"),
                    "empathy": _l("Empathy 同理心"), "compliance": _l("Compliance 合规")}


def segments(reply: str, findings: list) -> list:
    """The reply cut into (text, finding-or-None) pieces; where findings overlap, the most
    serious wins, so every highlighted piece points at one reason."""
    spans = sorted((f for f in findings if 0 <= f["start"] < f["end"] <= len(reply)),
                   key=lambda f: (LEVEL_ORDER.get(f["level"], 9), f["start"]))
    owner = [None] * len(reply)
    for f in spans:
        for i in range(f["start"], f["end"]):
            if owner[i] is None:
                owner[i] = f
    out, start = [], 0
    for i in range(1, len(reply) + 1):
        if i == len(reply) or owner[i] is not owner[start]:
            out.append((reply[start:i], owner[start]))
            start = i
    return out


def good_moves(findings: list, limit: int = 8) -> list:
    """The rewarded moves worth listing: one per move, the longest evidence, in reply order."""
    best = {}
    for f in findings:
        if f["level"] == "good":
            key = f.get("move") or f["rule"]
            if key not in best or len(f["text"]) > len(best[key]["text"]):
                best[key] = f
    kept = sorted(best.values(), key=lambda f: f["start"])
    # Drop evidence wholly inside a longer piece already listed ("先生" inside "王先生您好").
    kept = [f for f in kept if not any(g is not f and g["start"] <= f["start"] and f["end"] <= g["end"]
                                       and len(g["text"]) > len(f["text"]) for g in kept)]
    return kept[:limit]


def locale() -> str:
    """The current UI language code."""
    return str(get_locale() or "zh")


def register(app) -> None:
    """Make the helpers available in every template."""
    from trainer import charts
    from trainer.localtime import stamp
    # stored UTC -> the configured zone: {{ t|local_time }} 'YYYY-MM-DD HH:MM', {{ t|local_time('%H:%M') }}
    app.jinja_env.filters["local_time"] = stamp
    app.jinja_env.globals.update(
        segments=segments, good_moves=good_moves, charts=charts, dimension_labels=DIMENSION_LABELS, locale=locale,
        title_of=lambda obj: library.title(obj, locale()), library=library)
    from trainer import vocabulary
    app.jinja_env.globals.update(vocabulary.HELPERS)   # the grader's text in the UI language
