"""Bad input to the learner-facing helpers: a clear error naming what is wrong, raised
before any deep library call, or (for a GenerationConfig) the settings the learner asked for."""

from __future__ import annotations

import shutil

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, GenerationConfig

import labsupport as lab
from labsupport import finetune, paths
from labsupport.errors import DialogSumNotFoundError, ModelFolderError
from labsupport.generation import generate_batched
from labsupport.prompts import build_prompt, max_shots_that_fit

DIALOGUE = "#Person1#: Where are my keys? #Person2#: On the table, next to the door."


@pytest.fixture(scope="module")
def tiny():
    model = AutoModelForSeq2SeqLM.from_pretrained(paths.TINY_MODEL_DIR).eval()
    return model, AutoTokenizer.from_pretrained(paths.TINY_MODEL_DIR)


def test_generation_config_that_samples_is_obeyed(tiny):
    model, tokenizer = tiny
    prompts = [f"Summarize the following conversation.\n\n{DIALOGUE}\n\nSummary:"] * 6
    greedy = generate_batched(model, tokenizer, prompts, progress=False, max_new_tokens=12)
    config = GenerationConfig(do_sample=True, top_k=50, temperature=1.5, max_new_tokens=12)
    torch.manual_seed(0)
    sampled = generate_batched(model, tokenizer, prompts, progress=False,
                               generation_config=config)
    assert len(set(greedy)) == 1  # greedy: six identical prompts, one summary
    assert len(set(sampled)) > 1  # sampling at temperature 1.5: the six differ


def test_generation_config_settings_are_checked():
    config = GenerationConfig(do_sample=True, top_p=0.9)
    config.top_p = 1.5  # GenerationConfig accepts it; generation would fail deep inside
    with pytest.raises(ValueError, match="top_p must be in"):
        generate_batched(object(), None, ["a prompt"], generation_config=config)


@pytest.mark.parametrize("settings, message", [
    ({"max_new_tokens": True}, "max_new_tokens must be a whole number"),
    ({"num_beams": 0}, "num_beams must be a whole number"),
    ({"top_k": True}, "top_k must be"),
])
def test_bad_generation_settings_fail_before_the_model(settings, message):
    with pytest.raises(ValueError, match=message):
        generate_batched(object(), None, ["a prompt"], **settings)


def test_rouge_refuses_bare_strings():
    with pytest.raises(TypeError, match="character by character"):
        lab.rouge("abc", "abc")
    with pytest.raises(TypeError, match="character by character"):
        lab.rouge(["abc"], "abc")
    with pytest.raises(TypeError, match="prediction 0 is None"):
        lab.rouge([None], ["abc"])


def test_build_prompt_names_a_dialogue_that_is_not_text(tiny):
    _, tokenizer = tiny
    with pytest.raises(TypeError, match="must be a string, got NoneType"):
        build_prompt(None, tokenizer)


@pytest.mark.parametrize("max_tokens", [0, -5, True, 1.5])
def test_bad_max_tokens_is_an_error_not_ignored(tiny, max_tokens):
    _, tokenizer = tiny
    with pytest.raises(ValueError, match="max_tokens must be a whole number"):
        build_prompt(DIALOGUE, tokenizer, max_tokens=max_tokens)
    with pytest.raises(ValueError, match="max_tokens must be a whole number"):
        max_shots_that_fit(DIALOGUE, tokenizer, [(DIALOGUE, "keys")], max_tokens=max_tokens)


@pytest.mark.parametrize("profile", [5, 1.0, ["tiny"]])
def test_setup_with_a_profile_that_is_not_a_name(profile):
    with pytest.raises(TypeError, match="profile must be a name"):
        lab.setup(profile=profile, verbose=False)


def test_runs_dir_that_is_a_file(tmp_path, monkeypatch):
    file = tmp_path / "runs"
    file.write_text("not a folder")
    monkeypatch.setenv(finetune.RUNS_ENV, str(file))
    with pytest.raises(NotADirectoryError, match="is a file, not a folder.*LAB_RUNS_DIR"):
        finetune.new_run_dir("07-full")
    assert file.read_text() == "not a folder"  # left as it was


def test_dialogsum_env_that_is_a_file(tmp_path, monkeypatch):
    file = tmp_path / "dialogsum.test.jsonl"
    file.write_text("{}\n")
    monkeypatch.setenv("LAB_DIALOGSUM", str(file))
    with pytest.raises(DialogSumNotFoundError, match="is a file.*folder that holds"):
        lab.load_dialogsum()


@pytest.mark.parametrize("damage", ["truncate", "empty"])
@pytest.mark.parametrize("name", ["model.safetensors", "tokenizer.json"])
def test_damaged_model_folder_names_the_file(tmp_path, tiny_t5_template, name, damage):
    folder = shutil.copytree(tiny_t5_template, tmp_path / "my-model")
    file = folder / name
    content = file.read_bytes()
    file.write_bytes(content[: len(content) // 2] if damage == "truncate" else b"")
    with pytest.raises(ModelFolderError, match=f"my-model/{name} is"):
        lab.load_seq2seq(str(folder), device="cpu")


def test_model_folder_without_weights(tmp_path, tiny_t5_template):
    folder = shutil.copytree(tiny_t5_template, tmp_path / "my-model")
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelFolderError, match="model.safetensors is missing"):
        lab.load_seq2seq(str(folder), device="cpu")
