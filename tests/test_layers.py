"""The apps depend on each other one way, ground first (DESIGN.md §2):
impact < caseloads < actionplans < supervision < fidelity < reports < demo.

import-linter checks the imports (`make lint`, and here, so `make test` catches it too);
the scan below catches the ways around an import that import-linter cannot see: naming a
later app in `apps.get_model`, `import_module` or `import_string`. Migrations (their
models are historical) and the settings (the wiring that must know every app) may.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["impact", "caseloads", "actionplans", "supervision", "fidelity", "reports", "demo"]
DYNAMIC = {"get_model", "import_module", "import_string"}
EXEMPT = {ROOT / "impact" / "settings.py", ROOT / "impact" / "settings_test.py"}


def named_apps(source: str) -> list[tuple[int, str, str]]:
    """(line, function, app) of each dynamic lookup in `source` that names an app by a
    string: `apps.get_model("app", "Model")` or `("app.Model")`, `import_module("app.x")`,
    `import_string("app.x.y")`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        first = node.args[0]
        if name in DYNAMIC and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, name, first.value.split(".")[0]))
    return found


def sources() -> list[tuple[str, Path]]:
    """Every module of every app but its migrations and the settings, with its app."""
    return [
        (app, path)
        for app in ORDER
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts and path not in EXEMPT
    ]


def test_no_module_looks_up_a_later_app_by_name():
    later_names = []
    for app, path in sources():
        for line, function, named in named_apps(path.read_text()):
            if named in ORDER and ORDER.index(named) > ORDER.index(app):
                later_names.append(f"{path.relative_to(ROOT)}:{line} {function}({named!r}…)")
    assert not later_names, "a later app named past the layers (DESIGN.md §2):\n" + "\n".join(
        later_names
    )


def test_the_scan_reads_every_app():
    apps = {app for app, _path in sources()}
    assert apps == set(ORDER)
    assert not any("migrations" in path.parts for _app, path in sources())


def test_the_scan_finds_each_way_of_naming_an_app():
    source = """
from django.apps import apps
from importlib import import_module
from django.utils.module_loading import import_string
apps.get_model("reports", "CostLine")
apps.get_model("reports.CostLine")
import_module("supervision.selectors")
import_string("fidelity.selectors.trend")
importlib.import_module("demo.large")
apps.get_model(label)  # not a string: nothing to check
"""
    assert [(name, app) for _line, name, app in named_apps(source)] == [
        ("get_model", "reports"),
        ("get_model", "reports"),
        ("import_module", "supervision"),
        ("import_string", "fidelity"),
        ("import_module", "demo"),
    ]


def test_the_import_contract_follows_the_order():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert config["root_packages"] == ORDER
    [contract] = config["contracts"]
    assert contract["type"] == "layers"
    assert contract["layers"] == list(reversed(ORDER))
    # Only the wiring may name every app; tests are outside the root packages.
    assert contract.get("ignore_imports", []) == [
        "impact.settings -> **",
        "impact.settings_test -> **",
        "impact.urls -> **",
    ]


def test_no_import_runs_up_the_layers():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
