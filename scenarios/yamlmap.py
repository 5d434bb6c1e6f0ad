"""Safe YAML loading that also remembers the line of every key, so errors can point at it."""
from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_DEPTH = 32          # mappings and lists inside each other; scenario files use at most 6
MAX_NODES = 20_000      # values once aliases are expanded; the largest file has under 1,000

@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario or tracks file, located by file, line and key."""
    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


@dataclass
class Document:
    """A parsed YAML file: the plain data and a map from key path to 1-based line."""
    file: str
    data: object
    lines: dict

    def key(self, path: tuple) -> str:
        """Readable key path: `steps[opening].transitions[1].when`, using ids where items have them."""
        out, node = "", self.data
        for part in path:
            if isinstance(part, int):
                item = node[part] if isinstance(node, list) and part < len(node) else None
                ident = item.get("id") if isinstance(item, dict) else None
                out += f"[{ident}]" if isinstance(ident, str) and ident else f"[{part}]"
                node = item
            else:
                out += f".{part}" if out else str(part)
                node = node.get(part) if isinstance(node, dict) else None
        return out or "(file)"

    def line(self, path: tuple) -> int:
        """Line of `path`, or of its nearest ancestor that has one (1 for the whole file)."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def load_document(file: str, text: str) -> tuple[Document | None, list]:
    """Parse YAML text with the safe loader; return the document or a located syntax problem."""
    try:
        too_big = _too_big(file, text)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(file, exc)]
    if too_big:
        return None, [too_big]
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(file, 1, "(file)", "the file is empty")]
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(file, exc)]
    except ValueError as exc:  # a scalar the safe constructor rejects, e.g. 2025-13-01
        return None, [Problem(file, 1, "(yaml)", f"YAML value error: {exc}")]
    finally:
        loader.dispose()
    doc = Document(file, data, {})
    problems: list = []
    _walk(node, (), doc, problems)
    return doc, problems


def _syntax_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else 1
    problem = getattr(exc, "problem", None) or str(exc)
    return Problem(file, line, "(yaml)", f"YAML syntax error: {problem}")


def _too_big(file: str, text: str) -> Problem | None:
    """A problem when the document nests deeper than MAX_DEPTH or its aliases would expand it
    past MAX_NODES (a "billion laughs" file: 386 bytes took 26 s and 3 GB before failing), or
    an alias repeats a collection inside itself (walking it never ends).
    Reads the parser's events only, which needs neither recursion nor expansion."""
    loader = yaml.SafeLoader(text)
    sizes: dict = {}        # anchor -> nodes its value expands to
    stack = [[None, 0]]     # per open collection: its anchor, nodes in it so far
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                if len(stack) - 1 > MAX_DEPTH:
                    return Problem(file, line, "(yaml)", f"nested deeper than {MAX_DEPTH} levels")
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, count = stack.pop()
            elif isinstance(event, yaml.AliasEvent):
                if any(event.anchor == open_anchor for open_anchor, _ in stack):
                    return Problem(file, line, "(yaml)", f"*{event.anchor} is used inside its own "
                                                        "anchor's value (a document that contains itself)")
                anchor, count = None, sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                anchor, count = event.anchor, 1
            else:
                continue
            if anchor is not None:
                sizes[anchor] = count
            stack[-1][1] += count
            if stack[-1][1] > MAX_NODES or sum(n for _, n in stack) > MAX_NODES:
                return Problem(file, line, "(yaml)", f"the document expands to more than {MAX_NODES} "
                                                    "values (aliases repeating aliases?)")
    finally:
        loader.dispose()
    return None


def _walk(node, path: tuple, doc: Document, problems: list) -> None:
    """Record the line of every mapping key and list item; flag keys given twice."""
    lines = doc.lines
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            here = path + (key,)
            line = key_node.start_mark.line + 1
            if key in seen:
                # safe_load silently keeps the last one: a reviewer would read the wrong value
                problems.append(Problem(doc.file, line, doc.key(here),
                                        "this key is given twice in the same mapping"))
            seen.add(key)
            lines.setdefault(here, line)
            _walk(value_node, here, doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            _walk(item, path + (i,), doc, problems)
