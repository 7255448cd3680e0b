"""Runs ONE submission inside its bubblewrap box; the grader starts it as a script.

    python -I .../labinstructor/grading/runner.py     (stdin: one JSON job; stdout: JSON lines)

Standard library and jupyter_client only, and no labsupport import: it runs before any of the
submission's code, in the box. First it makes itself non-dumpable (so the submission's code,
which runs as the same user in the same box, cannot ptrace it or open its /proc files, its
pipes included), sets the resource limits every process of the box inherits, then starts an
IPython kernel in the box's private work folder and drives it over the box's private loopback:

1. every code cell, one by one, with a time limit per cell (interrupt, then give up);
2. each question's public test cases: the result and the message come back;
3. each question's hidden test cases, real and canary, mixed by the grader: only pass/fail comes
   back (after step 2 the kernel has seen hidden code, so no text it produces is reported).

Events go to stdout as JSON lines as they happen, so a box killed at the deadline still leaves
what was done. The kernel's own output goes nowhere.
"""

from __future__ import annotations

import ast
import ctypes
import json
import os
import queue
import resource
import signal
import subprocess
import sys
import time

TEXT_LIMIT = 2000  # characters of any message the kernel sends back
REPLY_LIMIT = 1_000_000  # characters of one question's test results
KERNEL_START_SECONDS = 60
INTERRUPT_GRACE_SECONDS = 3
PR_SET_DUMPABLE = 4

TEST_CODE = """\
def _labsupport_run_test(spec_json):
    import json
    from otter.test_files.ok_test import OKTestFile
    test = OKTestFile.from_spec(json.loads(spec_json))
    test.run(globals())
    return json.dumps([[r.passed is True, str(r.message)[:{limit}]]
                       for r in test.test_case_results])
_labsupport_test_result = _labsupport_run_test({spec!r})
del _labsupport_run_test
"""


class Stop(Exception):
    """Nothing more can run in this box (kernel dead, or the submission's time is up)."""


def emit(**event) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def cut(text: object) -> str:
    text = str(text)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + " [cut]"


def harden(limits: dict) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    for name, value in limits.items():
        if value:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Kernel:
    def __init__(self, workdir: str):
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        connection, info = write_connection_file(
            os.path.join(workdir, ".kernel.json"), ip="127.0.0.1",
            key=os.urandom(16).hex().encode(),
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ipykernel_launcher", "-f", connection,
             "--HistoryManager.hist_file=:memory:"],
            cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.client = BlockingKernelClient()
        self.client.load_connection_info(info)
        self.client.start_channels(iopub=False, stdin=False, hb=False, control=False)
        self.pending: str | None = None

    def run(self, code: str, timeout: float, expressions: dict | None = None) -> dict:
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False,
                                     user_expressions=expressions or {})
        return self.reply(msg_id, timeout)

    def reply(self, msg_id: str, timeout: float) -> dict:
        self.pending = msg_id
        deadline = time.monotonic() + max(timeout, 0)
        while (left := deadline - time.monotonic()) > 0 and self.process.poll() is None:
            try:
                msg = self.client.get_shell_msg(timeout=min(left, 1))
            except queue.Empty:
                continue
            if isinstance(msg, dict) and msg.get("parent_header", {}).get("msg_id") == msg_id:
                self.pending = None
                content = msg.get("content")
                return content if isinstance(content, dict) else {}
        if self.process.poll() is not None:
            raise Stop(f"the notebook's kernel died (exit code {self.process.returncode})")
        raise TimeoutError

    def interrupt(self) -> bool:
        try:
            os.kill(self.process.pid, signal.SIGINT)
            self.reply(self.pending, INTERRUPT_GRACE_SECONDS)
            return True
        except (TimeoutError, ProcessLookupError):
            return False


class Job:
    def __init__(self, job: dict):
        self.job = job
        self.deadline = time.monotonic() + job["total"]
        self.cell = job["cell"]

    def next_timeout(self) -> tuple[float, bool]:
        left = self.deadline - time.monotonic()
        return min(self.cell, left), left <= self.cell

    def overrun(self, kernel: Kernel, what: str, seconds: float, last: bool) -> None:
        if last:
            raise Stop(f"{what}: the time limit for the whole notebook was reached")
        if kernel.interrupt():
            emit(problem=f"{what} within {seconds:.0f} s; it was interrupted")
            return
        raise Stop(f"{what} within {seconds:.0f} s and ignored the interrupt; it was stopped")

    def run(self, kernel: Kernel) -> None:
        start = min(KERNEL_START_SECONDS, self.job["total"])
        kernel.reply(kernel.client.kernel_info(), start)
        # Part of starting, not of the first cell's time: the tests need otter (slow to import).
        kernel.run("import otter.test_files.ok_test", start)
        for number, source in self.job["cells"]:
            where = f"cell {number} (`{source.strip().splitlines()[0][:60]}`)"
            timeout, last = self.next_timeout()
            try:
                reply = kernel.run(source, timeout)
            except TimeoutError:
                self.overrun(kernel, f"{where} did not finish", timeout, last)
                continue
            if reply.get("status") == "error":
                emit(problem=cut(f"{where} raised {reply.get('ename')}: {reply.get('evalue')}"))
        emit(cells_done=True)
        for phase in ("public", "hidden"):
            for question, spec in self.job[phase].items():
                rows = self.test(kernel, question, spec, public=phase == "public")
                emit(phase=phase, question=question, rows=rows)

    def test(self, kernel: Kernel, question: str, spec: dict, public: bool):
        """[[passed, message], ...] for the cases of ``spec``, or a string saying why none."""
        code = TEST_CODE.format(spec=json.dumps(spec), limit=TEXT_LIMIT)
        timeout, last = self.next_timeout()
        try:
            reply = kernel.run(code, timeout, {"rows": "_labsupport_test_result"})
        except TimeoutError:
            self.overrun(kernel, f"the tests of {question} did not finish", timeout, last)
            return f"the tests did not finish in {timeout:.0f} s"
        if reply.get("status") == "error":
            if not public:
                return "the tests could not run"
            return cut(f"the tests could not run: {reply.get('ename')}: {reply.get('evalue')}")
        try:
            text = reply["user_expressions"]["rows"]["data"]["text/plain"]
            rows = json.loads(ast.literal_eval(text[:REPLY_LIMIT]))
            return [[row[0] is True, cut(row[1]) if public else ""] for row in rows]
        except Exception:  # noqa: BLE001 - the kernel's answer is not what the test code returns
            return "the test results could not be read"


def main() -> int:
    job = json.loads(sys.stdin.readline())
    harden(job["limits"])
    workdir = job["workdir"]
    os.makedirs(workdir, exist_ok=True)
    with open(os.path.join(workdir, job["filename"]), "w", encoding="utf-8") as f:
        f.write(job["notebook"])
    del job["notebook"]
    kernel = None
    try:
        kernel = Kernel(workdir)
        Job(job).run(kernel)
    except (Stop, TimeoutError) as error:
        emit(stopped=str(error) or "the kernel did not start in time")
    except Exception as error:  # noqa: BLE001 - reported, then the box ends
        emit(stopped=cut(f"the runner failed: {error!r}"))
    finally:
        emit(end=True)
        if kernel:  # the box dies with us anyway; this just ends it sooner
            try:
                os.killpg(kernel.process.pid, signal.SIGKILL)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
