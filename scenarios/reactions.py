"""Reactions: how the customer answers what a reply actually did, before the scripted line.

The library-wide defaults live in scenarios/reactions.yml; a scenario's own `reactions:` block
replaces one by id, switches one off (`disable: true`) or adds its own. Each turn the engine derives
signals from the grader's Report (scenarios.conditions names them), picks at most one reaction per
group in order (at most MAX_PER_TURN), and says their lines first.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

import opencc

from scenarios import conditions, misstated
from scenarios.fields import Checker, as_dict
from scenarios.schema import MOOD_BAND_NAMES, OUTCOMES, PERSONA_PLACEHOLDERS, REACTION_PLACEHOLDERS
from scenarios.yamlmap import Document, Problem

REACTIONS_FILE = Path(__file__).parent / "reactions.yml"
MAX_PER_TURN = 2
_T2S = opencc.OpenCC("t2s")
# A reply that holds the line: the stance reading says so, and it either counters (refuses and
# offers a proper way) or makes a move that holds the line. The stance reading alone also takes
# a scolding or "不错" for a refusal, which a push-back would then answer absurdly.
REFUSING = ("refuses", "counters")
HOLDING_MOVES = {"refuse_gift", "refuse_disclosure", "refuse_structuring", "lawful_route",
                 "truthful_documents", "approval_disclaimer", "rule_reason", "risk_disclosure",
                 "needs_check", "fraud_warning"}
QUESTION_SPLIT = re.compile(r"(?<=[。！!；;？?])")
HEARD_BIGRAMS = 4      # Chinese character pairs shared with the customer's answer: it was heard
SMALL_TALK = re.compile(r"天气|吃(饭|了吗|了没)|周末|最近(怎么样|好吗|忙吗)|(家里|孩子|身体)(都|还)?好|"
                        r"(今天|这几天)(真|挺|好)?(热|冷)|放假|旅游|看球|追剧")
SEASONED_LEVELS = ("C3", "C4", "C5")
QUESTION = re.compile(r"([？?]|[吗呢么][。！!]?)\s*$")   # a sentence that ends as a question


def check(c: Checker, path: tuple, items, allowed: set, facts: set, library_ids=None) -> None:
    """Every problem of a reactions list (the library's, or a scenario's with `library_ids`)."""
    if not isinstance(items, list):
        return
    seen = set()
    placeholders = set(allowed) | set(REACTION_PLACEHOLDERS)
    for i, item in enumerate(items):
        where = path + (i,)
        r = c.mapping(where, "reaction")
        if r is None:
            continue
        c.ident(where + ("id",))
        rid = r.get("id")
        if rid in seen:
            c.add(where + ("id",), f"reaction id '{rid}' is used twice")
        seen.add(rid)
        if r.get("disable"):
            if library_ids is not None and rid not in library_ids:
                c.add(where + ("disable",), f"no library reaction '{rid}' to switch off")
            continue
        if "when" not in r or "lines" not in r:
            c.add(where, "a reaction needs 'when' and 'lines' (or 'disable: true' to switch a default off)")
            continue
        if isinstance(r["when"], dict):
            conditions.check(c, where + ("when",), r["when"], facts, last=False)
        _lines(c, where + ("lines",), as_dict(r["lines"]), placeholders)


def _lines(c: Checker, path: tuple, lines: dict, placeholders: set) -> None:
    if not lines:
        c.add(path, "needs at least one mood band (or default) with lines")
    for key, values in lines.items():
        bands = str(key).split("|")
        if key != "default" and not all(b in MOOD_BAND_NAMES for b in bands):
            c.add(path + (key,), f"expected default or mood bands ({', '.join(MOOD_BAND_NAMES)}), "
                                 "joined with | for several")
        if not isinstance(values, list) or not values:
            c.add(path + (key,), "expected a non-empty list of lines")
            continue
        for j, value in enumerate(values):
            if isinstance(value, dict):
                if c.mapping(path + (key, j), "reaction_line") is not None:
                    for lang in ("zh", "en"):
                        if isinstance(value.get(lang), str):
                            c.template(path + (key, j, lang), value[lang], placeholders)
            else:
                c.texts(path + (key, j), placeholders)


def check_file(doc: Document) -> list[Problem]:
    """Every problem of scenarios/reactions.yml, located by line and key."""
    c = Checker(doc)
    top = c.mapping((), "reactions_file")
    if top is None:
        return c.problems
    allowed = set(PERSONA_PLACEHOLDERS) | {"address"}
    check(c, ("reactions",), top.get("reactions"), allowed, set())
    for outcome in as_dict(top.get("partings")):
        if outcome not in OUTCOMES:
            c.add(("partings", outcome), f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
        c.texts(("partings", outcome), allowed, min_items=1)
    return c.problems


@lru_cache(maxsize=4)
def defaults(path: str = str(REACTIONS_FILE)) -> dict:
    """The checked library defaults as plain data ({} when the file has problems: check reports them)."""
    from scenarios.loader import read   # the loader imports this module
    doc, problems = read(path)
    if doc is None or problems or check_file(doc):
        return {}
    return doc.data


def signals(scenario, state, report, uncovered_before) -> dict:
    """What this reply did, derived from the Report and the state: the values conditions test."""
    reading = report.reading or {}
    request = reading.get("request") or "legitimate"
    improper = request != "legitimate"
    stance = reading.get("stance") or ""
    complied = bool(report.red_lines) and (improper or any(f.request for f in report.red_lines))
    refused = (improper and not report.red_lines and stance in REFUSING
               and (stance == "counters" or bool(HOLDING_MOVES & report.moves)))
    refusals = dict(state.refusals)
    if refused:
        refusals[request] = refusals.get(request, 0) + 1
    text = _T2S.convert(report.reply or "")
    repeated = [f for f in scenario.facts if f.id in uncovered_before
                and _asks_again(f, text, state.persona)]
    heard = _heard(state)
    term = _new_jargon(state, report, heard)
    wrong = misstated.find(scenario, state.persona, text, heard)
    totals = [h["total"] for h in state.history] + [report.total]
    reds = sum(len(h["red_lines"]) for h in state.history) + len(report.red_lines)
    return {"request": request, "improper": improper, "stance": stance, "refused": refused,
            "complied": complied, "refusals": refusals.get(request, 0) if improper else 0,
            "pushed_back": bool(state.history and state.history[-1].get("held")),
            "refusal_counts": refusals, "repeats_question": bool(repeated), "repeated": repeated,
            # Chat about something else; a curt brush-off ("请提供卡号。") is not small talk.
            "small_talk": bool({"off_topic", "no_substance"} & set(report.flags))
            and bool(SMALL_TALK.search(text)),
            "jargon": bool(term), "jargon_term": term, "seasoned": _seasoned(state.persona),
            "misstated": wrong is not None, "misstatement": wrong,
            "run_average": round(sum(totals) / len(totals)), "run_worst": min(totals),
            "run_red_lines": reds}


def _heard(state) -> str:
    """Everything the customer has said in this attempt so far, in simplified script."""
    return _T2S.convert("".join([state.customer_line] + [h.get("customer", "") for h in state.history]))


def _new_jargon(state, report, heard: str) -> str:
    """The first unexplained term of the reply the customer could not know: not one they said
    themselves earlier in the run or that their own story uses ("我想赎回" then "赎回是啥？" is absurd)."""
    story = _T2S.convert("".join(str(state.persona.get(k, "")) for k in ("finances", "background")))
    known = (heard + story).lower()
    for f in report.findings:
        if f.rule == "etiquette.Jargon" and f.text and _T2S.convert(f.text).lower() not in known:
            return f.text
    return ""


def _seasoned(persona: dict) -> bool:
    """An experienced investor (risk level C3 and above): wealth terms are their own words, and a
    "说人话" from them is a persona slip."""
    return str(persona.get("risk_level") or "") in SEASONED_LEVELS


def _asks_again(fact, text: str, persona: dict) -> bool:
    """The reply ASKS the fact's question again (a sentence with the cue that is a question) and
    shows no sign of having heard the answer (it does not take up the customer's own words);
    "下游欠您的货款有合同吗？" builds on what was said, it does not ask for it again."""
    from scenarios.persona import render
    said = render(fact.reveal or fact.fact, persona)
    if len(_bigrams(said) & _bigrams(text)) >= HEARD_BIGRAMS:
        return False
    for sentence in QUESTION_SPLIT.split(text):
        if QUESTION.search(sentence) and any(p.search(sentence) for p in fact.asked_by):
            return True
    return False


def _bigrams(text: str) -> set:
    """Pairs of adjacent Chinese characters: the customer's words a reply can take up."""
    han = [ch if "\u4e00" <= ch <= "\u9fff" else " " for ch in text]
    return {a + b for a, b in zip(han, han[1:]) if a != " " and b != " "}


def choose(scenario, state, report, turn: dict, band: str, transition) -> list:
    """The reactions this reply draws, in order: one per group, at most MAX_PER_TURN. When the
    scenario's transition speaks its own reaction (`say`), only corrections and push-backs join it.
    A push-back (hold) is said only where the transition would end the attempt on one refusal:
    where it goes on to another step, the scenario scripts the customer's next move itself."""
    chosen, groups = [], set()
    turn = {**turn, "ends": bool(transition.end)}
    for r in scenario.reactions:
        if r.group in groups or len(chosen) >= MAX_PER_TURN:
            continue
        if r.hold and not transition.end:
            continue
        if r.once and any(r.id in h.get("reactions", ()) for h in state.history):
            continue
        if transition.say and not (r.hold or r.group == "correction"):
            continue
        if conditions.holds(r.when, report, state.mood, state.trust, state.uncovered, turn) \
                and r.variants(band):
            chosen.append(r)
            groups.add(r.group)
    return chosen


def line(reaction, state, report, turn: dict, band: str) -> dict:
    """One reaction's line as {"zh": ..., "en": ...}, filled from the persona and the reply."""
    from scenarios.persona import render
    variants = reaction.variants(band)
    pick = random.Random(f"{state.seed}:{state.turn + 1}:react:{reaction.id}").randrange(len(variants))
    fact = turn["repeated"][0] if turn.get("repeated") else None
    values = {**state.persona, "surname": state.persona.get("surname") or state.persona["name"][:1],
              "jargon": turn.get("jargon_term") or "这个词",
              "fact": render(fact.reveal or fact.fact, state.persona) if fact else "",
              "said": turn["misstatement"].said if turn.get("misstatement") else "",
              "actual": turn["misstatement"].actual if turn.get("misstatement") else ""}
    return {lang: render(text, values) for lang, text in as_dict(variants[pick]).items()}


def given(scenario, state, report) -> dict:
    """What the trainee has said by now: moves made, and the `said` patterns of steps matched."""
    moves = sorted(set(state.given.get("moves", [])) | report.moves)
    text = _T2S.convert(report.reply or "")
    said = set(state.given.get("said", []))
    for step in scenario.steps.values():
        for i, u in enumerate(step.unless_given):
            if u.said is not None and u.said.search(text):
                said.add(f"{step.id}/{i}")
    return {"moves": moves, "said": sorted(said)}


def reworded(scenario, state, step_id: str):
    """The step's reworded lines when the trainee already gave what it asks for, else None."""
    moves = set(state.given.get("moves", []))
    for i, u in enumerate(scenario.steps[step_id].unless_given):
        if (u.move and any(m in moves for m in u.move.split("|"))) \
                or (u.said is not None and f"{step_id}/{i}" in state.given.get("said", [])) \
                or (u.asked and u.asked in state.uncovered):
            return u.say
    return None
