"""Personas: a scenario's persona template filled from one seed, and {placeholder} rendering."""
from __future__ import annotations

import datetime as dt
import random
import string

from faker import Faker

from scenarios.schema import PERSONA_PLACEHOLDERS

_FORMATTER = string.Formatter()


class PlaceholderError(ValueError):
    """A {placeholder} with a format spec or conversion ({surname:>99999999999} asks for a
    string of that many characters, or overflows)."""


def placeholders(template: str) -> list[str]:
    """Names a template uses, e.g. "{surname}先生" -> ["surname"]; raises ValueError if malformed
    (PlaceholderError for a format spec or a conversion: a placeholder is a plain name)."""
    names = []
    for _literal, field, spec, conv in _FORMATTER.parse(template):
        if field is not None:
            if spec or conv:
                shown = field + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "")
                raise PlaceholderError(f"placeholder {{{shown[:40]}}} has a format; write {{{field}}}")
            names.append(field)
    return names


def render(template: str, values: dict) -> str:
    """Fill {placeholders}; only plain names are allowed (no attribute or index lookups)."""
    for name in placeholders(template):
        if not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} is not a plain name")
    return template.format_map(values)


def generate_value(spec, rng: random.Random, fake: Faker):
    """One value from a generator spec: a Faker method name, or {int|choice|date: ...}."""
    if isinstance(spec, str):
        return getattr(fake, spec)()
    if "int" in spec:
        lo, hi = spec["int"]
        step = spec.get("step", 1)
        return rng.randrange(lo, hi + 1, step)
    if "choice" in spec:
        return rng.choice(spec["choice"])
    start, end = (as_date(d) for d in spec["date"])
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    # Customers say "3月12日", not an ISO date; absolute dates keep a replay identical.
    return f"{day.month}月{day.day}日"


def as_date(value) -> dt.date:
    """A YAML date (or an ISO date string) as a date; ValueError/TypeError if it is neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def make_persona(persona: dict, product: dict | None, seed: int) -> dict:
    """Fill a persona template from `seed`: same seed, same persona; returns plain values.

    The result holds every {placeholder} value (vars, persona fields, product name and risk)
    plus the persona's own fields, so an attempt can store it and render lines without Faker.
    """
    # Both sources are seeded per call: no global random state, so attempts never interfere.
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    values: dict = {}
    for name, spec in (persona.get("vars") or {}).items():
        values[name] = generate_value(spec, rng, fake)
    for field in PERSONA_PLACEHOLDERS + ("finances", "background", "mood", "trust"):
        raw = persona.get(field)
        if isinstance(raw, dict):
            values[field] = generate_value(raw, rng, fake)
        elif isinstance(raw, str):
            values[field] = render(raw, values)
        else:
            values[field] = raw
    values["goals"] = [render(g, values) for g in persona.get("goals") or ()]
    if product:
        values["product_name"] = render(product["name"], values)
        values["product_risk"] = product["risk"]
    return values
