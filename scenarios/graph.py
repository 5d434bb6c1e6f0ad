"""The step graph of a scenario: steps nobody reaches, steps that can never end, unused endings."""
from __future__ import annotations

from scenarios.fields import as_list


def edges(steps: list) -> dict:
    """step id -> set of ("step"|"end", id) targets, from well-formed transitions only."""
    out = {}
    for step in steps:
        if not isinstance(step, dict) or not isinstance(step.get("id"), str):
            continue
        targets = out.setdefault(step["id"], set())
        for t in as_list(step.get("transitions")):
            if isinstance(t, dict) and isinstance(t.get("next"), str):
                targets.add(("step", t["next"]))
            elif isinstance(t, dict) and isinstance(t.get("end"), str):
                targets.add(("end", t["end"]))
    return out


def check_graph(c) -> None:
    """Report problems of the step graph; the first step in the file is where attempts start."""
    steps = as_list(c.get(("steps",)))
    if not steps or not isinstance(steps[0], dict) or not isinstance(steps[0].get("id"), str):
        return
    graph = edges(steps)
    known = set(graph) | {e.get("id") for e in as_list(c.get(("endings",)))
                          if isinstance(e, dict) and isinstance(e.get("id"), str)}
    if any(target not in known for targets in graph.values() for _, target in targets):
        return  # a transition to a missing target is reported already; reachability would echo it
    index = {s["id"]: i for i, s in enumerate(steps)
             if isinstance(s, dict) and isinstance(s.get("id"), str)}
    reached = _reachable(graph, steps[0].get("id"))
    for sid, i in index.items():
        if sid not in reached:
            c.add(("steps", i, "id"), "unreachable step: no transition leads here "
                                      "(the first step is where an attempt starts)")
    ending_steps = {sid for sid, targets in graph.items() if any(k == "end" for k, _ in targets)}
    # Max turns also ends an attempt, but a step that only loops would always hit that limit.
    can_end = _reaches(graph, ending_steps)
    for sid, i in index.items():
        if sid in reached and sid not in can_end:
            c.add(("steps", i, "id"), "no path from this step to any ending")
    used = {target for targets in graph.values() for kind, target in targets if kind == "end"}
    if isinstance(c.get(("on_max_turns",)), str):
        used.add(c.get(("on_max_turns",)))
    for i, ending in enumerate(as_list(c.get(("endings",)))):
        if isinstance(ending, dict) and isinstance(ending.get("id"), str) and ending["id"] not in used:
            c.add(("endings", i, "id"), "no transition ends here")


def _reachable(graph: dict, start) -> set:
    seen, todo = set(), [start]
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in graph:
            continue
        seen.add(sid)
        todo.extend(t for kind, t in graph[sid] if kind == "step")
    return seen


def _reaches(graph: dict, goals: set) -> set:
    """Steps from which some step in `goals` can be reached (goals included)."""
    result = set(goals)
    changed = True
    while changed:
        changed = False
        for sid, targets in graph.items():
            if sid not in result and any(k == "step" and t in result for k, t in targets):
                result.add(sid)
                changed = True
    return result
