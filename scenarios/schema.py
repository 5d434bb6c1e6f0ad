"""The scenario format in one place: allowed keys, their types, and the fixed vocabularies."""
from __future__ import annotations

import re

from grading import DIMENSIONS, KINDS, RED_LINE_CATEGORIES  # noqa: F401  (re-exported)

# Move ids the grader recognises. Steps may only expect these, so a typo ("greting") is a load
# error rather than a move nobody can ever make.
MOVES = (
    "greeting", "apology", "thanks", "acknowledge", "restate", "ownership", "investigate",
    "explain", "options", "next_step", "close", "needs_check", "product_fit", "risk_disclosure",
    "non_deposit", "benchmark_disclaimer", "past_performance_disclaimer", "dual_recording",
    "cooling_off", "customer_decides", "elder_care", "refuse_gift", "refuse_disclosure",
    "lawful_route", "verify_identity", "rule_reason", "refuse_structuring", "fraud_warning",
    "approval_disclaimer", "credit_report", "truthful_documents", "result_stated",
    # courtesy and form moves the grader also proves
    "honorific", "title", "please", "enumerate",
)

# How an attempt can end. A coach's report groups attempts by these, so the set is closed.
OUTCOMES = (
    "resolved", "escalated", "complaint_filed", "customer_left", "sale_completed",
    "sale_refused_correctly", "reported_internally", "red_line_breach",
)

# What a transition's `when` may test. Scores compare against a number; the rest name things.
SCORE_KEYS = DIMENSIONS + ("total",)
STATE_KEYS = ("mood", "trust")
# What the whole run so far says (this reply included): the ending follows from all of it.
RUN_KEYS = ("run_average", "run_worst", "run_red_lines")
# What the reply did to the customer's request, and how it spoke (derived from the Report).
SIGNAL_KEYS = ("finding", "request", "stance", "refused", "complied", "refusals", "pushed_back",
               "repeats_question", "small_talk", "ends")
CONDITION_KEYS = ("red_line",) + SCORE_KEYS + STATE_KEYS + RUN_KEYS + (
    "asked", "not_asked", "has_move", "missing_move", "flag",
) + SIGNAL_KEYS
# Request types and stances the grader reads (grading/conversation.yml), plus two groupings.
REQUESTS = ("improper", "legitimate", "offers_gift", "wants_guarantee", "wants_unsuitable_product",
            "wants_to_skip_disclosure", "wants_documents_padded", "wants_approval_promise",
            "wants_connections", "asks_third_party_info", "wants_to_avoid_reporting",
            "asks_about_reporting", "wants_staff_operation")
STANCES = ("complies", "defers", "refuses", "counters", "ignores", "answers")
# Reaction lines are chosen by the customer's mood band before the reply (or `default`).
MOOD_BAND_NAMES = ("furious", "upset", "uneasy", "calm", "satisfied")
# Extra placeholders a reaction line may use, filled from what the reply did.
REACTION_PLACEHOLDERS = ("surname", "jargon", "fact")
# Flags the grader may put on a reply (Report.flags).
FLAGS = ("empty", "gibberish", "echo", "no_substance", "off_topic", "keyword_gaming")
COMPARISON = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(-?\d+)\s*$")

ID = re.compile(r"^[a-z][a-z0-9_]*$")
CUSTOMER_RISKS = ("C1", "C2", "C3", "C4", "C5")
PRODUCT_RISKS = ("R1", "R2", "R3", "R4", "R5")

# Persona variables: Faker (zh_CN) methods a scenario may call by name. A closed list keeps
# scenario files from calling arbitrary code and lets `check` catch a misspelt generator.
FAKER_METHODS = (
    "name", "name_male", "name_female", "last_name", "first_name", "first_name_male",
    "first_name_female", "company", "company_prefix", "job", "city", "city_name", "province",
    "district", "street_address", "address", "phone_number", "bank",
)
# Inline generators: {int: [lo, hi], step: n}, {choice: [...]}, {date: [from, to]}.
GENERATORS = ("int", "choice", "date")

# Each mapping in the format: key -> (allowed types, required). `str` values are templates.
TEXT = (str,)
INT = (int,)
LIST = (list,)
MAP = (dict,)
FIELDS = {
    "scenario": {
        "id": (TEXT, True), "version": (INT, True), "title": (MAP, True), "kind": (TEXT, True),
        "difficulty": (INT, True), "tracks": (LIST, True), "max_turns": (INT, False),
        "on_max_turns": (TEXT, True), "persona": (MAP, True), "product": (MAP, False),
        "steps": (LIST, True), "endings": (LIST, True), "reactions": (LIST, False),
    },
    "title": {"zh": (TEXT, True), "en": (TEXT, True)},
    "persona": {
        "vars": (MAP, False), "name": (TEXT, True), "address": (TEXT, True),
        "age": (INT + MAP, True), "occupation": (TEXT, True), "segment": (TEXT, True),
        "risk_level": (TEXT, False), "finances": (TEXT, True), "background": (TEXT, False),
        "mood": (INT + MAP, True), "trust": (INT + MAP, True), "goals": (LIST, True),
        "hidden_facts": (LIST, False),
    },
    "hidden_fact": {
        "id": (TEXT, True), "fact": (TEXT, True), "asked_by": (LIST, True),
        "reveal": (TEXT, False),
    },
    "product": {
        "name": (TEXT, True), "type": (TEXT, False), "risk": (TEXT, True),
        "features": (LIST, False), "fees": (TEXT, False), "lockup": (TEXT, False),
    },
    "step": {
        "id": (TEXT, True), "customer": (LIST, True), "kind": (TEXT, False),
        "hint": (TEXT, False), "expects": (MAP, True), "transitions": (LIST, True),
        "unless_given": (LIST, False),
    },
    "unless_given": {
        "move": (TEXT, False), "said": (TEXT, False), "asked": (TEXT, False), "say": (LIST, True),
    },
    "reaction": {
        "id": (TEXT, True), "when": (MAP, False), "lines": (MAP, False), "group": (TEXT, False),
        "mood": (INT, False), "trust": (INT, False), "hold": ((bool,), False),
        "once": ((bool,), False), "disable": ((bool,), False),
    },
    "reaction_line": {"zh": (TEXT, True), "en": (TEXT, False)},
    # scenarios/reactions.yml
    "reactions_file": {"reactions": (LIST, True), "partings": (MAP, True)},
    "expects": {
        "moves": (LIST, False), "forbidden": (LIST, False), "model_answer": (TEXT, True),
        "why": (TEXT, True),
    },
    "forbidden": {
        "pattern": (TEXT, True), "message": (TEXT, True), "category": (TEXT, False),
        "dimension": (TEXT, False),
    },
    "transition": {
        "when": (MAP + TEXT, True), "mood": (INT, False), "trust": (INT, False),
        "say": (LIST + TEXT, False), "next": (TEXT, False), "end": (TEXT, False),
    },
    "ending": {
        "id": (TEXT, True), "outcome": (TEXT, True), "customer": (LIST, False),
        "debrief": (MAP, True),
    },
    "debrief": {"zh": (TEXT, True), "en": (TEXT, True)},
    # tracks.yml
    "tracks_file": {"tracks": (LIST, True)},
    "track": {
        "id": (TEXT, True), "title": (MAP, True), "description": (MAP, True),
        "hints": ((bool,), True), "model_answers": (TEXT, True), "difficulties": (LIST, True),
        "red_line_trap": ((bool,), True), "red_line_fails": ((bool,), True),
        "pass_mark": (INT, False),
    },
}

DEFAULT_MAX_TURNS = 10
# Persona fields a customer line may name as {placeholders}, besides the scenario's vars.
PERSONA_PLACEHOLDERS = ("name", "address", "age", "occupation", "segment", "risk_level")
PRODUCT_PLACEHOLDERS = ("product_name", "product_risk")


def type_name(types: tuple) -> str:
    """Readable name of the allowed types, for an error message."""
    names = {str: "text", int: "a whole number", list: "a list", dict: "a mapping",
             bool: "true or false"}
    return " or ".join(names[t] for t in types)
