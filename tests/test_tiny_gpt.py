"""The bundled tiny GPT (lab 04's decoder-only model): its builder (smoke mode) and the
committed model folder."""

import json

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from labassets import tiny_gpt
from labsupport import manifest, paths

MODEL = paths.TINY_DECODER_DIR


@pytest.fixture(scope="module")
def smoke_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("smoke") / "model"
    report = tiny_gpt.build(out, tiny_gpt.SMOKE)
    return out, report


def test_smoke_build_writes_a_loadable_hugging_face_folder(smoke_build):
    out, report = smoke_build
    names = {p.name for p in out.iterdir()}
    assert {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "README.md", "build_report.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pth")) for n in names)
    model = AutoModelForCausalLM.from_pretrained(out, use_safetensors=True)
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert type(model).__name__ == "GPT2LMHeadModel"
    assert sum(p.numel() for p in model.parameters()) == report["parameters"]
    assert tokenizer.eos_token_id == tokenizer.pad_token_id == model.config.eos_token_id == 0
    assert report["validation_loss"] < report["untrained_validation_loss"]


def test_smoke_build_is_seeded(smoke_build, tmp_path):
    first_out, first = smoke_build
    second = tiny_gpt.build(tmp_path / "again", tiny_gpt.SMOKE)
    assert second["validation_loss"] == first["validation_loss"]
    for name in ("tokenizer.json", "model.safetensors"):
        assert (tmp_path / "again" / name).read_bytes() == (first_out / name).read_bytes(), name


def test_bundled_model_is_small_safetensors_only_and_in_the_manifest():
    files = list(MODEL.iterdir())
    assert sum(f.stat().st_size for f in files) <= 20 * 1024 * 1024
    assert not any(f.suffix in {".bin", ".pt", ".pth", ".pkl"} for f in files)
    checked = manifest.verify(MODEL.name)
    assert {f"{MODEL.name}/{f.name}" for f in files} == set(checked)


def test_rebuild_hint_names_the_decoder_command():
    assert "python -m labassets decoder" in manifest.rebuild_hint("tiny-gpt/model.safetensors")


def test_bundled_tokenizer_is_byte_level_and_lossless():
    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    text = "#Person1#: I'd like a naïve café 🙂\n#Person2#: Sure."
    ids = tokenizer(text)["input_ids"]
    assert tokenizer.decode(ids) == text  # every byte has a token: nothing is lost
    assert tokenizer.eos_token_id not in ids  # no special tokens added to a text
    assert tokenizer.convert_ids_to_tokens(0) == tiny_gpt.END_OF_TEXT


def test_bundled_model_card_and_report_agree_and_meet_the_targets():
    report = json.loads((MODEL / "build_report.json").read_text())
    card = (MODEL / "README.md").read_text()
    assert f"{report['parameters']:,} parameters" in card
    assert str(report["validation_loss"]) in card
    assert report["samples"]["summary"] in card
    # Trained: far better than the same architecture before training, on unseen dialogues.
    assert report["validation_loss"] < report["untrained_validation_loss"] / 3
    assert report["test_loss"] < report["untrained_validation_loss"] / 3
    assert report["samples"]["summary_eos_rate"] >= 0.9  # it learned to stop


def test_bundled_model_continues_a_dialogue_in_the_corpus_format():
    model = AutoModelForCausalLM.from_pretrained(MODEL, use_safetensors=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    prompt = "#Person1#: Good morning. Can I help you?\n#Person2#:"
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        output = model.generate(**inputs, do_sample=False, max_new_tokens=30)[0]
    assert output[: inputs["input_ids"].shape[1]].tolist() == inputs["input_ids"][0].tolist()
    continuation = tokenizer.decode(output[inputs["input_ids"].shape[1]:],
                                    skip_special_tokens=True)
    first_line = continuation.split("\n")[0].strip()
    assert first_line and first_line[0].isupper(), continuation  # a new sentence, a new turn


def test_assets_command_line_lists_the_decoder(capsys):
    from labassets.__main__ import main

    assert main([]) == 2
    assert "decoder" in capsys.readouterr().err
