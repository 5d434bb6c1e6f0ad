"""Build step for the wheel: ship the top-level `templates/` inside the `trainer` package.

The templates stay at the repository's top level (one folder per blueprint, next to the rooms
they serve); a built package has no top level, so the build copies them to `trainer/templates`,
where the installed app looks first (`trainer.TEMPLATES`). Everything else is declared in
setup.cfg. An editable install (`pip install -e .`) reads `templates/` from the checkout.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BuildPyWithTemplates(build_py):
    """build_py, plus templates/** copied to trainer/templates/** in the build."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        files = sorted(p for p in TEMPLATES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        if not files:   # an sdist without templates/ would build a wheel whose every page is a 500
            raise SystemExit(f"no templates in {TEMPLATES}: the wheel would serve no page")
        for path in files:
            target = Path(self.build_lib, "trainer", "templates", path.relative_to(TEMPLATES))
            self.mkpath(str(target.parent))
            self.copy_file(str(path), str(target))


setup(cmdclass={"build_py": BuildPyWithTemplates})
