"""Validate one scenario document: every problem at once, each with its line and key."""
from __future__ import annotations

from scenarios import conditions, reactions
from scenarios.fields import Checker, as_dict as _dict, as_list as _list, is_type
from scenarios.graph import check_graph
from scenarios.persona import as_date
from scenarios.schema import (
    CUSTOMER_RISKS, DIMENSIONS, FAKER_METHODS, GENERATORS, KINDS, MOVES, OUTCOMES,
    PERSONA_PLACEHOLDERS, PRODUCT_PLACEHOLDERS, PRODUCT_RISKS, RED_LINE_CATEGORIES, RULE_CUE,
    SOURCES,
)
from scenarios.yamlmap import Document, Problem


def validate(doc: Document, track_ids=None) -> list[Problem]:
    """All problems of one scenario document; `track_ids` (when given) are the known tracks."""
    c = Checker(doc)
    top = c.mapping((), "scenario")
    if top is None:
        return c.problems
    c.ident(("id",))
    c.int_range(("version",), 1, 10_000)
    c.one_of(("kind",), KINDS, "kind")
    c.int_range(("difficulty",), 1, 3)
    c.int_range(("max_turns",), 1, 50)
    if isinstance(top.get("title"), dict):
        c.mapping(("title",), "title")
    _tracks(c, top, track_ids)
    allowed = _persona(c, top)
    allowed |= _product(c, top, allowed)
    facts = _fact_ids(c.get(("persona", "hidden_facts")))
    steps, endings = _ids(c, "steps"), _ids(c, "endings")
    for i, step in enumerate(_list(top.get("steps"))):
        _step(c, ("steps", i), step, allowed, facts, steps, endings)
    for i, _ in enumerate(_list(top.get("endings"))):
        _ending(c, ("endings", i), allowed)
    library = {r.get("id") for r in _list(reactions.defaults().get("reactions"))}
    reactions.check(c, ("reactions",), top.get("reactions"), allowed, facts, library)
    if isinstance(top.get("on_max_turns"), str) and top["on_max_turns"] not in endings:
        c.add(("on_max_turns",), f"no ending with id '{top['on_max_turns']}'")
    check_graph(c)
    return sorted(c.problems, key=lambda p: p.line)


def _tracks(c: Checker, top: dict, track_ids) -> None:
    for i, track in enumerate(_list(top.get("tracks"))):
        if not isinstance(track, str):
            c.add(("tracks", i), f"expected a track id, got {track!r}")
        elif track_ids is not None and track not in track_ids:
            known = ", ".join(sorted(track_ids))
            c.add(("tracks", i), f"unknown track {track!r}; tracks.yml defines {known}")


def _persona(c: Checker, top: dict) -> set:
    """Check the persona; return the placeholder names it defines."""
    persona = c.mapping(("persona",), "persona") if "persona" in top else None
    if persona is None:
        return set()
    allowed = set()
    for name, spec in _dict(persona.get("vars")).items():
        if name in PERSONA_PLACEHOLDERS + PRODUCT_PLACEHOLDERS or not str(name).isidentifier():
            c.add(("persona", "vars", name), "a var name must be a plain name not used by a persona field")
        _generator(c, ("persona", "vars", name), spec, numeric=False)
        allowed.add(name)
    for field in ("name", "address", "occupation", "segment", "finances", "background"):
        if isinstance(persona.get(field), str):
            c.template(("persona", field), persona[field], set(allowed))
    for field, (lo, hi) in (("age", (16, 110)), ("mood", (0, 100)), ("trust", (0, 100))):
        if isinstance(persona.get(field), dict):
            _generator(c, ("persona", field), persona[field], numeric=True, bounds=(lo, hi))
        else:
            c.int_range(("persona", field), lo, hi)
    c.one_of(("persona", "risk_level"), CUSTOMER_RISKS, "risk level")
    if isinstance(persona.get("goals"), list):
        c.texts(("persona", "goals"), allowed, min_items=1)
    allowed |= {f for f in PERSONA_PLACEHOLDERS if persona.get(f) is not None}
    _facts(c, persona, allowed)
    return allowed


def _generator(c: Checker, path: tuple, spec, numeric: bool, bounds=None) -> None:
    """A var is a Faker method name or one inline generator; numeric fields need {int: ...}."""
    if isinstance(spec, str) and not numeric:
        if spec not in FAKER_METHODS:
            c.add(path, f"unknown Faker generator {spec!r}; allowed: {', '.join(FAKER_METHODS)}")
        return
    kinds = [k for k in GENERATORS if isinstance(spec, dict) and k in spec]
    if len(kinds) != 1 or (numeric and kinds != ["int"]):
        want = "{int: [low, high]}" if numeric else \
            "a Faker method name, or one of {int: [low, high]}, {choice: [...]}, {date: [from, to]}"
        c.add(path, f"expected {want}")
        return
    allowed = {"int", "step"} if kinds == ["int"] else set(kinds)
    for extra in sorted(set(spec) - allowed):
        c.add(path + (extra,), f"unknown key; allowed here: {', '.join(sorted(allowed))}")
    if "step" in spec and not (is_type(spec["step"], (int,)) and spec["step"] >= 1):
        c.add(path + ("step",), "expected a whole number of at least 1")
    value = spec[kinds[0]]
    if kinds[0] == "date":
        _date_range(c, path + ("date",), value)
    elif kinds[0] == "choice":
        if not isinstance(value, list) or not value:
            c.add(path + ("choice",), "expected a non-empty list of choices")
    elif not (isinstance(value, list) and len(value) == 2):
        c.add(path + (kinds[0],), "expected a list of two values: [low, high]")
    elif kinds[0] == "int" and not (all(is_type(v, (int,)) for v in value) and value[0] <= value[1]):
        c.add(path + ("int",), "expected two whole numbers, low <= high")
    elif kinds[0] == "int" and bounds and not (bounds[0] <= value[0] and value[1] <= bounds[1]):
        c.add(path + ("int",), f"must stay between {bounds[0]} and {bounds[1]}")


def _date_range(c: Checker, path: tuple, value) -> None:
    """{date: [from, to]}: two dates (2025-03-01 or quoted), from <= to."""
    try:
        start, end = (as_date(v) for v in value)
        ok = start <= end
    except (TypeError, ValueError):
        ok = False
    if not ok:
        c.add(path, "expected two dates [from, to] such as [2025-03-01, 2025-03-31], from <= to")


def _facts(c: Checker, persona: dict, allowed: set) -> None:
    seen = set()
    for i, fact in enumerate(_list(persona.get("hidden_facts"))):
        path = ("persona", "hidden_facts", i)
        if c.mapping(path, "hidden_fact") is None:
            continue
        c.ident(path + ("id",))
        ident = fact.get("id") if isinstance(fact.get("id"), str) else None
        if ident in seen:
            c.add(path + ("id",), f"hidden fact id '{ident}' is used twice")
        seen.add(ident)
        for j, _ in enumerate(_list(fact.get("asked_by"))):
            c.regex(path + ("asked_by", j))
        for key in ("fact", "reveal"):
            if isinstance(fact.get(key), str):
                c.template(path + (key,), fact[key], allowed)


def _product(c: Checker, top: dict, allowed: set) -> set:
    """Check the product (if any); return the placeholders it adds."""
    if top.get("product") is None or c.mapping(("product",), "product") is None:
        return set()
    c.one_of(("product", "risk"), PRODUCT_RISKS, "product risk")
    if isinstance(c.get(("product", "name")), str):
        c.template(("product", "name"), top["product"]["name"], allowed)
    if isinstance(c.get(("product", "features")), list):
        c.texts(("product", "features"), None)
    return set(PRODUCT_PLACEHOLDERS)


def _fact_ids(facts) -> set:
    return {f.get("id") for f in _list(facts) if isinstance(f, dict) and isinstance(f.get("id"), str)}


def _ids(c: Checker, section: str) -> set:
    """Ids of a list section (steps/endings); flags missing lists, duplicates and bad ids."""
    items = c.get((section,))
    if not isinstance(items, list):
        return set()
    if not items:
        c.add((section,), f"needs at least one of {section}")
    seen = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        c.ident((section, i, "id"))
        ident = item.get("id") if isinstance(item.get("id"), str) else None
        if ident in seen:
            c.add((section, i, "id"), f"id '{ident}' is used twice in {section}")
        seen.add(ident)
    return seen - {None}


def _step(c: Checker, path: tuple, step, allowed: set, facts: set, steps: set, endings: set) -> None:
    if c.mapping(path, "step") is None:
        return
    c.one_of(path + ("kind",), KINDS, "kind")
    if isinstance(step.get("customer"), list):
        c.texts(path + ("customer",), allowed, min_items=1)
    if isinstance(step.get("hint"), str):
        c.template(path + ("hint",), step["hint"], allowed)
    if isinstance(step.get("expects"), dict) and c.mapping(path + ("expects",), "expects"):
        _expects(c, path + ("expects",), step["expects"], allowed)
    if isinstance(step.get("pushback"), list):
        c.texts(path + ("pushback",), allowed, min_items=1)
    for j, u in enumerate(_list(step.get("unless_given"))):
        _unless_given(c, path + ("unless_given", j), u, allowed, facts)
    expects = step.get("expects") if isinstance(step.get("expects"), dict) else {}
    _sources(c, path, step, [step.get("hint"), expects.get("model_answer"), expects.get("why")])
    transitions = _list(step.get("transitions"))
    if not transitions and "transitions" in step:
        c.add(path + ("transitions",), "needs at least one transition")
    for j, t in enumerate(transitions):
        tpath = path + ("transitions", j)
        if c.mapping(tpath, "transition") is None:
            continue
        if "when" in t:  # a missing `when` is already reported as a missing key
            conditions.check(c, tpath + ("when",), t["when"], facts, last=j == len(transitions) - 1)
        _target(c, tpath, t, steps, endings)
        if t.get("say") is not None:
            c.texts(tpath + ("say",), allowed)


def _unless_given(c: Checker, path: tuple, u, allowed: set, facts: set) -> None:
    """A rewording: exactly one of move / said / asked, and the lines said instead."""
    if c.mapping(path, "unless_given") is None:
        return
    given = [k for k in ("move", "said", "asked") if k in u]
    if len(given) != 1:
        c.add(path, "give exactly one of 'move' (a move id), 'said' (a regex) or 'asked' (a hidden fact)")
    if isinstance(u.get("move"), str):
        for part in u["move"].split("|"):
            if part not in MOVES:
                c.add(path + ("move",), f"unknown move id {part!r}; see MOVES in scenarios/schema.py")
    if "said" in u:
        c.regex(path + ("said",))
    if "asked" in u and (not isinstance(u["asked"], str) or u["asked"] not in facts):
        c.add(path + ("asked",), f"no hidden fact with id {u['asked']!r} in persona.hidden_facts")
    if isinstance(u.get("say"), list):
        c.texts(path + ("say",), allowed, min_items=1)


def _expects(c: Checker, path: tuple, expects: dict, allowed: set) -> None:
    for i, move in enumerate(_list(expects.get("moves"))):
        for part in str(move).split("|"):
            if part not in MOVES:
                c.add(path + ("moves", i), f"unknown move id {part!r}; see MOVES in scenarios/schema.py")
    for i, _ in enumerate(_list(expects.get("forbidden"))):
        fpath = path + ("forbidden", i)
        if c.mapping(fpath, "forbidden") is None:
            continue
        c.regex(fpath + ("pattern",))
        c.one_of(fpath + ("category",), RED_LINE_CATEGORIES, "red-line category")
        c.one_of(fpath + ("dimension",), DIMENSIONS, "dimension")
    for key in ("model_answer", "why"):
        if isinstance(expects.get(key), str):
            c.template(path + (key,), expects[key], allowed)


def _target(c: Checker, path: tuple, t: dict, steps: set, endings: set) -> None:
    """Exactly one of `next` (a step) or `end` (an ending), and it must exist."""
    if ("next" in t) == ("end" in t):
        c.add(path, "give exactly one of 'next' (a step id) or 'end' (an ending id)")
    elif isinstance(t.get("next"), str) and t["next"] not in steps:
        c.add(path + ("next",), f"no step with id '{t['next']}'")
    elif isinstance(t.get("end"), str) and t["end"] not in endings:
        c.add(path + ("end",), f"no ending with id '{t['end']}'")


def _ending(c: Checker, path: tuple, allowed: set) -> None:
    ending = c.mapping(path, "ending")
    if ending is None:
        return
    c.one_of(path + ("outcome",), OUTCOMES, "outcome")
    if isinstance(ending.get("customer"), list):
        c.texts(path + ("customer",), allowed)
    if isinstance(ending.get("debrief"), dict):
        c.mapping(path + ("debrief",), "debrief")
    _sources(c, path, ending, list(_dict(ending.get("debrief")).values()))


def _sources(c: Checker, path: tuple, item: dict, texts: list) -> None:
    """Each `sources` entry names a known source; text that states a rule must have `sources`."""
    for i, source in enumerate(_list(item.get("sources"))):
        name = source.split()[0] if isinstance(source, str) and source.split() else None
        if name not in SOURCES:
            c.add(path + ("sources", i),
                  f"unknown source {source!r}; start with one of SOURCES in scenarios/schema.py")
    if "sources" not in item and any(isinstance(t, str) and RULE_CUE.search(t) for t in texts):
        c.add(path, "states a rule (规定/监管/《…》/第…条) but cites no source; add `sources:`")
