"""A validated scenario as read-only objects the engine walks (built only from checked data)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from grading import ForbiddenItem
from grading.safe_regex import compile_safe

from scenarios.schema import DEFAULT_MAX_TURNS


@dataclass(frozen=True)
class HiddenFact:
    """Something the customer only tells a trainee who asks the right question."""
    id: str
    fact: str
    asked_by: tuple          # compiled regexes, matched on the simplified reply
    reveal: Optional[str]    # what the customer then says (a template)


@dataclass(frozen=True)
class Transition:
    """Where a step goes when `when` holds for the report: mood/trust change, next step or end."""
    when: object             # "default" or a mapping of conditions (see scenarios.conditions)
    mood: int = 0
    trust: int = 0
    say: tuple = ()          # customer reaction variants, said before the next line
    next: Optional[str] = None
    end: Optional[str] = None


@dataclass(frozen=True)
class Step:
    """One customer turn: line variants, what a good reply does, and the transitions."""
    id: str
    customer: tuple
    transitions: tuple
    model_answer: str
    why: str
    moves: tuple = ()
    forbidden: tuple = ()    # grading.ForbiddenItem
    kind: Optional[str] = None
    hint: Optional[str] = None


@dataclass(frozen=True)
class Ending:
    """How an attempt can end: an outcome from the fixed set and a debrief for the trainee."""
    id: str
    outcome: str
    debrief: dict            # {"zh": ..., "en": ...}
    customer: tuple = ()


@dataclass(frozen=True)
class Scenario:
    """A whole scenario file; `steps` and `endings` keep the file's order (first step starts)."""
    id: str
    version: int
    title: dict
    kind: str
    difficulty: int
    tracks: tuple
    persona: dict            # the template, filled per attempt by scenarios.persona
    steps: dict
    endings: dict
    on_max_turns: str
    max_turns: int = DEFAULT_MAX_TURNS
    product: Optional[dict] = None
    facts: tuple = ()
    path: str = ""

    @property
    def first_step(self) -> str:
        """Id of the step every attempt starts on."""
        return next(iter(self.steps))


def build(data: dict, path: str = "") -> Scenario:
    """Turn validated scenario data into a Scenario (call only after validation passed)."""
    persona = data["persona"]
    facts = tuple(
        HiddenFact(f["id"], f["fact"], tuple(compile_safe(p) for p in f["asked_by"]), f.get("reveal"))
        for f in persona.get("hidden_facts") or ())
    steps = {s["id"]: _step(s) for s in data["steps"]}
    endings = {e["id"]: Ending(e["id"], e["outcome"], dict(e["debrief"]), tuple(e.get("customer") or ()))
               for e in data["endings"]}
    return Scenario(
        id=data["id"], version=data["version"], title=dict(data["title"]), kind=data["kind"],
        difficulty=data["difficulty"], tracks=tuple(data["tracks"]), persona=persona,
        steps=steps, endings=endings, on_max_turns=data["on_max_turns"],
        max_turns=data.get("max_turns") or DEFAULT_MAX_TURNS, product=data.get("product"),
        facts=facts, path=path)


def _step(s: dict) -> Step:
    expects = s["expects"]
    forbidden = tuple(ForbiddenItem(**f) for f in expects.get("forbidden") or ())
    transitions = tuple(_transition(t) for t in s["transitions"])
    return Step(id=s["id"], customer=tuple(s["customer"]), transitions=transitions,
                model_answer=expects["model_answer"], why=expects["why"],
                moves=tuple(expects.get("moves") or ()), forbidden=forbidden,
                kind=s.get("kind"), hint=s.get("hint"))


def _transition(t: dict) -> Transition:
    say = t.get("say") or ()
    return Transition(when=t["when"], mood=t.get("mood", 0), trust=t.get("trust", 0),
                      say=(say,) if isinstance(say, str) else tuple(say),
                      next=t.get("next"), end=t.get("end"))
