"""Where the machine's CPU went during a benchmark stage (Linux /proc): the app server, the load
generator, PostgreSQL, and everything else. A figure measured while something else kept the cores
busy is not comparable with one measured on a quiet machine; this says which it was."""
from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _machine_busy() -> int:
    """Busy CPU ticks of the whole machine since boot (all cores, idle and iowait excluded)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def _processes() -> dict:
    """pid -> (process group, command name, CPU ticks used so far)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2:].split()
        out[int(entry.name)] = (int(rest[2]), name, int(rest[11]) + int(rest[12]))
    return out


class CpuMeter:
    """Cores used on average between start() and stop(), split into app (the server's process
    group), load (the load generator's), db (postgres processes) and other (the rest)."""

    def __init__(self, app_group: int, load_group: int):
        self.groups = {app_group: "app", load_group: "load"}

    def start(self) -> None:
        """Remember the counters now."""
        self._before, self._busy = _processes(), _machine_busy()

    def stop(self, seconds: float) -> dict:
        """Average cores per part since start(); processes that ended meanwhile count as other."""
        parts = {"app": 0, "load": 0, "db": 0}
        for pid, (group, name, ticks) in _processes().items():
            part = self.groups.get(group) or ("db" if name.startswith("postgres") else None)
            if part:
                parts[part] += ticks - self._before.get(pid, (0, "", 0))[2]
        parts["other"] = max(0, _machine_busy() - self._busy - sum(parts.values()))
        return {k: round(v / TICK / seconds, 2) for k, v in parts.items()}
