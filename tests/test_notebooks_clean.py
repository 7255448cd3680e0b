"""Committed notebooks carry no outputs and no execution counts."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "masters").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/ or masters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_has_no_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") for c in code), f"{path.name} has outputs"
    assert all(c.get("execution_count") is None for c in code), f"{path.name} has counts"


LEARNER = [p for p in NOTEBOOKS if p.parent.name == "notebooks"]


@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.name)
def test_learner_notebook_opens_on_its_title_and_sets_up_otter_in_set_up(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert cells[0]["cell_type"] == "markdown" and sources[0].startswith("# Lab "), (
        f"{path.name} opens with {sources[0][:40]!r}, not the lab's title")
    init = [i for i, s in enumerate(sources) if s.startswith("# Initialize Otter")]
    assert len(init) == 1, f"{path.name}: {len(init)} otter set-up cells"
    assert sources[init[0] - 1].startswith("## Set-up"), (
        f"{path.name}: otter's set-up cell is not right below the '## Set-up' heading")
    first_check = next(i for i, s in enumerate(sources) if "grader.check(" in s)
    assert init[0] < first_check  # the grader exists before the first check uses it
