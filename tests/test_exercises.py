"""`python -m labsupport.exercises build|check` on a temporary copy of the sample master.

Every test works in tmp_path: the real masters/ and notebooks/ are never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

SAMPLE_MASTER = Path(__file__).parent / "grading" / "master" / "sample_master.ipynb"
NAME = SAMPLE_MASTER.name


def exercises(*args: str, tree: Path) -> subprocess.CompletedProcess:
    """Run the real command on the tree's masters/, notebooks/ and dist/autograder/."""
    folders = ["--masters", str(tree / "masters"), "--notebooks", str(tree / "notebooks")]
    if args[0] == "build":
        folders += ["--autograder", str(tree / "dist" / "autograder")]
    return subprocess.run(
        [sys.executable, "-m", "labsupport.exercises", *args, *folders],
        capture_output=True, text=True, timeout=300,
    )


def edit_master(tree: Path, text: str = "A new paragraph from the author.") -> None:
    master = tree / "masters" / NAME
    nb = nbformat.read(master, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(text))
    nbformat.write(nb, master)


def answer_cells(nb) -> list:
    return [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])]


@pytest.fixture(scope="module")
def built_tree(tmp_path_factory) -> Path:
    """masters/ with the sample master, and notebooks/ + dist/ after one build."""
    tree = tmp_path_factory.mktemp("built")
    (tree / "masters").mkdir()
    shutil.copy(SAMPLE_MASTER, tree / "masters")
    done = exercises("build", tree=tree)
    assert done.returncode == 0, done.stdout + done.stderr
    return tree


@pytest.fixture
def tree(built_tree, tmp_path) -> Path:
    """A private, writable copy of the built tree for one test."""
    return Path(shutil.copytree(built_tree, tmp_path / "tree"))


def test_build_writes_a_clean_learner_notebook_and_the_autograder(built_tree):
    learner_path = built_tree / "notebooks" / NAME
    text = learner_path.read_text()
    nb = nbformat.reads(text, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata.kernelspec.name == "python3"
    assert 'grader.check(\\"q1\\")' in text and "should be 3" in text  # public test, for learners
    assert "ignore case" not in text and "return a + b" not in text  # no hidden test, no solution
    assert [c.source for c in answer_cells(nb)][1] == "answer = ..."
    autograder = (built_tree / "dist" / "autograder" / "sample_master" / NAME).read_text()
    assert "ignore case" in autograder
    assert list((built_tree / "notebooks").iterdir()) == [learner_path]  # only the notebook


def test_build_is_deterministic_and_keeps_an_up_to_date_notebook(tree):
    before = (tree / "notebooks" / NAME).read_bytes()
    done = exercises("build", tree=tree)
    assert done.returncode == 0
    assert "up to date" in done.stdout
    assert (tree / "notebooks" / NAME).read_bytes() == before


def test_build_refuses_to_overwrite_a_learner_edit_and_force_backs_it_up(tree):
    learner = tree / "notebooks" / NAME
    nb = nbformat.read(learner, as_version=4)
    answer_cells(nb)[0].source = "def add(a, b):\n    return a + b  # my answer"
    nbformat.write(nb, learner)
    edited = learner.read_bytes()
    edit_master(tree)

    done = exercises("build", tree=tree)
    assert done.returncode != 0
    assert "NOT overwritten" in done.stdout and str(learner) in done.stdout
    assert learner.read_bytes() == edited
    assert "A new paragraph" in (tree / "notebooks" / "_updated" / NAME).read_text()

    done = exercises("build", "--force", tree=tree)
    assert done.returncode == 0, done.stdout
    assert "A new paragraph" in learner.read_text()
    backups = list((tree / "notebooks" / "_backup").glob("*.ipynb"))
    assert [b.read_bytes() for b in backups] == [edited]


def test_build_updates_a_notebook_that_was_only_run(tree):
    learner = tree / "notebooks" / NAME
    nb = nbformat.read(learner, as_version=4)
    for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = count + 1
        cell.outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    nbformat.write(nb, learner)
    edit_master(tree)

    done = exercises("build", tree=tree)
    assert done.returncode == 0, done.stdout
    assert "A new paragraph" in learner.read_text()


def test_check_runs_the_solutions_then_names_a_stale_notebook(tree):
    done = exercises("check", tree=tree)  # solutions pass their tests, notebook is current
    assert done.returncode == 0, done.stdout + done.stderr

    edit_master(tree)
    done = exercises("check", "--no-run-tests", tree=tree)
    assert done.returncode != 0
    assert f"{tree / 'notebooks' / NAME}: out of date" in done.stdout


def test_check_fails_when_a_solution_fails_its_own_tests(tree):
    master = tree / "masters" / NAME
    master.write_text(master.read_text().replace("return a + b", "return a - b"))
    done = exercises("check", tree=tree)
    assert done.returncode != 0
    assert f"{master}: otter assign failed" in done.stdout
    assert "should be 0" in done.stdout  # the failing test of q1, from otter's report


def test_build_rejects_a_master_outside_the_house_format(tree):
    master = tree / "masters" / NAME
    master.write_text(master.read_text().replace("files: false", "files: true"))
    done = exercises("build", tree=tree)
    assert done.returncode != 0
    assert "config 'tests' must be" in done.stdout
