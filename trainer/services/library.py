"""The scenario library and tracks, loaded once per process (the files do not change at run time)."""
from __future__ import annotations

from functools import lru_cache

from scenarios import load_library, load_tracks


@lru_cache(maxsize=1)
def scenarios() -> dict:
    """All scenarios by id, in file order."""
    return load_library()


@lru_cache(maxsize=1)
def tracks() -> dict:
    """All tracks by id, in file order."""
    return load_tracks()


def scenario(scenario_id: str):
    """One scenario, or None when the id is unknown."""
    return scenarios().get(scenario_id)


def title(obj, locale: str) -> str:
    """A scenario's or track's title in the UI language (Chinese when missing)."""
    return obj.title.get(locale) or obj.title.get("zh") or obj.id


def by_track() -> dict:
    """Track id -> its scenarios, sorted by difficulty then title."""
    out = {t: [] for t in tracks()}
    for s in scenarios().values():
        for t in s.tracks:
            out.setdefault(t, []).append(s)
    for items in out.values():
        items.sort(key=lambda s: (s.difficulty, s.id))
    return out
