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
class Reaction:
    """How the customer reacts to what a reply did, before the step's scripted line."""
    id: str
    when: object                 # a mapping of conditions (see scenarios.conditions)
    lines: dict                  # mood band (or "a|b", or "default") -> ({"zh":..., "en":...}, ...)
    group: str = ""              # at most one reaction of a group per turn (default: its id)
    mood: int = 0
    trust: int = 0
    hold: bool = False           # the customer stays on this step (pushes back) instead of moving on
    once: bool = False           # said at most once an attempt (an acknowledgement, not a refrain)

    def variants(self, band: str) -> tuple:
        """The line variants for a mood band: the band's own, else the default ones."""
        for key, lines in self.lines.items():
            if band in key.split("|"):
                return lines
        return self.lines.get("default", ())


@dataclass(frozen=True)
class UnlessGiven:
    """A step line reworded when the trainee already gave what it asks for."""
    say: tuple
    move: Optional[str] = None   # a move made in any reply so far ("a|b" = either)
    said: Optional[object] = None  # a compiled regex matched by any reply so far
    asked: Optional[str] = None  # a hidden fact uncovered by now


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
    unless_given: tuple = ()     # UnlessGiven, tried in order
    pushback: tuple = ()         # the second push after one refusal: bargaining or another reason


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
    reactions: tuple = ()    # Reaction: the scenario's own first, then the library's defaults
    partings: dict = None    # outcome -> default parting words, for endings without their own

    @property
    def first_step(self) -> str:
        """Id of the step every attempt starts on."""
        return next(iter(self.steps))


def build(data: dict, path: str = "", defaults: dict | None = None) -> Scenario:
    """Turn validated scenario data into a Scenario (call only after validation passed);
    `defaults` is the checked reactions.yml, merged under the scenario's own reactions."""
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
        facts=facts, path=path,
        reactions=merge_reactions(data.get("reactions") or (), (defaults or {}).get("reactions") or ()),
        partings={k: tuple(v) for k, v in ((defaults or {}).get("partings") or {}).items()})


def merge_reactions(own, library) -> tuple:
    """The scenario's reactions first (an id shared with the library replaces it, `disable: true`
    switches it off), then the library's remaining defaults in their order."""
    mine = {r["id"]: r for r in own}
    merged = [r for r in own if not r.get("disable")]
    merged += [r for r in library if r["id"] not in mine]
    return tuple(reaction(r) for r in merged)


def reaction(r: dict) -> Reaction:
    """A checked reaction mapping as a Reaction (line texts normalised to {"zh", "en"})."""
    lines = {key: tuple(v if isinstance(v, dict) else {"zh": v} for v in values)
             for key, values in (r.get("lines") or {}).items()}
    return Reaction(id=r["id"], when=r.get("when") or {}, lines=lines, group=r.get("group") or r["id"],
                    mood=r.get("mood", 0), trust=r.get("trust", 0), hold=bool(r.get("hold")),
                    once=bool(r.get("once")))


def _step(s: dict) -> Step:
    expects = s["expects"]
    forbidden = tuple(ForbiddenItem(**f) for f in expects.get("forbidden") or ())
    transitions = tuple(_transition(t) for t in s["transitions"])
    return Step(id=s["id"], customer=tuple(s["customer"]), transitions=transitions,
                model_answer=expects["model_answer"], why=expects["why"],
                moves=tuple(expects.get("moves") or ()), forbidden=forbidden,
                kind=s.get("kind"), hint=s.get("hint"), pushback=tuple(s.get("pushback") or ()),
                unless_given=tuple(UnlessGiven(say=tuple(u["say"]), move=u.get("move"),
                                               said=compile_safe(u["said"]) if u.get("said") else None,
                                               asked=u.get("asked"))
                                   for u in s.get("unless_given") or ()))


def _transition(t: dict) -> Transition:
    say = t.get("say") or ()
    return Transition(when=t["when"], mood=t.get("mood", 0), trust=t.get("trust", 0),
                      say=(say,) if isinstance(say, str) else tuple(say),
                      next=t.get("next"), end=t.get("end"))
