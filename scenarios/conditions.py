"""Transition conditions (`when`): checking them in a file, and testing them against a Report.

A `when` is either the word `default` or a mapping whose entries must ALL hold:

    red_line: true | false | <category>      any red line / none / one of that category
    etiquette|structure|empathy|compliance|total: ">= 60"   a score comparison
    mood|trust: "< 30"                       the customer's state before this turn's change
    asked: <fact id>  /  not_asked: <fact id>   hidden fact uncovered by now (or not)
    has_move: <move>  /  missing_move: <move>   the reply made that move (or did not); "a|b" = either
    flag: <flag>                             the grader flagged the reply (empty, gibberish ...)
    run_average|run_worst|run_red_lines: ">= 70"   the whole run so far, this reply included
    finding: <rule id>                       a finding of that rule (etiquette.Jargon, etiquette.WrongName)
    request: improper|legitimate|<type>      what the customer's line was read as asking ("a|b" = either)
    stance: refuses|counters                 how the reply stood to it ("a|b" = either)
    refused: true / complied: true           the reply held the line on an improper request / went along
    refusals: ">= 2"                         refusals of the current request, this reply included
    pushed_back: true                        the customer pushed back on the last turn (a held refusal)
    repeats_question: true                   the reply asks for a hidden fact the customer already gave
    small_talk: true                         chat about something else (weather, meals ...) with no substance
    jargon: true                             an unexplained term the customer has not used themselves
    seasoned: true                           the customer is an experienced investor (risk level C3-C5)
    misstated: true                          the reply gets the customer's own bank or sum wrong (scenarios.misstated)
    ends: true                               (reactions only) the transition taken ends the attempt
"""
from __future__ import annotations

import operator
import re

from scenarios.schema import (
    COMPARISON, CONDITION_KEYS, FLAGS, MOVES, RED_LINE_CATEGORIES, REQUESTS, RUN_KEYS, SCORE_KEYS,
    STANCES, STATE_KEYS,
)

RULE_ID = re.compile(r"^[a-z]+\.[A-Za-z]+$")
COUNT_KEYS = ("run_red_lines", "refusals")   # comparisons on counts, not 0-100 scores
FLAG_KEYS = ("refused", "complied", "pushed_back", "repeats_question", "small_talk", "jargon",
             "seasoned", "misstated", "ends")

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
        "==": operator.eq, "!=": operator.ne}


def check(c, path: tuple, when, facts: set, last: bool) -> None:
    """Report every problem of one `when`; the last transition of a step must be the default."""
    if when == "default":
        if not last:
            c.add(path, "'default' must be the last transition: the ones after it can never be taken")
        return
    if last:
        c.add(path, "the last transition must be 'when: default', so every reply leads somewhere")
    if not isinstance(when, dict) or not when:
        c.add(path, "expected the word default or a mapping of conditions such as {empathy: \">= 60\"}")
        return
    for key, value in when.items():
        where = path + (key,)
        if key not in CONDITION_KEYS:
            c.add(where, f"unknown condition {key!r}; known: {', '.join(CONDITION_KEYS)}")
        elif key == "red_line":
            if not isinstance(value, bool) and value not in RED_LINE_CATEGORIES:
                c.add(where, f"expected true, false or a red-line category "
                             f"({', '.join(RED_LINE_CATEGORIES)}), got {value!r}")
        elif key in SCORE_KEYS + STATE_KEYS + RUN_KEYS + ("refusals",):
            match = COMPARISON.match(value) if isinstance(value, str) else None
            if not match:
                c.add(where, f'expected a comparison in quotes such as ">= 60", got {value!r}')
            elif key in COUNT_KEYS:
                if int(match.group(2)) < 0:
                    c.add(where, f"{key} counts from 0; {match.group(2)} can never be compared usefully")
            elif not 0 <= int(match.group(2)) <= 100:
                c.add(where, f"{key} runs from 0 to 100; {match.group(2)} can never be compared usefully")
        elif key in ("asked", "not_asked"):
            if not isinstance(value, str) or value not in facts:
                c.add(where, f"no hidden fact with id {value!r} in persona.hidden_facts")
        elif key in ("has_move", "missing_move"):
            for part in str(value).split("|"):
                if part not in MOVES:
                    c.add(where, f"unknown move id {part!r}; see MOVES in scenarios/schema.py")
        elif key == "flag" and value not in FLAGS:
            c.add(where, f"unknown flag {value!r}; expected one of {', '.join(FLAGS)}")
        elif key == "finding" and not (isinstance(value, str) and RULE_ID.match(value)):
            c.add(where, f"expected a grader rule id such as etiquette.Jargon, got {value!r}")
        elif key == "request" and not all(p in REQUESTS for p in str(value).split("|")):
            c.add(where, f"unknown request {value!r}; expected one of {', '.join(REQUESTS)}")
        elif key == "stance" and not all(p in STANCES for p in str(value).split("|")):
            c.add(where, f"unknown stance in {value!r}; expected one of {', '.join(STANCES)}")
        elif key in FLAG_KEYS and not isinstance(value, bool):
            c.add(where, f"expected true or false, got {value!r}")


def holds(when, report, mood: int, trust: int, uncovered, turn=None, scores=None) -> bool:
    """True when every condition of `when` holds for this report and customer state. `turn` holds
    the run's and the reply's derived values (scenarios.reactions.signals); `scores` replaces the
    reply's own scores where the engine judges an ending on the whole run."""
    if when == "default":
        return True
    state = {"mood": mood, "trust": trust, **(turn or {})}
    return all(_one(key, value, report, state, uncovered, scores) for key, value in when.items())


def _one(key: str, value, report, state: dict, uncovered, scores=None) -> bool:
    if key == "red_line":
        if isinstance(value, bool):
            return bool(report.red_lines) == value
        return value in {f.category for f in report.red_lines}
    if key in SCORE_KEYS + STATE_KEYS + RUN_KEYS + ("refusals",):
        op, number = COMPARISON.match(value).groups()
        if key in SCORE_KEYS:
            actual = (scores or {}).get(key, report.total if key == "total" else report.scores.get(key, 0))
        else:
            actual = state.get(key, 0)
        return _OPS[op](actual, int(number))
    if key == "finding":
        return any(f.rule == value for f in report.findings)
    if key == "stance":
        return state.get("stance") in value.split("|")
    if key == "request":
        kind = "improper" if state.get("improper") else "legitimate"
        return any(part in (state.get("request"), kind) for part in value.split("|"))
    if key in FLAG_KEYS:
        return bool(state.get(key)) == value
    if key == "asked":
        return value in uncovered
    if key == "not_asked":
        return value not in uncovered
    if key == "has_move":
        return any(part in report.moves for part in value.split("|"))
    if key == "missing_move":
        return not any(part in report.moves for part in value.split("|"))
    if key == "flag":
        return value in report.flags
    raise KeyError(key)  # unreachable for a validated scenario
