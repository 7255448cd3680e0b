"""Grade submitted learner notebooks against a master's public and hidden tests.

    sudo python -m labsupport.grading SUBMISSIONS_DIR --out scores.csv [--timeout SECONDS]

Writes scores.csv (points per question, total, status) and scores_feedback/NAME.md (each
failing test's message and every problem met while running the notebook).

Why not ``otter grade``: in otter 7 it needs Docker, which we do not have. ``otter run`` grades
without Docker, but in the grading process itself, with no time limit, and with the hidden tests
copied next to the submission, readable by the code under test. So this module keeps otter's
parts that work here -- ``otter assign`` builds the tests, otter's OK-test runner checks them
and otter's ``TestFile`` does the scoring -- and runs each submission like this:

1. copy it alone into a fresh temporary folder owned by the sandbox user (``nobody``);
2. start a Jupyter kernel there *as that user*, in its own process session;
3. run the code cells one by one; a cell that outlives ``--cell-timeout`` is interrupted
   (killed if it ignores that), and the whole submission gets ``--timeout`` seconds;
4. only after the last cell, send each question's tests (public and hidden) into the kernel;
   until then they exist only in this (root) process's memory;
5. kill every process the submission started and delete the folder.

Limits, by design: the tests run inside the submission's kernel (as in otter), so code that
deliberately tampers with that kernel can forge its own results; the kernel can read whatever
is world-readable (so the master must not be: this command refuses to start otherwise) and
can write to world-writable places such as /tmp. When not run as root there is no separate
user at all: a warning is printed and the notebooks run as you.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import pwd
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from otter.test_files.abstract_test import TestCaseResult
from otter.test_files.ok_test import OKTestFile

from labsupport import exercises

TOKEN_VARIABLE = "LABSUPPORT_GRADING_TOKEN"  # marks every process a submission starts
PASS_ENV = ("PATH", "LANG", "LC_ALL", "LAB_PROFILE", "LAB_DEVICE", "LAB_DIALOGSUM",
            "HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "HF_EVALUATE_OFFLINE", "TRANSFORMERS_OFFLINE",
            "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS")  # the rest of our environment stays out
# The kernel command: a runaway writer cannot fill the disk (files are capped at 1 GiB).
KERNEL_LAUNCHER = (
    "import resource, runpy; resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 30, 1 << 30)); "
    "runpy.run_module('ipykernel_launcher', run_name='__main__')"
)
KERNEL_START_SECONDS = 60
INTERRUPT_GRACE_SECONDS = 3
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Runs inside the kernel after the last cell; the result comes back as a user expression.
TEST_CODE = """\
def _labsupport_run_test(spec_json):
    import json
    from otter.test_files.ok_test import OKTestFile
    test = OKTestFile.from_spec(json.loads(spec_json))
    test.run(globals())
    return json.dumps([[r.passed, r.message] for r in test.test_case_results])
_labsupport_test_result = _labsupport_run_test({spec!r})
del _labsupport_run_test
"""

# Run as the sandbox user before grading: can it run Python, and which secrets can it read?
PROBE_CODE = """\
import os, sys
import ipykernel, otter
for path in sys.argv[1:]:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path, "rb").close()
        print(path)
    except OSError:
        pass
"""


class SetupError(Exception):
    """Grading cannot start (bad arguments, unusable sandbox, readable hidden tests)."""


class StopGrading(Exception):
    """The kernel is gone or out of time: nothing more can run for this submission."""


# --- results ---------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    score: float
    possible: float
    failures: list[str] = field(default_factory=list)


@dataclass
class SubmissionResult:
    name: str
    questions: dict[str, QuestionResult]
    problems: list[str] = field(default_factory=list)
    status: str = "graded"  # or why it was not graded to the end

    @property
    def total(self) -> float:
        return sum(q.score for q in self.questions.values())

    @property
    def possible(self) -> float:
        return sum(q.possible for q in self.questions.values())


def empty_result(name: str, tests: dict[str, dict], reason: str) -> SubmissionResult:
    """Every question at zero, with ``reason``; grading replaces the ones it gets to."""
    questions = {
        q: QuestionResult(0, OKTestFile.from_spec(spec).possible, [f"not graded: {reason}"])
        for q, spec in tests.items()
    }
    return SubmissionResult(name, questions)


def score_question(spec: dict, rows: list) -> QuestionResult:
    """Score the kernel's per-test-case (passed, message) rows with otter's own TestFile."""
    test = OKTestFile.from_spec(spec)
    if len(rows) != len(test.test_cases):
        raise ValueError(f"expected {len(test.test_cases)} test results, got {len(rows)}")
    test.test_case_results = [
        TestCaseResult(test_case=case, message=str(message), passed=passed is True)
        for case, (passed, message) in zip(test.test_cases, rows)
    ]
    failures = [
        f"{r.test_case.name}{' (hidden test)' if r.test_case.hidden else ''}: {short(r.message)}"
        for r in test.test_case_results
        if not r.passed
    ]
    return QuestionResult(test.score, test.possible, failures)


def short(message: str) -> str:
    """Otter's doctest report cut to the failing line and the error it raised."""
    lines = [line.strip() for line in ANSI.sub("", message).splitlines() if line.strip()]
    if "Failed example:" in lines and "Exception raised:" in lines:
        return f"`{lines[lines.index('Failed example:') + 1]}` raised {lines[-1]}"
    return "\n".join(lines)


# --- the sandbox -----------------------------------------------------------------------------


@dataclass
class Sandbox:
    """Who runs submissions, with which Python; ``user`` is None without privilege separation."""

    python: str
    user: str | None
    uid: int
    gid: int
    login: str = ""

    @classmethod
    def create(cls, python: str, user: str) -> Sandbox:
        if os.geteuid() != 0:
            print(
                "WARNING: not running as root, so submissions cannot run as a separate user: "
                "they run as you and can read and write whatever you can.",
                file=sys.stderr,
            )
            return cls(python, None, os.getuid(), os.getgid(), pwd.getpwuid(os.getuid()).pw_name)
        entry = pwd.getpwnam(user)
        return cls(python, user, entry.pw_uid, entry.pw_gid, user)

    def new_dir(self) -> Path:
        path = Path(tempfile.mkdtemp(prefix="labsupport-grade-"))
        self.give(path)
        return path

    def give(self, path: Path) -> None:
        if self.user:
            os.chown(path, self.uid, self.gid)

    def popen_kwargs(self) -> dict:
        kwargs = dict(start_new_session=True, stdin=subprocess.DEVNULL)
        if self.user:
            kwargs.update(user=self.uid, group=self.gid, extra_groups=[], umask=0o077)
        return kwargs

    def env(self, workdir: Path, token: str) -> dict[str, str]:
        env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
        env.update(
            HOME=str(workdir), TMPDIR=str(workdir), USER=self.login, LOGNAME=self.login,
            IPYTHONDIR=str(workdir / ".ipython"), MPLCONFIGDIR=str(workdir / ".matplotlib"),
            MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", JPY_PARENT_PID=str(os.getpid()),
            **{TOKEN_VARIABLE: token},
        )
        env.setdefault("LANG", "C.UTF-8")
        return env

    def probe(self, secrets_: list[Path]) -> list[str]:
        """Check the sandbox user can run our Python; return which ``secrets_`` it can read."""
        workdir = self.new_dir()
        try:
            done = subprocess.run(
                [self.python, "-c", PROBE_CODE, *map(str, secrets_)], cwd=workdir,
                env=self.env(workdir, "probe"), capture_output=True, text=True, timeout=120,
                **self.popen_kwargs(),
            )
            failure = done.stderr.strip()[-800:] if done.returncode else ""
        except OSError as error:  # e.g. a folder on the interpreter's path is private
            failure = str(error)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        if failure:
            raise SetupError(
                f"user {self.user!r} cannot run {self.python} with ipykernel and otter:\n"
                f"{failure}\n"
                "Pass --python with an interpreter that user can run (every folder on its path "
                "must be world-executable, e.g. a venv under /opt, not under /root)."
            )
        return done.stdout.split()

    def kill_leftovers(self, token: str) -> None:
        """Kill processes of this submission that escaped its session (found by their token)."""
        marker = f"{TOKEN_VARIABLE}={token}".encode()
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if proc.stat().st_uid == self.uid and marker in (proc / "environ").read_bytes():
                    os.kill(int(proc.name), signal.SIGKILL)
            except OSError:
                continue


# --- one kernel ------------------------------------------------------------------------------


class Kernel:
    """An IPython kernel run by the sandbox user in ``workdir``, driven over its shell channel.

    Only the shell channel is opened: replies carry errors, and the learner's printed output
    (which can be endless) is never collected.
    """

    def __init__(self, sandbox: Sandbox, workdir: Path, token: str):
        connection = workdir / ".kernel.json"
        _, info = write_connection_file(
            str(connection), ip="127.0.0.1", key=secrets.token_hex(16).encode()
        )
        sandbox.give(connection)
        command = [sandbox.python, "-c", KERNEL_LAUNCHER, "-f", str(connection),
                   "--HistoryManager.hist_file=:memory:"]
        self.process = subprocess.Popen(
            command, cwd=workdir, env=sandbox.env(workdir, token), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, **sandbox.popen_kwargs(),
        )
        self.client = BlockingKernelClient()
        self.client.load_connection_info(info)
        self.client.start_channels(iopub=False, stdin=False, hb=False, control=False)
        self.pending: str | None = None

    def wait_ready(self, timeout: float) -> None:
        self._reply(self.client.kernel_info(), timeout)

    def run(self, code: str, timeout: float, user_expressions: dict | None = None) -> dict:
        """Execute ``code``; return the reply content. Raises TimeoutError (still running)."""
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False,
                                     user_expressions=user_expressions or {})
        return self._reply(msg_id, timeout)

    def interrupt(self) -> bool:
        """Interrupt the running request; True if the kernel answers again."""
        try:
            os.kill(self.process.pid, signal.SIGINT)
            self._reply(self.pending, INTERRUPT_GRACE_SECONDS)
            return True
        except (TimeoutError, ProcessLookupError):
            return False

    def _reply(self, msg_id: str, timeout: float) -> dict:
        self.pending = msg_id
        deadline = time.monotonic() + max(timeout, 0)
        while (left := deadline - time.monotonic()) > 0 and self.process.poll() is None:
            try:
                msg = self.client.get_shell_msg(timeout=min(left, 1))
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                self.pending = None
                return msg["content"]
        if self.process.poll() is not None:
            raise StopGrading(f"the notebook's kernel died (exit code {self.process.returncode})")
        raise TimeoutError

    def stop(self) -> None:
        self.client.stop_channels()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()


# --- grading one submission ------------------------------------------------------------------


@dataclass
class Limits:
    total: float  # seconds for the whole submission
    cell: float  # seconds for one cell, or for one question's tests

    def for_next(self, deadline: float) -> tuple[float, bool]:
        """Seconds for the next step, and whether that is all that is left of ``total``."""
        left = deadline - time.monotonic()
        return min(self.cell, left), left <= self.cell


def grade_submission(
    path: Path, tests: dict, assignment: str, sandbox: Sandbox, limits: Limits
) -> SubmissionResult:
    try:
        if path.is_symlink() or not path.is_file():
            raise OSError("not a regular file")
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # say why without quoting the file: it could be anything
        result = empty_result(path.name, tests, "the file is not a readable notebook")
        result.problems.append(f"not a readable notebook ({type(error).__name__})")
        result.status = "unreadable"
        return result
    got = nb.metadata.get("otter", {}).get("assignment_name")
    if got not in (None, assignment):
        result = empty_result(path.name, tests, f"submitted for {got!r}, not {assignment!r}")
        result.status = "wrong assignment"
        return result

    result = empty_result(path.name, tests, "grading stopped before this question")
    workdir, token = sandbox.new_dir(), secrets.token_hex(16)
    copy = workdir / f"{assignment}.ipynb"  # the name the learner's grader cell expects
    shutil.copyfile(path, copy)
    sandbox.give(copy)
    kernel = None
    try:
        deadline = time.monotonic() + limits.total
        kernel = Kernel(sandbox, workdir, token)
        kernel.wait_ready(min(KERNEL_START_SECONDS, limits.total))
        run_cells(kernel, nb, result, limits, deadline)
        run_tests(kernel, tests, result, limits, deadline)
    except (StopGrading, TimeoutError) as error:
        result.problems.append(str(error) or "the kernel did not start in time")
        result.status = "stopped"
    except Exception as error:  # a grader bug must not stop the other submissions
        result.problems.append(f"grading failed: {error!r}")
        result.status = "error"
    finally:
        if kernel:
            kernel.stop()
        sandbox.kill_leftovers(token)
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def run_cells(kernel: Kernel, nb, result: SubmissionResult, limits: Limits, deadline: float):
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        where = f"cell {number} (`{cell.source.strip().splitlines()[0][:60]}`)"
        timeout, last = limits.for_next(deadline)
        try:
            reply = kernel.run(cell.source, timeout)
        except TimeoutError:
            overrun(kernel, result, f"{where} did not finish", timeout, last)
            continue
        if reply.get("status") == "error":
            result.problems.append(f"{where} raised {reply['ename']}: {reply['evalue']}")


def run_tests(kernel: Kernel, tests: dict, result: SubmissionResult, limits, deadline: float):
    for question, spec in tests.items():
        code = TEST_CODE.format(spec=json.dumps(spec))
        timeout, last = limits.for_next(deadline)
        try:
            reply = kernel.run(code, timeout, {"rows": "_labsupport_test_result"})
        except TimeoutError:
            result.questions[question].failures = [f"the tests did not finish in {timeout:.0f} s"]
            overrun(kernel, result, f"the tests of {question} did not finish", timeout, last)
            continue
        result.questions[question] = question_result(spec, reply)


def question_result(spec: dict, reply: dict) -> QuestionResult:
    possible = OKTestFile.from_spec(spec).possible
    if reply.get("status") == "error":
        return QuestionResult(0, possible, [f"the tests could not run: {reply['evalue']}"])
    try:
        rows = json.loads(ast.literal_eval(reply["user_expressions"]["rows"]["data"]["text/plain"]))
        return score_question(spec, rows)
    except Exception as error:  # the kernel's answer is not what our test code returns
        return QuestionResult(0, possible, [f"the test results could not be read: {error}"])


def overrun(kernel: Kernel, result: SubmissionResult, what: str, seconds: float, last: bool):
    """A cell or test ran out of time: interrupt it, or give up on the kernel."""
    if last:
        raise StopGrading(f"{what}: the time limit for the whole notebook was reached")
    if kernel.interrupt():
        result.problems.append(f"{what} within {seconds:.0f} s; it was interrupted")
        return
    raise StopGrading(f"{what} within {seconds:.0f} s and ignored the interrupt; it was stopped")


# --- reports ---------------------------------------------------------------------------------


def fmt(points: float) -> str:
    return f"{points:g}"


def write_csv(results: list[SubmissionResult], questions: list[str], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *questions, "total", "possible", "status"])
        for r in results:
            scores = [fmt(r.questions[q].score) for q in questions]
            writer.writerow([r.name, *scores, fmt(r.total), fmt(r.possible), r.status])


def feedback_text(result: SubmissionResult) -> str:
    lines = [f"# Feedback: {result.name}", "",
             f"Score: {fmt(result.total)} / {fmt(result.possible)}", "",
             "| question | points | possible |", "|---|---|---|"]
    lines += [f"| {q} | {fmt(r.score)} | {fmt(r.possible)} |" for q, r in result.questions.items()]
    if result.problems:
        lines += ["", "## Problems while running the notebook", ""]
        lines += [f"- {ANSI.sub('', p)}" for p in result.problems]
    for question, r in result.questions.items():
        if r.failures:
            lines += ["", f"## {question}: {fmt(r.score)} / {fmt(r.possible)}", ""]
            lines += [f"- {failure[:2000]}" for failure in r.failures]
    return "\n".join(lines) + "\n"


def print_table(results: list[SubmissionResult], questions: list[str]) -> None:
    width = max([len(r.name) for r in results] + [10])
    print(f"{'submission':<{width}}  " + "  ".join(f"{q:>5}" for q in questions) + "  total")
    for r in results:
        cells = "  ".join(f"{fmt(r.questions[q].score):>5}" for q in questions)
        print(f"{r.name:<{width}}  {cells}  {fmt(r.total):>5}  {r.status}")


# --- setup and command line ------------------------------------------------------------------


def find_master(submissions: list[Path], master: Path | None) -> Path:
    if master is None:
        names = set()
        for path in submissions:
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:
                continue
            names.add(nb.metadata.get("otter", {}).get("assignment_name"))
        names.discard(None)
        if len(names) != 1:
            raise SetupError(f"cannot tell the assignment (found {sorted(names)}); use --master")
        master = exercises.MASTERS_DIR / f"{names.pop()}.ipynb"
    if not master.is_file():
        raise SetupError(f"no master {master}")
    return master


def load_tests(master: Path) -> dict[str, dict]:
    """All tests (public and hidden) of ``master``, built by otter assign in a private folder."""
    with tempfile.TemporaryDirectory() as tmp:  # mode 0700
        generated = exercises.generate(master, Path(tmp), run_tests=False)
        nb = nbformat.read(generated.autograder_dir / master.name, as_version=4)
    return dict(nb.metadata["otter"]["tests"])


def secret_paths(master: Path) -> list[Path]:
    """Files holding hidden tests that the sandbox user must not be able to read."""
    paths = [master.resolve()]
    for parent in master.resolve().parents:
        if (parent / ".git" / "objects").is_dir():
            paths.append(parent / ".git" / "objects")
            break
    return paths


def grade(args: argparse.Namespace) -> int:
    submissions = sorted(args.submissions.glob("*.ipynb"))
    if not submissions:
        raise SetupError(f"no .ipynb files in {args.submissions}")
    master = find_master(submissions, args.master)
    sandbox = Sandbox.create(args.python, args.user)
    readable = sandbox.probe(secret_paths(master)) if sandbox.user else []
    if readable:
        raise SetupError(
            f"user {sandbox.user!r} can read {', '.join(readable)}: a submission could read the "
            f"solutions and hidden tests. Make them private first, e.g. chmod -R go-rwx "
            f"{' '.join(readable)} (or grade from a private copy of the master)."
        )
    tests = load_tests(master)
    limits = Limits(total=args.timeout, cell=min(args.cell_timeout, args.timeout))
    print(f"grading {len(submissions)} submission(s) against {master} "
          f"({', '.join(tests)}); up to {fmt(limits.total)} s each", flush=True)
    feedback_dir = args.feedback or args.out.with_name(f"{args.out.stem}_feedback")
    feedback_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for path in submissions:
        started = time.monotonic()
        result = grade_submission(path, tests, master.stem, sandbox, limits)
        (feedback_dir / f"{path.stem}.md").write_text(feedback_text(result), encoding="utf-8")
        print(f"  {path.name}: {fmt(result.total)} / {fmt(result.possible)} "
              f"({result.status}, {time.monotonic() - started:.1f} s)", flush=True)
        results.append(result)
    write_csv(results, list(tests), args.out)
    print_table(results, list(tests))
    print(f"scores: {args.out}\nfeedback: {feedback_dir}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m labsupport.grading", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("submissions", type=Path, help="folder of submitted .ipynb files")
    parser.add_argument("--out", type=Path, required=True, help="CSV of scores to write")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per submission")
    parser.add_argument("--cell-timeout", type=float, default=300,
                        help="seconds per cell, and per question's tests")
    parser.add_argument("--master", type=Path,
                        help="master notebook (default: masters/<assignment name>.ipynb)")
    parser.add_argument("--feedback", type=Path,
                        help="folder for feedback files (default: next to --out)")
    parser.add_argument("--python", default=sys.executable,
                        help="Python that runs the submissions (needs ipykernel and otter)")
    parser.add_argument("--user", default="nobody", help="user that runs the submissions as root")
    args = parser.parse_args(argv)
    try:
        return grade(args)
    except (SetupError, exercises.ExerciseError) as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
