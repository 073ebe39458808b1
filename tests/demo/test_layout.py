"""The demo app's place in the layers (DESIGN.md §2, issue 18 item 3): demo/ builds its
data through every app and sits last, so no app imports it; its modules stay under 800
lines, split by app."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APPS = ["impact", "caseloads", "actionplans", "supervision", "fidelity", "reports"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_demo_module_is_over_800_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "demo").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert not long


def test_no_app_imports_the_demo_or_keeps_demo_code():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.stem.startswith("demo") or path.name == "seed_demo.py":
                found.append(str(path.relative_to(ROOT)))
            if any(name == "demo" or name.startswith("demo.") for name in _imports(path)):
                found.append(str(path.relative_to(ROOT)))
    assert not found


def test_the_demo_app_is_installed_last_of_the_projects_apps():
    ours = [name for name in settings.INSTALLED_APPS if name.split(".")[0] in [*APPS, "demo"]]
    assert ours[-1] == "demo.apps.DemoConfig"
