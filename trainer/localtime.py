"""Times as people read them: stored as naive UTC, shown in the configured zone (TIME_ZONE,
default Asia/Shanghai), whatever the server's own clock zone is."""
from __future__ import annotations

from datetime import datetime, timezone
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
