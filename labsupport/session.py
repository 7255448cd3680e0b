"""`setup()`: the first cell of every lab (seed, device, profile) in one call."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from labsupport import paths
from labsupport.profiles import profile_choice

DATASET_ENV = "LAB_DIALOGSUM"
DEVICE_ENV = "LAB_DEVICE"

_current: LabConfig | None = None


@dataclass(frozen=True)
class LabConfig:
    """What a lab runs with: the chosen profile, resolved to concrete values."""

    profile: str
    model: str
    dataset: str
    device: str
    seed: int
    eval_subset: int | None
    train_subset: int | None
    batch_size: int
    max_new_tokens: int


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
    config = LabConfig(
        profile=chosen.name,
        model=chosen.model,
        dataset=os.environ.get(DATASET_ENV) or chosen.dataset,
        device=pick_device(),
        seed=seed,
        eval_subset=chosen.eval_subset,
        train_subset=chosen.train_subset,
        batch_size=chosen.batch_size,
        max_new_tokens=chosen.max_new_tokens,
    )
    _current = config
    if verbose:
        print(reason)
        print(
            f"Model: {display_location(config.model)} | Dataset: {display_location(config.dataset)}"
            f" | Device: {config.device} | Seed: {seed}"
        )
    return config


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
