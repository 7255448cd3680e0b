"""The package learners import loads none of the instructor or maintainer tooling."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import labsupport

TOOLING = ("labassets", "labinstructor")
RUNTIME_DIR = Path(labsupport.__file__).parent


def imported_modules(file: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_runtime_source_never_imports_the_tooling():
    offenders = {
        str(file.relative_to(RUNTIME_DIR.parent)): sorted(
            name for name in imported_modules(file) if name.split(".")[0] in TOOLING)
        for file in RUNTIME_DIR.rglob("*.py")
    }
    assert {file: names for file, names in offenders.items() if names} == {}


def test_importing_every_runtime_module_loads_no_tooling():
    modules = sorted(
        ".".join(file.relative_to(RUNTIME_DIR.parent).with_suffix("").parts)
        for file in RUNTIME_DIR.rglob("*.py") if file.name != "__main__.py"
    )
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {TOOLING!r}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=True).stdout.strip()
    assert loaded == "[]"


def test_plain_import_stays_light():
    code = ("import sys, labsupport\n"
            "print(sorted(m for m in ('torch', 'transformers', 'datasets') if m in sys.modules))")
    heavy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=120, check=True).stdout.strip()
    assert heavy == "[]"
