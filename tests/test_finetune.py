"""labsupport.finetune on a throwaway 1-layer T5: data, Trainer, LoRA, run folders, int8."""

import dataclasses
import re

import datasets
import pytest
import torch

from labsupport import finetune
from labsupport.prompts import SUMMARY_TEMPLATES


@pytest.fixture
def tokenizer(tiny_t5_tokenizer):
    return tiny_t5_tokenizer


@pytest.fixture
def load_model(load_tiny_t5):
    return load_tiny_t5


DIALOGUE = "#Person1#: Hello, how are you? #Person2#: Fine, thank you."
SUMMARY = "the cat sat on the mat"


@pytest.fixture
def rows():
    dialogues = [DIALOGUE, DIALOGUE + " " + DIALOGUE] * 6
    return datasets.Dataset.from_dict({"dialogue": dialogues, "summary": [SUMMARY] * 12})


@pytest.fixture
def plan():
    from labsupport.settings import PROFILES

    return finetune.smoke_plan(PROFILES["tiny"].plan)


def test_new_run_dir_is_fresh_every_time(tmp_path, monkeypatch):
    first = finetune.new_run_dir("07-full", root=tmp_path)
    second = finetune.new_run_dir("07-full", root=tmp_path)
    assert first != second and first.is_dir() and second.is_dir()
    assert re.fullmatch(r"07-full-\d{8}-\d{6}-[0-9a-f]{4}", first.name)
    assert list(first.iterdir()) == []
    monkeypatch.setenv(finetune.RUNS_ENV, str(tmp_path / "elsewhere"))
    assert finetune.new_run_dir("07-lora").parent == tmp_path / "elsewhere"


def test_new_run_dir_never_reuses_an_existing_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(finetune.time, "strftime", lambda _: "20240101-000000")
    tokens = iter(["aaaa", "aaaa", "bbbb"])
    monkeypatch.setattr(finetune.secrets, "token_hex", lambda _: next(tokens))
    first = finetune.new_run_dir("07-full", root=tmp_path)
    (first / "model.safetensors").write_text("earlier run")
    second = finetune.new_run_dir("07-full", root=tmp_path)
    assert second.name.endswith("bbbb")
    assert (first / "model.safetensors").read_text() == "earlier run"


@pytest.mark.parametrize("name", ["", "a/b", "..\\x"])
def test_new_run_dir_rejects_paths_as_names(tmp_path, name):
    with pytest.raises(ValueError, match="one folder name"):
        finetune.new_run_dir(name, root=tmp_path)


def test_tokenize_uses_the_prompt_and_the_summary_as_labels(rows, tokenizer):
    data = finetune.tokenize_for_seq2seq(rows, tokenizer, max_source_tokens=512)
    assert set(data.column_names) == {"input_ids", "attention_mask", "labels", "length"}
    first = data[0]
    prompt = SUMMARY_TEMPLATES["summarize"].format(dialogue=DIALOGUE)
    assert first["input_ids"] == tokenizer(prompt)["input_ids"]
    assert first["labels"] == tokenizer(SUMMARY)["input_ids"]
    assert first["labels"][-1] == tokenizer.eos_token_id
    assert first["length"] == len(first["input_ids"])


def test_tokenize_drops_rows_that_do_not_fit_instead_of_cutting(rows, tokenizer):
    short = len(tokenizer(SUMMARY_TEMPLATES["summarize"].format(dialogue=DIALOGUE))["input_ids"])
    data = finetune.tokenize_for_seq2seq(rows, tokenizer, max_source_tokens=short)
    assert len(data) == 6  # the doubled dialogues are left out, whole
    assert all(length == short for length in data["length"])
    assert len(finetune.tokenize_for_seq2seq(rows, tokenizer, max_source_tokens=512,
                                             max_target_tokens=3)) == 0
    assert len(finetune.tokenize_for_seq2seq(rows, tokenizer, max_source_tokens=512,
                                             limit=5)) == 5


def test_tokenize_needs_a_dialogue_placeholder(rows, tokenizer):
    with pytest.raises(ValueError, match="placeholder"):
        finetune.tokenize_for_seq2seq(rows, tokenizer, template="Summarize:", max_source_tokens=9)


def test_plan_for_follows_the_active_configuration_and_smoke_is_tiny():
    import labsupport as lab
    from labsupport.settings import PROFILES

    assert finetune.plan_for("base") is PROFILES["base"].plan
    cfg = lab.setup(profile="small", verbose=False)
    assert finetune.plan_for() is finetune.plan_for(cfg) is PROFILES["small"].plan
    smoke = finetune.smoke_plan(finetune.plan_for("tiny"))
    assert smoke.max_steps == 3 and smoke.train_subset == 16
    assert finetune.optimizer_steps(10_000, smoke) == 3
    two_epochs = dataclasses.replace(PROFILES["tiny"].plan, epochs=2, batch_size=16)
    assert finetune.optimizer_steps(100, two_epochs) == 2 * 7  # 7 batches of 16 per epoch
    custom = dataclasses.replace(PROFILES["tiny"].plan, lora_r=2, lora_targets=("q", "wo"),
                                 lora_rank_pattern=(("wo", 7),))
    assert custom.lora_ranks() == {"q": 2, "wo": 7}
    with pytest.raises(ValueError, match="Unknown profile 'huge'"):
        finetune.plan_for("huge")
    with pytest.raises(ValueError, match="'full' or 'lora'"):
        smoke.learning_rate("adapter")


def test_precision_flags(monkeypatch):
    assert finetune.precision_flags("cpu") == {}
    assert finetune.precision_flags("mps") == {}
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert finetune.precision_flags("cuda") == {"bf16": True, "fp16": False}
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)
    assert finetune.precision_flags("cuda:0") == {}  # T5 overflows in fp16: fp32 on a T4
    assert finetune.precision_flags("cuda", "fp16") == {"bf16": False, "fp16": True}
    assert finetune.precision_flags("cuda", "fp32") == {}
    with pytest.raises(ValueError, match="precision"):
        finetune.precision_flags("cpu", "int4")


def test_training_arguments_use_the_plan(tmp_path, plan):
    args = finetune.training_arguments(tmp_path, plan, "lora", n_train=16, device="cpu")
    assert args.learning_rate == plan.lora_learning_rate
    assert args.train_sampling_strategy == "group_by_length"
    assert args.report_to == [] or args.report_to in ("none", ["none"])
    assert args.eval_strategy == "steps" and args.save_strategy == "no"
    assert args.use_cpu and not args.bf16 and not args.fp16


def test_trainer_trains_and_records_losses(load_model, tokenizer, rows, plan, tmp_path):
    model = load_model()
    before = finetune.snapshot_weights(model)
    data = finetune.tokenize_for_seq2seq(rows, tokenizer, max_source_tokens=512)
    trainer = finetune.make_trainer(model, tokenizer, data, data.select(range(4)), tmp_path,
                                    plan, device="cpu")
    trainer.train()
    history = finetune.loss_history(trainer)
    assert [step for step, _ in history["train"]] == [1, 2, 3]
    assert history["eval"] and all(loss > 0 for _, loss in history["eval"])
    assert not finetune.same_weights(model, before)
    assert list(tmp_path.iterdir()) == []  # nothing saved unless asked (save_strategy="no")


@pytest.mark.parametrize("method", ["full", "lora"])
def test_training_cache_gives_the_second_identical_run_the_first_runs_result(
        load_model, tokenizer, rows, plan, tmp_path, monkeypatch, method):
    """The test suite's training cache (LAB_TRAINING_CACHE): the second identical run does not
    train, and ends with the same weights and loss history as the first."""
    monkeypatch.setenv(finetune.TRAINING_CACHE_ENV, str(tmp_path / "cache"))
    data = finetune.tokenize_for_seq2seq(rows, tokenizer, max_source_tokens=512)

    def run(folder):
        model = load_model()
        if method == "lora":
            torch.manual_seed(1)  # the same adapter initialisation in both runs
            model = finetune.add_lora(model, plan)[0]
        trainer = finetune.make_trainer(model, tokenizer, data, data.select(range(4)),
                                        tmp_path / folder, plan, method=method, device="cpu")
        trainer.train()
        return model, finetune.loss_history(trainer)

    first, first_history = run("first")
    steps = []
    monkeypatch.setattr("transformers.Trainer.training_step",
                        lambda *args, **kwargs: steps.append(1))
    second, second_history = run("second")
    assert steps == []  # loaded, not trained
    assert finetune.weights_fingerprint(first) == finetune.weights_fingerprint(second)
    assert second_history == first_history and len(first_history["train"]) == 3
    start = load_model() if method == "full" else finetune.add_lora(load_model(), plan)[0]
    assert finetune.weights_fingerprint(second) != finetune.weights_fingerprint(start)
    different = dataclasses.replace(plan, full_learning_rate=plan.full_learning_rate / 2,
                                    lora_learning_rate=plan.lora_learning_rate / 2)
    model = load_model() if method == "full" else finetune.add_lora(load_model(), plan)[0]
    key = finetune.training_key(model, data, data.select(range(4)), plan, method, "cpu", 42, {})
    other = finetune.training_key(model, data, data.select(range(4)), different, method, "cpu",
                                  42, {})
    assert key != other  # another plan is another entry


def test_loss_history_from_a_log_history():
    logs = [{"loss": 2.0, "step": 5}, {"eval_loss": 1.5, "step": 5}, {"train_loss": 1.9,
            "step": 5}]
    assert finetune.loss_history(logs) == {"train": [(5, 2.0)], "eval": [(5, 1.5)]}


def test_add_lora_counts_parameters_and_changes_its_argument_in_place(load_model, plan):
    original, copy = load_model(), load_model()
    fingerprint = finetune.weights_fingerprint(original)
    peft_model, trainable, share = finetune.add_lora(copy, plan)
    d_model, inner = copy.config.d_model, copy.config.num_heads * copy.config.d_kv
    d_ff = copy.config.d_ff
    shapes = {"q": (d_model, inner), "k": (d_model, inner), "v": (d_model, inner),
              "o": (inner, d_model), "wi_0": (d_model, d_ff), "wi_1": (d_model, d_ff),
              "wo": (d_ff, d_model)}
    ranks = plan.lora_ranks()
    expected = 0
    for name, module in original.named_modules():
        leaf = name.rsplit(".", 1)[-1]
        if leaf in plan.lora_targets and isinstance(module, torch.nn.Linear):
            assert (module.in_features, module.out_features) == shapes[leaf]
            expected += ranks[leaf] * (module.in_features + module.out_features)
    assert trainable == expected
    assert share == pytest.approx(trainable / finetune.count_parameters(peft_model)[1])
    assert type(copy.encoder.block[0].layer[0].SelfAttention.q).__module__.startswith("peft")
    assert finetune.weights_fingerprint(original) == fingerprint  # a separate copy is untouched


def test_saved_adapter_reloads_with_identical_outputs(load_model, plan, tokenizer, tmp_path):
    peft_model, _, _ = finetune.add_lora(load_model(), plan)
    torch.manual_seed(0)
    with torch.no_grad():  # a trained adapter has non-zero B matrices
        for name, parameter in peft_model.named_parameters():
            if "lora_B" in name:
                parameter.normal_(0, 0.5)
    peft_model.save_pretrained(tmp_path / "adapter")
    reloaded = finetune.load_adapter(load_model(), tmp_path / "adapter")
    inputs = tokenizer(["the cat sat on the mat", DIALOGUE], return_tensors="pt", padding=True)
    settings = dict(max_new_tokens=8, do_sample=False)
    with torch.no_grad():
        assert torch.equal(peft_model.eval().generate(**inputs, **settings),
                           reloaded.generate(**inputs, **settings))
        plain = load_model().generate(**inputs, **settings)
    assert finetune.folder_size_mb(tmp_path / "adapter") > 0
    assert (tmp_path / "adapter" / "adapter_config.json").is_file()
    assert plain.shape[0] == 2


def test_fingerprint_and_same_weights(load_model):
    a, b = load_model(), load_model()
    snapshot = finetune.snapshot_weights(a)
    assert finetune.weights_fingerprint(a) == finetune.weights_fingerprint(b)
    assert finetune.same_weights(b, snapshot)
    with torch.no_grad():
        b.shared.weight[0, 0] += 1e-6
    assert finetune.weights_fingerprint(a) != finetune.weights_fingerprint(b)
    assert not finetune.same_weights(b, snapshot)
