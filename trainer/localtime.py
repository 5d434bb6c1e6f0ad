"""Times as people read them: stored as naive UTC, shown in the configured zone (TIME_ZONE,
default Asia/Shanghai), whatever the server's own clock zone is. Pages use it through the
`local_time` filter (stamp); exports and date filters through today() and utc_bounds()."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def zone() -> ZoneInfo:
    """The configured time zone (an unknown name falls back to Asia/Shanghai)."""
    name = current_app.config.get("TIME_ZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def to_local(moment: datetime | None) -> datetime | None:
    """A stored UTC time in the configured zone (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone())


def local_text(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A stored UTC time written in the configured zone ("" for None)."""
    local = to_local(moment)
    return local.strftime(fmt) if local else ""


def zone_name() -> str:
    """The configured zone's name, for page footnotes (e.g. Asia/Shanghai)."""
    return str(zone().key)


def stamp(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time as local 'YYYY-MM-DD HH:MM' ("" for None); the `local_time` filter."""
    return local_text(moment, fmt)


def today() -> date:
    """Today's date where the bank is."""
    return datetime.now(zone()).date()


def utc_bounds(first: date | None, last: date | None) -> tuple:
    """The naive UTC instants bounding local days first..last (inclusive); None leaves a side open."""
    def at(day: date) -> datetime:
        return datetime.combine(day, time.min, zone()).astimezone(timezone.utc).replace(tzinfo=None)
    start = at(first) if first else None
    end = at(date.fromordinal(last.toordinal() + 1)) if last else None
    return start, end
