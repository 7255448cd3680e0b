"""setup(): seeding, device, profile, printed lines, and a light `import labsupport`."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
import torch

import labsupport as lab
from labsupport import paths
from labsupport.profiles import PROFILES


def draw() -> tuple[float, float, float]:
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_setup_seeds_random_numpy_and_torch():
    lab.setup(profile="tiny", seed=3, verbose=False)
    first = draw()
    lab.setup(profile="tiny", seed=3, verbose=False)
    assert draw() == first
    lab.setup(profile="tiny", seed=4, verbose=False)
    assert all(a != b for a, b in zip(draw(), first))


def test_setup_returns_the_profile_resolved_to_concrete_values():
    cfg = lab.setup(profile="tiny", seed=11, verbose=False)
    tiny = PROFILES["tiny"]
    assert cfg.profile == "tiny"
    assert cfg.model == str(paths.TINY_MODEL_DIR)
    assert cfg.dataset == str(paths.CORPUS_DIR)
    assert cfg.seed == 11
    assert cfg.settings is tiny  # every other knob is read from the settings row
    assert (cfg.eval_subset, cfg.batch_size, cfg.max_new_tokens, cfg.plan) == (
        tiny.eval_subset, tiny.batch_size, tiny.max_new_tokens, tiny.plan)
    assert cfg.device == lab.pick_device()
    assert lab.current_config() is cfg


def test_every_helper_falls_back_the_same_way(monkeypatch, tmp_path):
    """Argument, else the last setup(), else the resolved profile: one rule for the model,
    the dataset, the plan and the device; LAB_DIALOGSUM replaces every profile's dataset."""
    from labsupport import data, finetune, models

    monkeypatch.setenv("LAB_PROFILE", "tiny")
    assert models.model_location() == PROFILES["tiny"].model
    assert data.dialogsum_source() == PROFILES["tiny"].dataset
    assert finetune.plan_for() is PROFILES["tiny"].plan
    cfg = lab.setup(profile="small", verbose=False)
    for helper_value, expected in [(models.model_location(), cfg.model),
                                   (data.dialogsum_source(), cfg.dataset),
                                   (finetune.plan_for(), cfg.plan)]:
        assert helper_value == expected
    assert models.model_location("base") == PROFILES["base"].model
    monkeypatch.setenv("LAB_DIALOGSUM", str(tmp_path))
    assert data.dialogsum_source("base") == "base"  # a source given is used as it is
    assert data.dialogsum_source(profile="base") == str(tmp_path)
    assert lab.setup(profile="tiny", verbose=False).dataset == str(tmp_path)


def test_setup_prints_profile_model_dataset_and_device_in_two_lines(capsys):
    cfg = lab.setup(profile="base", verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Profile: base (set by argument)")
    assert "google/flan-t5-base" in lines[1] and "knkarthick/dialogsum" in lines[1]
    assert f"Device: {cfg.device}" in lines[1]


def test_tiny_paths_are_shown_relative_to_the_repository(capsys):
    lab.setup(profile="tiny")
    second_line = capsys.readouterr().out.splitlines()[1]
    assert "Model: data/tiny-t5" in second_line
    assert "Dataset: data/dialogsum-mini" in second_line


def test_environment_variables_choose_profile_dataset_and_device(monkeypatch, tmp_path):
    monkeypatch.setenv("LAB_PROFILE", "small")
    monkeypatch.setenv("LAB_DIALOGSUM", str(tmp_path))
    monkeypatch.setenv("LAB_DEVICE", "cpu")
    cfg = lab.setup(verbose=False)
    assert (cfg.profile, cfg.dataset, cfg.device) == ("small", str(tmp_path), "cpu")


def test_device_order_prefers_cuda_then_mps(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert lab.pick_device() == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert lab.pick_device() == "mps"
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert lab.pick_device() == "cpu"


def test_import_labsupport_is_light():
    code = (
        "import sys, labsupport as lab; "
        "heavy = [m for m in ('torch', 'transformers', 'datasets', 'evaluate') "
        "if m in sys.modules]; "
        "assert not heavy, heavy; assert callable(lab.setup)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_submodules_are_reachable_as_attributes():
    assert lab.manifest.verify is not None
    with pytest.raises(AttributeError):
        lab.no_such_module  # noqa: B018
