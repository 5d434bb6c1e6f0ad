"""Safe YAML loading that also remembers the line of every key, so errors can point at it."""
from __future__ import annotations

from dataclasses import dataclass

import yaml


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
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(file, 1, "(file)", "the file is empty")]
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, line, "(yaml)", f"YAML syntax error: {problem}")]
    except ValueError as exc:  # a scalar the safe constructor rejects, e.g. 2025-13-01
        return None, [Problem(file, 1, "(yaml)", f"YAML value error: {exc}")]
    finally:
        loader.dispose()
    doc = Document(file, data, {})
    problems: list = []
    _walk(node, (), doc, problems)
    return doc, problems


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
