"""Times as the people at the bank read them: stored in UTC, shown in the configured time zone."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def zone() -> ZoneInfo:
    """The configured time zone (TIME_ZONE, default Asia/Shanghai); an unknown name falls back to it."""
    name = (current_app.config.get("TIME_ZONE") if has_app_context() else None) or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def local(moment: Optional[datetime]) -> Optional[datetime]:
    """A stored (naive UTC) time in the configured zone; None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone())


def stamp(moment: Optional[datetime]) -> str:
    """A stored time as local 'YYYY-MM-DD HH:MM' (empty for None)."""
    shown = local(moment)
    return shown.strftime("%Y-%m-%d %H:%M") if shown else ""


def today() -> date:
    """Today's date where the bank is."""
    return datetime.now(zone()).date()


def utc_bounds(first: Optional[date], last: Optional[date]) -> tuple:
    """The naive UTC instants bounding local days first..last (inclusive); None leaves a side open."""
    def at(day: date) -> datetime:
        return datetime.combine(day, time.min, zone()).astimezone(timezone.utc).replace(tzinfo=None)
    start = at(first) if first else None
    end = at(date.fromordinal(last.toordinal() + 1)) if last else None
    return start, end
