"""Every master, run once the way otter grades it: each solution passes all of its tests, and
each public test rejects the declared wrong answers and the stubs (labinstructor.exercises).

This is the run of the masters in `make test` (nbval runs the learner notebooks). One test
class per lab, because `pytest -n N --dist loadscope` hands out whole classes: parallel
workers then share the labs (see conftest.py for the order).
"""

from __future__ import annotations

import nbformat
import pytest

from labinstructor import exercises


def graded_run(master):
    @pytest.mark.slow
    def test_master_passes_as_graded_and_rejects_wrong_answers(self, tmp_path, monkeypatch):
        monkeypatch.setenv("LAB_PROFILE", "tiny")
        generated = exercises.generate(master, tmp_path, run_tests=False)
        rules = exercises.exercise_rule_errors(master, nbformat.read(master, as_version=4))
        assert rules == [], "\n".join(rules)
        problems, summary = exercises.verify(master, generated, tmp_path / "run")
        print("\n".join(summary))
        assert problems == [], "\n".join(problems)

    return test_master_passes_as_graded_and_rejects_wrong_answers


for _master in exercises.find_masters(exercises.MASTERS_DIR):
    _name = "TestLab" + _master.stem.split("_")[0]
    globals()[_name] = type(_name, (), {
        "__doc__": f"masters/{_master.name}",
        "test_master_passes_as_graded_and_rejects_wrong_answers": graded_run(_master),
    })
