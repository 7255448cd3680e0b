"""`setup()`: the first cell of every lab (seed, device, profile) in one call."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from labsupport import paths
from labsupport.profiles import profile_choice, resolve_profile
from labsupport.settings import FinetunePlan, Profile

DATASET_ENV = "LAB_DIALOGSUM"
DEVICE_ENV = "LAB_DEVICE"
# A ceiling on the optimizer steps of every training run (lab 07, scripts/finetune_dialogsum.py):
# a quick end-to-end run, e.g. the tests on the simulated hub. Unset: the plan's own length.
MAX_STEPS_ENV = "LAB_MAX_STEPS"

_current: LabConfig | None = None


@dataclass(frozen=True)
class LabConfig:
    """What a lab runs with: a row of the settings table (`settings`), the dataset it reads
    (the row's, or LAB_DIALOGSUM), the device and the seed. The row's values read as
    attributes: `cfg.model`, `cfg.eval_subset`, `cfg.batch_size`, `cfg.max_new_tokens`,
    `cfg.plan`; `cfg.profile` is the row's name."""

    settings: Profile
    dataset: str
    device: str
    seed: int

    @property
    def profile(self) -> str:
        return self.settings.name

    @property
    def model(self) -> str:
        return self.settings.model

    @property
    def eval_subset(self) -> int | None:
        return self.settings.eval_subset

    @property
    def batch_size(self) -> int:
        return self.settings.batch_size

    @property
    def max_new_tokens(self) -> int:
        return self.settings.max_new_tokens

    @property
    def plan(self) -> FinetunePlan:
        return self.settings.plan


def config_for(profile: Profile, seed: int = 42, device: str | None = None) -> LabConfig:
    """The LabConfig of a settings row. The one place LAB_DIALOGSUM and LAB_MAX_STEPS are
    read: LAB_DIALOGSUM replaces the dataset of every profile, LAB_MAX_STEPS caps the
    fine-tuning plan's `max_steps`."""
    steps = max_steps_override()
    if steps is not None:
        plan = profile.plan
        capped = steps if plan.max_steps <= 0 else min(steps, plan.max_steps)
        profile = replace(profile, plan=replace(plan, max_steps=capped))
    return LabConfig(settings=profile, dataset=os.environ.get(DATASET_ENV) or profile.dataset,
                     device=device or pick_device(), seed=seed)


def max_steps_override() -> int | None:
    """LAB_MAX_STEPS as a whole number of at least 1, or None when it is not set."""
    text = os.environ.get(MAX_STEPS_ENV, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{MAX_STEPS_ENV} must be a whole number of at least 1 (the most "
                         f"optimizer steps a training run makes), got {text!r}; unset it to "
                         "train for the plan's full length")
    return int(text)


def setup(profile: str | None = None, seed: int = 42, verbose: bool = True) -> LabConfig:
    """Seed every random generator, pick the device and the profile, and say so.

    `profile` overrides the LAB_PROFILE environment variable; the default is
    `auto`. The dataset is the profile's unless LAB_DIALOGSUM names a local copy.
    Later calls such as `load_dialogsum()` without arguments use this choice.
    """
    global _current
    if profile is not None and not isinstance(profile, str):
        raise TypeError(f"profile must be a name such as \"tiny\" or \"base\", got {profile!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0, got {seed!r}")
    chosen, reason = profile_choice(profile)
    seed_everything(seed)
    config = config_for(chosen, seed=seed)
    _current = config
    if verbose:
        print(reason)
        print(
            f"Model: {display_location(config.model)} | Dataset: {display_location(config.dataset)}"
            f" | Device: {config.device} | Seed: {seed}"
        )
        if max_steps_override() is not None:
            print(f"Training capped at {config.plan.max_steps} optimizer steps by {MAX_STEPS_ENV}.")
    return config


def active_config(choice: LabConfig | Profile | str | None = None) -> LabConfig:
    """The configuration a helper called with `choice` works with: a LabConfig as it is; a
    Profile or a profile name (`auto` too) as its settings row; None as the last `setup()`,
    else the profile LAB_PROFILE or `auto` resolves to. Every helper's fallback is this one."""
    if isinstance(choice, LabConfig):
        return choice
    if isinstance(choice, Profile):
        return config_for(choice)
    if choice is None:
        return _current if _current is not None else config_for(resolve_profile())
    if isinstance(choice, str):
        return config_for(resolve_profile(choice))
    raise TypeError(f"expected a LabConfig, a Profile or a profile name, got {choice!r:.60}")


def active_device(device: str | None = None) -> str:
    """`device` if given, else the last `setup()`'s, else the best one available (no profile
    is resolved: that could ask the hub)."""
    if device is not None:
        return device
    return _current.device if _current is not None else pick_device()


def current_config() -> LabConfig | None:
    """The configuration of the last `setup()` call in this process, if any."""
    return _current


def seed_everything(seed: int) -> None:
    """Seed Python's `random`, NumPy and PyTorch (CPU and every GPU)."""
    from transformers import set_seed

    set_seed(seed)


def pick_device() -> str:
    """LAB_DEVICE if set, else the first available of cuda, mps, cpu."""
    import torch

    if os.environ.get(DEVICE_ENV):
        return os.environ[DEVICE_ENV]
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def display_location(location: str) -> str:
    """A hub id as is; a folder inside the repository relative to it (shorter to read)."""
    path = Path(location)
    if path.is_absolute() and path.is_relative_to(paths.REPO_ROOT):
        return str(path.relative_to(paths.REPO_ROOT))
    return location
