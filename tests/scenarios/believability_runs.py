"""Play three runs per scenario through the engine and the real grader (the golden good run, the
golden bad run, and a run of blind drill replies) and print every customer turn, for a blind
reader to rate (issue 10's believability check; docs/believability-*.md).

    python tests/scenarios/believability_runs.py > runs.md     # from the repository root
    python tests/scenarios/believability_runs.py gift_festival aml_split_withdrawal   # only these
"""
import sys
from pathlib import Path

# This checkout's packages, not an installed copy's: the script's own folder is first on the path.
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from grading import grade
from scenarios import advance, load_library, start, step_context
from scenarios.persona import render

lib = load_library()
T = ROOT / "tests/scenarios/transcripts"; D = ROOT / "tests/scenarios/drills"

def play(sc, seed, replies_for):
    """The customer's and the trainee's lines of one run, replies chosen by replies_for(state, turn)."""
    state, line = start(sc, seed)
    out = [("customer", line)]
    for turn in range(sc.max_turns if hasattr(sc, "max_turns") else 10):
        reply = replies_for(state, turn)
        if reply is None: break
        reply = render(reply, state.persona)
        rep = grade(reply, step_context(sc, state))
        adv = advance(sc, state, rep)
        out.append(("trainee", reply))
        state = adv.state
        line = getattr(adv, "customer_line", None) or getattr(state, "customer_line", "")
        out.append(("customer", line))
        if getattr(adv, "ending", None) or getattr(state, "ended", False) or getattr(state, "ending", None):
            break
    return out

ONLY = set(sys.argv[1:])
for sid, sc in sorted(lib.items()):
    if ONLY and sid not in ONLY:
        continue
    runs = []
    tr = yaml.safe_load((T / f"{sid}.yml").read_text(encoding="utf-8")) if (T / f"{sid}.yml").exists() else {}
    for r in (tr.get("runs") or [])[:2]:
        rs = list(r["replies"])
        runs.append((r["name"], play(sc, r["seed"], lambda st, i, rs=rs: rs[i] if i < len(rs) else None)))
    if (D / f"{sid}.yaml").exists():
        dr = yaml.safe_load((D / f"{sid}.yaml").read_text(encoding="utf-8"))["steps"]
        runs.append(("drill run", play(sc, 11, lambda st, i: (dr.get(st.step) or [None])[i % 3] if st.step in dr else None)))
    print(f"# {sid} — {sc.title.get('zh')}\n")
    for name, turns in runs:
        print(f"## run: {name}\n")
        n = 0
        for who, text in turns:
            if who == "customer":
                n += 1
                print(f"C{n}: {text}")
            else:
                print(f"   (trainee) {text}")
        print()
