"""labsupport: the helper package the labs import.

    import labsupport as lab
    cfg = lab.setup()              # seed, device, profile: one call, one or two lines
    ds = lab.load_dialogsum()      # DialogSum for that profile
    model, tokenizer = lab.load_seq2seq(cfg)

Importing the package is light: torch, transformers and datasets are imported
by the functions that need them. Submodules (`lab.plots`, `lab.prompts`, ...)
are imported on first attribute access.
"""

import importlib
import importlib.util

from labsupport.data import load_dialogsum
from labsupport.errors import (
    CorruptAssetError,
    DialogSumFormatError,
    DialogSumNotFoundError,
    LabSupportError,
)
from labsupport.metrics import rouge
from labsupport.models import load_encoder, load_seq2seq, mean_pool, sentence_embeddings
from labsupport.profiles import resolve_profile
from labsupport.session import LabConfig, current_config, pick_device, setup
from labsupport.settings import PROFILES, Profile

__all__ = [
    "CorruptAssetError",
    "DialogSumFormatError",
    "DialogSumNotFoundError",
    "LabConfig",
    "LabSupportError",
    "PROFILES",
    "Profile",
    "current_config",
    "load_dialogsum",
    "load_encoder",
    "load_seq2seq",
    "mean_pool",
    "pick_device",
    "resolve_profile",
    "rouge",
    "sentence_embeddings",
    "setup",
]


def __getattr__(name: str):
    """`lab.<submodule>` without an explicit import (e.g. `lab.plots.show_heatmaps`)."""
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
