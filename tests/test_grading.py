"""`python -m labinstructor.grading` end to end: the samples and the attacks of issue 18.

One grading run (module fixture) grades the sample submissions of tests/grading/ together
with notebooks written here that attack the grader: a daemon started with setsid and env -i
that tries to reach later kernels and plant symbolic links, hooks that try to leak hidden tests,
a patched test runner that forges results, an always-equal answer, a notebook that fills
memory, disk and the process table, one with endless output, one of another lab, a FIFO and a
link to /dev/zero named *.ipynb; and two honest ones that must lose points: one that passes
every public check and fails every hidden one, one made of the master's declared wrong answers.
Each test below reads that run's CSV, feedback and the host.

Everything needs bubblewrap that can run here; where it cannot, the tests are skipped with the
reason (see `pytest -rs`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from labinstructor import exercises
from labinstructor.grading import checks, files

HERE = Path(__file__).parent / "grading"
MASTER = HERE / "master" / "sample_master.ipynb"
SUBMISSIONS = HERE / "submissions"
AS_ROOT = os.geteuid() == 0
TOKEN = secrets.token_hex(8)  # in the daemon's command line: is it still running afterwards?
HIDDEN_NEEDLES = ["add(-4, 4)", "answer is not the answer", "ignore case", "AEIOU"]
LIMITS = ["--timeout", "40", "--cell-timeout", "6", "--memory-mb", "2048",
          "--processes", "64", "--disk-mb", "64", "--max-notebook-mb", "1"]


def bwrap_problem() -> str:
    """Why bubblewrap cannot run a box here ('' when it can)."""
    if not shutil.which("bwrap"):
        return "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    done = subprocess.run(["bwrap", "--unshare-all", "--unshare-user", "--die-with-parent",
                           "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"],
                          capture_output=True, text=True)
    return f"bubblewrap cannot run here: {done.stderr.strip()}" if done.returncode else ""


pytestmark = [
    pytest.mark.slow,  # boxes, kernels and timeouts: minutes; not in make test-fast
    pytest.mark.skipif(bool(bwrap_problem()), reason=bwrap_problem() or "ok"),
]

EXPECTED = {  # q1, q2, q3 out of 2 each
    "full": (2, 2, 2),
    "partial": (2, 1, 0),  # q2: public test passes, hidden fails; q3 left blank (.IPYNB)
    "infinite_loop": (2, 0, 0),  # q2 loops at top level, q3's function loops when tested
    "unstoppable": (0, 0, 0),  # ignores the interrupt: killed, nothing can be graded
    "a_intruder": (0, 0, 0),
    "leaker": (0, 2, 2),  # q1 wrong on purpose, so its public message is shown
    "forger": (0, 0, 0),  # tampered
    "other_lab": (0, 0, 0),
    "z_blank": (0, 0, 0),  # graded after the intruder's daemon had its chance
    "public_only": (1, 1, 1),  # passes every public check, fails every hidden one
    "wrong_declared": (0, 0, 0),  # the master's first declared wrong answer to each question
    "fifo": (0, 0, 0),
    "zero": (0, 0, 0),
    "too_big": (0, 0, 0),
}
STATUS = {"full": "graded", "unstoppable": "stopped", "forger": "tampered",
          "other_lab": "wrong lab", "fifo": "refused", "zero": "refused",
          "too_big": "refused", "leaker": "graded", "z_blank": "graded",
          "public_only": "graded", "wrong_declared": "graded"}
REASONS = {  # what each bad submission's feedback must say
    "partial": ["q2 - 2 (hidden test) failed", "count_vowels(\"banana\") should be 3"],
    "infinite_loop": ["(`while True:`) did not finish within 6 s; it was interrupted",
                      "the tests of q3 did not finish within 6 s"],
    "unstoppable": ["ignored the interrupt; it was stopped", "not graded"],
    "fifo": ["not a regular file (a FIFO): not read"],
    "zero": ["a symbolic link, not a file: not read"],
    "too_big": ["larger than 1 MiB: not read"],
    "other_lab": ["a notebook of another lab ('another_lab')"],
    "forger": ["could not be trusted"],
    "public_only": [f"q{n} - 2 (hidden test) failed" for n in (1, 2, 3)],
    "wrong_declared": ["add(1, 2) should be 3", "answer should be an int",
                       'count_vowels("banana") should be 3'],
}
PUBLIC_ONLY = ["def add(a, b):\n    return abs(a) + abs(b)", "answer = 7",
               'def count_vowels(text):\n    return sum(ch in "aeiou" for ch in text)']

INTRUDER = '''\
import glob, json, os, socket, subprocess, sys, time
from pathlib import Path
import labsupport
seen = {}
# 1. A daemon in a new session with an empty environment: it tries to reach later kernels
#    (to answer their questions) and plants links where a root grader might write.
DAEMON = """
import glob, json, os, time
TOKEN = "%(token)s"
# Each kernel once, told apart by its key, never its own: every client costs threads, and
# threads count against the box's process limit.
def key(path):
    try:
        return json.load(open(path))["key"]
    except Exception:
        return None
tried = {key(p) for p in glob.glob("/tmp/**/.kernel.json", recursive=True)}
while True:
    found = glob.glob("/tmp/**/.kernel.json", recursive=True)
    for path in found + glob.glob("/proc/*/cwd/.kernel.json"):
        if key(path) in tried:
            continue
        tried.add(key(path))
        try:
            from jupyter_client import BlockingKernelClient
            client = BlockingKernelClient(); client.load_connection_file(path)
            client.start_channels()
            client.execute("def add(a, b):\\\\n    return a + b\\\\nanswer = 42\\\\n"
                           "def count_vowels(t):\\\\n"
                           "    return sum(c in 'aeiou' for c in t.lower())")
        except Exception:
            pass
    for folder in glob.glob("/tmp/*") + ["%(out)s"]:
        for name in ("scores.csv", "z_blank.md", ".kernel.json"):
            try:
                os.symlink("%(target)s", os.path.join(folder, name))
            except OSError:
                pass
    time.sleep(0.2)
"""
subprocess.Popen(["setsid", "env", "-i", sys.executable, "-c", DAEMON],
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                 start_new_session=True)
time.sleep(1)
seen["daemon"] = sum("%(token)s" in open(f"/proc/{p}/cmdline", errors="ignore").read()
                     for p in os.listdir("/proc") if p.isdigit())
# 2. What can be seen from inside?
seen["pids"] = len([p for p in os.listdir("/proc") if p.isdigit()])
repo = Path(labsupport.__file__).resolve().parents[1]
seen["visible"] = [str(p) for p in [repo / "masters", repo / "tests", repo / ".git",
                   Path("%(out)s"), Path("%(submissions)s"), Path("%(master)s"), Path("/root"),
                   Path("/home"), Path("/etc/shadow")] if os.path.exists(p)]
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    seen["network"] = "open"
except OSError as error:
    seen["network"] = error.strerror or "closed"
seen["tried"] = ["/", "/usr", str(repo), "/work", "/etc"]
seen["wrote"] = []
for folder in seen["tried"]:
    try:
        Path(folder, "intruder-%(token)s").write_text("x")
        seen["wrote"].append(folder)
    except OSError:
        pass
# 3. Limits: disk, memory, processes.
try:
    with open("/tmp/fill", "wb") as f:
        for _ in range(1000):
            f.write(b"0" * (1 << 20))
    seen["disk"] = "unlimited"
except OSError as error:
    seen["disk"] = error.strerror
os.remove("/tmp/fill")
try:
    hog = bytearray(3 << 30)
    seen["memory"] = "unlimited"
except MemoryError:
    seen["memory"] = "MemoryError"
kids = []
try:
    for _ in range(1000):
        kids.append(subprocess.Popen(["sleep", "60"]))
    seen["processes"] = "unlimited"
except OSError as error:
    seen["processes"] = error.strerror
for kid in kids:
    kid.kill(); kid.wait()
raise RuntimeError("SEEN " + json.dumps(seen))'''

LEAKER = '''\
def add(a, b):  # wrong on purpose, with an endless message: q1's public failure is shown
    raise ValueError("y" * 10_000_000)
import glob, os
from otter.test_files import ok_test
CAPTURED = []
ip = get_ipython()
ip.events.register("pre_run_cell", lambda info: CAPTURED.append(info.raw_cell))
ip.input_transformers_post.append(lambda lines: CAPTURED.extend(lines) or lines)
original = ok_test.OKTestFile.run
def run(self, env):
    CAPTURED.extend(case.body for case in self.test_cases)
    original(self, env)
    for result in self.test_case_results:
        result.message = "LEAK " + " ".join(CAPTURED)[-3000:]
    with open("/tmp/leak.txt", "a") as f:
        f.write(" ".join(CAPTURED))
    os.chmod("/tmp/leak.txt", 0o666)
ok_test.OKTestFile.run = run
def post(result):
    raise RuntimeError("LEAK " + " ".join(CAPTURED)[-3000:])
ip.events.register("post_run_cell", post)'''

FORGER = '''\
import os
from otter.test_files import ok_test
original = ok_test.OKTestFile.run
def run(self, env):
    original(self, env)
    for result in self.test_case_results:
        result.passed, result.message = True, "passed"
ok_test.OKTestFile.run = run
import doctest
doctest.DocTestRunner.run = lambda self, *a, **k: doctest.TestResults(0, 0)
attempts = {}
for fd in (0, 1):  # forge the runner's events directly
    try:
        with open(f"/proc/{os.getppid()}/fd/{fd}", "w") as f:
            f.write('{"end": true}\\n')
        attempts[fd] = "written"
    except OSError as error:
        attempts[fd] = error.strerror
raise RuntimeError(f"FORGE {attempts}")'''

HUGE = '''\
print("x" * 5_000_000)
answer = 42
raise ValueError("z" * 50_000_000)'''

VOWELS = 'def count_vowels(text):\n    return sum(ch in "aeiou" for ch in text.lower())'


def notebook(answers: list[str], lab: str | None = None) -> str:
    nb = nbformat.read(SUBMISSIONS / "full.ipynb", as_version=4)
    cells = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
    for cell, answer in zip(cells, answers):
        cell.source = answer
    if lab:
        nb.metadata["otter"]["assignment_name"] = lab
    return nbformat.writes(nb)


def first_wrong_answers(master: Path) -> list[str]:
    """The first declared wrong answer (CONTRIBUTING.md) to each question of ``master``."""
    declared = exercises.wrong_answers(nbformat.read(master, as_version=4))
    return [declared[q][0][1] for q in ("q1", "q2", "q3")]


def sha256s(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


def open_folder(mode: int) -> Path:
    """A folder under /tmp that the sandbox user can see into (unlike pytest's tmp_path)."""
    folder = Path(tempfile.mkdtemp(prefix="labsupport-test-"))
    folder.chmod(mode)
    return folder


def grade(submissions: Path, out: Path, master: Path, python: str, *extra: str, env=None):
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "labinstructor.grading", str(submissions), "--out", str(out),
         "--master", str(master), "--python", python, *extra],
        capture_output=True, text=True, timeout=600, env=env,
    )
    return done, time.monotonic() - started


def read_scores(out: Path) -> dict[str, dict]:
    with out.open() as f:
        return {row["submission"].rsplit(".", 1)[0]: row for row in csv.DictReader(f)}


def can_nobody_run(python: str) -> bool:
    nobody = pwd.getpwnam("nobody")
    try:
        done = subprocess.run([python, "-c", "import ipykernel, otter, labsupport"], cwd="/",
                              user=nobody.pw_uid, group=nobody.pw_gid, extra_groups=[],
                              capture_output=True)
    except OSError:  # not even executable for nobody
        return False
    return done.returncode == 0


@pytest.fixture(scope="module")
def sandbox_python() -> str:
    """A Python that `nobody` can run, with this venv's packages (or ours when not root).

    If ours lives somewhere `nobody` cannot reach (e.g. pyenv under /root), build a venv from
    the system Python of the same version, pointing at this venv's site-packages.
    """
    if not AS_ROOT or can_nobody_run(sys.executable):
        yield sys.executable
        return
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    base = shutil.which(version, path="/usr/local/bin:/usr/bin")
    if not base:
        pytest.skip(f"`nobody` cannot run {sys.executable} and there is no system {version}")
    venv = open_folder(0o755) / "venv"
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    ours = sysconfig.get_paths()["purelib"]
    (site / "ours.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    subprocess.run(["chmod", "-R", "go+rX", str(venv)], check=True)
    try:
        python = str(venv / "bin" / "python")
        if not can_nobody_run(python):
            pytest.skip("no Python that `nobody` can run")
        yield python
    finally:
        shutil.rmtree(venv.parent)


@pytest.fixture(scope="module")
def graded(sandbox_python, tmp_path_factory):
    """One real grading run over the samples and the attacks."""
    master = Path(shutil.copy(MASTER, tmp_path_factory.mktemp("master")))
    submissions = open_folder(0o755)
    out_dir = tmp_path_factory.mktemp("grades")
    out = out_dir / "scores.csv"
    target = out_dir / "root-only.txt"  # what the daemon's links point at
    target.write_text("root only\n")
    target.chmod(0o600)
    try:
        for name in ("full", "infinite_loop", "unstoppable"):
            shutil.copy(SUBMISSIONS / f"{name}.ipynb", submissions)
        shutil.copy(SUBMISSIONS / "partial.ipynb", submissions / "partial.IPYNB")
        where = dict(token=TOKEN, out=out_dir, target=target, submissions=submissions,
                     master=master)
        written = {
            "a_intruder": notebook(["", "", INTRUDER % where]),
            "leaker": notebook([LEAKER, HUGE, VOWELS]),
            "forger": notebook([FORGER]),
            "other_lab": notebook([], lab="another_lab"),
            "z_blank": notebook(["def add(a, b):\n    ...", "answer = ...",
                                 "def count_vowels(text):\n    ..."]),
            "public_only": notebook(PUBLIC_ONLY),
            "wrong_declared": notebook(first_wrong_answers(MASTER)),
        }
        for name, text in written.items():
            (submissions / f"{name}.ipynb").write_text(text)
        os.mkfifo(submissions / "fifo.ipynb")
        os.symlink("/dev/zero", submissions / "zero.ipynb")
        (submissions / "too_big.ipynb").write_text(" " * (2 << 20))
        (submissions / "notes.txt").write_text("not a notebook")
        # A link already waiting where the grader writes a feedback file: it must not be followed.
        (out_dir / "scores_feedback").mkdir(mode=0o700)
        os.symlink(target, out_dir / "scores_feedback" / "full.md")
        before = sha256s(submissions)
        done, seconds = grade(submissions, out, master, sandbox_python, *LIMITS)
        feedback = out_dir / "scores_feedback"
        texts = {p.stem: p.read_text() for p in feedback.glob("*.md")}
        yield dict(done=done, seconds=seconds, out=out, feedback=feedback, texts=texts,
                   target=target, submissions=submissions, before=before)
    finally:
        shutil.rmtree(submissions)


def test_every_submission_gets_the_expected_scores(graded):
    assert graded["done"].returncode == 0, graded["done"].stdout + graded["done"].stderr
    scores = read_scores(graded["out"])
    assert set(scores) == set(EXPECTED), graded["done"].stdout
    for name, row in scores.items():
        got = tuple(float(row[q]) for q in ("q1", "q2", "q3"))
        assert got == EXPECTED[name], (name, graded["texts"].get(name))
        assert row["possible"] == "6"
    for name, status in STATUS.items():
        assert scores[name]["status"] == status, (name, graded["texts"].get(name))


def test_feedback_gives_the_reason_for_each_lost_point(graded):
    for name, reasons in REASONS.items():
        for reason in reasons:
            text = graded["texts"][name]
            assert reason in text, f"{name}: {reason!r} not in\n{text}"
    assert "## q" not in graded["texts"]["full"]  # no failures listed


def test_a_daemon_dies_with_its_box_and_reaches_no_other_kernel(graded):
    """Attack 1-2: setsid + env -i daemon; it ran (seen from inside), is gone, and the blank
    notebook graded after it scored 0."""
    seen = intruder_saw(graded)
    assert seen["daemon"] >= 1
    leftovers = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if TOKEN.encode() in cmdline.read_bytes() and cmdline.parent.name != str(os.getpid()):
                leftovers.append(cmdline.parent.name)
        except OSError:
            continue
    assert leftovers == []
    assert read_scores(graded["out"])["z_blank"]["total"] == "0"


def test_the_box_shows_nothing_of_the_host_and_enforces_its_limits(graded):
    seen = intruder_saw(graded)
    assert seen["pids"] < 20  # its own PID namespace: the runner, the kernel, its children
    assert seen["visible"] == []  # no repository, grades, submissions, master, /root, /home
    assert seen["network"] != "open"
    # Only the box's own /tmp takes a write: a repository checked out under /tmp has an empty
    # folder there, the mount point of its read-only parts. Nothing reaches the host.
    assert [folder for folder in seen["wrote"] if not folder.startswith("/tmp/")] == []
    assert [f for f in seen["tried"] if Path(f, f"intruder-{TOKEN}").exists()] == []
    assert seen["disk"] in ("File too large", "No space left on device")
    assert seen["memory"] == "MemoryError"
    assert seen["processes"] == "Resource temporarily unavailable"


def intruder_saw(graded) -> dict:
    text = graded["texts"]["a_intruder"]
    assert "SEEN " in text, text
    return json.loads(text.split("SEEN ", 1)[1].split("\n", 1)[0])


def test_root_never_writes_through_a_planted_link(graded):
    """Attack 1: a symbolic link where the grader writes a file is replaced, not followed."""
    target = graded["target"]
    assert target.read_text() == "root only\n"
    info = target.stat()
    assert info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o600
    full = graded["feedback"] / "full.md"
    assert not full.is_symlink() and "Score: 6 / 6" in full.read_text()


def test_grades_and_feedback_are_private(graded):
    """Attack 3 (grades folder read): folder 0700, files 0600; the box could not see them."""
    feedback = graded["feedback"]
    assert stat.S_IMODE(feedback.stat().st_mode) == 0o700
    for path in [graded["out"], *feedback.iterdir()]:
        assert stat.S_IMODE(path.lstat().st_mode) == 0o600, path
    assert str(graded["out"].parent) not in intruder_saw(graded)["visible"]


def test_hidden_tests_never_reach_the_feedback(graded):
    """Attack 3 (hook-based leak): pre/post_run_cell hooks, an input transformer and a patched
    OKTestFile.run collect the test code; none of the hidden code shows up anywhere."""
    for name, text in graded["texts"].items():
        for needle in HIDDEN_NEEDLES:
            assert needle not in text, (name, needle)
    assert "LEAK" in graded["texts"]["leaker"]  # the hooks did run and report
    assert "q1 - 2 (hidden test) failed" in graded["texts"]["leaker"]


def test_forged_results_are_caught_by_the_canaries(graded):
    """Attack 4: a patched test runner (and doctest) scores 0
    as tampered with a note for the instructor; writing the runner's pipes is refused."""
    scores = read_scores(graded["out"])
    for name in ("forger",):
        assert scores[name]["status"] == "tampered"
        assert "canary" in scores[name]["note"]
        assert "canary" not in graded["texts"][name]  # the student is not told how
    assert "FORGE {0: 'Permission denied', 1: 'Permission denied'}" in graded["texts"]["forger"]
    assert "NOTE forger.ipynb" in graded["done"].stdout


def test_bad_files_get_their_own_rows_and_skipped_files_are_listed(graded):
    """Attack 5: FIFO and /dev/zero link named *.ipynb, an oversized file, another lab's
    notebook, an upper-case suffix; the run goes on past each."""
    assert "skipped 1 file(s) not named *.ipynb: 'notes.txt'" in graded["done"].stderr
    assert read_scores(graded["out"])["partial"]["total"] == "3"  # named partial.IPYNB


def test_oversized_output_is_capped(graded):
    text = graded["texts"]["leaker"]  # a 50 MB exception, a 10 MB test failure, 5 MB printed
    assert len(text) < 25_000
    assert "[... cut at 2000 characters]" in text and "q1 - 1: LEAK" in text


def test_submissions_are_unchanged(graded):
    assert graded["before"] == sha256s(graded["submissions"])


# --- setup refusals and units (no box needed) -----------------------------------------------


def test_grading_refuses_to_start_without_bubblewrap(tmp_path):
    (tmp_path / "s").mkdir()
    shutil.copy(SUBMISSIONS / "full.ipynb", tmp_path / "s")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    done, _ = grade(tmp_path / "s", tmp_path / "g.csv", MASTER, sys.executable, env=env)
    assert done.returncode == 2
    assert "bubblewrap (`bwrap`) is not installed" in done.stderr
    assert "apt-get install bubblewrap" in done.stderr
    assert not (tmp_path / "g.csv").exists()


def test_grading_refuses_a_master_visible_in_the_box(tmp_path):
    (tmp_path / "s").mkdir()
    shutil.copy(SUBMISSIONS / "full.ipynb", tmp_path / "s")
    done, _ = grade(tmp_path / "s", tmp_path / "g.csv", MASTER, sys.executable,
                    "--bind-ro", str(HERE))
    assert done.returncode == 2
    assert "would be visible inside the box" in done.stderr


def test_list_submissions_reads_regular_files_only(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "B.IPYNB").write_text("{}")
    os.mkfifo(tmp_path / "c.ipynb")
    os.symlink(tmp_path / "a.ipynb", tmp_path / "d.ipynb")
    (tmp_path / "e.ipynb").mkdir()
    (tmp_path / "f.ipynb.json").write_text("{}")
    found, skipped = files.list_submissions(tmp_path, 1 << 20)
    got = {s.name: s.refused or s.text for s in found}
    assert got == {"a.ipynb": "{}", "B.IPYNB": "{}",
                   "c.ipynb": "not a regular file (a FIFO): not read",
                   "d.ipynb": "a symbolic link, not a file: not read",
                   "e.ipynb": "not a regular file (a folder): not read"}
    assert skipped == ["f.ipynb.json"]


def test_canaries_fail_for_a_correct_solution_and_look_like_hidden_cases():
    import random

    spec = {"name": "q", "points": 2, "suites": [{"cases": [
        {"code": ">>> assert f(2) == 4, 'f(2) should be 4'\n", "hidden": False},
        {"code": ">>> x = f(3)\n>>> assert x == 9, 'f(3) should be 9'\n", "hidden": True},
        {"code": ">>> assert ok(1) is True\n", "hidden": True},
    ], "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
    env = {"f": lambda n: n * n, "ok": lambda n: True}
    for seed in range(40):
        rng = random.Random(seed)
        plan, public, hidden = checks.plan("q", spec, rng)
        codes = [c["code"] for c in hidden["suites"][0]["cases"]]
        assert len(codes) in (3, 4) and all(c["hidden"] for c in hidden["suites"][0]["cases"])
        for i, code in zip(plan.hidden, codes):
            ns = dict(env)
            try:
                for line in code.splitlines():
                    exec(line[4:], ns)
                passed = True
            except AssertionError:
                passed = False
            assert passed == (i is not None), code
            assert code.startswith(">>> ")
