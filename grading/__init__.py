"""RM Trainer's grader: a reply and its situation in, a Report with evidence out.

Pure library: no Flask, no database, no scenario files. Public API:
`grade(reply, context) -> Report`, `Context`, `Report`, `Finding`, `KINDS`, `DIMENSIONS`.
"""
from grading.model import (  # noqa: F401  (re-exported public API)
    DIMENSIONS, KINDS, LEVELS, RED_LINE_CATEGORIES, Context, ContextError, Finding,
    ForbiddenItem, Report,
)
from grading.engine import grade  # noqa: F401
