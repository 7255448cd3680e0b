"""Learner notebooks generated from otter-assign masters: build them, check they are current.

    python -m labsupport.exercises build [--force]  # masters/ -> notebooks/, dist/autograder/
    python -m labsupport.exercises check            # exit 1 if stale, or if a solution fails

A master (``masters/NAME.ipynb``) holds the questions, solutions, public and hidden tests and
points in otter-assign format (see CONTRIBUTING.md). ``build`` runs ``otter assign`` on it and
writes the learner version ``notebooks/NAME.ipynb`` (blanks, public tests in the notebook
metadata, no outputs) and the autograder version ``dist/autograder/NAME/`` (all tests).

Learner edits are never overwritten. Each generated notebook records, in its metadata, a
fingerprint of its cell sources. If the file's sources no longer match that fingerprint, someone
edited it, and ``build`` writes the new version to ``notebooks/_updated/`` instead (or, with
``--force``, backs the edited file up to ``notebooks/_backup/`` first). Outputs and execution
counts are not part of the fingerprint: running cells is not editing.
"""

from __future__ import annotations

import argparse
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

# Settings every master must spell out in its ASSIGNMENT CONFIG cell: one format for all labs.
HOUSE_CONFIG = {
    "init_cell": True,  # learner notebook starts with `grader = otter.Notebook(...)`
    "check_all_cell": False,
    "export_cell": False,  # learners hand in the .ipynb itself
    "run_tests": True,  # `check` runs every solution against its tests
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


# --- running otter assign --------------------------------------------------------------------


def generate(master: Path, workdir: Path, run_tests: bool) -> Generated:
    """Run ``otter assign`` on a copy of ``master`` with its outputs cleared.

    Clearing outputs first makes the result independent of whether the author saved the
    master with outputs (otter would otherwise turn test-cell outputs into expected outputs).
    With ``run_tests`` otter also runs the solutions against all tests and fails if any fails.
    """
    nb = nbformat.read(master, as_version=4)
    errors = house_rule_errors(master, nb)
    if errors:
        raise ExerciseError("\n".join(errors))
    source_dir, out_dir = workdir / "master", workdir / "out"
    source_dir.mkdir(parents=True)
    nbformat.write(_without_outputs(nb), source_dir / master.name)

    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            otter_assign(str(source_dir / master.name), str(out_dir),
                         no_pdfs=True, no_run_tests=not run_tests)
    except Exception as error:
        tail = "\n".join(f"{log.getvalue()}\n{error}".strip().splitlines()[-40:])
        what = "its solutions fail their tests, or " if run_tests else ""
        raise ExerciseError(f"{master}: otter assign failed ({what}see below)\n{tail}") from None

    learner = nbformat.read(out_dir / "student" / master.name, as_version=4)
    text = render_learner(learner, nb, master)
    return Generated(master.stem, text, out_dir / "autograder")


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


def _stable_id(cell, master_ids: set, used: set[str]) -> str:
    """Keep ids that come from the master; otter's own new cells get random ids otherwise."""
    if cell.get("id") in master_ids and cell.id not in used:
        return cell.id
    base = hashlib.sha256(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
    candidate, n = base, 1
    while candidate in used or candidate in master_ids:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- learner edits ---------------------------------------------------------------------------


def sources_fingerprint(nb: nbformat.NotebookNode) -> str:
    """Hash of what a learner can write: cell types and sources, in order (not outputs)."""
    cells = [[cell.cell_type, cell.source] for cell in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def recorded(path: Path) -> dict:
    """The build record in a learner notebook's metadata ({} if none or unreadable)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # not even a notebook: certainly not ours to overwrite
        return {}
    return dict(nb.metadata.get(METADATA_KEY, {}), current_sources_sha256=sources_fingerprint(nb))


def learner_edited(path: Path) -> bool:
    """True unless the file's sources are exactly what the last build recorded."""
    record = recorded(path)
    return record.get("sources_sha256") != record.get("current_sources_sha256")


def place_learner_notebook(text: str, target: Path, force: bool) -> tuple[bool, str]:
    """Write ``text`` to ``target`` unless that would lose learner edits.

    Returns (ok, message); ok is False when the edited file was kept and the new version
    was written next to it in ``_updated/``.
    """
    if target.exists() and recorded(target).get("build_sha256") == _build_hash(text):
        return True, f"{target}: up to date"  # kept as is, with any outputs or edits
    if not target.exists() or not learner_edited(target):
        _write(target, text)
        return True, f"{target}: written"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if force:
        backup = target.parent / "_backup" / f"{target.stem}-{stamp}.ipynb"
        backup.parent.mkdir(exist_ok=True)
        shutil.copy2(target, backup)
        _write(target, text)
        return True, f"{target}: edited by hand; replaced, your version is saved as {backup}"
    updated = target.parent / "_updated" / target.name
    updated.parent.mkdir(exist_ok=True)
    _write(updated, text)
    return False, (
        f"{target}: NOT overwritten: it was edited since it was generated.\n"
        f"    The new version is in {updated}; copy over what you need, or rerun with --force\n"
        f"    (which saves your edited file in {target.parent / '_backup'}/ first)."
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
    for master in masters:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                generated = generate(master, Path(tmp), run_tests=run_tests)
            except ExerciseError as error:
                problems.append(str(error))
                continue
        target = notebooks_dir / master.name
        if not target.exists():
            problems.append(f"{target}: missing; run `python -m labsupport.exercises build`")
        elif target.read_text(encoding="utf-8") != generated.learner_text:
            problems.append(
                f"{target}: out of date with {master} (or edited by hand, or saved with "
                "outputs); edit the master and run `python -m labsupport.exercises build`"
            )
    known = {m.name for m in masters}
    for orphan in sorted(p for p in notebooks_dir.glob("*.ipynb") if p.name not in known):
        problems.append(f"{orphan}: no master {masters_dir / orphan.name}; notebooks/ is generated")
    for problem in problems:
        print(f"ERROR {problem}")
    print(f"checked {len(masters)} master(s): {'FAILED' if problems else 'ok'}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labsupport.exercises", description=__doc__,
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
        "--no-run-tests", action="store_true", help="skip running the solutions (faster)"
    )
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.masters, args.notebooks, args.autograder, args.force)
    return check(args.masters, args.notebooks, run_tests=not args.no_run_tests)


if __name__ == "__main__":
    sys.exit(main())
