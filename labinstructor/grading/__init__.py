"""Grade submitted learner notebooks against a master's public and hidden tests.

    sudo python -m labinstructor.grading SUBMISSIONS_DIR --out grades/03.csv [--master M.ipynb]

Writes the CSV (points per question, total, status, a note for the instructor) and a folder
``<out>_feedback/`` of one Markdown file per submission, both private (folders 0700, files
0600). Needs bubblewrap (`bwrap`); without it, grading refuses to start.

How one submission is graded
----------------------------
The root grader reads the file itself (regular files only, never through a link, up to a
size limit), checks it is a notebook of the lab being graded, and starts a **box** for it with
bubblewrap, as the unprivileged sandbox user (``nobody``; or as you when not root):

* its own user, PID, network, IPC, UTS and cgroup namespaces (``--unshare-all``), no nested
  user namespaces, a new session, and ``--die-with-parent``: the box's processes cannot see or
  signal anything outside, have only a private loopback, and all die when the box ends, since
  the PID namespace's init dies with bwrap -- whatever their session or environment;
* a root file system of read-only binds of only what Python needs: the system folders
  (/usr, /lib...), a few /etc files, the Python that runs submissions, its installed packages,
  labsupport and the bundled data/ -- not the repository, the masters, the submissions, the
  grades or any other box. The grader refuses to start if a master or the grades folder would be
  visible through one of those binds;
* a private, size-limited tmpfs as /tmp (the home and work folders live there: ``--disk``)
  and a small one as /dev/shm; nothing else is writable;
* resource limits set by the runner before the kernel starts, inherited by everything the
  submission starts: address space per process (``--memory``), processes and threads of the
  box (``--processes``; RLIMIT_NPROC is counted per user namespace, and the box's user is not
  root outside it, so the limit holds, as a test checks), CPU time per process
  (``--cpu-seconds``), file size (= ``--disk``), no core dumps; plus the wall-clock limits
  ``--timeout`` (the whole box) and ``--cell-timeout``. Thread pools (OpenMP, OpenBLAS, MKL)
  get one thread each, so that the process limit does not depend on the host's core count.
  Memory is limited per process (RLIMIT_AS) rather than by a cgroup, since cgroups are often
  not delegated (not on the CI machines); --processes times --memory bounds the whole box.

Inside, a small runner (``runner.py``, standard library and jupyter_client) makes itself
non-dumpable (so the submission, though the same user, can neither ptrace it nor open its
pipes through /proc), starts an IPython kernel on the box's private loopback and runs the
cells, then the public tests (results and messages come back), then the hidden tests mixed
with **canaries** (only pass/fail comes back). The grader reads the runner's events from a
pipe, up to a size limit.

The tests run inside the submission's kernel (as in otter), so code that tampers with that
kernel (patching otter's runner or doctest, IPython hooks, input transformers) can forge its
results. The canaries catch that: for each question and each submission, the grader makes 1-2
copies of hidden cases with one ``assert x == <literal>`` changed, and mixes them at random
places among the hidden cases. No answer passes both a canary and the case it copies (the same
expression cannot equal both values), though a wrong answer may pass the canary alone. A run
that reports a canary passed together with its original is graded "tampered", score 0, with a
note for the instructor. What remains possible is written in the README.

Hidden tests never reach a student's feedback: a failed hidden case is named, with the master's
``failure_message`` if it has one, and nothing the kernel said about it is repeated (the kernel
has seen hidden code by then). Public failures keep otter's message, capped; the whole
feedback file is capped too.

Why bubblewrap and not util-linux ``unshare``: both use the same kernel namespaces, but with
``unshare`` we would have to build the root file system by hand (bind each folder, remount it
read-only, pivot_root, mount /proc and a sized tmpfs) in a script running as root -- the
home-made code this design replaces. bwrap does exactly that, unprivileged, in one reviewed
tool that Flatpak relies on, with ``--die-with-parent``, ``--size`` for tmpfs and
``--disable-userns``; Debian and Ubuntu package it (``apt-get install bubblewrap``).

Why not ``otter grade``: in otter 7 it needs Docker. Otter's parts that work here are kept:
``otter assign`` builds the tests, otter's OK-test runner checks them, otter's ``TestFile``
scores them.
"""

from labinstructor.grading.cli import main

__all__ = ["main"]
