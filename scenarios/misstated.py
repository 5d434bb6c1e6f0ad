"""Misstatements: the trainee gets the customer's own facts wrong (the bank, the sum), and the
customer corrects them before going on ("不对，是交通银行，不是招商银行。").

Only the persona's generated values are checked, as the customer would hear them:
- a `choice` of names (banks, products, cities): the reply names another option of the same list
  and never the customer's own;
- an `int` with the unit the scenario writes after it ("{amount}万", "{days}天"): the reply gives a
  number with that unit inside the generator's range, the customer's value with that unit is nowhere
  in the reply, and the number is not one the customer said, nor a sum or difference of the
  customer's values (a trainee working out "剩下的32万" is not misstating the 57万).
"""
from __future__ import annotations

import re
from itertools import combinations
from typing import NamedTuple, Optional

UNITS = "万元块天个人年月期笔张"
SLACK = 0.3        # a number this far outside the generator's range is about something else
# "一年多", "十来万": a rough figure, and its options overlap ("一年半" is "十八个月"): never corrected
VAGUE = re.compile(r"[多半几来]|左右")


class Misstatement(NamedTuple):
    """What the trainee said, and what the customer's value really is (both as said aloud)."""
    said: str
    actual: str


def find(scenario, persona: dict, reply: str, heard: str) -> Optional[Misstatement]:
    """The first of the customer's facts the reply gets wrong, or None. `reply` and `heard` (what
    the customer has said so far) are in simplified script."""
    specs = (scenario.persona or {}).get("vars") or {}
    for var, spec in specs.items():
        if isinstance(spec, dict) and "choice" in spec:
            found = _wrong_choice(spec["choice"], persona.get(var), reply)
            if found:
                return found
    for unit, values in _int_values(scenario, persona).items():
        found = _wrong_number(unit, values, reply, heard)
        if found:
            return found
    return None


def _wrong_choice(options: list, mine, reply: str) -> Optional[Misstatement]:
    if not isinstance(mine, str) or len(mine) < 2 or mine in reply or VAGUE.search(mine):
        return None
    for other in options:
        if isinstance(other, str) and len(other) >= 2 and other != mine and not VAGUE.search(other) \
                and other not in mine and mine not in other and other in reply:
            return Misstatement(other, mine)
    return None


def _int_values(scenario, persona: dict) -> dict:
    """unit -> [(value, lo, hi)] for the persona's int values the scenario says with that unit."""
    specs = (scenario.persona or {}).get("vars") or {}
    units = _units(scenario)
    out = {}
    for var, spec in specs.items():
        if isinstance(spec, dict) and "int" in spec and isinstance(persona.get(var), int):
            lo, hi = spec["int"]
            for unit in units.get(var, ()):
                out.setdefault(unit, []).append((persona[var], lo, hi))
    return out


def _wrong_number(unit: str, values: list, reply: str, heard: str) -> Optional[Misstatement]:
    said = [int(n) for n in re.findall(rf"(?<![\d.])(\d+)(?=\s*{unit})", reply)]
    mine = {v for v, _, _ in values}
    if not said or mine & set(said):
        return None
    derived = {a + b for a, b in combinations(mine, 2)} | {abs(a - b) for a, b in combinations(mine, 2)}
    told = {int(n) for n in re.findall(rf"(?<![\d.])(\d+)(?=\s*{unit})", heard)}
    rough = rf"(?:约|大约|大概|差不多)(\d+)\s*{unit}|(\d+)\s*{unit}(?:左右|上下|多)"
    approximate = {int(n) for pair in re.findall(rough, reply) for n in pair if n}
    for number in said:
        if number in derived or number in told or number in approximate:
            continue
        # the customer's value this number is a slip for: the nearest one whose range it falls in
        near = [(abs(number - value), value) for value, lo, hi in values
                if lo * (1 - SLACK) <= number <= hi * (1 + SLACK)]
        if near:
            return Misstatement(f"{number}{unit}", f"{min(near)[1]}{unit}")
    return None


_UNITS_CACHE: dict = {}


def _units(scenario) -> dict:
    """var -> the units the scenario's customer lines and persona write right after it (worked
    out once per scenario version, not on every turn)."""
    key = (scenario.id, scenario.version)
    if key not in _UNITS_CACHE:
        persona = scenario.persona or {}
        texts = [str(persona.get(k, "")) for k in ("finances", "background")]
        for step in scenario.steps.values():
            texts.extend(step.customer)
        for fact in scenario.facts:
            texts.extend(t for t in (fact.fact, fact.reveal) if t)
        units = {}
        for text in texts:
            for var, unit in re.findall(rf"\{{(\w+)\}}\s*([{UNITS}])", text):
                units.setdefault(var, set()).add(unit)
        _UNITS_CACHE[key] = {var: tuple(sorted(u)) for var, u in units.items()}
    return _UNITS_CACHE[key]
