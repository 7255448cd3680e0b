"""`python -m labsupport.grading` end to end on the sample submissions in tests/grading/.

As root the submissions run as `nobody`; the cheater's attacks are checked there, with a
control run in which its targets are left readable and writable (so the attacks are shown to
work and it is the sandbox that stops them). Not as root, the cheater is left out.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "grading"
MASTER = HERE / "master" / "sample_master.ipynb"
SUBMISSIONS = HERE / "submissions"
AS_ROOT = os.geteuid() == 0
EXPECTED = {  # q1, q2, q3 out of 2 each
    "full": (2, 2, 2),
    "partial": (2, 1, 0),  # q2: public test passes, hidden fails; q3 left blank
    "syntax_error": (0, 2, 2),
    "raises": (2, 0, 0),
    "infinite_loop": (2, 0, 0),  # q2 loops at top level, q3's function loops when tested
    "unstoppable": (0, 0, 0),  # ignores the interrupt: killed, nothing can be graded
    "cheater": (2, 2, 0),  # q3 only "solved" if the hidden tests can be read
}
REASONS = {  # what each bad submission's feedback must say
    "partial": ["q2 - 2 (hidden test)", "AssertionError: answer is not the answer"],
    "syntax_error": ["raised SyntaxError", "name 'add' is not defined"],
    "raises": ["raised ValueError: I give up", "RuntimeError: not implemented"],
    "infinite_loop": ["(`while True:`) did not finish within 5 s; it was interrupted",
                      "the tests of q3 did not finish within 5 s"],
    "unstoppable": ["ignored the interrupt; it was stopped", "not graded"],
    "cheater": ["name 'count_vowels' is not defined"],
}
LIMITS = ["--timeout", "30", "--cell-timeout", "5"]
BOUND_SECONDS = 120  # 7 submissions; two run into the 5 s cell limit, 4 times in all
ESCAPE_MARK = "ESCAPED-by-cheater.txt"  # the file the cheater tries to create everywhere


def sha256s(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def open_folder(mode: int) -> Path:
    """A folder under /tmp that the sandbox user can see into (unlike pytest's tmp_path)."""
    folder = Path(tempfile.mkdtemp(prefix="labsupport-test-"))
    folder.chmod(mode)
    return folder


def grade(submissions: Path, out: Path, master: Path, python: str, *extra: str):
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "labsupport.grading", str(submissions), "--out", str(out),
         "--master", str(master), "--python", python, *extra],
        capture_output=True, text=True, timeout=600,
    )
    return done, time.monotonic() - started


def read_scores(out: Path) -> dict[str, dict]:
    with out.open() as f:
        return {row["submission"].removesuffix(".ipynb"): row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def sandbox_python(tmp_path_factory) -> str:
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
def private_master(tmp_path_factory) -> Path:
    """The sample master where the sandbox user cannot read it (pytest's tmp is 0700)."""
    return Path(shutil.copy(MASTER, tmp_path_factory.mktemp("master")))


@pytest.fixture(scope="module")
def graded(sandbox_python, private_master, tmp_path_factory):
    """One real grading run over all samples, with the submissions in an instructor-like
    folder: readable by everyone, writable by its owner only."""
    submissions = open_folder(0o755)
    try:
        for sample in SUBMISSIONS.glob("*.ipynb"):
            if AS_ROOT or sample.stem != "cheater":
                shutil.copy(sample, submissions)
        before = sha256s(submissions)
        out = tmp_path_factory.mktemp("out") / "scores.csv"
        done, seconds = grade(submissions, out, private_master, sandbox_python, *LIMITS)
        yield dict(done=done, seconds=seconds, out=out, before=before,
                   after=sha256s(submissions), feedback=out.parent / "scores_feedback")
    finally:
        shutil.rmtree(submissions)


def test_every_submission_gets_the_expected_scores(graded):
    assert graded["done"].returncode == 0, graded["done"].stdout + graded["done"].stderr
    scores = read_scores(graded["out"])
    assert set(scores) == {name for name in EXPECTED if AS_ROOT or name != "cheater"}
    for name, row in scores.items():
        got = tuple(float(row[q]) for q in ("q1", "q2", "q3"))
        assert got == EXPECTED[name], name
        assert float(row["total"]) == sum(EXPECTED[name]) and row["possible"] == "6"
    assert scores["unstoppable"]["status"] == "stopped"
    assert scores["full"]["status"] == "graded"


def test_the_whole_run_stays_within_the_time_bound(graded):
    assert graded["seconds"] < BOUND_SECONDS


def test_feedback_gives_the_reason_for_each_lost_point(graded):
    for name, reasons in REASONS.items():
        if name == "cheater" and not AS_ROOT:
            continue
        text = (graded["feedback"] / f"{name}.md").read_text()
        for reason in reasons:
            assert reason in text, f"{name}: {reason!r} not in\n{text}"
    assert "## q" not in (graded["feedback"] / "full.md").read_text()  # no failures listed
    if AS_ROOT:  # the attack code itself ran to the end (and found nothing to use)
        assert "Problems" not in (graded["feedback"] / "cheater.md").read_text()


def test_submissions_are_unchanged_and_nothing_escaped(graded):
    assert graded["after"] == graded["before"]
    assert not (HERE / ESCAPE_MARK).exists()


def test_no_submission_process_is_left_running(graded):
    leftovers = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"labsupport-grade-" in cmdline.read_bytes():
                leftovers.append(cmdline.parent.name)
        except OSError:
            continue
    assert leftovers == []


@pytest.mark.skipif(not AS_ROOT, reason="privilege separation needs root")
def test_the_cheater_succeeds_where_the_sandbox_user_may_read_and_write(
    sandbox_python, private_master, tmp_path
):
    """Control for the run above: same cheater, but a readable copy of the hidden test
    and a writable submissions folder. Its attacks work, so the sandbox is what stops them."""
    submissions, leak = open_folder(0o777), open_folder(0o755)
    try:
        shutil.copy(SUBMISSIONS / "cheater.ipynb", submissions)
        (submissions / "cheater.ipynb").chmod(0o666)
        before = sha256s(submissions)
        hidden = leak / "hidden_q3.txt"
        hidden.write_text("assert count_vowels('AEIOU') == 5, 'should " + "ignore case'")
        hidden.chmod(0o644)
        done, _ = grade(submissions, tmp_path / "scores.csv", private_master, sandbox_python,
                        *LIMITS)
        assert done.returncode == 0, done.stderr
        feedback = (tmp_path / "scores_feedback" / "cheater.md").read_text()
        assert float(read_scores(tmp_path / "scores.csv")["cheater"]["q3"]) == 2, feedback
        assert (submissions / ESCAPE_MARK).exists()
        assert sha256s(submissions)["cheater.ipynb"] != before["cheater.ipynb"]
    finally:
        shutil.rmtree(submissions)
        shutil.rmtree(leak)


@pytest.mark.skipif(not AS_ROOT, reason="privilege separation needs root")
def test_grading_refuses_a_master_the_sandbox_user_can_read(sandbox_python, tmp_path):
    readable, submissions = open_folder(0o755), tmp_path / "submissions"
    submissions.mkdir()
    shutil.copy(SUBMISSIONS / "full.ipynb", submissions)
    try:
        shutil.copy(MASTER, readable)
        (readable / MASTER.name).chmod(0o644)
        done, _ = grade(submissions, tmp_path / "scores.csv", readable / MASTER.name,
                        sandbox_python)
        assert done.returncode == 2
        assert f"user 'nobody' can read {readable / MASTER.name}" in done.stderr
        assert not (tmp_path / "scores.csv").exists()
    finally:
        shutil.rmtree(readable)
