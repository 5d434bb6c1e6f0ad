"""Find, check and load scenario files and the tracks file."""
from __future__ import annotations

from pathlib import Path

from scenarios import reactions
from scenarios.fields import Checker
from scenarios.model import Scenario, build
from scenarios.tracks import build_tracks, check_tracks, membership_problems
from scenarios.validate import validate
from scenarios.yamlmap import Document, Problem, load_document

PACKAGE_DIR = Path(__file__).parent
LIBRARY_DIR = PACKAGE_DIR / "library"
TRACKS_FILE = PACKAGE_DIR / "tracks.yml"


class ScenarioError(ValueError):
    """Raised when loading files that have problems; carries every Problem found."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def read(path) -> tuple[Document | None, list]:
    """Read and parse one YAML file (any problem located by file and line)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(name, 1, "(file)", "no such file")]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, "(file)", f"not UTF-8 text ({exc.reason})")]
    return load_document(name, text)


def scenario_files(paths=None) -> list[Path]:
    """The .yml files named, or found (sorted) in the directories named; default the library."""
    files = []
    for path in map(Path, [LIBRARY_DIR] if paths is None else paths):
        files.extend(sorted(path.glob("*.yml")) if path.is_dir() else [path])
    return files


def check(paths=None, tracks_path=None) -> list[Problem]:
    """Every problem in the given scenario files/directories and the tracks file, in one list."""
    return _check(scenario_files(paths), tracks_path)[0]


def _check(files: list, tracks_path=None) -> tuple[list, list]:
    """Problems of `files` and the tracks file, and the parsed scenario documents."""
    tracks_doc, problems = read(tracks_path or TRACKS_FILE)
    tracks = {}
    if tracks_doc is not None:
        track_problems = check_tracks(tracks_doc)
        problems += track_problems
        if not track_problems:
            tracks = build_tracks(tracks_doc.data)
    reactions_doc, found = read(reactions.REACTIONS_FILE)
    problems += found + (reactions.check_file(reactions_doc) if reactions_doc is not None else [])
    seen: dict = {}
    docs = []
    for path in files:
        doc, found = read(path)
        problems += found
        if doc is None:
            continue
        docs.append(doc)
        problems += validate(doc, set(tracks) if tracks else None)
        problems += _cross_file(doc, tracks, seen)
    return problems, docs


def _cross_file(doc: Document, tracks: dict, seen: dict) -> list[Problem]:
    """Checks that need more than one file: duplicate ids, and what each track accepts."""
    c = Checker(doc)
    if not isinstance(doc.data, dict):
        return []
    sid = doc.data.get("id")
    if isinstance(sid, str):
        if sid in seen:
            c.add(("id",), f"duplicate id '{sid}': also used by {seen[sid]}")
        else:
            seen[sid] = doc.file
    membership_problems(c, doc.data, tracks)
    return c.problems


def load_scenario(path) -> Scenario:
    """Load one scenario file; raises ScenarioError listing every problem if it is invalid."""
    problems, docs = _check([Path(path)])
    if problems:
        raise ScenarioError(problems)
    return build(docs[0].data, str(path), reactions.defaults())


def load_library(directory=None) -> dict:
    """All scenarios of a directory (default: the packaged library), by id, sorted by id."""
    problems, docs = _check(scenario_files([directory] if directory else None))
    if problems:
        raise ScenarioError(problems)
    scenarios = sorted((build(d.data, d.file, reactions.defaults()) for d in docs), key=lambda s: s.id)
    return {s.id: s for s in scenarios}


def load_tracks(path=None) -> dict:
    """The tracks of tracks.yml (default: the packaged file), by id, in file order."""
    doc, problems = read(path or TRACKS_FILE)
    problems = problems or check_tracks(doc)
    if problems:
        raise ScenarioError(problems)
    return build_tracks(doc.data)
