"""The bubblewrap box one submission runs in (see the package docstring for why bubblewrap)."""

from __future__ import annotations

import json
import os
import pwd
import selectors
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`, Fedora: "
    "`dnf install bubblewrap`; or `make bwrap`), on a kernel that allows user namespaces"
)
RUNNER = Path(__file__).with_name("runner.py")
WORKDIR = "/tmp/work"  # inside the box; /tmp is the box's own size-limited tmpfs
HOME = "/tmp/home"
SHM_BYTES = 64 << 20  # /dev/shm gets its own small tmpfs
PASS_ENV = ("LANG", "LC_ALL", "LAB_PROFILE", "LAB_DEVICE", "LAB_DIALOGSUM", "HF_HUB_OFFLINE",
            "HF_DATASETS_OFFLINE", "HF_EVALUATE_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HOME",
            "CUDA_VISIBLE_DEVICES")
# Thread pools start one thread per core by default, and threads count against --processes:
# on a 64-core machine numpy and torch alone would use up a limit of 64 before the submission
# starts anything. A submission gets one thread per pool, whatever the host has.
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
                "/etc/alternatives", "/etc/fonts")
STDOUT_LIMIT = 8 << 20  # bytes of events read from one box
STDERR_LIMIT = 64 << 10

# Run by the sandbox Python on the host (as the grader, before any submission): where it lives.
WHERE_CODE = """\
import json, os, sys
import labsupport, labsupport.paths
print(json.dumps(dict(
    prefix=sys.prefix, base_prefix=sys.base_prefix, executable=sys.executable,
    path=[p for p in sys.path if os.path.isdir(p)],
    labsupport=os.path.dirname(os.path.realpath(labsupport.__file__)),
    data=str(labsupport.paths.DATA_DIR.resolve()))))
"""
PROBE_CODE = "import ipykernel, jupyter_client, otter, labsupport"


class SetupError(Exception):
    """Grading cannot start (bad arguments, no bubblewrap, a secret inside the box)."""


@dataclass
class Limits:
    total: float  # seconds for the whole submission
    cell: float  # seconds for one cell, or for one question's tests
    memory_mb: int  # address space of each process (RLIMIT_AS)
    processes: int  # processes and threads of the box (RLIMIT_NPROC, per user namespace)
    cpu_seconds: int  # CPU time of each process (RLIMIT_CPU)
    disk_mb: int  # size of the box's /tmp (home and work folder); also RLIMIT_FSIZE

    def rlimits(self) -> dict[str, int]:
        return {
            "RLIMIT_AS": self.memory_mb << 20, "RLIMIT_NPROC": self.processes,
            "RLIMIT_CPU": self.cpu_seconds, "RLIMIT_FSIZE": self.disk_mb << 20,
        }


def inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@dataclass
class Box:
    bwrap: str
    python: str
    binds: list[str]
    uid: int | None  # run as this user (when the grader is root), else as ourselves
    gid: int | None

    @classmethod
    def prepare(cls, python: str, user: str, extra: list[Path], secrets: list[Path]) -> Box:
        bwrap = shutil.which("bwrap")
        if not bwrap:
            raise SetupError(f"bubblewrap (`bwrap`) is not installed: {INSTALL_HINT}. "
                             "Grading does not run submissions without it.")
        try:
            where = json.loads(subprocess.run(
                [python, "-I", "-c", WHERE_CODE], capture_output=True, text=True, check=True,
                timeout=120, cwd="/").stdout)
        except (OSError, subprocess.SubprocessError, ValueError) as error:
            raise SetupError(f"{python} cannot import labsupport: {error}") from error
        wanted = [where["prefix"], where["base_prefix"], *where["path"], where["labsupport"],
                  where["data"], *map(str, extra)]
        binds: list[Path] = []
        for path in sorted({Path(os.path.realpath(p)) for p in wanted}, key=lambda p: len(p.parts)):
            if not any(inside(path, b) for b in binds):
                binds.append(path)
        for secret in secrets:
            secret = Path(os.path.realpath(secret))
            for bound in binds:
                if inside(secret, bound):
                    raise SetupError(
                        f"{secret} would be visible inside the box (through {bound}): install "
                        "labsupport elsewhere, or keep masters and grades out of that folder")
        uid = gid = None
        if os.geteuid() == 0:
            entry = pwd.getpwnam(user)
            uid, gid = entry.pw_uid, entry.pw_gid
        box = cls(bwrap, where["executable"], [str(b) for b in binds], uid, gid)
        box.probe()
        return box

    def argv(self, limits: Limits, command: list[str]) -> list[str]:
        args = [self.bwrap, "--unshare-all", "--unshare-user", "--disable-userns",
                "--die-with-parent", "--new-session", "--hostname", "grading", "--clearenv"]
        args += ["--proc", "/proc", "--dev", "/dev",
                 "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm",
                 "--size", str(limits.disk_mb << 20), "--tmpfs", "/tmp", "--chdir", "/tmp"]
        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                args += ["--ro-bind", path, path]
        for path in SYSTEM_FILES:
            args += ["--ro-bind-try", path, path]
        for path in self.binds:
            args += ["--ro-bind", path, path]
        env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
        env.update(
            PATH=f"{Path(self.python).parent}:/usr/local/bin:/usr/bin:/bin", HOME=HOME,
            TMPDIR="/tmp", USER="grader", LOGNAME="grader", MPLBACKEND="Agg",
            IPYTHONDIR=f"{HOME}/.ipython", MPLCONFIGDIR=f"{HOME}/.matplotlib",
            PYTHONDONTWRITEBYTECODE="1", **ONE_THREAD,
        )
        env.setdefault("LANG", "C.UTF-8")
        for key, value in env.items():
            args += ["--setenv", key, value]
        args += ["--remount-ro", "/"]  # the root tmpfs: only /tmp and /dev/shm stay writable
        return [*args, "--", *command]

    def popen(self, limits: Limits, command: list[str]) -> subprocess.Popen:
        kwargs = {}
        if self.uid is not None:
            kwargs = dict(user=self.uid, group=self.gid, extra_groups=[])
        return subprocess.Popen(
            self.argv(limits, command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd="/", env={"PATH": "/usr/bin:/bin"},
            start_new_session=True, umask=0o077, **kwargs)

    def probe(self) -> None:
        """A box that only imports what grading needs: does bubblewrap run, are the paths right?"""
        limits = Limits(120, 120, 4096, 256, 120, 64)
        command = [self.python, "-I", "-c", PROBE_CODE]
        try:
            done = subprocess.run(self.argv(limits, command), capture_output=True, text=True,
                                  timeout=180, cwd="/", **self._user())
        except (OSError, subprocess.SubprocessError) as error:
            raise SetupError(f"bubblewrap cannot run: {error}; {INSTALL_HINT}") from error
        if done.returncode:
            raise SetupError(
                f"a test box could not import ipykernel, otter and labsupport:\n"
                f"{done.stderr.strip()[-1500:]}\n"
                f"bubblewrap needs unprivileged user namespaces ({INSTALL_HINT}); the box runs "
                "as the sandbox user, who must be able to reach every folder of the Python "
                "that runs submissions (pass --python with one outside /root, e.g. under /opt)."
            )

    def _user(self) -> dict:
        return {} if self.uid is None else dict(user=self.uid, group=self.gid, extra_groups=[])

    def run(self, job: dict, limits: Limits) -> tuple[list[dict], str]:
        """Run the runner on ``job`` in a fresh box; return its events and bwrap's complaints.

        The box is killed at the submission's deadline (plus a grace period); every process in
        it dies with it, since they all live in the box's own PID namespace.
        """
        job = dict(job, limits=limits.rlimits(), workdir=WORKDIR, total=limits.total,
                   cell=limits.cell)
        process = self.popen(limits, [self.python, "-I", "-c", RUNNER.read_text()])
        events, out, err = [], bytearray(), bytearray()
        try:
            try:
                process.stdin.write(json.dumps(job).encode() + b"\n")
                process.stdin.close()
            except BrokenPipeError:
                pass
            deadline = time.monotonic() + limits.total + 30
            selector = selectors.DefaultSelector()
            selector.register(process.stdout, selectors.EVENT_READ, out)
            selector.register(process.stderr, selectors.EVENT_READ, err)
            while selector.get_map() and (left := deadline - time.monotonic()) > 0:
                for key, _ in selector.select(timeout=min(left, 1)):
                    chunk = os.read(key.fileobj.fileno(), 65536)
                    buffer = key.data
                    limit = STDOUT_LIMIT if buffer is out else STDERR_LIMIT
                    if not chunk or len(buffer) >= limit:
                        selector.unregister(key.fileobj)
                    else:
                        buffer += chunk[: limit - len(buffer)]
                if out.count(b'"end": true'):
                    break
        finally:
            kill(process)
        for line in bytes(out).splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                events.append(event)
        return events, bytes(err).decode(errors="replace")[-2000:]


def kill(process: subprocess.Popen) -> None:
    """End the box: killing bwrap kills its PID namespace's init, hence everything in it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        try:
            stream.close()
        except OSError:
            pass
