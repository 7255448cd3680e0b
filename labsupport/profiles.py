"""Which profile a lab uses: a name, LAB_PROFILE, or how `auto` picks one.

The profiles themselves (model, dataset and every knob that depends on them)
are the rows of the settings table, `labsupport.settings.PROFILES`. `auto`
takes the course default (`base`) with a GPU (cuda or mps) and FLAN-T5 small on
a CPU, each when it can be served from the local cache or the hub, and
otherwise falls back to `tiny`. It never waits on a dead
network for more than a few seconds.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from labsupport.settings import PROFILES, Profile

PROFILE_ENV = "LAB_PROFILE"
AUTO = "auto"
DEFAULT_ONLINE = "base"
HUB_TIMEOUT_S = 3.0
_TRUE_VALUES = {"1", "ON", "YES", "TRUE"}
_TOKENIZER_FILES = ("tokenizer.json", "spiece.model")


def get_profile(name: str) -> Profile:
    """The profile called `name` (not `auto`); ValueError listing the valid names otherwise."""
    key = name.strip().lower()
    if key not in PROFILES:
        valid = ", ".join([*PROFILES, AUTO])
        raise ValueError(f"Unknown profile {name!r}. Valid profiles: {valid}.")
    return PROFILES[key]


def profile_choice(name: str | None = None) -> tuple[Profile, str]:
    """Resolve a profile name and explain the choice in one line.

    The name comes from the argument, else the LAB_PROFILE environment
    variable, else `auto`.
    """
    if name is not None:
        requested, origin = name, "argument"
    elif os.environ.get(PROFILE_ENV):
        requested, origin = os.environ[PROFILE_ENV], PROFILE_ENV
    else:
        requested, origin = AUTO, "default"
    if requested.strip().lower() != AUTO:
        profile = get_profile(requested)
        return profile, _choice_line(profile, f"set by {origin}")
    profile, why, alternatives = _auto_choice()
    return profile, _choice_line(profile, f"auto: {why}", alternatives)


def resolve_profile(name: str | None = None, verbose: bool = False) -> Profile:
    """The Profile for `name` (see profile_choice); print the one-line reason if verbose."""
    profile, line = profile_choice(name)
    if verbose:
        print(line)
    return profile


def _choice_line(profile: Profile, why: str, alternatives: tuple[str, ...] = ()) -> str:
    """One line: the profile, why, and how to switch (first alternative spelled out)."""
    first, *rest = alternatives or ("tiny" if profile.name != "tiny" else DEFAULT_ONLINE,)
    line = (f"Profile: {profile.name} ({why}). "
            f'Switch with LAB_PROFILE={first} or lab.setup(profile="{first}")')
    line += "".join(f", or {_OVERRIDE_NOTES.get(name, name)}" for name in rest)
    return line + "."


_OVERRIDE_NOTES = {"base": "base (the course default, wants a GPU)",
                   "tiny": "tiny (bundled, offline)"}


def _auto_choice() -> tuple[Profile, str, tuple[str, ...]]:
    """`base` with a GPU, `small` on a CPU, each only when the hub or the cache serves it
    (with a GPU, a cached `small` comes before `tiny`); `tiny` otherwise.

    Returns the profile, the reason, and the profiles worth switching to, best first.
    """
    device = accelerator()
    where = f"a GPU ({device})" if device else "no GPU"
    wanted = ["base", "small"] if device else ["small"]
    candidates = [PROFILES[name] for name in wanted]
    for profile in candidates:
        if model_in_cache(profile.model) and dataset_in_cache(profile.dataset):
            repos = f"{profile.model} and {profile.dataset}"
            why = f"{where}; {repos} are in the local Hugging Face cache"
            return profile, why, _alternatives(profile.name, device)
    first = candidates[0]
    repos = f"{first.model} and {first.dataset}"
    if hub_offline():
        why = f"{where}; HF_HUB_OFFLINE is set and {repos} are not all in the local cache"
        return PROFILES["tiny"], why, _alternatives("tiny", device)
    if hub_can_serve(first.model, first.dataset):
        why = f"{where}; the Hugging Face hub serves {repos}"
        return first, why, _alternatives(first.name, device)
    why = f"{where}; the Hugging Face hub is unreachable or lacks {repos}, not all cached"
    return PROFILES["tiny"], why, _alternatives("tiny", device)


def _alternatives(chosen: str, device: str | None) -> tuple[str, ...]:
    order = ("base", "small", "tiny") if device else ("small", "tiny", "base")
    return tuple(name for name in order if name != chosen)


def accelerator() -> str | None:
    """The GPU `setup()` would use ("cuda", "mps", or LAB_DEVICE's), None on a CPU."""
    from labsupport.session import pick_device

    device = pick_device()
    return device if device.split(":")[0] in ("cuda", "mps") else None


# --- network -----------------------------------------------------------------

def hub_offline() -> bool:
    """True when HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) asks for no network at all."""
    flags = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("TRANSFORMERS_OFFLINE", ""))
    return any(flag.strip().upper() in _TRUE_VALUES for flag in flags)


def hub_endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def hub_can_serve(model_id: str, dataset_id: str, timeout: float = HUB_TIMEOUT_S) -> bool:
    """True when the hub answers for both repositories within `timeout` seconds in total.

    Each probe runs in a daemon thread that the caller stops waiting for at the
    deadline: a socket timeout alone does not bound DNS resolution, which can
    hang for much longer on a broken network.
    """
    if hub_offline():
        return False
    endpoint = hub_endpoint()
    urls = [f"{endpoint}/api/models/{model_id}", f"{endpoint}/api/datasets/{dataset_id}"]
    results: dict[str, bool] = {}
    threads = [
        threading.Thread(target=_probe, args=(url, timeout, results), daemon=True) for url in urls
    ]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return all(results.get(url, False) for url in urls)


def hub_reachable(timeout: float = HUB_TIMEOUT_S) -> bool:
    """True when the hub serves the course default model and dataset (see hub_can_serve)."""
    base = PROFILES[DEFAULT_ONLINE]
    return hub_can_serve(base.model, base.dataset, timeout=timeout)


def _probe(url: str, timeout: float, results: dict[str, bool]) -> None:
    request = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            results[url] = response.status < 400
    except (urllib.error.URLError, OSError, ValueError):
        results[url] = False


# --- local cache -------------------------------------------------------------

def hub_cache_dir() -> Path:
    """The huggingface_hub cache folder, read from the environment at call time."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def datasets_cache_dir() -> Path:
    """The `datasets` library's cache folder (prepared Arrow files), read at call time."""
    if os.environ.get("HF_DATASETS_CACHE"):
        return Path(os.environ["HF_DATASETS_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "datasets"
    from huggingface_hub import constants

    return Path(constants.HF_HOME) / "datasets"


def model_in_cache(model_id: str) -> bool:
    """True when config, safetensors weights and a tokenizer of `model_id` are cached."""
    from huggingface_hub import try_to_load_from_cache

    def cached(filename: str) -> bool:
        found = try_to_load_from_cache(model_id, filename, cache_dir=hub_cache_dir())
        return isinstance(found, str)

    weights = cached("model.safetensors") or cached("model.safetensors.index.json")
    return cached("config.json") and weights and any(map(cached, _TOKENIZER_FILES))


def dataset_in_cache(dataset_id: str) -> bool:
    """True when data files of `dataset_id` sit in the hub cache or the datasets cache."""
    snapshots = hub_cache_dir() / f"datasets--{dataset_id.replace('/', '--')}" / "snapshots"
    data_suffixes = {".csv", ".json", ".jsonl", ".parquet", ".arrow"}
    if snapshots.is_dir() and any(
        path.suffix in data_suffixes for path in snapshots.rglob("*") if path.is_file()
    ):
        return True
    prepared = datasets_cache_dir() / dataset_id.replace("/", "___")
    return prepared.is_dir() and any(prepared.rglob("*.arrow"))
