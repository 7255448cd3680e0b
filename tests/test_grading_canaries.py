"""Canaries (labinstructor.grading.checks): tampering is called only where no answer could
give the reported results under an honest runner, so an honest wrong answer is never graded
"tampered", while a runner that reports everything passed always is."""

from __future__ import annotations

import doctest
import random
import re

from labinstructor.grading import checks

CASES = [
    {"code": ">>> assert add(2, 3) == 5, 'add(2, 3) should be 5'\n", "hidden": True},
    {"code": ">>> assert isinstance(add(1, 1), int)\n>>> assert add(-1, 1) == 0\n",
     "hidden": True},
    {"code": ">>> assert (add(0, 0) == 0) is True\n", "hidden": True},
    {"code": ">>> even = answer % 2 == 0\n", "hidden": True},  # nothing to change: appended
]
SPEC = {"name": "q1", "points": 4,
        "suites": [{"cases": [{**case, "locked": False} for case in CASES], "scored": True,
                    "setup": "", "teardown": "", "type": "doctest"}]}


def honest_run_passes(code: str, names: dict) -> bool:
    test = doctest.DocTestParser().get_doctest(code, dict(names), "case", None, 0)
    runner = doctest.DocTestRunner(verbose=False)
    runner.run(test, out=lambda _: None)
    return runner.failures == 0


def answers(code: str) -> list[dict]:
    """Right, wrong and adversarial answers: each literal the canary compares with."""
    literals = {int(v) for v in re.findall(r"== (-?\d+)", code)}
    adds = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b]
    adds += [lambda a, b, v=v: v for v in literals]
    adds += [lambda a, b: True, lambda a, b: None]
    return [{"add": add, "answer": value} for add in adds for value in sorted(literals) + [7]]


def test_no_answer_passes_a_canary_and_its_original():
    adversarial_passes = 0
    for seed in range(300):
        code, source = checks.canary(CASES, list(range(len(CASES))), random.Random(seed))
        for names in answers(code):
            if honest_run_passes(code, names):
                adversarial_passes += 1
                assert source is not None, (seed, code)  # a canary with no source never passes
                assert not honest_run_passes(CASES[source]["code"], names), (seed, code)
    assert adversarial_passes > 0  # wrong answers equal to a changed value do pass a canary


def plan(seed: int):
    plan, _, hidden_spec = checks.plan("q1", SPEC, random.Random(seed))
    assert len(hidden_spec["suites"][0]["cases"]) == len(plan.hidden)
    return plan


def test_tampered_only_when_a_canary_and_its_original_both_passed():
    copies, alone = plan(7), plan(6)  # two canaries copied from cases; one that fails alone
    assert None not in copies.canary_sources and None in alone.canary_sources
    for p in (copies, alone):
        assert checks.score(p, [], [[True, ""]] * len(p.hidden))[1]  # everything passed
        assert not checks.score(p, [], [[False, ""]] * len(p.hidden))[1]
    # An honest wrong answer equal to the changed values: canaries pass, their originals fail.
    rows = [[i is None, ""] for i in copies.hidden]
    assert not checks.score(copies, [], rows)[1]
    source = copies.canary_sources[0]
    rows = [[i is None or i == source, ""] for i in copies.hidden]  # and its original passes
    assert checks.score(copies, [], rows)[1]
    # A canary that fails alone (no original) reported passed is tampering.
    assert checks.score(alone, [], [[i is None, ""] for i in alone.hidden])[1]
