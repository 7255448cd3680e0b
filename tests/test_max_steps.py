"""LAB_MAX_STEPS: one knob, read in one place (session.config_for), that caps every training
run's optimizer steps (lab 07, scripts/finetune_dialogsum.py) without ever lengthening one."""

from __future__ import annotations

from dataclasses import replace

import pytest

import labsupport as lab
from labsupport import finetune, session
from labsupport.settings import PROFILES


@pytest.fixture(autouse=True)
def no_knob(monkeypatch):
    monkeypatch.delenv(session.MAX_STEPS_ENV, raising=False)


def test_unset_leaves_every_plan_as_the_table_has_it():
    for profile in PROFILES.values():
        assert session.config_for(profile, device="cpu").plan == profile.plan


def test_the_knob_caps_the_plan_of_every_helper(monkeypatch, capsys):
    monkeypatch.setenv(session.MAX_STEPS_ENV, "4")
    cfg = lab.setup(profile="tiny")
    assert "capped at 4 optimizer steps by LAB_MAX_STEPS" in capsys.readouterr().out
    assert cfg.plan == replace(PROFILES["tiny"].plan, max_steps=4)
    assert finetune.plan_for(cfg) == cfg.plan
    assert finetune.plan_for("small").max_steps == 4
    assert finetune.optimizer_steps(10_000, cfg.plan) == 4


def test_the_knob_never_lengthens_training(monkeypatch):
    monkeypatch.setenv(session.MAX_STEPS_ENV, "1000")
    plan = finetune.plan_for("tiny")
    epochs_only = replace(plan, max_steps=-1)
    assert finetune.optimizer_steps(100, plan) == finetune.optimizer_steps(100, epochs_only)
    args = finetune.training_arguments("/tmp/unused", plan, "full", 100, device="cpu")
    assert args.max_steps == finetune.optimizer_steps(100, epochs_only)
    smoke = finetune.smoke_plan(PROFILES["tiny"].plan)  # a plan's own shorter limit stays
    monkeypatch.setenv(session.MAX_STEPS_ENV, "2")
    capped = session.config_for(replace(PROFILES["tiny"], plan=smoke), device="cpu").plan
    assert capped.max_steps == 2
    monkeypatch.setenv(session.MAX_STEPS_ENV, "50")
    kept = session.config_for(replace(PROFILES["tiny"], plan=smoke), device="cpu").plan
    assert kept.max_steps == smoke.max_steps == 3


@pytest.mark.parametrize("value", ["0", "-3", "ten", "2.5"])
def test_a_bad_value_is_an_error_that_names_the_variable(monkeypatch, value):
    monkeypatch.setenv(session.MAX_STEPS_ENV, value)
    with pytest.raises(ValueError, match="LAB_MAX_STEPS must be a whole number of at least 1"):
        lab.setup(profile="tiny", verbose=False)
