"""The simulated Hugging Face hub: real cache layout, FLAN-T5's traits, DialogSum's lengths,
and the learner's own loading code (by hub id, offline) finding all of it."""

from __future__ import annotations

import hashlib
import os
import socket
import statistics

import pytest
import simulated_hub as sim

import labsupport as lab
from labsupport import models, profiles


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_cache_has_huggingface_hub_layout(simulated_hub):
    for size in ("small", "base"):
        repo = simulated_hub.hub_cache / f"models--google--flan-t5-{size}"
        commit = (repo / "refs" / "main").read_text()
        assert len(commit) == 40 and int(commit, 16) >= 0  # no newline, hex
        snapshot = repo / "snapshots" / commit
        assert snapshot == simulated_hub.models[size]
        names = {path.name for path in snapshot.iterdir()}
        assert {"config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json", "generation_config.json"} <= names
        for name in names:
            link = snapshot / name
            assert link.is_symlink() and not os.path.isabs(os.readlink(link))
            blob = link.resolve()
            assert blob.parent == (repo / "blobs").resolve()
            content = blob.read_bytes()
            expected = (hashlib.sha256(content).hexdigest() if name.endswith(".safetensors")
                        else sim.git_blob_sha1(content))
            assert blob.name == expected


def test_huggingface_hub_finds_the_files(on_simulated_hub):
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache("google/flan-t5-small", "model.safetensors")
    assert isinstance(found, str) and found.startswith(str(on_simulated_hub.hub_cache))
    assert try_to_load_from_cache("google/flan-t5-small", "pytorch_model.bin") is None
    assert profiles.model_in_cache("google/flan-t5-small")
    assert profiles.model_in_cache("google/flan-t5-base")
    assert profiles.dataset_in_cache("knkarthick/dialogsum")


def test_setup_and_load_seq2seq_go_through_the_hub_id(on_simulated_hub, no_network, capsys,
                                                     monkeypatch):
    calls = []
    real_check = models._check_local_model
    monkeypatch.setattr(models, "_check_local_model",
                        lambda location: calls.append(real_check(location)) or calls[-1])
    cfg = lab.setup(profile="small")
    assert cfg.model == "google/flan-t5-small" and cfg.dataset == "knkarthick/dialogsum"
    assert "google/flan-t5-small" in capsys.readouterr().out
    model, tokenizer = lab.load_seq2seq(cfg)
    assert calls == [False]  # not a local folder: from_pretrained("google/flan-t5-small")
    assert model.name_or_path == "google/flan-t5-small"
    config = model.config
    assert config.vocab_size == 32128 and len(tokenizer) == 32100
    assert config.feed_forward_proj == "gated-gelu" and config.is_gated_act
    assert config.relative_attention_num_buckets == 32
    assert config.relative_attention_max_distance == 128
    assert not config.scale_decoder_outputs  # FLAN-T5's tie_word_embeddings: false
    assert model.lm_head.weight.data_ptr() != model.shared.weight.data_ptr()
    assert not model.lm_head.weight.equal(model.shared.weight)
    assert (config.num_layers, config.num_heads) == (8, 6)  # FLAN-T5 small's counts
    assert sum(p.numel() for p in model.parameters()) < 6_000_000  # narrow: seconds on a CPU


def test_tokenizer_follows_t5_conventions(on_simulated_hub):
    _, tokenizer = lab.load_seq2seq("google/flan-t5-small")
    assert type(tokenizer).__name__ == "T5Tokenizer"
    assert tokenizer.model_max_length == 512
    assert (tokenizer.pad_token_id, tokenizer.eos_token_id, tokenizer.unk_token_id) == (0, 1, 2)
    assert tokenizer.convert_tokens_to_ids("<extra_id_0>") == 32099
    assert tokenizer.convert_tokens_to_ids("<extra_id_99>") == 32000
    ids = tokenizer("#Person1#: Hello, how are you?\n#Person2#: Fine.")["input_ids"]
    assert ids[-1] == 1  # the post-processor appends </s>
    assert tokenizer.convert_ids_to_tokens(ids[:6]) == ["▁#", "Person", "1", "#", ":", "▁Hello"]
    assert "\n" not in tokenizer.decode(ids)  # like T5's, newlines are gone
    assert tokenizer.decode([32100, 32127, 5]) is not None  # ids past the tokenizer: no crash


def test_model_generates_and_trains_a_step(on_simulated_hub):
    import torch

    model, tokenizer = lab.load_seq2seq("google/flan-t5-small")
    batch = tokenizer(["#Person1#: Hi.\n#Person2#: Hello.", "Summarize: a short one."],
                      return_tensors="pt", padding=True)
    out = model.generate(**batch, max_new_tokens=5, do_sample=False)
    assert out.shape[0] == 2 and out.shape[1] <= 6
    model.train()
    labels = tokenizer(["a greeting", "short"], return_tensors="pt", padding=True)["input_ids"]
    loss = model(**batch, labels=labels).loss
    loss.backward()
    assert torch.isfinite(loss) and model.lm_head.weight.grad is not None


def test_dialogsum_loads_by_hub_id_through_datasets(on_simulated_hub, no_network):
    assert "LAB_DIALOGSUM" not in os.environ
    lab.setup(profile="small", verbose=False)
    data = lab.load_dialogsum()
    assert {split: data[split].num_rows for split in data} == {
        "train": 400, "validation": 60, "test": 100}
    assert data["test"]["id"][:2] == ["test_0", "test_1"]  # test_N_1..3 merged
    assert all(len(refs) == 3 for refs in data["test"]["references"])
    assert data["train"]["id"][0] == "train_0" and data["validation"]["id"][0] == "dev_0"


def test_dialogsum_folder_through_lab_dialogsum(on_simulated_hub, monkeypatch):
    monkeypatch.setenv("LAB_DIALOGSUM", str(on_simulated_hub.dataset_dir))
    cfg = lab.setup(profile="small", verbose=False)
    assert cfg.dataset == str(on_simulated_hub.dataset_dir)
    by_folder = lab.load_dialogsum()
    monkeypatch.delenv("LAB_DIALOGSUM")
    by_id = lab.load_dialogsum("knkarthick/dialogsum")
    for split in ("train", "validation", "test"):
        assert by_folder[split].to_dict() == by_id[split].to_dict()


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_dialogue_lengths_follow_dialogsum(split):
    rows = sim.dialogsum_rows()[split]
    assert list(rows[0]) == ["id", "dialogue", "summary", "topic"]
    words = sim.dialogue_lengths(rows)
    turns = [dialogue.count("\n") + 1 for dialogue in dict.fromkeys(r["dialogue"] for r in rows)]
    assert 110 <= statistics.median(words) <= 135
    assert sum(n > 250 for n in words) >= 0.10 * len(words)
    assert sum(n > 600 for n in words) >= 2
    assert min(turns) == 2 and max(turns) >= 30
    if split == "test":
        assert [row["id"] for row in rows[:4]] == ["test_0_1", "test_0_2", "test_0_3", "test_1_1"]
        assert len(rows) == 3 * len(words)


def test_some_test_dialogues_do_not_fit_the_window(on_simulated_hub):
    """The stand-in reaches the 512-token window, as DialogSum does with FLAN-T5's tokenizer."""
    _, tokenizer = lab.load_seq2seq("google/flan-t5-small")
    test = lab.load_dialogsum("knkarthick/dialogsum")["test"]
    lengths = [len(ids) for ids in tokenizer(list(test["dialogue"]), verbose=False)["input_ids"]]
    assert 1 <= sum(n > 512 for n in lengths) <= 0.2 * len(lengths)
    assert 150 <= statistics.median(lengths) <= 300


def test_auto_on_a_cpu_with_the_simulated_cache_picks_small(on_simulated_hub, monkeypatch):
    import torch

    monkeypatch.delenv("LAB_PROFILE")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    profile, line = profiles.profile_choice()
    assert profile.name == "small" and "local Hugging Face cache" in line
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert profiles.profile_choice()[0].name == "base"


def test_build_is_deterministic_and_runs_from_the_command_line(tmp_path, capsys):
    assert sim.dialogsum_rows() == sim.dialogsum_rows()
    assert sim.main([str(tmp_path / "a"), "--models", "small"]) == 0
    printed = capsys.readouterr().out
    assert f"export HF_HUB_CACHE={tmp_path / 'a' / 'hub'}" in printed
    assert "export LAB_DIALOGSUM=" in printed
    capsys.readouterr()
    sim.main([str(tmp_path / "b"), "--models", "small", "--print-env", "--dataset-folder"])
    lines = capsys.readouterr().out.splitlines()
    assert all("=" in line and " " not in line for line in lines)
    assert f"HF_HUB_CACHE={tmp_path / 'b' / 'hub'}" in lines
    assert any(line.startswith("LAB_DIALOGSUM=") for line in lines)
    for name in ("models--google--flan-t5-small", "datasets--knkarthick--dialogsum"):
        first = (tmp_path / "a" / "hub" / name / "refs" / "main").read_text()
        assert first == (tmp_path / "b" / "hub" / name / "refs" / "main").read_text()
