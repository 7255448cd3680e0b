"""Learner notebooks generated from otter-assign masters: build them, check they are current.

    python -m labinstructor.exercises build [--force]  # masters/ -> notebooks/, dist/autograder/
    python -m labinstructor.exercises check            # exit 1 if stale, a solution fails a test,
                                                    # or a wrong answer passes a public test

A master (``masters/NAME.ipynb``) holds the questions, solutions, public and hidden tests and
points in otter-assign format (see CONTRIBUTING.md). ``build`` runs ``otter assign`` on it and
writes the learner version ``notebooks/NAME.ipynb`` (blanks, public tests in the notebook
metadata, no outputs) and the autograder version ``dist/autograder/NAME/`` (all tests).

Learner edits are never overwritten. Each generated notebook records, in its metadata, a
fingerprint of its cell sources. If the file's sources no longer match that fingerprint, someone
edited it, and ``build`` writes the new version to ``notebooks/_updated/`` instead (or, with
``--force``, backs the edited file up to ``notebooks/_backup/`` first). Outputs and execution
counts are not part of the fingerprint: running cells is not editing. A learner notebook that
is not a readable notebook at all (a half-saved file) is backed up before anything is written, and
so is an edited copy in ``_updated/``.

``check`` runs each master once, in one kernel, as otter grades it: the autograder notebook
(solutions in place) top to bottom, then every test case, public and hidden, each in its own copy
of the notebook's names (otter's own test runner). In that same kernel it then swaps in, question
by question, the answers that must *not* pass: the wrong answers the master declares in
``# WRONG ANSWER`` raw cells, the learner's blank (``...``) stub, and generated stubs (a function
that returns a constant, the one its solution returned first; one that returns its first argument;
``0`` for a value). Every public test runs against each of them, and one that passes fails the
check: a learner must never be told "passed" for an answer that does nothing useful.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from otter.assign import main as otter_assign

from labsupport.paths import REPO_ROOT

MASTERS_DIR = REPO_ROOT / "masters"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
AUTOGRADER_DIR = REPO_ROOT / "dist" / "autograder"

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
METADATA_KEY = "labsupport"  # notebook metadata: master, build_sha256, sources_sha256
CONFIG_MARKER = "# ASSIGNMENT CONFIG"
WRONG_MARKER = "# WRONG ANSWER"  # raw cell: a wrong answer that every public test must reject
MIN_WRONG_ANSWERS = 2  # declared per question

# Settings every master must spell out in its ASSIGNMENT CONFIG cell: one format for all labs.
HOUSE_CONFIG = {
    "init_cell": True,  # `grader = otter.Notebook(...)`, moved below "## Set-up" (render_learner)
    "check_all_cell": False,
    "export_cell": False,  # learners hand in the .ipynb itself
    "run_tests": True,  # solutions are run against their tests (by `check`, see verify())
    "generate": True,  # otter needs its autograder zip to run those tests
    "tests": {"files": False, "ok_format": True},  # tests live in notebook metadata
}


class ExerciseError(Exception):
    """A master that breaks the house rules, or an `otter assign` run that failed."""


@dataclass
class Generated:
    """What one master generates: the learner notebook text and otter's autograder folder."""

    name: str
    learner_text: str
    autograder_dir: Path
    student_path: Path | None = None


# --- reading masters -------------------------------------------------------------------------


def find_masters(masters_dir: Path) -> list[Path]:
    return sorted(p for p in masters_dir.glob("*.ipynb") if not p.name.startswith("."))


def assignment_config(nb: nbformat.NotebookNode) -> dict:
    """The YAML of the master's ``# ASSIGNMENT CONFIG`` cell (raw cell or ```otter fence)."""
    for cell in nb.cells:
        source = cell.source.strip()
        if source.startswith("```otter") and source.endswith("```"):
            source = source[len("```otter") : -3].strip()
        if source.startswith(CONFIG_MARKER):
            return yaml.safe_load(source[len(CONFIG_MARKER) :]) or {}
    return {}


def house_rule_errors(master: Path, nb: nbformat.NotebookNode) -> list[str]:
    config = assignment_config(nb)
    if not config:
        return [f"{master}: no '{CONFIG_MARKER}' cell (see CONTRIBUTING.md)"]
    errors = []
    if config.get("name") != master.stem:
        errors.append(f"{master}: config 'name' must be the file name '{master.stem}'")
    for key, wanted in HOUSE_CONFIG.items():
        got = config.get(key)
        if isinstance(wanted, dict):
            got = {k: (got or {}).get(k) for k in wanted}
        if got != wanted:
            errors.append(f"{master}: config '{key}' must be {wanted!r} (got {got!r})")
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "python3":
        errors.append(f"{master}: kernelspec must be 'python3' (got {kernel!r})")
    return errors


def exercise_rule_errors(master: Path, nb: nbformat.NotebookNode) -> list[str]:
    """What `check` demands of exercises: declared wrong answers, public tests that explain."""
    errors = []
    wrong = wrong_answers(nb)
    for question in question_names(nb):
        if len(wrong.get(question, [])) < MIN_WRONG_ANSWERS:
            errors.append(f"{master}: {question} declares {len(wrong.get(question, []))} wrong "
                          f"answer(s); declare at least {MIN_WRONG_ANSWERS} ('{WRONG_MARKER}' "
                          "raw cells, see CONTRIBUTING.md)")
    for question, source in public_test_cells(nb):
        errors += [f"{master}: {question}: {problem}" for problem in assert_message_errors(source)]
    return errors


# --- questions, wrong answers, public tests --------------------------------------------------


def _raw_marker(cell, marker: str) -> bool:
    return cell.cell_type == "raw" and cell.source.lstrip().startswith(marker)


def question_names(nb: nbformat.NotebookNode) -> list[str]:
    names = []
    for cell in nb.cells:
        if _raw_marker(cell, "# BEGIN QUESTION"):
            config = yaml.safe_load(cell.source.lstrip()[len("# BEGIN QUESTION"):]) or {}
            names.append(str(config.get("name")))
    return names


def _cells_by_question(nb: nbformat.NotebookNode):
    """(question name or None, cell) for every cell of a master, in order."""
    question = None
    for cell in nb.cells:
        if _raw_marker(cell, "# BEGIN QUESTION"):
            config = yaml.safe_load(cell.source.lstrip()[len("# BEGIN QUESTION"):]) or {}
            question = str(config.get("name"))
        yield question, cell
        if _raw_marker(cell, "# END QUESTION"):
            question = None


def wrong_answers(nb: nbformat.NotebookNode) -> dict[str, list[tuple[str, str]]]:
    """Declared wrong answers: {question: [(why it is wrong, code), ...]}.

    Each is a raw cell inside the question whose first line is ``# WRONG ANSWER: why`` and whose
    other lines are the code a learner might write instead of the solution cell(s).
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for question, cell in _cells_by_question(nb):
        if _raw_marker(cell, WRONG_MARKER):
            head, _, code = cell.source.lstrip().partition("\n")
            why = head[len(WRONG_MARKER):].strip(" :") or "(no reason given)"
            found.setdefault(question or "(outside any question)", []).append((why, code))
    return found


def without_wrong_answers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The master as otter must see it: declared wrong answers are for `check` only."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells = [cell for cell in nb.cells if not _raw_marker(cell, WRONG_MARKER)]
    return nb


def public_test_cells(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(question, source) of every public test cell of a master."""
    cells, in_tests = [], False
    for question, cell in _cells_by_question(nb):
        if _raw_marker(cell, "# BEGIN TESTS"):
            in_tests = True
        elif _raw_marker(cell, "# END TESTS"):
            in_tests = False
        elif in_tests and cell.cell_type == "code":
            source = cell.source.strip()
            hidden = source.startswith("# HIDDEN")
            if source.startswith('""" # BEGIN TEST CONFIG'):
                config_text = source.split('""" # END TEST CONFIG')[0]
                config = yaml.safe_load(config_text[len('""" # BEGIN TEST CONFIG'):]) or {}
                hidden = bool(config.get("hidden"))
            if not hidden:
                cells.append((question, cell.source))
    return cells


def assert_message_errors(source: str) -> list[str]:
    """A public test's asserts must say what was expected and what came back: an f-string."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return [f"public test does not parse: {error}"]
    errors = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and not isinstance(node.msg, ast.JoinedStr):
            errors.append(f"public test line {node.lineno}: give the assert an f-string message "
                          "that says what was expected and what came back")
    return errors


# --- running otter assign --------------------------------------------------------------------


def generate(master: Path, workdir: Path, run_tests: bool) -> Generated:
    """Run ``otter assign`` on a copy of ``master`` with its outputs cleared.

    Clearing outputs first makes the result independent of whether the author saved the
    master with outputs (otter would otherwise turn test-cell outputs into expected outputs).
    With ``run_tests`` it also runs the master and its tests (see ``verify``) and raises if a
    solution fails a test or a wrong answer passes a public one.
    """
    nb = nbformat.read(master, as_version=4)
    errors = house_rule_errors(master, nb)
    if errors:
        raise ExerciseError("\n".join(errors))
    source_dir, out_dir = workdir / "master", workdir / "out"
    source_dir.mkdir(parents=True)
    nbformat.write(_without_outputs(without_wrong_answers(nb)), source_dir / master.name)

    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            otter_assign(str(source_dir / master.name), str(out_dir),
                         no_pdfs=True, no_run_tests=True)
    except Exception as error:
        tail = "\n".join(f"{log.getvalue()}\n{error}".strip().splitlines()[-40:])
        raise ExerciseError(f"{master}: otter assign failed (see below)\n{tail}") from None

    learner = nbformat.read(out_dir / "student" / master.name, as_version=4)
    text = render_learner(learner, nb, master)
    generated = Generated(master.stem, text, out_dir / "autograder",
                          out_dir / "student" / master.name)
    if run_tests:
        problems, _ = verify(master, generated, workdir / "run")
        if problems:
            raise ExerciseError("\n".join(problems))
    return generated


def _without_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def render_learner(
    learner: nbformat.NotebookNode, master_nb: nbformat.NotebookNode, master: Path
) -> str:
    """The learner notebook as committed: no outputs, stable cell ids, python3, fingerprint."""
    learner = _without_outputs(learner)
    for cell in learner.cells:  # otter's init cell, made to pass `ruff check` (isort)
        cell.source = cell.source.replace("import otter\ngrader =", "import otter\n\ngrader =")
    _init_cell_into_setup(learner)
    master_ids = {cell.get("id") for cell in master_nb.cells}
    used: set[str] = set()
    for cell in learner.cells:
        cell.id = _stable_id(cell, master_ids, used)
        used.add(cell.id)
    learner.metadata["kernelspec"] = dict(KERNELSPEC)
    learner.metadata[METADATA_KEY] = {
        "master": f"masters/{master.name}",
        "build_sha256": hashlib.sha256(nbformat.writes(learner).encode()).hexdigest(),
        "sources_sha256": sources_fingerprint(learner),
    }
    return nbformat.writes(learner) + "\n"


def _init_cell_into_setup(learner: nbformat.NotebookNode) -> None:
    """Move otter's set-up cell from above the lab's title to just below its "## Set-up"
    heading (else below the title), so that a learner opens the lab on its title."""
    init = next((cell for cell in learner.cells if cell.cell_type == "code"
                 and cell.source.lstrip().startswith("# Initialize Otter")), None)
    if init is None:
        return
    learner.cells.remove(init)
    headings = [i for i, cell in enumerate(learner.cells) if cell.cell_type == "markdown"]
    setup = [i for i in headings if learner.cells[i].source.lstrip().startswith("## Set-up")]
    where = (setup or headings or [-1])[0] + 1
    learner.cells.insert(where, init)


def _stable_id(cell, master_ids: set, used: set[str]) -> str:
    """Keep ids that come from the master; otter's own new cells get random ids otherwise."""
    if cell.get("id") in master_ids and cell.id not in used:
        return cell.id
    base = hashlib.sha256(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
    candidate, n = base, 1
    while candidate in used or candidate in master_ids:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- running a master and its tests, right and wrong answers -------------------------------

# Runs in the kernel after the autograder notebook: one copy of the notebook's names per test
# case (otter's own runner), first for the solutions, then for every answer that must fail.
_HARNESS = r"""
def _labsupport_verify(payload):
    import json
    from otter.test_files.ok_test import OKTestFile

    names = {k: v for k, v in globals().items() if not k.startswith("_labsupport")}

    def run(spec, env, public_only):
        cases = [c for c in spec["suites"][0]["cases"] if not (public_only and c.get("hidden"))]
        suite = dict(spec["suites"][0], cases=cases)
        test_file = OKTestFile.from_spec(dict(spec, suites=[suite]))
        test_file.run(env)
        return [(r.passed, r.message) for r in test_file.test_case_results]

    def first_line(message):
        lines = [line for line in message.splitlines() if line.strip()]
        errors = [line for line in lines if "Error" in line]
        return (errors or lines or [""])[-1].strip()[:300]

    report = {}
    for question, info in payload.items():
        spec = info["tests"]
        entry = report[question] = {"solution": [], "impostors": []}
        # The solutions run wrapped, to record what each returns first (public cases run first)
        recorded, wrapped = {}, {}
        for name in info["functions"]:
            solution, calls = names.get(name), recorded.setdefault(name, [])
            if callable(solution):

                def recorder(*args, _solution=solution, _calls=calls, **kwargs):
                    result = _solution(*args, **kwargs)
                    _calls.append(result)
                    return result

                wrapped[name] = recorder
        for passed, message in run(spec, dict(names, **wrapped), public_only=False):
            entry["solution"].append([passed, message[-1500:]])
        impostors = [("declared: " + why, code) for why, code in info["wrong"]]
        impostors.append(("the blank stub (...)", info["stub"]))
        for name in wrapped:
            calls = recorded[name]
            if calls:
                impostors.append((f"{name} returns a constant ({type(calls[0]).__name__})",
                                  {name: (lambda *a, _c=calls[0], **k: _c)}))
            impostors.append((f"{name} returns its first argument",
                              {name: (lambda *a, **k: a[0] if a else None)}))
        for name in info["values"]:
            try:
                is_zero = bool(names.get(name) == 0)
            except Exception:
                is_zero = False
            if not is_zero:
                impostors.append((f"{name} = 0", {name: 0}))
        for what, code in impostors:
            env = dict(names)
            try:
                if isinstance(code, dict):
                    env.update(code)
                else:
                    exec(compile(code, f"<{question}: {what}>", "exec"), env)
                results = run(spec, env, public_only=True)
                passed = all(ok for ok, _ in results)
                said = next((first_line(m) for ok, m in results if not ok), "")
            except Exception as error:
                passed, said = False, f"defining it raised {type(error).__name__}: {error}"
            entry["impostors"].append([what, passed, said])
    print("LABSUPPORT-REPORT " + json.dumps(report))
"""


INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # Jupyter's: figures as outputs


@contextlib.contextmanager
def environment(**values: str):
    """Set environment variables for the duration of the block (a kernel started inside
    inherits them), then restore the previous values."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def json_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.from_dict(json.loads(json.dumps(nb)))


def _defined_names(source: str) -> tuple[list[str], list[str]]:
    """(functions, values) that a solution cell defines at its top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], []
    functions, values = [], []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            values += [t.id for t in targets if isinstance(t, ast.Name)]
    # a helper name (`_x`) is part of the working, not the answer: no stub of its own
    return functions, [name for name in values if not name.startswith("_")]


def _answer_cells(nb: nbformat.NotebookNode, tag: str) -> dict[str, list[str]]:
    """Sources of the cells tagged ``tag``, grouped by the ``grader.check("q")`` that follows."""
    grouped, pending = {}, []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if tag in cell.metadata.get("tags", []):
            pending.append(cell.source)
            continue
        source = cell.source.strip()
        if source.startswith('grader.check("') and source.endswith('")'):
            grouped[source[len('grader.check("'):-2]] = pending
            pending = []
    return grouped


def verify(master: Path, generated: Generated, workdir: Path, timeout: int = 900,
           learner: Path | None = None, executed_to: Path | None = None
           ) -> tuple[list[str], list[str]]:
    """Run ``master`` once as otter grades it; return (problems, one summary line per question).

    The autograder notebook runs top to bottom in one kernel; then every test case of every
    question runs against the solutions, and every public test against each wrong answer.

    With ``learner`` (the generated learner notebook of the same master) the kernel runs that
    notebook top to bottom instead, blanks and ``grader.check`` cells included, then the
    master's solution cells, then the tests: one run of the lesson checks both versions. It
    is the same lesson: the learner notebook differs from the master only in its exercise
    cells, exercises come last, and no later cell may use an answer (CONTRIBUTING.md).

    With ``learner`` and ``executed_to`` (a folder), the learner notebook as it ran, outputs
    included, is saved there under its own name (what `labinstructor.site` renders).
    """
    import nbclient

    nb = nbformat.read(master, as_version=4)
    autograder = nbformat.read(generated.autograder_dir / master.name, as_version=4)
    student = nbformat.read(generated.student_path, as_version=4)
    tests = autograder.metadata["otter"]["tests"]
    solutions = _answer_cells(autograder, "otter_assign_solution_cell")
    stubs = _answer_cells(student, "otter_answer_cell")
    wrong = wrong_answers(nb)
    payload = {}
    for question in question_names(nb):
        functions, values = [], []
        for source in solutions.get(question, []):
            f, v = _defined_names(source)
            functions, values = functions + f, values + v
        payload[question] = {
            "tests": tests[question], "wrong": wrong.get(question, []),
            "stub": "\n\n".join(stubs.get(question, [])),
            "functions": functions, "values": values,
        }
    problems = []
    for question, info in payload.items():
        try:
            compile(info["stub"], f"<{question}: blank>", "exec")
        except SyntaxError as error:
            problems.append(f"{master}: {question}: the learner's blank answer cell does not "
                            f"parse ({error.msg}, line {error.lineno}): put `# SOLUTION` only on "
                            "single-line statements, or use BEGIN/END SOLUTION")
    if problems:
        return problems, []
    runner = nbformat.from_dict(json.loads(json.dumps(autograder)))
    lesson = len(runner.cells)
    if learner is not None:
        runner = nbformat.from_dict(json.loads(json.dumps(nbformat.read(learner, as_version=4))))
        lesson = len(runner.cells)
        solution_cells = [cell for cell in json_copy(autograder).cells
                          if "otter_assign_solution_cell" in cell.metadata.get("tags", [])]
        for number, cell in enumerate(solution_cells):  # the learner's answer cells have their ids
            cell.id = f"master-solution-{number}"
        runner.cells += solution_cells
    runner.cells.append(nbformat.v4.new_code_cell(
        _HARNESS + f"\n_labsupport_verify(__import__('json').loads({json.dumps(payload)!r}))"))
    workdir.mkdir(parents=True, exist_ok=True)
    nbformat.write(runner, workdir / master.name)
    # Figures are drawn only when the run is kept (for the site): else Agg, which shows nothing.
    backend = INLINE_BACKEND if executed_to is not None else os.environ.get("MPLBACKEND", "Agg")
    client = nbclient.NotebookClient(runner, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(workdir)}})
    try:
        with environment(MPLBACKEND=backend):  # the kernel inherits it
            client.execute()
    except Exception as error:  # a cell of the lab itself failed
        tail = "\n".join(str(error).strip().splitlines()[-30:])
        failed = next((i for i, cell in enumerate(runner.cells)
                       if any(o.get("output_type") == "error" for o in cell.get("outputs", []))),
                      None)
        if learner is not None and failed is not None and failed < lesson:
            return [f"{learner}: the learner notebook does not run to the end (cell "
                    f"{failed}):\n{tail}"], []
        return [f"{master}: the master does not run to the end:\n{tail}"], []
    if learner is not None and executed_to is not None:
        executed = json_copy(runner)
        executed.cells = executed.cells[:lesson]
        executed_to.mkdir(parents=True, exist_ok=True)
        nbformat.write(executed, executed_to / learner.name)
    text = "".join(o.get("text", "") for o in runner.cells[-1].outputs if o.get("name") == "stdout")
    line = next((x for x in text.splitlines() if x.startswith("LABSUPPORT-REPORT ")), None)
    if line is None:
        return [f"{master}: the test harness printed no report:\n{text[-2000:]}"], []
    report = json.loads(line[len("LABSUPPORT-REPORT "):])
    problems, summary = [], []
    for question, entry in report.items():
        for i, (passed, message) in enumerate(entry["solution"]):
            if not passed:
                problems.append(f"{master}: {question}: the solution fails test case {i} "
                                f"(each case runs in its own copy of the names, as otter grades "
                                f"it):\n{message}")
        for what, passed, said in entry["impostors"]:
            if passed:
                problems.append(f"{master}: {question}: the public test passes a wrong answer: "
                                f"{what}")
        rejected = sum(not passed for _, passed, _ in entry["impostors"])
        declared = len(wrong.get(question, []))
        summary.append(f"{master.stem} {question}: {len(entry['solution'])} test case(s) pass; "
                       f"{rejected}/{len(entry['impostors'])} wrong answers rejected "
                       f"({declared} declared)")
    return problems, summary


# --- learner edits ---------------------------------------------------------------------------


def sources_fingerprint(nb: nbformat.NotebookNode) -> str:
    """Hash of what a learner can write: cell types and sources, in order (not outputs)."""
    cells = [[cell.cell_type, cell.source] for cell in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def recorded(path: Path) -> dict | None:
    """The build record in a learner notebook's metadata; None if the file is not a notebook.

    A file that does not parse (a half-saved notebook, say) is *not* treated as unedited:
    nothing can tell what it holds, so it must be backed up before anything replaces it.
    """
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return None
    return dict(nb.metadata.get(METADATA_KEY, {}), current_sources_sha256=sources_fingerprint(nb))


def learner_edited(path: Path) -> bool:
    """True unless the file's sources are exactly what the last build recorded."""
    record = recorded(path)
    if record is None or "sources_sha256" not in record:
        return True
    return record["sources_sha256"] != record["current_sources_sha256"]


def backup(path: Path) -> Path:
    """Copy ``path`` to ``_backup/`` next to the notebooks (never over an earlier backup)."""
    folder = path.parent.parent if path.parent.name == "_updated" else path.parent
    stamp = time.strftime("%Y%m%d-%H%M%S")
    suffix = "-updated" if path.parent.name == "_updated" else ""
    target = folder / "_backup" / f"{path.stem}{suffix}-{stamp}{path.suffix}"
    n = 1
    while target.exists():
        target = target.with_name(f"{path.stem}{suffix}-{stamp}-{n}{path.suffix}")
        n += 1
    target.parent.mkdir(exist_ok=True)
    shutil.copy2(path, target)
    return target


def place_learner_notebook(text: str, target: Path, force: bool) -> tuple[bool, str]:
    """Write ``text`` to ``target`` unless that would lose learner edits.

    Returns (ok, message); ok is False when learner work was found in the way: an edited
    notebook is kept and the new version written to ``_updated/``; a file that is not a
    readable notebook is backed up to ``_backup/`` and then replaced.
    """
    if not target.exists():
        _write(target, text)
        return True, f"{target}: written"
    record = recorded(target)
    if record is None:
        saved = backup(target)
        _write(target, text)
        return False, (f"{target}: was not a readable notebook (half-saved?); it is saved as "
                       f"{saved}, and a fresh copy was written in its place")
    if record.get("build_sha256") == _build_hash(text):
        return True, f"{target}: up to date"  # kept as is, with any outputs or edits
    if not learner_edited(target):
        _write(target, text)
        return True, f"{target}: written"
    if force:
        saved = backup(target)
        _write(target, text)
        return True, f"{target}: edited by hand; replaced, your version is saved as {saved}"
    updated = target.parent / "_updated" / target.name
    updated.parent.mkdir(exist_ok=True)
    note = ""
    if updated.exists():
        if (recorded(updated) or {}).get("build_sha256") == _build_hash(text):
            text = None  # already the new version, edited or not: leave it alone
        elif learner_edited(updated):
            note = f"\n    Your edits to the earlier {updated} are saved as {backup(updated)}."
    if text is not None:
        _write(updated, text)
    return False, (
        f"{target}: NOT overwritten: it was edited since it was generated.\n"
        f"    The new version is in {updated}; copy over what you need, or rerun with --force\n"
        f"    (which saves your edited file in {target.parent / '_backup'}/ first).{note}"
    )


def _build_hash(text: str) -> str:
    return nbformat.reads(text, as_version=4).metadata[METADATA_KEY]["build_sha256"]


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- commands --------------------------------------------------------------------------------


def build(masters_dir: Path, notebooks_dir: Path, autograder_dir: Path, force: bool) -> int:
    masters = find_masters(masters_dir)
    if not masters:
        print(f"no masters found in {masters_dir}")
        return 1
    notebooks_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for master in masters:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                generated = generate(master, Path(tmp), run_tests=False)
            except ExerciseError as error:
                print(f"ERROR {error}")
                failed += 1
                continue
            ok, message = place_learner_notebook(
                generated.learner_text, notebooks_dir / master.name, force
            )
            print(message if ok else f"ERROR {message}")
            failed += not ok
            _replace_private_dir(generated.autograder_dir, autograder_dir / master.stem)
    print(f"autograder versions (hidden tests; keep private) are in {autograder_dir}")
    return 1 if failed else 0


def _replace_private_dir(source: Path, target: Path) -> None:
    """Copy otter's autograder folder to ``target``, readable by its owner only."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def check(masters_dir: Path, notebooks_dir: Path, run_tests: bool = True) -> int:
    problems = []
    masters = find_masters(masters_dir)
    started = time.monotonic()
    for master in masters:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                generated = generate(master, Path(tmp), run_tests=False)
            except ExerciseError as error:
                problems.append(str(error))
                continue
            problems += exercise_rule_errors(master, nbformat.read(master, as_version=4))
            if run_tests:
                begun = time.monotonic()
                found, summary = verify(master, generated, Path(tmp) / "run")
                problems += found
                for line in summary:
                    print(line)
                print(f"{master.stem}: ran in {time.monotonic() - begun:.0f} s", flush=True)
        target = notebooks_dir / master.name
        if not target.exists():
            problems.append(f"{target}: missing; run `python -m labinstructor.exercises build`")
        elif target.read_text(encoding="utf-8") != generated.learner_text:
            problems.append(
                f"{target}: out of date with {master} (or edited by hand, or saved with "
                "outputs); edit the master and run `python -m labinstructor.exercises build`"
            )
    known = {m.name for m in masters}
    for orphan in sorted(p for p in notebooks_dir.glob("*.ipynb") if p.name not in known):
        problems.append(f"{orphan}: no master {masters_dir / orphan.name}; notebooks/ is generated")
    for problem in problems:
        print(f"ERROR {problem}")
    took = f" in {time.monotonic() - started:.0f} s" if run_tests else ""
    print(f"checked {len(masters)} master(s){took}: {'FAILED' if problems else 'ok'}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labinstructor.exercises", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "check"):
        p = sub.add_parser(name)
        p.add_argument("--masters", type=Path, default=MASTERS_DIR)
        p.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR)
    sub.choices["build"].add_argument("--autograder", type=Path, default=AUTOGRADER_DIR)
    sub.choices["build"].add_argument(
        "--force", action="store_true", help="overwrite edited notebooks after backing them up"
    )
    sub.choices["check"].add_argument(
        "--no-run-tests", action="store_true",
        help="only check the format and that notebooks/ is current (skip running the masters)"
    )
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.masters, args.notebooks, args.autograder, args.force)
    return check(args.masters, args.notebooks, run_tests=not args.no_run_tests)


if __name__ == "__main__":
    sys.exit(main())
