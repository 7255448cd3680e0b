"""scripts/finetune_dialogsum.py in smoke mode on the tiny profile: it writes a new run
folder with the trained model or adapter, and never writes into an existing one."""

import json
import os
import subprocess
import sys

import pytest

from labsupport import paths

SCRIPT = paths.REPO_ROOT / "scripts" / "finetune_dialogsum.py"

pytestmark = pytest.mark.skipif(not (paths.TINY_MODEL_DIR / "config.json").is_file(),
                                reason="the bundled tiny model is not built")


def run_script(*args, runs_dir):
    env = {**os.environ, "LAB_RUNS_DIR": str(runs_dir), "OMP_NUM_THREADS": "1",
           "TQDM_DISABLE": "1", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    return subprocess.run([sys.executable, str(SCRIPT), "--profile", "tiny", "--smoke", *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow  # trains (a few steps) in a subprocess
def test_lora_smoke_run_writes_an_adapter_into_a_new_folder(tmp_path):
    done = run_script("--method", "lora", runs_dir=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    (run,) = tmp_path.iterdir()
    assert run.name.startswith("07-lora-")
    assert (run / "adapter" / "adapter_config.json").is_file()
    assert (run / "adapter" / "adapter_model.safetensors").is_file()
    report = json.loads((run / "run.json").read_text())
    assert report["method"] == "lora" and report["smoke"] is True
    assert 0 < report["trainable_share"] < 0.02
    assert len(report["history"]["train"]) == 3
    assert 0 <= report["test_rouge"]["rouge1"] <= 1


@pytest.mark.slow  # trains (a few steps) in a subprocess
def test_full_smoke_run_refuses_an_existing_folder_and_fills_a_new_one(tmp_path):
    earlier = tmp_path / "earlier-run"
    earlier.mkdir()
    (earlier / "keep.txt").write_text("an earlier result")
    refused = run_script("--method", "full", "--output-dir", str(earlier), runs_dir=tmp_path)
    assert refused.returncode != 0 and "already exists" in refused.stderr
    assert sorted(p.name for p in earlier.iterdir()) == ["keep.txt"]
    assert (earlier / "keep.txt").read_text() == "an earlier result"

    target = tmp_path / "new-run"
    done = run_script("--method", "full", "--output-dir", str(target), "--eval-split",
                      "validation", "--eval-dialogues", "3", runs_dir=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (target / "model" / "model.safetensors").is_file()
    assert (target / "model" / "config.json").is_file()
    report = json.loads((target / "run.json").read_text())
    assert report["trainable_share"] == 1.0 and "test_rouge" not in report
    assert 0 <= report["validation_rouge"]["rouge1"] <= 1


@pytest.mark.slow  # quantises and times a model
def test_quantization_benchmark_prints_both_versions_side_by_side(tmp_path, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "quantization", paths.REPO_ROOT / "benchmarks" / "quantization.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    status = benchmark.main(["--profile", "tiny", "--dialogues", "4", "--batch-size", "4",
                             "--max-new-tokens", "8", "--repeats", "1",
                             "--json", str(tmp_path / "q.json")])
    printed = capsys.readouterr().out
    assert status == 0, printed
    for row in ("size (MB)", "latency (s / batch)", "ROUGE-1"):
        assert row in printed
    assert "x smaller" in printed and "x faster" in printed
    report = json.loads((tmp_path / "q.json").read_text())
    assert report["results"]["int8"]["size_mb"] < report["results"]["float32"]["size_mb"]
    assert report["dialogues"] == 4
