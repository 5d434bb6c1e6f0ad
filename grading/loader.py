"""Load the YAML rule packs and kind profiles; every mistake is an error naming file, line and key."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from grading.model import DIMENSIONS, KINDS, LEVELS, RED_LINE_CATEGORIES
from grading.rules import RULE_TYPES

PACKS = Path(__file__).parent / "packs"
KINDS_FILE = Path(__file__).parent / "kinds.yml"

COMMON_KEYS = {"type", "message", "suggestion", "level", "category", "source", "kinds", "when",
               "penalty", "cap", "examples", "description", "message_en", "suggestion_en"}
TYPE_KEYS = {
    "phrase": {"patterns", "negation", "quotation", "refusal_only", "exempt_subject",
               "unless_after", "unless_sentence", "window", "customer_says", "firm"},
    "move": {"move", "patterns", "negation", "unless_sentence"},
    "jargon": {"terms"},
    "conditional": {"if", "then", "negation"},
}
RENAMED = {"if": "if_patterns", "then": "then_patterns"}
WHEN_KEYS = {"risk_mismatch", "min_customer_age", "product_risk_at_least", "has_product_risk"}
EXAMPLE_KEYS = {"fail", "pass", "context"}
PATTERN_KEYS = ("patterns", "if", "then", "refusal_only", "unless_after", "unless_sentence", "customer_says")


class RuleError(Exception):
    """One or more problems in rule files; str() lists each as `file:line: key: message`."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(f"{f}:{line}: {key}: {msg}" for f, line, key, msg in problems))


# libyaml's parser where PyYAML was built with it (the same safe constructor, several times
# faster: the packs are read at every cold start).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

def _key_lines(text: str) -> dict:
    """Line number (1-based) of each top-level key of a YAML mapping document."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value}


class _KeyLines:
    """Line numbers of a document's top-level keys, found only when a problem must name one:
    composing the YAML again in pure Python costs more than loading it, at every cold start."""

    def __init__(self, text: str):
        self.text, self._lines = text, None

    def get(self, key, default=1):
        """The line of `key` (default when it is not a top-level key)."""
        if self._lines is None:
            self._lines = _key_lines(self.text)
        return self._lines.get(key, default)


def _check_patterns(value, key, problems, path: str, line):
    for p in [value] if isinstance(value, str) else (value or []):
        try:
            re.compile(p)
        except (re.error, TypeError) as e:
            problems.append((path, line(key), key, f"bad pattern {p!r}: {e}"))


def _validate(path: Path, data, lines: dict) -> list:
    problems = []
    line = lambda k: lines.get(k, 1)  # noqa: E731
    if not isinstance(data, dict):
        return [(str(path), 1, "-", "a rule file must be a mapping of keys")]
    rtype = data.get("type")
    if rtype not in TYPE_KEYS:
        return [(str(path), line("type"), "type", f"unknown rule type {rtype!r}; expected one of {sorted(TYPE_KEYS)}")]
    for key in sorted(set(data) - COMMON_KEYS - TYPE_KEYS[rtype]):
        problems.append((str(path), line(key), key, f"unknown key for a {rtype} rule"))
    if not data.get("message"):
        problems.append((str(path), line("message"), "message", "every rule needs a message"))
    if rtype in ("phrase", "move") and not data.get("patterns"):
        problems.append((str(path), line("patterns"), "patterns", "needs at least one pattern"))
    if rtype == "move" and not data.get("move"):
        problems.append((str(path), line("move"), "move", "a move rule names its move id"))
    if rtype == "jargon" and not isinstance(data.get("terms"), dict):
        problems.append((str(path), line("terms"), "terms", "jargon terms must be a mapping term: plain words"))
    for key in PATTERN_KEYS:
        if key in data:
            _check_patterns(data[key], key, problems, str(path), line)
    if data.get("level") not in (None, *LEVELS):
        problems.append((str(path), line("level"), "level", f"level must be one of {LEVELS}"))
    if data.get("level") == "red_line" and data.get("category") not in RED_LINE_CATEGORIES:
        problems.append((str(path), line("category"), "category",
                         f"a red line names its category, one of {RED_LINE_CATEGORIES}"))
    for kind in data.get("kinds") or []:
        if kind not in KINDS:
            problems.append((str(path), line("kinds"), "kinds", f"unknown kind {kind!r}"))
    for key in set(data.get("when") or {}) - WHEN_KEYS:
        problems.append((str(path), line("when"), f"when.{key}", "unknown condition"))
    if path.parent.name == "compliance" and rtype != "move" and not data.get("source"):
        problems.append((str(path), line("source"), "source", "a compliance rule cites its regulation or standard"))
    ex = data.get("examples")
    if not isinstance(ex, dict) or not ex.get("fail") or not ex.get("pass"):
        problems.append((str(path), line("examples"), "examples", "every rule needs examples: {fail: [...], pass: [...]}"))
    else:
        for key in sorted(set(ex) - EXAMPLE_KEYS):
            problems.append((str(path), line("examples"), f"examples.{key}", "unknown key"))
    return problems


def load_rule(path: Path):
    """Load one rule file; its id is `<dimension>.<FileStem>` from its path."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise RuleError([(str(path), (mark.line + 1) if mark else 1, "-", f"YAML syntax: {e}")]) from None
    problems = _validate(path, data, _KeyLines(text))
    if problems:
        raise RuleError(problems)
    dimension = path.parent.name
    fields = {RENAMED.get(k, k): v for k, v in data.items() if k != "type"}
    for key in ("patterns", "if_patterns", "then_patterns", "kinds"):
        if key in fields:
            value = fields[key]
            fields[key] = tuple([value] if isinstance(value, str) else value)
    fields.setdefault("when", {})
    return RULE_TYPES[data["type"]](id=f"{dimension}.{path.stem}", dimension=dimension, **fields)


@lru_cache(maxsize=4)
def load_packs(root: Path = PACKS) -> tuple:
    """All rules under root/<dimension>/*.yml, in a stable order; all problems raised at once."""
    rules, problems = [], []
    for dim_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if dim_dir.name not in DIMENSIONS:
            problems.append((str(dim_dir), 1, "-", f"unknown dimension folder; expected one of {DIMENSIONS}"))
            continue
        for path in sorted(dim_dir.glob("*.yml")):
            try:
                rules.append(load_rule(path))
            except RuleError as e:
                problems.extend(e.problems)
    if problems:
        raise RuleError(problems)
    return tuple(rules)


@lru_cache(maxsize=2)
def load_kinds(path: Path = KINDS_FILE) -> dict:
    """The kind profiles: expected moves, required disclosures and topic words per kind."""
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=SAFE_LOADER)
    lines = _KeyLines(text)
    allowed = {"moves", "key_disclosures", "minor_disclosures", "topic", "order"}
    problems = []
    for kind in KINDS:
        if kind not in data:
            problems.append((str(path), 1, kind, "missing profile for this kind"))
    for kind, prof in data.items():
        if kind not in KINDS:
            problems.append((str(path), lines.get(kind, 1), kind, "unknown kind"))
            continue
        for key in set(prof) - allowed:
            problems.append((str(path), lines.get(kind, 1), f"{kind}.{key}", "unknown key"))
        try:
            prof["_topic"] = re.compile(prof.get("topic", "(?!x)x"))
        except re.error as e:
            problems.append((str(path), lines.get(kind, 1), f"{kind}.topic", f"bad pattern: {e}"))
    if problems:
        raise RuleError(problems)
    return data
