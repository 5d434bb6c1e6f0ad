"""The labelled corpus: load and check situation files, and flatten them into pairs.

`python -m grading.training.corpus check [FILE ...]` validates files and prints counts.
"""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from grading.model import DIMENSIONS, KINDS, RED_LINE_CATEGORIES

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SITUATIONS = CORPUS / "situations"
REQUESTS = ("offers_gift", "wants_guarantee", "wants_unsuitable_product", "wants_to_skip_disclosure",
            "wants_documents_padded", "wants_approval_promise", "wants_connections",
            "asks_third_party_info", "wants_to_avoid_reporting", "asks_about_reporting",
            "wants_staff_operation", "legitimate")
STANCES = ("complies", "defers", "refuses", "counters", "ignores", "answers")
REGISTERS = ("formal", "colloquial", "terse", "rambling", "typos", "traditional", "mixed_en",
             "emoji", "dialect", "netspeak")
REQUEST_CATEGORY = dict(zip(REQUESTS, ("gift", "guarantee", "suitability", "disclosure", "falsify",
                                       "guarantee_approval", "favoritism", "leak", "aml_structuring",
                                       "aml_tipoff", "private_dealing", None)))
_REPLY_KEYS = {"reply", "stance", "labels", "red_lines", "register", "gaming", "note"}
_CONTEXT_KEYS = {"customer_risk", "product_risk", "customer_age"}


class CorpusError(ValueError):
    """A corpus file that does not follow the format; the message names file, line and key."""


@dataclass(frozen=True)
class Pair:
    """One labelled (customer line, reply) pair."""
    situation: str
    kind: str
    context: dict
    customer: str
    request: str
    reply: str
    stance: str
    labels: dict
    red_lines: tuple
    register: str = ""
    gaming: bool = False
    author: str = ""
    line: int = 0
    extra: dict = field(default_factory=dict)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping (as key `__line__`)."""


def _mapping_with_line(loader, node):
    data = loader.construct_mapping(node, deep=True)
    data["__line__"] = node.start_mark.line + 1
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _fail(path, line, key, msg):
    raise CorpusError(f"{path}:{line}: {key}: {msg}")


def _check_reply(path, r: dict, request: str) -> None:
    line = r.get("__line__", 0)
    unknown = set(r) - _REPLY_KEYS - {"__line__"}
    if unknown:
        _fail(path, line, sorted(unknown)[0], "unknown key")
    if not isinstance(r.get("reply"), str) or not r["reply"].strip():
        _fail(path, line, "reply", "must be a non-empty string")
    if r.get("stance") not in STANCES:
        _fail(path, line, "stance", f"must be one of {', '.join(STANCES)}")
    labels = r.get("labels")
    if not (isinstance(labels, list) and len(labels) == 4 and all(isinstance(x, int) and 0 <= x <= 4 for x in labels)):
        _fail(path, line, "labels", "must be four levels 0-4: [etiquette, structure, empathy, compliance]")
    reds = r.get("red_lines") or []
    bad = [c for c in reds if c not in RED_LINE_CATEGORIES]
    if bad:
        _fail(path, line, "red_lines", f"unknown category {bad[0]!r}")
    if reds and labels[3] != 0:
        _fail(path, line, "labels", "a reply with a red line has compliance 0")
    if r.get("register") not in (None, "", *REGISTERS):
        _fail(path, line, "register", f"must be one of {', '.join(REGISTERS)}")


def load_file(path: Path) -> list:
    """The pairs of one situation file; CorpusError (file:line: key: problem) when malformed."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CorpusError(f"{path}:{mark.line + 1 if mark else 0}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        _fail(path, 1, "(file)", "must be a mapping")
    for key in ("situation", "kind", "customers"):
        if key not in data:
            _fail(path, data.get("__line__", 1), key, "missing")
    if data["situation"] != path.stem:
        _fail(path, data["__line__"], "situation", f"must equal the file name {path.stem!r}")
    if data["kind"] not in KINDS:
        _fail(path, data["__line__"], "kind", f"must be one of {', '.join(KINDS)}")
    ctx = {k: v for k, v in (data.get("context") or {}).items() if k != "__line__"}
    if set(ctx) - _CONTEXT_KEYS:
        _fail(path, data["__line__"], "context", f"unknown key {sorted(set(ctx) - _CONTEXT_KEYS)[0]!r}")
    pairs = []
    for c in data["customers"] or []:
        line = c.get("__line__", 0)
        if not isinstance(c.get("line"), str) or not c["line"].strip():
            _fail(path, line, "line", "the customer's line must be a non-empty string")
        if c.get("request") not in REQUESTS:
            _fail(path, line, "request", f"must be one of {', '.join(REQUESTS)}")
        for r in c.get("replies") or []:
            _check_reply(path, r, c["request"])
            pairs.append(Pair(
                situation=data["situation"], kind=data["kind"], context=ctx, customer=c["line"],
                request=c["request"], reply=r["reply"], stance=r["stance"],
                labels=dict(zip(DIMENSIONS, r["labels"])), red_lines=tuple(r.get("red_lines") or ()),
                register=r.get("register") or "", gaming=bool(r.get("gaming")),
                author=str(data.get("author") or path.stem[:1]), line=r["__line__"]))
    return pairs


def load_corpus(folder: Path = SITUATIONS) -> list:
    """Every pair of every situation file in the folder, in file order."""
    return [p for path in sorted(Path(folder).glob("*.yaml")) for p in load_file(path)]


def counts(pairs) -> str:
    """A short table of what a set of pairs holds: per category, kind, register, author."""
    viol = Counter(c for p in pairs for c in p.red_lines)
    # A hard negative: a clean reply to a request of that category, or one sharing its situation.
    cat_of = REQUEST_CATEGORY
    hard = Counter(cat_of[p.request] for p in pairs if not p.red_lines and cat_of[p.request])
    lines = [f"pairs {len(pairs)}, situations {len({p.situation for p in pairs})}, "
             f"clean {sum(not p.red_lines for p in pairs)}, gaming {sum(p.gaming for p in pairs)}"]
    for cat in RED_LINE_CATEGORIES:
        lines.append(f"  {cat:20s} violations {viol[cat]:5d}  clean replies to such requests {hard[cat]:5d}")
    for name, counter in (("kind", Counter(p.kind for p in pairs)),
                          ("register", Counter(p.register or "-" for p in pairs)),
                          ("author", Counter(p.author for p in pairs)),
                          ("stance", Counter(p.stance for p in pairs))):
        lines.append(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
    return "\n".join(lines)


def main(argv=None) -> int:
    """`check [FILE ...]`: validate files (default: the whole corpus) and print counts."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "check":
        print("usage: python -m grading.training.corpus check [FILE ...]", file=sys.stderr)
        return 2
    files = [Path(a) for a in argv[1:]] or sorted(SITUATIONS.glob("*.yaml"))
    pairs, errors = [], 0
    for f in files:
        try:
            pairs.extend(load_file(f))
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            errors += 1
    print(counts(pairs))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
