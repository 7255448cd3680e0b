"""`python -m labinstructor.exercises build|check` on a temporary copy of a sample master.

Every test works in tmp_path: the real masters/ and notebooks/ are never touched. The sample
master (tests/exercises/) has three questions, each with declared wrong answers.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

# Each test runs otter assign (and some a kernel) on the sample master: seconds each, so they
# are left out of `make test-fast` like the other otter and subprocess tests.
pytestmark = pytest.mark.slow

SAMPLE_MASTER = Path(__file__).parent / "exercises" / "sample_master.ipynb"
NAME = SAMPLE_MASTER.name


def exercises(*args: str, tree: Path) -> subprocess.CompletedProcess:
    """Run the real command on the tree's masters/, notebooks/ and dist/autograder/."""
    folders = ["--masters", str(tree / "masters"), "--notebooks", str(tree / "notebooks")]
    if args[0] == "build":
        folders += ["--autograder", str(tree / "dist" / "autograder")]
    return subprocess.run(
        [sys.executable, "-m", "labinstructor.exercises", *args, *folders],
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
    assert 'grader.check(\\"q1\\")' in text and "should be {_sum}" in text  # public test
    assert "ignore case" not in text and "return a + b" not in text  # no hidden test, no solution
    assert "WRONG ANSWER" not in text and "a - b" not in text  # nor the declared wrong answers
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
    # q1: 2 declared + the blank stub + a constant + an identity stub
    assert "sample_master q1: 2 test case(s) pass; 5/5 wrong answers rejected" in done.stdout
    assert "sample_master q2: 2 test case(s) pass; 4/4 wrong answers rejected" in done.stdout

    edit_master(tree)
    done = exercises("check", "--no-run-tests", tree=tree)
    assert done.returncode != 0
    assert f"{tree / 'notebooks' / NAME}: out of date" in done.stdout


def test_check_fails_when_a_solution_fails_its_own_tests(tree):
    master = tree / "masters" / NAME
    master.write_text(master.read_text().replace("return a + b", "return a - b"))
    done = exercises("check", tree=tree)
    assert done.returncode != 0
    assert f"{master}: q1: the solution fails test case 0" in done.stdout
    assert "add(1, 2) should be 3, got -1" in done.stdout  # the failing test, from otter's runner


def test_build_rejects_a_master_outside_the_house_format(tree):
    master = tree / "masters" / NAME
    master.write_text(master.read_text().replace("files: false", "files: true"))
    done = exercises("build", tree=tree)
    assert done.returncode != 0
    assert "config 'tests' must be" in done.stdout


# --- public tests must reject wrong answers; tests must pass as otter grades them ------------


def replace_cell(tree: Path, cell_id: str, source: str) -> None:
    master = tree / "masters" / NAME
    nb = nbformat.read(master, as_version=4)
    next(c for c in nb.cells if c.get("id") == cell_id).source = source
    nbformat.write(nb, master)


def test_check_rejects_weak_public_tests_and_hidden_tests_that_lean_on_public_ones(tree):
    # q1: one known value only, so a function that always returns 3 passes
    replace_cell(tree, "q1-6", 'assert add(1, 2) == 3, f"add(1, 2) should be 3, got {add(1, 2)}"')
    # q2: a declared wrong answer that is in fact right
    replace_cell(tree, "q2-wrong-1", "# WRONG ANSWER: not wrong at all\nanswer = 40 + 2")
    # q3: the hidden test uses a name that only the public test defines (lab 07 q2's old bug);
    # in the notebook the public test runs first, but otter runs each test in its own names
    replace_cell(tree, "q3-6", 'vowel_text = "banana"\n'
                 'assert count_vowels(vowel_text) == 3, f"got {count_vowels(vowel_text)}"\n'
                 'assert count_vowels("sky") == 0, f"got {count_vowels(\'sky\')}"')
    replace_cell(tree, "q3-7", "# HIDDEN\nassert count_vowels(vowel_text.upper()) == 3")
    done = exercises("check", tree=tree)
    assert done.returncode != 0
    out = done.stdout
    assert "q1: the public test passes a wrong answer: add returns a constant (int)" in out
    assert "q2: the public test passes a wrong answer: declared: not wrong at all" in out
    assert "q3: the solution fails test case 1" in out and "vowel_text" in out


def test_check_demands_declared_wrong_answers_and_explaining_messages(tree):
    master = tree / "masters" / NAME
    nb = nbformat.read(master, as_version=4)
    nb.cells = [c for c in nb.cells if c.get("id") != "q2-wrong-1"]
    next(c for c in nb.cells if c.get("id") == "q3-6").source = (
        'assert count_vowels("banana") == 3, "should be 3"')
    nbformat.write(nb, master)
    done = exercises("check", "--no-run-tests", tree=tree)
    assert done.returncode != 0
    assert "q2 declares 1 wrong answer(s); declare at least 2" in done.stdout
    assert "q3: public test line 1: give the assert an f-string message" in done.stdout


# --- build never loses learner work ----------------------------------------------------------


def test_build_backs_up_a_half_saved_notebook_before_replacing_it(tree):
    learner = tree / "notebooks" / NAME
    half = learner.read_bytes()[: len(learner.read_bytes()) // 2]  # not valid JSON
    learner.write_bytes(half)
    done = exercises("build", tree=tree)
    assert done.returncode != 0, done.stdout
    assert "was not a readable notebook" in done.stdout
    backups = list((tree / "notebooks" / "_backup").glob("*.ipynb"))
    assert [b.read_bytes() for b in backups] == [half]
    assert nbformat.read(learner, as_version=4).metadata["labsupport"]  # a fresh notebook

    done = exercises("build", tree=tree)  # nothing in the way any more
    assert done.returncode == 0 and "up to date" in done.stdout


def test_build_keeps_edits_to_an_updated_copy(tree):
    learner = tree / "notebooks" / NAME
    nb = nbformat.read(learner, as_version=4)
    answer_cells(nb)[0].source = "def add(a, b):\n    return a + b  # my answer"
    nbformat.write(nb, learner)
    edit_master(tree, "First change.")
    assert exercises("build", tree=tree).returncode != 0
    updated = tree / "notebooks" / "_updated" / NAME

    copy = nbformat.read(updated, as_version=4)  # the learner works in the _updated copy
    answer_cells(copy)[0].source = "def add(a, b):\n    return b + a  # my work in _updated"
    nbformat.write(copy, updated)
    edited_copy = updated.read_bytes()
    edit_master(tree, "Second change.")
    done = exercises("build", tree=tree)
    assert done.returncode != 0
    assert "Your edits to the earlier" in done.stdout
    assert "Second change." in updated.read_text()
    backups = list((tree / "notebooks" / "_backup").glob("*-updated-*.ipynb"))
    assert [b.read_bytes() for b in backups] == [edited_copy]
    assert b"my answer" in learner.read_bytes()  # the main notebook is untouched too

    updated.write_text("{ half saved")  # an unreadable _updated copy is kept too
    edit_master(tree, "Third change.")
    exercises("build", tree=tree)
    assert "{ half saved" in [b.read_text() for b in (tree / "notebooks" / "_backup").iterdir()]


def run_with_learner(tree: Path, learner_cells: list[str]) -> list[str]:
    """verify(learner=...) on the sample: its learner notebook plus ``learner_cells`` at the end."""
    from labinstructor import exercises as module

    master = tree / "masters" / NAME
    work = Path(tempfile.mkdtemp(dir=tree))
    generated = module.generate(master, work / "gen", run_tests=False)
    learner = nbformat.read(tree / "notebooks" / NAME, as_version=4)
    learner.cells += [nbformat.v4.new_code_cell(source) for source in learner_cells]
    path = work / "learner.ipynb"
    nbformat.write(learner, path)
    problems, _ = module.verify(master, generated, work / "run", learner=path)
    return problems


@pytest.mark.slow
def test_one_run_checks_the_learner_notebook_and_the_masters_solutions(tree):
    """The learner version runs first (its blanks must not crash a later cell), then the
    solutions and their tests in the same kernel."""
    assert run_with_learner(tree, []) == []
    problems = run_with_learner(tree, ["total = add(1, 2) + 1"])  # uses a blank answer
    assert len(problems) == 1 and "learner notebook does not run to the end" in problems[0]
    assert "TypeError" in problems[0]
