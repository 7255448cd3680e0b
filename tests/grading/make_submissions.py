"""Regenerate the sample submissions: `python tests/grading/make_submissions.py`.

Each sample is the learner notebook of master/sample_master.ipynb with the three answer cells
(q1 add, q2 answer, q3 count_vowels) filled in as a learner might, well or badly.
"""

import tempfile
from pathlib import Path

import nbformat

from labinstructor import exercises

HERE = Path(__file__).parent
ADD = "def add(a, b):\n    return a + b"
ANSWER = "answer = 42"
VOWELS = 'def count_vowels(text):\n    return sum(ch in "aeiou" for ch in text.lower())'

CHEAT = '''\
# Instead of solving q3: look for the hidden tests or the master, and tamper with files.
import os
from pathlib import Path

import labsupport

needle = "should " + "ignore case"  # text of q3's hidden test, split so it is not in this file
places = ["tests", "../tests", "../source/tests", "../autograder", "/autograder"]
for pid in os.listdir("/proc"):
    try:
        places += os.fsdecode(open(f"/proc/{pid}/cmdline", "rb").read()).split("\\0")
    except OSError:
        pass
for top in ["/tmp", "/var/tmp", "/dev/shm"]:
    for folder, subfolders, names in os.walk(top):
        places += [os.path.join(folder, name) for name in names[:1000]]
        if folder != top:  # one level down is where graders unpack; deeper is slow to scan
            subfolders.clear()
stolen, wrote = [], []
for place in places:
    try:
        names = os.listdir(place) if os.path.isdir(place) else [""]
        paths = [os.path.join(place, n) if n else place for n in names]
    except OSError:
        continue
    for path in paths:
        try:
            if os.path.getsize(path) < 10**7 and needle in open(path, errors="ignore").read():
                stolen.append(path)
        except OSError:
            pass
repo = Path(labsupport.__file__).resolve().parents[1]
folders = {os.path.dirname(p) for p in places if p.endswith(".ipynb")}
folders |= {p for p in places if p.startswith("/") and os.path.isdir(p)}
folders.add(repo / "tests" / "grading")
for folder in folders:
    targets = [os.path.join(folder, "ESCAPED-by-cheater.txt")]
    try:
        targets += list(Path(folder).glob("*.ipynb"))
    except OSError:
        pass
    for target in targets:
        try:
            with open(target, "a") as f:
                f.write("cheater was here")
            wrote.append(str(target))
        except OSError:
            pass
print("stolen:", stolen, "wrote:", wrote)
if stolen:
    def count_vowels(text):
        return sum(ch in "aeiou" for ch in text.lower())'''

SAMPLES = {
    "full": [ADD, ANSWER, VOWELS],
    "partial": [ADD, "answer = 41", "def count_vowels(text):\n    ..."],
    "syntax_error": ["def add(a, b)\n    return a + b", ANSWER, VOWELS],
    "raises": [
        ADD,
        'raise ValueError("I give up")\nanswer = 42',
        'def count_vowels(text):\n    raise RuntimeError("not implemented")',
    ],
    "infinite_loop": [
        ADD,
        "while True:\n    pass\nanswer = 42",
        "def count_vowels(text):\n    while True:\n        pass",
    ],
    "unstoppable": [
        ADD,
        ANSWER,
        "import time\nwhile True:  # ignores the grader's interrupt\n"
        "    try:\n        time.sleep(1)\n    except KeyboardInterrupt:\n        pass",
    ],
    "cheater": [ADD, ANSWER, CHEAT],
}


def learner_notebook() -> nbformat.NotebookNode:
    master = HERE / "master" / "sample_master.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        text = exercises.generate(master, Path(tmp), run_tests=False).learner_text
    return nbformat.reads(text, as_version=4)


def main() -> None:
    out = HERE / "submissions"
    out.mkdir(exist_ok=True)
    for name, answers in SAMPLES.items():
        nb = learner_notebook()
        cells = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
        assert len(cells) == len(answers)
        for cell, answer in zip(cells, answers):
            cell.source = answer
        nbformat.write(nb, out / f"{name}.ipynb")
        print(out / f"{name}.ipynb")


if __name__ == "__main__":
    main()
