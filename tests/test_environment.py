"""The conda environment and pyproject.toml must ask for the same packages."""

from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {Requirement(s).name: str(Requirement(s).specifier) for s in specs}


def _conda_pip_requirements() -> dict[str, str]:
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = lines.index("  - pip:") + 1
    items = [line.strip()[2:] for line in lines[start:] if line.strip().startswith("- ")]
    reqs = [Requirement(item) for item in items if not item.startswith("-e ")]
    return {r.name: str(r.specifier) for r in reqs}


def test_conda_and_pyproject_list_the_same_packages_and_ranges():
    assert _conda_pip_requirements() == _pyproject_requirements()


@pytest.mark.parametrize("name", ["torch", "transformers", "datasets", "peft"])
def test_core_packages_have_a_floor_not_a_pin(name):
    spec = _pyproject_requirements()[name]
    assert ">=" in spec and "==" not in spec
