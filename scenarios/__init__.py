"""RM Trainer's scenarios: the scenario file format, its validator, personas and the engine.

Public API (see scenarios/README.md for the file format):
`load_scenario`, `load_library`, `load_tracks`, `check`, `Problem`, `ScenarioError`,
`start`, `advance`, `step_context`, `hint`, `new_seed`, `State`, `Advance`, `Scenario`.
May import grading's public types; never imports trainer.
"""
from scenarios.engine import (  # noqa: F401  (re-exported public API)
    MOOD_BANDS, TRUST_BANDS, Advance, EngineError, State, advance, band, hint, new_seed, start,
    step_context,
)
from scenarios.loader import (  # noqa: F401
    LIBRARY_DIR, TRACKS_FILE, ScenarioError, check, load_library, load_scenario, load_tracks,
    scenario_files,
)
from scenarios.model import Ending, Scenario, Step, Transition  # noqa: F401
from scenarios.persona import make_persona  # noqa: F401
from scenarios.schema import MOVES, OUTCOMES  # noqa: F401
from scenarios.tracks import Track  # noqa: F401
from scenarios.yamlmap import Problem  # noqa: F401
