"""Generic checks shared by the scenario and tracks validators: keys, types, templates, regexes."""
from __future__ import annotations

from grading.normalize import pattern_to_simplified
from grading.safe_regex import is_safe
from scenarios.persona import PlaceholderError, placeholders
from scenarios.schema import FIELDS, ID, type_name
from scenarios.yamlmap import Document, Problem


class Checker:
    """Collects every problem of one document, each located by key path and line."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, path: tuple, message: str) -> None:
        """Record a problem at `path` (its line is looked up in the document)."""
        self.problems.append(Problem(self.doc.file, self.doc.line(path), self.doc.key(path), message))

    def get(self, path: tuple):
        """The value at `path`, or None when any part of it is missing."""
        node = self.doc.data
        for part in path:
            if isinstance(part, int) and isinstance(node, list) and part < len(node):
                node = node[part]
            elif isinstance(part, str) and isinstance(node, dict):
                node = node.get(part)
            else:
                return None
        return node

    def mapping(self, path: tuple, schema: str) -> dict | None:
        """Check a mapping against FIELDS[schema]: unknown keys, missing keys, wrong types."""
        value = self.get(path)
        if not isinstance(value, dict):
            self.add(path, f"expected a mapping, got {_describe(value)}")
            return None
        fields = FIELDS[schema]
        for key in value:
            if key not in fields:
                self.add(path + (key,), f"unknown key; allowed here: {', '.join(fields)}")
        for key, (types, required) in fields.items():
            if key not in value or value[key] is None:
                if required:
                    self.add(path, f"missing required key '{key}'")
                continue
            if not is_type(value[key], types):
                self.add(path + (key,), f"expected {type_name(types)}, got {_describe(value[key])}")
        return value

    def ident(self, path: tuple) -> None:
        """An id must be lower_snake_case so it reads the same in files, URLs and reports."""
        value = self.get(path)
        if isinstance(value, str) and not ID.match(value):
            self.add(path, f"'{value}' is not a valid id (lowercase letters, digits, _)")

    def texts(self, path: tuple, allowed: set | None, min_items: int = 0) -> None:
        """Check a list of text templates (or one template) and their {placeholders}."""
        value = self.get(path)
        items = [(path, value)] if isinstance(value, str) else [
            (path + (i,), v) for i, v in enumerate(as_list(value))]
        if isinstance(value, list) and len(value) < min_items:
            self.add(path, f"needs at least {min_items} item(s)")
        for where, text in items:
            if not isinstance(text, str) or not text.strip():
                self.add(where, f"expected non-empty text, got {_describe(text)}")
            elif allowed is not None:
                self.template(where, text, allowed)

    def template(self, path: tuple, text: str, allowed: set) -> None:
        """Every {placeholder} must be one the persona (or product) defines."""
        try:
            names = placeholders(text)
        except PlaceholderError as exc:
            self.add(path, str(exc))
            return
        except ValueError as exc:
            self.add(path, f"malformed placeholder braces ({exc}); write {{{{ and }}}} for a literal brace")
            return
        for name in names:
            if name not in allowed:
                known = ", ".join(sorted(allowed)) or "none"
                self.add(path, f"placeholder {{{name}}} is not defined by the persona (defined: {known})")

    def regex(self, path: tuple) -> None:
        """A pattern must compile (or the grader and the fact detector would crash mid-attempt), and
        run with bounded work on any reply (grading.safe_regex)."""
        value = self.get(path)
        if not isinstance(value, str) or not value:
            self.add(path, f"expected a regular expression, got {_describe(value)}")
            return
        # as written (hidden facts' asked_by) and as the grader runs it (forbidden, simplified)
        problem = is_safe(value) or is_safe(pattern_to_simplified(value))
        if problem:
            self.add(path, problem)

    def one_of(self, path: tuple, allowed, what: str) -> None:
        """The value at `path` (when present) must be in `allowed`."""
        value = self.get(path)
        if value is not None and value not in allowed:
            self.add(path, f"unknown {what} {value!r}; expected one of {', '.join(map(str, allowed))}")

    def int_range(self, path: tuple, lo: int, hi: int) -> None:
        """A whole number (when present and of the right type) between lo and hi."""
        value = self.get(path)
        if is_type(value, (int,)) and not lo <= value <= hi:
            self.add(path, f"must be between {lo} and {hi}, got {value}")


def as_list(value) -> list:
    """The value if it is a list, else [] (a wrong type is reported once, by Checker.mapping)."""
    return value if isinstance(value, list) else []


def as_dict(value) -> dict:
    """The value if it is a mapping, else {}."""
    return value if isinstance(value, dict) else {}


def is_type(value, types: tuple) -> bool:
    """isinstance that does not let a YAML true/false pass as a number."""
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _describe(value) -> str:
    """How a wrong value reads in an error message: `text '3'`, `a list`, `nothing`."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    kind = {str: "text", int: "a number", float: "a number"}.get(type(value), type(value).__name__)
    return f"{kind} {value!r}"
