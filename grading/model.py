"""The grader's public types: what goes in (Context) and what comes out (Report, Finding)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

KINDS = ("complaint", "loan_rejection", "product_sale", "aml", "gift", "confidentiality", "general")
DIMENSIONS = ("etiquette", "structure", "empathy", "compliance")
LEVELS = ("red_line", "warning", "suggestion", "good")
RED_LINE_CATEGORIES = (
    "guarantee", "suitability", "disclosure", "falsify", "guarantee_approval", "favoritism",
    "gift", "leak", "aml_structuring", "aml_tipoff", "tying", "private_dealing",
)
CUSTOMER_RISKS = ("C1", "C2", "C3", "C4", "C5")
PRODUCT_RISKS = ("R1", "R2", "R3", "R4", "R5")


class ContextError(ValueError):
    """A grading context that cannot be graded (unknown kind, bad risk level...)."""


@dataclass(frozen=True)
class ForbiddenItem:
    """An extra forbidden phrase a scenario step adds (a regex), with what it costs."""
    pattern: str
    message: str
    category: Optional[str] = None  # a red-line category makes it a red line; None is a warning
    dimension: str = "compliance"
    message_en: str = ""    # the message in English; without it an English UI names the category


@dataclass(frozen=True)
class Context:
    """What the grader needs to know about the situation a reply answers."""
    kind: str = "general"
    customer_risk: Optional[str] = None
    product_risk: Optional[str] = None
    customer_line: str = ""
    expected_moves: tuple = ()          # move ids this step needs; () means the kind's defaults
    forbidden: tuple = ()               # ForbiddenItem, added by a scenario step
    model_answer: Optional[str] = None
    customer_age: Optional[int] = None  # 65+ asks for extra care in a sale
    history: tuple = ()                 # the customer's earlier lines in this conversation, oldest first
    customer_surname: Optional[str] = None  # the customer's surname, when the scenario knows it

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ContextError(f"unknown kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if self.customer_risk is not None and self.customer_risk not in CUSTOMER_RISKS:
            raise ContextError(f"customer_risk must be C1–C5, got {self.customer_risk!r}")
        if self.product_risk is not None and self.product_risk not in PRODUCT_RISKS:
            raise ContextError(f"product_risk must be R1–R5, got {self.product_risk!r}")

    @property
    def risk_mismatch(self) -> bool:
        """True when the product is riskier than the customer may buy (R-level > C-level)."""
        if not (self.customer_risk and self.product_risk):
            return False
        return int(self.product_risk[1]) > int(self.customer_risk[1])

    @classmethod
    def from_dict(cls, data: dict) -> "Context":
        """Build a context from the batch format's `context` object (unknown keys are errors)."""
        data = dict(data or {})
        allowed = {"kind", "customer_risk", "product_risk", "customer_line", "expected_moves",
                   "forbidden", "model_answer", "customer_age", "history",
                   "customer_surname"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ContextError(f"unknown context key(s): {', '.join(unknown)}")
        forbidden = tuple(
            f if isinstance(f, ForbiddenItem) else ForbiddenItem(**f) for f in data.pop("forbidden", ()) or ()
        )
        moves = tuple(data.pop("expected_moves", ()) or ())
        history = data.pop("history", ()) or ()
        if not isinstance(history, (list, tuple)) or not all(isinstance(h, str) for h in history):
            raise ContextError("history must be a list of the customer's earlier lines (strings)")
        return cls(forbidden=forbidden, expected_moves=moves, history=tuple(history), **data)


@dataclass(frozen=True)
class Finding:
    """One piece of evidence: a rule that fired on a span of the reply (or a missing move)."""
    rule: str
    dimension: str
    level: str
    message: str
    start: int = -1          # span in the ORIGINAL reply; -1 for a missing move
    end: int = -1
    text: str = ""           # reply[start:end], verbatim
    suggestion: str = ""
    category: Optional[str] = None   # red-line category
    source: str = ""                 # regulation or standard a compliance rule cites
    move: Optional[str] = None       # the move id a `good` finding proves
    request: Optional[str] = None    # the customer's request a conversation finding answers
    cues: tuple = ()                 # the learned model's strongest features behind a decision
    confidence: Optional[float] = None  # the model's probability, when a model decided
    message_en: str = ""             # the message in English, for an English UI
    suggestion_en: str = ""          # the suggestion in English

    def message_for(self, lang: str) -> str:
        """The message in the UI language: English when asked for and written, else Chinese."""
        return self.message_en if lang == "en" and self.message_en else self.message

    def suggestion_for(self, lang: str) -> str:
        """The suggestion in the UI language: English when asked for and written, else Chinese."""
        return self.suggestion_en if lang == "en" and self.suggestion_en else self.suggestion

    def to_dict(self) -> dict:
        """JSON-ready form used by the batch output and the API."""
        d = {"rule": self.rule, "dimension": self.dimension, "level": self.level,
             "message": self.message, "start": self.start, "end": self.end, "text": self.text,
             "suggestion": self.suggestion}
        if self.category:
            d["category"] = self.category
        if self.source:
            d["source"] = self.source
        if self.move:
            d["move"] = self.move
        if self.request:
            d["request"] = self.request
        if self.cues:
            d["cues"] = list(self.cues)
        if self.confidence is not None:
            d["confidence"] = round(self.confidence, 3)
        if self.message_en:
            d["message_en"] = self.message_en
        if self.suggestion_en:
            d["suggestion_en"] = self.suggestion_en
        return d


@dataclass
class Report:
    """The grade of one reply: four scores, a total, the evidence and the feedback."""
    reply: str
    scores: dict
    total: int
    findings: list = field(default_factory=list)
    missing_moves: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    flags: list = field(default_factory=list)   # e.g. "empty", "gibberish", "echo", "off_topic"
    reading: dict = field(default_factory=dict)  # the request, the stance and the model's view (--explain)
    feedback_en: list = field(default_factory=list)  # the same points in English, for an English UI

    @property
    def red_lines(self) -> list:
        """The red-line findings, in reply order."""
        return [f for f in self.findings if f.level == "red_line"]

    @property
    def moves(self) -> set:
        """Move ids the reply made."""
        return {f.move for f in self.findings if f.level == "good" and f.move}

    def violations(self) -> list:
        """Red lines and warnings in the batch contract's `violations` shape."""
        out = []
        for f in self.findings:
            if f.level in ("red_line", "warning"):
                out.append({"rule": f.rule, "category": f.category or f.dimension,
                            "severity": f.level, "evidence": f.text, "start": f.start,
                            "end": f.end, "message": f.message})
        return out

    def to_dict(self) -> dict:
        """JSON-ready form (the batch contract's output record, without id)."""
        return {"scores": dict(self.scores), "total": self.total,
                "violations": self.violations(),
                "findings": [f.to_dict() for f in self.findings],
                "missing_moves": list(self.missing_moves),
                "feedback": list(self.feedback), "feedback_en": list(self.feedback_en),
                "flags": list(self.flags),
                "reading": {k: v for k, v in self.reading.items() if k in ("request", "stance")}}
