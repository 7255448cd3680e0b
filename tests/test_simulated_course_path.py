"""The real course path, offline: every lab on the simulated Hugging Face hub
(tests/simulated_hub.py) with LAB_PROFILE=small, learner version and master in one run.

There the labs load a FLAN-T5-shaped model by hub id (untied output layer, 32,128 logits for a
32,100-entry tokenizer) and DialogSum-length dialogues, some longer than the context window, so
every cell that handles the window, batches, trains, reloads an adapter or quantises runs on
the shapes a learner with internet meets. The model is random: claims about the quality of its
summaries are checked in the `tiny` profile only (the notebooks guard them by profile).
Training is capped by LAB_MAX_STEPS, the knob lab 07 shows learners.

Each lab runs once, as tests/test_masters_graded.py runs it in the tiny profile: the learner
notebook top to bottom, then the master's solutions and every exercise test in the same kernel
(`labinstructor.exercises.verify`), so the exercises are checked with the FLAN-shaped model
too: solutions pass, and public checks reject the declared wrong answers and the stubs.

    pytest -m slow tests/test_simulated_course_path.py          # every lab
    pytest -m slow tests/test_simulated_course_path.py -k 06    # one lab
"""

from __future__ import annotations

import time

import pytest

from labinstructor import exercises

MAX_STEPS = 4         # optimizer steps per training run: enough for two loss evaluations
# Fewer evaluation dialogues than the simulated hub's default (100 test, 60 validation), with the
# same length profile (a few still too long for the window): the random model always writes
# max_new_tokens tokens, so labs 06 and 07 take minutes per hundred dialogues on two cores.
SPLIT_DIALOGUES = {"test": 24, "validation": 24}


@pytest.fixture(scope="module")
def course_path_env(tmp_path_factory) -> dict[str, str]:
    """The simulated hub (FLAN-T5 small only, SPLIT_DIALOGUES) and the environment of a
    learner's online run."""
    import simulated_hub

    root = tmp_path_factory.mktemp("course-path")
    hub = simulated_hub.build(root / "hub", sizes=("small",), dialogues=SPLIT_DIALOGUES)
    env = hub.environ("small")
    env.update({
        "LAB_MAX_STEPS": str(MAX_STEPS),
        "LAB_TRAINING_CACHE": str(root / "training-cache"),
        "LAB_RUNS_DIR": str(root / "runs"),
        "HF_EVALUATE_OFFLINE": "1",
        "MPLBACKEND": "Agg",
        "TQDM_MININTERVAL": "30",
        # Threads: PyTorch's default, one per core, unless OMP_NUM_THREADS is set. On a quiet
        # 2-core machine two threads ran lab 07 in 181 s and lab 08 in 149 s (one thread: 224 s
        # and 206 s); on a busy one, set OMP_NUM_THREADS=1: two threads per kernel then ran
        # the labs several times slower.
    })
    return env


def course_path_run(master):
    @pytest.mark.slow
    def test_lab_runs_on_the_simulated_hub(self, course_path_env, tmp_path, monkeypatch, capsys):
        for name, value in course_path_env.items():
            monkeypatch.setenv(name, value)  # the kernel inherits this process's environment
        for name in ("LAB_DIALOGSUM", "LAB_DEVICE"):
            monkeypatch.delenv(name, raising=False)
        generated = exercises.generate(master, tmp_path, run_tests=False)
        learner = exercises.NOTEBOOKS_DIR / master.name
        started = time.perf_counter()
        problems, summary = exercises.verify(master, generated, tmp_path / "run",
                                             timeout=1200, learner=learner)
        seconds = time.perf_counter() - started
        with capsys.disabled():
            print(f"\n[simulated hub] {master.stem}: {seconds:.0f} s", end="")
        print("\n".join(summary))
        assert problems == [], "\n".join(problems)

    return test_lab_runs_on_the_simulated_hub


for _master in exercises.find_masters(exercises.MASTERS_DIR):
    _name = "TestCoursePath" + _master.stem.split("_")[0]
    globals()[_name] = type(_name, (), {
        "__doc__": f"masters/{_master.name} on the simulated hub",
        "test_lab_runs_on_the_simulated_hub": course_path_run(_master),
    })
