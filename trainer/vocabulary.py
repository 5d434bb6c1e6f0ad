"""Words the pages show from data (roles, modes, levels, bands, outcomes, kinds), marked here so
the translation catalogue has them; templates translate them with _(value). The grader's own
text (findings, feedback, red-line categories) comes in both languages; the helpers at the end
pick the one the UI speaks."""
from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale, lazy_gettext as _l

from grading.feedback import DIMENSION_NAMES_EN, category_name

WORDS = [
    _l("trainee"), _l("coach"), _l("admin"),
    _l("practice"), _l("exam"), _l("active"), _l("finished"),
    _l("red_line"), _l("warning"), _l("suggestion"), _l("good"),
    _l("furious"), _l("upset"), _l("uneasy"), _l("calm"), _l("satisfied"),
    _l("low"), _l("guarded"), _l("high"),
    _l("resolved"), _l("escalated"), _l("complaint_filed"), _l("customer_left"), _l("sale_completed"),
    _l("sale_refused_correctly"), _l("reported_internally"), _l("red_line_breach"),
    _l("complaint"), _l("loan_rejection"), _l("product_sale"), _l("aml"), _l("gift"),
    _l("confidentiality"), _l("general"),
    _l("etiquette"), _l("structure"), _l("empathy"), _l("compliance"),
    # error pages (trainer.errors.MESSAGES)
    _l("Bad request"), _l("Please log in"), _l("You do not have access to this page"), _l("Not found"),
    _l("Method not allowed"), _l("Conflict"), _l("The request is too large"),
    _l("The request could not be processed"), _l("Too many requests"), _l("Internal server error"),
    _l("The form expired or is missing its security token; reload the page and try again"),
]


def _english() -> bool:
    return str(get_locale() or "zh") == "en"


@lru_cache(maxsize=1)
def _english_of() -> dict:
    """(finding's rule id, its Chinese text) -> the English, for every text the grader writes
    the same way each time: the rules', the requests' and the model's categories'."""
    from grading.conversation import catalogue
    from grading.loader import load_packs
    from grading.verdicts import CATEGORY_MESSAGES, CATEGORY_MESSAGES_EN
    out = {}
    for r in load_packs():
        out[(r.id, r.message)] = r.message_en
        if r.suggestion:
            out[(r.id, r.suggestion)] = r.suggestion_en
    for request in catalogue()[0].values():
        out[(f"conversation.{request.id}", request.message)] = request.message_en
    for cat, message in CATEGORY_MESSAGES.items():
        out[(f"model.{cat}", message)] = CATEGORY_MESSAGES_EN[cat]
    return out


def said(finding: dict, key: str = "message") -> str:
    """A stored finding's message (or suggestion) in the UI language. A finding graded before the
    grader spoke English takes the English of its text when the grader always words it so."""
    text = finding.get(key) or ""
    if not _english():
        return text
    return finding.get(f"{key}_en") or _english_of().get((finding.get("rule", ""), text)) or text


def feedback_points(report: dict) -> list:
    """A stored report's feedback points in the UI language (Chinese when no English was stored)."""
    if _english() and report.get("feedback_en"):
        return report["feedback_en"]
    return report.get("feedback") or []


def category_label(category: str) -> str:
    """A red-line category's name in the UI language."""
    return category_name(category, "en" if _english() else "zh")


def dimension_label(dimension: str) -> str:
    """A dimension's name in the UI language: "Compliance" in English, 合规 in Chinese."""
    from trainer.filters import DIMENSION_LABELS
    if _english():
        return DIMENSION_NAMES_EN.get(dimension, dimension)
    return str(DIMENSION_LABELS.get(dimension, dimension))


HELPERS = {"said": said, "feedback_points": feedback_points, "category_label": category_label,
           "dimension_label": dimension_label}
