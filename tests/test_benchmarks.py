"""The benchmarks run (smoke tests: no timing thresholds, the machine is shared)."""

import importlib.util
import re

import pytest

from labsupport import paths

BENCHMARKS = paths.REPO_ROOT / "benchmarks"


def load_benchmark(name):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # loads the model and times it several times
def test_batched_generation_benchmark_runs(capsys):
    benchmark = load_benchmark("batched_generation")
    status = benchmark.main(["--profile", "tiny", "--n-prompts", "6", "--batch-size", "4",
                             "--max-new-tokens", "16"])
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert re.search(r"speed-up: \d+(\.\d+)?x", printed), printed
    assert "outputs identical: yes (all 6)" in printed
