"""Reading the conversation: what the customer asks for or offers, and how the reply stands to it.

Request types and stances are data (grading/conversation.yml), each with cues and examples. Cues
are precise where they fire; the trained models (request.json, stance.json) read the wordings no
cue has. Complying with an improper request, or deferring it, is a red line in its category.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from grading.anchors import hint
from grading.features import text_features
from grading.learned import model
from grading.loader import SAFE_LOADER

FILE = Path(__file__).parent / "conversation.yml"
LEGITIMATE = "legitimate"


@dataclass(frozen=True)
class RequestType:
    """One kind of request a customer can make, with the red-line category it leads to."""
    id: str
    title: str
    category: str | None = None
    message: str = ""
    source: str = ""
    cues: tuple = ()
    examples: tuple = ()
    title_en: str = ""       # the title in English, for an English UI
    message_en: str = ""     # the message in English


@dataclass(frozen=True)
class Stance:
    """One way a reply can stand to a request."""
    id: str
    title: str
    complies_with_request: bool
    cues: tuple = ()
    examples: tuple = ()
    title_en: str = ""       # the title in English, for an English UI
    settled_by: tuple = ()   # wordings that settle the stance whatever the model reads


@dataclass(frozen=True)
class RequestReading:
    """What the customer's line was read as: a request type, how sure, and the words that show it."""
    type: RequestType
    confidence: float
    cue: str = ""                      # the customer's words a cue matched ("" when only the model)
    model_cues: tuple = ()             # the model's strongest features
    carried: bool = False              # read from an earlier customer line of the conversation

    @property
    def improper(self) -> bool:
        """Does going along with this request cross a red line?"""
        return self.type.category is not None


@dataclass(frozen=True)
class StanceReading:
    """How the reply stands to the request, how sure, and the evidence."""
    stance: Stance
    confidence: float
    span: tuple = (-1, -1)             # normalized span of the words that show it
    cues: tuple = field(default_factory=tuple)
    probs: dict = field(default_factory=dict)   # the stance model's probability of every stance
    settled: bool = False              # read from a wording that settles it (Stance.settled_by)


@lru_cache(maxsize=1)
def catalogue() -> tuple:
    """(request types by id, stances by id) from conversation.yml."""
    data = yaml.load(FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    requests = {k: RequestType(id=k, title=v["title"], category=v.get("category"),
                               message=v.get("message", ""), source=v.get("source", ""),
                               cues=tuple(re.compile(c) for c in v.get("cues") or ()),
                               examples=tuple(v.get("examples") or ()),
                               title_en=v.get("title_en", ""), message_en=v.get("message_en", ""))
                for k, v in data["requests"].items()}
    stances = {k: Stance(id=k, title=v["title"], complies_with_request=bool(v["complies_with_request"]),
                         cues=tuple(re.compile(c) for c in v.get("cues") or ()),
                         examples=tuple(v.get("examples") or ()), title_en=v.get("title_en", ""),
                         settled_by=tuple(re.compile(c) for c in v.get("settled_by") or ()))
               for k, v in data["stances"].items()}
    return requests, stances


def cue_hits(line: str) -> dict:
    """Request id -> the customer's words its cues matched, for every request type that matched."""
    requests, _ = catalogue()
    hits = {}
    for rt in requests.values():
        for rx in rt.cues:
            m = rx.search(line)
            if m and m.end() > m.start():
                hits[rt.id] = m.group(0)
                break
    return hits


def read_request(line: str, kind: str = "general", earlier: tuple = ()) -> RequestReading:
    """Read a (normalized) customer line into a request type; fall back on the earlier customer
    lines when this one is short, asks back and asks nothing new ("那就这么说定了？")."""
    reading = _read_one(line, kind)
    if reading.improper or len(line) > 25 or not _ASKS.search(line):
        return reading
    for prev in reversed(earlier[-2:]):
        before = _read_one(prev, kind)
        if before.improper and before.confidence >= 0.7:
            return RequestReading(before.type, before.confidence, before.cue, before.model_cues, carried=True)
    return reading


# A short line that asks back ("那就这么说定了？", "行吧？") carries the earlier request; one that
# closes the talk ("那就这样吧，以后别再让我接到这种电话。") asks nothing to go along with.
_ASKS = re.compile(r"[？?]|(吗|么|吧|呗|没|不)[。！!～~\s]*$")


@lru_cache(maxsize=2048)
def _read_one(line: str, kind: str) -> RequestReading:
    requests, _ = catalogue()
    hits = cue_hits(line)
    m = model("request")
    scores = {k: 0.0 for k in requests}
    feats = list(text_features(line)) + ["k:" + kind]
    if m is not None and line:
        scores.update(m.predict(feats))
    if not line:
        return RequestReading(requests[LEGITIMATE], 1.0)
    best, confidence = decide_request(scores, hits)
    if best == LEGITIMATE:
        return RequestReading(requests[LEGITIMATE], confidence)
    cues = tuple(f for f, _ in m.cues(feats, best, 4)) if m is not None and best in m.classes else ()
    return RequestReading(requests[best], confidence, hits.get(best, ""), cues)


def decide_request(probs: dict, hits: dict) -> tuple:
    """(request id, confidence) from the model's probabilities and the cues that matched: a cue
    outweighs a "legitimate" reading, the model weighs the rest (training reads its data the same way)."""
    scores = dict(probs)
    for rid in hits:   # where several cues match, the model's reading breaks the tie
        scores[rid] = scores.get(rid, 0.0) + 1.0
    improper = [k for k in scores if k != LEGITIMATE]
    best = max(improper, key=lambda k: scores[k]) if improper else LEGITIMATE
    if best != LEGITIMATE and scores[best] >= 0.5 and scores[best] >= scores.get(LEGITIMATE, 0.0):
        return best, min(1.0, scores[best])
    return LEGITIMATE, max(0.5, scores.get(LEGITIMATE, 0.5))


def read_stance(text: str, request: RequestReading, pair_feats: list, cues: bool = True) -> StanceReading:
    """How the reply (normalized) stands to the request: the stance model, then the cues' evidence.
    `cues=False` leaves out the model's strongest features (shown only by --explain)."""
    requests, stances = catalogue()
    m = model("stance")
    probs = {}
    if m is not None:
        probs = m.predict(pair_feats)
        best = max(probs, key=probs.get)
        conf = probs[best]
        cues = tuple(f for f, _ in m.cues(pair_feats, best, 4)) if cues else ()
    else:
        best, conf, cues = _stance_by_cues(text, request), 0.6, ()
    # Giving way lets the customer do a thing; to "保不保本？" it promises nothing ("您要是自己想投
    # 我也拦不住" is no guarantee), so a guarantee asked for is settled only by what is said of it.
    if request.improper and request.type.category != "guarantee":
        for stance, wordings in _settling():
            for rx, needed in wordings:
                m = rx.search(text) if needed.search(text) else None
                if m:   # "您要是坚持，也不是不行": a hedged yes is a yes, whatever the model reads
                    if not stance.complies_with_request:   # a curt "拿走拿走" refuses, whatever it reads
                        probs = {sid: float(sid == stance.id) for sid in probs}
                    return StanceReading(stance, 1.0, (m.start(), m.end()), (m.group(),), probs, settled=True)
    span = _evidence(text, stances[best])
    return StanceReading(stances[best], conf, span, cues, probs)


@lru_cache(maxsize=1)
def _settling() -> tuple:
    """Each stance with its settling wordings, each beside a search for the strings one of which
    its every match holds (grading.anchors.hint): most replies hold none,
    and a search for plain strings says so several times faster than the wording's own (an
    alternation of all the wordings searches slower than the nine apart)."""
    return tuple((stance, tuple((rx, hint(rx.pattern)) for rx in stance.settled_by))
                 for stance in catalogue()[1].values())


def _stance_by_cues(text: str, request: RequestReading) -> str:
    _, stances = catalogue()
    if not request.improper:
        return "answers"
    for sid in ("counters", "refuses", "defers", "complies"):
        if any(rx.search(text) for rx in stances[sid].cues):
            return sid
    return "ignores"


def _evidence(text: str, stance: Stance) -> tuple:
    for rx in stance.cues:
        m = rx.search(text)
        if m and m.end() > m.start():
            return (m.start(), m.end())
    return (-1, -1)
