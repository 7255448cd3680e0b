"""The grading command: find the lab's master, grade each submission in its own box, report."""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from labinstructor import exercises
from labinstructor.grading import checks
from labinstructor.grading.box import Box, Limits, SetupError
from labinstructor.grading.files import (
    PrivateFolder,
    Submission,
    list_submissions,
    write_private_file,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
FEEDBACK_LIMIT = 20_000  # characters of one feedback file
LINE_LIMIT = 2_000  # characters of one problem or failure
TAMPERED_NOTE = ("a canary test and the test it is a changed copy of were both reported passed, "
                 "which no answer does: the test results were forged. Score set to 0; look at "
                 "the notebook.")


@dataclass
class SubmissionResult:
    name: str
    questions: dict[str, checks.QuestionResult]
    problems: list[str] = field(default_factory=list)
    status: str = "graded"  # or why it was not graded to the end
    note: str = ""  # for the instructor only (the CSV)

    @property
    def total(self) -> float:
        return sum(q.score for q in self.questions.values())

    @property
    def possible(self) -> float:
        return sum(q.possible for q in self.questions.values())


def empty_result(name: str, tests: dict[str, dict], reason: str, status: str) -> SubmissionResult:
    questions = {q: checks.QuestionResult(0, checks.possible(spec), [f"not graded: {reason}"])
                 for q, spec in tests.items()}
    return SubmissionResult(name, questions, status=status, note=reason)


def lab_of(nb) -> str | None:
    name = nb.metadata.get("otter", {}).get("assignment_name")
    return name if isinstance(name, str) else None


def grade_submission(sub: Submission, lab: str, tests: dict, box: Box, limits: Limits,
                     rng: random.Random) -> SubmissionResult:
    if sub.refused:
        return empty_result(sub.name, tests, sub.refused, "refused")
    try:
        nb = nbformat.reads(sub.text, as_version=4)
    except Exception as error:  # noqa: BLE001 - say why without quoting the file
        return empty_result(sub.name, tests, f"not a readable notebook ({type(error).__name__})",
                            "unreadable")
    got = lab_of(nb)
    if got not in (None, lab):
        return empty_result(sub.name, tests, f"a notebook of another lab ({got[:80]!r}), "
                            f"not {lab!r}", "wrong lab")
    plans, public, hidden = {}, {}, {}
    for question, spec in tests.items():
        plans[question], public[question], hidden[question] = checks.plan(question, spec, rng)
    cells = [[n, c.source] for n, c in enumerate(nb.cells, start=1)
             if c.cell_type == "code" and isinstance(c.source, str) and c.source.strip()]
    job = dict(cells=cells, public=public, hidden=hidden, notebook=sub.text,
               filename=f"{lab}.ipynb")  # the name the learner's grader cell expects
    result = empty_result(sub.name, tests, "grading stopped before this question", "graded")
    result.note = ""
    events, complaints = box.run(job, limits)
    got_public, got_hidden = {}, {}
    for event in events:
        if isinstance(event.get("problem"), str):
            result.problems.append(event["problem"])
        elif isinstance(event.get("stopped"), str):
            result.problems.append(event["stopped"])
            result.status = "stopped"
        elif event.get("phase") in ("public", "hidden") and event.get("question") in tests:
            (got_public if event["phase"] == "public" else got_hidden)[event["question"]] = (
                event.get("rows"))
    if not any(e.get("end") for e in events):
        result.status = "stopped"
        result.problems.append("the box ended early (killed at the time limit, or out of memory "
                               "or processes)" + (f": {complaints.strip()[-300:]}"
                                                  if complaints.strip() else ""))
    tampered = False
    for question, p in plans.items():
        if question not in got_public and question not in got_hidden:
            continue
        result.questions[question], canary_passed = checks.score(
            p, _rows(got_public.get(question)), _rows(got_hidden.get(question)))
        tampered |= canary_passed
    if tampered:
        for q in result.questions.values():
            q.score, q.failures = 0, ["not scored: the test results were altered"]
        result.status, result.note = "tampered", TAMPERED_NOTE
    return result


def _rows(rows):
    """The runner's rows, each checked to be [bool, str]; a string (why none) passes through."""
    if isinstance(rows, str):
        return rows[:LINE_LIMIT]
    if not isinstance(rows, list):
        return None
    ok = [r for r in rows if isinstance(r, list) and len(r) == 2 and isinstance(r[1], str)]
    return ok if len(ok) == len(rows) else None


# --- reports ---------------------------------------------------------------------------------


def fmt(points: float) -> str:
    return f"{points:g}"


def csv_text(results: list[SubmissionResult], questions: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["submission", *questions, "total", "possible", "status", "note"])
    for r in results:
        scores = [fmt(r.questions[q].score) for q in questions]
        writer.writerow([r.name, *scores, fmt(r.total), fmt(r.possible), r.status, r.note])
    return out.getvalue()


def cap(text: str, limit: int) -> str:
    text = ANSI.sub("", text)
    return text if len(text) <= limit else text[:limit] + f" [... cut at {limit} characters]"


def feedback_text(result: SubmissionResult) -> str:
    lines = [f"# Feedback: {result.name}", "",
             f"Score: {fmt(result.total)} / {fmt(result.possible)}", "",
             "| question | points | possible |", "|---|---|---|"]
    lines += [f"| {q} | {fmt(r.score)} | {fmt(r.possible)} |" for q, r in result.questions.items()]
    if result.status == "tampered":
        lines += ["", "The test results of this notebook could not be trusted, so it scores 0; "
                  "your instructor will look at it."]
    if result.problems:
        lines += ["", "## Problems while running the notebook", ""]
        lines += [f"- {cap(p, LINE_LIMIT)}" for p in result.problems]
    for question, r in result.questions.items():
        if r.failures:
            lines += ["", f"## {question}: {fmt(r.score)} / {fmt(r.possible)}", ""]
            lines += [f"- {cap(failure, LINE_LIMIT)}" for failure in r.failures]
    text = "\n".join(lines) + "\n"
    if len(text) > FEEDBACK_LIMIT:
        text = (text[:FEEDBACK_LIMIT] + f"\n\n(Feedback cut at {FEEDBACK_LIMIT} characters: "
                "the rest repeated the same kind of problem.)\n")
    return text


def feedback_name(name: str) -> str:
    stem = name[: -len(".ipynb")] if name.lower().endswith(".ipynb") else name
    return re.sub(r"[^A-Za-z0-9._-]", "_", stem).lstrip(".")[:120] + ".md"


def print_table(results: list[SubmissionResult], questions: list[str]) -> None:
    width = max([len(r.name) for r in results] + [10])
    print(f"{'submission':<{width}}  " + "  ".join(f"{q:>5}" for q in questions) + "  total")
    for r in results:
        cells = "  ".join(f"{fmt(r.questions[q].score):>5}" for q in questions)
        print(f"{r.name:<{width}}  {cells}  {fmt(r.total):>5}  {r.status}")


# --- setup and command line ------------------------------------------------------------------


def known_masters() -> dict[str, Path]:
    """The grader's own lab-name -> master mapping: the .ipynb files in the masters folder."""
    folder = exercises.MASTERS_DIR
    return {p.stem: p for p in sorted(folder.glob("*.ipynb")) if p.is_file()}


def choose_master(subs: list[Submission], master: Path | None, lab: str | None) -> Path:
    """--master, else --lab, else the lab most submissions name, looked up in masters/."""
    if master is not None:
        if not master.is_file():
            raise SetupError(f"no master {master}")
        return master
    masters = known_masters()
    if lab is None:
        counts: dict[str, int] = {}
        for sub in subs:
            if sub.text is None:
                continue
            try:
                name = lab_of(nbformat.reads(sub.text, as_version=4))
            except Exception:  # noqa: BLE001 - it gets its own row later
                continue
            if name in masters:
                counts[name] = counts.get(name, 0) + 1
        if not counts:
            raise SetupError("no submission names a lab of masters/: pass --master or --lab")
        lab = max(sorted(counts), key=counts.get)
    if lab not in masters:
        raise SetupError(f"no lab {lab!r} in {exercises.MASTERS_DIR} (known: {sorted(masters)})")
    return masters[lab]


def load_tests(master: Path) -> dict[str, dict]:
    """All tests (public and hidden) of ``master``, built by otter assign in a private folder."""
    with tempfile.TemporaryDirectory() as tmp:  # mode 0700
        generated = exercises.generate(master, Path(tmp), run_tests=False)
        nb = nbformat.read(generated.autograder_dir / master.name, as_version=4)
    return dict(nb.metadata["otter"]["tests"])


def grade(args: argparse.Namespace) -> int:
    try:
        subs, skipped = list_submissions(args.submissions, args.max_notebook_mb << 20)
    except FileNotFoundError as error:
        raise SetupError(str(error)) from error
    if skipped:
        print(f"WARNING skipped {len(skipped)} file(s) not named *.ipynb: "
              + ", ".join(repr(s) for s in skipped[:50]) + (" ..." if len(skipped) > 50 else ""),
              file=sys.stderr)
    if not subs:
        raise SetupError(f"no .ipynb files in {args.submissions}")
    master = choose_master(subs, args.master, args.lab)
    feedback_dir = args.feedback or args.out.with_name(f"{args.out.stem}_feedback")
    secrets = [master, exercises.MASTERS_DIR, args.out.parent, feedback_dir, args.submissions]
    box = Box.prepare(args.python, args.user, args.bind_ro, secrets)
    tests = load_tests(master)
    limits = Limits(total=args.timeout, cell=min(args.cell_timeout, args.timeout),
                    memory_mb=args.memory_mb, processes=args.processes,
                    cpu_seconds=args.cpu_seconds, disk_mb=args.disk_mb)
    print(f"grading {len(subs)} submission(s) against {master} ({', '.join(tests)}); "
          f"up to {fmt(limits.total)} s, {limits.memory_mb} MiB per process, "
          f"{limits.processes} processes, {limits.disk_mb} MiB of disk each", flush=True)
    folder = PrivateFolder(feedback_dir)
    rng = random.SystemRandom()
    results = []
    try:
        for sub in subs:
            started = time.monotonic()
            result = grade_submission(sub, master.stem, tests, box, limits, rng)
            folder.write(feedback_name(sub.name), feedback_text(result))
            print(f"  {sub.name}: {fmt(result.total)} / {fmt(result.possible)} "
                  f"({result.status}, {time.monotonic() - started:.1f} s)", flush=True)
            results.append(result)
    finally:
        folder.close()
    write_private_file(args.out, csv_text(results, list(tests)))
    print_table(results, list(tests))
    for r in results:
        if r.status == "tampered":
            print(f"NOTE {r.name}: {r.note}")
    print(f"scores: {args.out}\nfeedback: {feedback_dir}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    from labinstructor import grading

    parser = argparse.ArgumentParser(
        prog="python -m labinstructor.grading", description=grading.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("submissions", type=Path, help="folder of submitted .ipynb files")
    parser.add_argument("--out", type=Path, required=True, help="CSV of scores to write")
    parser.add_argument("--master", type=Path, help="master notebook of the lab")
    parser.add_argument("--lab", help="lab name in masters/ (default: the one most "
                        "submissions name; used only to look up masters/<lab>.ipynb)")
    parser.add_argument("--feedback", type=Path,
                        help="folder for feedback files (default: next to --out)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per submission")
    parser.add_argument("--cell-timeout", type=float, default=300,
                        help="seconds per cell, and per question's tests")
    parser.add_argument("--memory-mb", type=int, default=4096,
                        help="address space of each process in the box, MiB (default 4096)")
    parser.add_argument("--processes", type=int, default=512,
                        help="processes and threads in the box (default 512)")
    parser.add_argument("--cpu-seconds", type=int, default=3600,
                        help="CPU seconds per process (default 3600)")
    parser.add_argument("--disk-mb", type=int, default=1024,
                        help="size of the box's writable /tmp, MiB (default 1024)")
    parser.add_argument("--max-notebook-mb", type=int, default=50,
                        help="larger submissions are not read (default 50)")
    parser.add_argument("--bind-ro", type=Path, action="append", default=[],
                        help="extra host folder to show read-only in the box (e.g. a Hugging "
                        "Face cache); repeatable")
    parser.add_argument("--python", default=sys.executable,
                        help="Python that runs the submissions (needs ipykernel and otter)")
    parser.add_argument("--user", default="nobody", help="user that runs the boxes as root")
    args = parser.parse_args(argv)
    try:
        return grade(args)
    except (SetupError, exercises.ExerciseError, PermissionError) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 2
