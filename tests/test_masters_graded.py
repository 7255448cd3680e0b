"""Every lab, run once: its learner notebook top to bottom (blanks and `grader.check` cells
included), then in the same kernel the master's solutions, each of which must pass all of its
tests the way otter grades them, while each public test rejects the declared wrong answers and
the stubs (labinstructor.exercises.verify with `learner=`).

This is the only run of the labs in `make test`: the lesson is the same in both versions, so
it runs once (before, nbval ran the learner notebooks and this test the masters: every lesson
twice). One test class per lab, because `pytest -n N --dist loadscope` hands out whole classes
(see conftest.py for the order).
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from labinstructor import exercises


def graded_run(master):
    @pytest.mark.slow
    def test_learner_notebook_runs_and_master_passes_as_graded(self, tmp_path, monkeypatch):
        monkeypatch.setenv("LAB_PROFILE", "tiny")
        generated = exercises.generate(master, tmp_path, run_tests=False)
        rules = exercises.exercise_rule_errors(master, nbformat.read(master, as_version=4))
        assert rules == [], "\n".join(rules)
        learner = exercises.NOTEBOOKS_DIR / master.name
        assert learner.read_text(encoding="utf-8") == generated.learner_text, (
            f"{learner} is not the one built from {master}: run `make exercises`")
        executed = os.environ.get("LAB_EXECUTED_DIR")  # make test keeps them for `make site`
        problems, summary = exercises.verify(master, generated, tmp_path / "run",
                                             learner=learner,
                                             executed_to=Path(executed) if executed else None)
        print("\n".join(summary))
        assert problems == [], "\n".join(problems)

    return test_learner_notebook_runs_and_master_passes_as_graded


for _master in exercises.find_masters(exercises.MASTERS_DIR):
    _name = "TestLab" + _master.stem.split("_")[0]
    globals()[_name] = type(_name, (), {
        "__doc__": f"masters/{_master.name}",
        "test_learner_notebook_runs_and_master_passes_as_graded": graded_run(_master),
    })
