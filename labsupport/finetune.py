"""Fine-tuning and inference helpers for lab 07 and scripts/finetune_dialogsum.py.

    plan = plan_for(cfg)                                   # knobs for the profile
    train = tokenize_for_seq2seq(ds["train"], tokenizer)   # prompt -> summary pairs
    trainer = make_trainer(model, tokenizer, train, val, new_run_dir("07-full"), plan)
    peft_model, n_trainable, share = add_lora(other_copy, plan)

Everything here works for any T5-style model: sizes come from the model and
the tokenizer, never from the profile's name. The per-profile knobs live in
the settings table (`labsupport.settings`), with how the tiny plan was chosen.
transformers and peft are imported by the functions that use them, so that
reading a plan (scripts' --help, `lab.setup()`) does not wait for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import secrets
import shutil
import time
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from labsupport import paths
from labsupport.prompts import SUMMARY_TEMPLATES, context_window
from labsupport.session import active_config, pick_device
from labsupport.settings import FinetunePlan

RUNS_ENV = "LAB_RUNS_DIR"
# Test runs only: a folder where `make_trainer` keeps trained weights, keyed by a checksum of
# everything the training depends on, so that a second identical run (the learner version of a
# lab after its master) loads them instead of training again. Unset for learners.
TRAINING_CACHE_ENV = "LAB_TRAINING_CACHE"
IGNORE_INDEX = -100  # label value the loss skips (padding in the labels)


# --- the plan of a profile ---------------------------------------------------

def plan_for(profile: Any = None) -> FinetunePlan:
    """The fine-tuning plan of a LabConfig, Profile or profile name (None: the active one).
    The plans themselves are in the settings table, `labsupport.settings.PROFILES`."""
    return active_config(profile).plan


def smoke_plan(plan: FinetunePlan, steps: int = 3) -> FinetunePlan:
    """The same plan cut to a few steps on a few examples: checks the code path, not quality."""
    return replace(plan, max_steps=steps, train_subset=16, validation_subset=8, batch_size=4,
                   gradient_accumulation=1, logging_steps=1, evaluations=1)


# --- run folders -------------------------------------------------------------

def runs_root() -> Path:
    """Where run folders go: LAB_RUNS_DIR, else runs/ at the repository root (git-ignored)."""
    return Path(os.environ.get(RUNS_ENV) or paths.REPO_ROOT / "runs")


def new_run_dir(name: str, root: str | os.PathLike | None = None) -> Path:
    """Create and return a fresh folder `<root>/<name>-YYYYmmdd-HHMMSS-xxxx`.

    The folder never existed before: an existing one is never reused, so no
    earlier run can be overwritten.
    """
    if not name or "/" in name or "\\" in name:
        raise ValueError(f"a run name is one folder name, got {name!r}")
    base = Path(root) if root is not None else runs_root()
    if base.exists() and not base.is_dir():
        origin = "root" if root is not None else f"{RUNS_ENV} (or the default runs/)"
        raise NotADirectoryError(
            f"{base} is a file, not a folder; runs are saved in a folder. Set {origin} "
            "to a folder (it is created if missing), or move the file away."
        )
    base.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        folder = base / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise RuntimeError(f"could not create a new run folder in {base}")


# --- data ----------------------------------------------------------------------

def tokenize_for_seq2seq(dataset, tokenizer, template: str | None = None,
                         max_source_tokens: int | None = None,
                         max_target_tokens: int = 128, limit: int | None = None):
    """Turn (dialogue, summary) rows into model inputs and labels for training.

    The input is the dialogue inside the summary prompt (`template`, default
    the "summarize" one), the labels are the token ids of the reference
    summary. Nothing is cut: a row whose prompt is longer than
    `max_source_tokens` (default: the model's context window) or whose summary
    is longer than `max_target_tokens` is left out; compare the lengths to see
    how many. `limit` keeps the first rows only. Columns: input_ids,
    attention_mask, labels, length (prompt tokens, for length-grouped batches).
    """
    template = template or SUMMARY_TEMPLATES["summarize"]
    if "{dialogue}" not in template:
        raise ValueError("the template must contain the placeholder {dialogue}")
    if max_source_tokens is None:
        max_source_tokens = context_window(tokenizer)
    if limit is not None:
        dataset = dataset.select(range(min(limit, len(dataset))))

    def encode(batch):
        prompts = [template.format(dialogue=d) for d in batch["dialogue"]]
        inputs = tokenizer(prompts, truncation=False)
        labels = tokenizer(text_target=batch["summary"], truncation=False)["input_ids"]
        return {"input_ids": inputs["input_ids"], "attention_mask": inputs["attention_mask"],
                "labels": labels, "length": [len(ids) for ids in inputs["input_ids"]]}

    encoded = dataset.map(encode, batched=True, remove_columns=dataset.column_names,
                          desc="tokenizing")
    return encoded.filter(
        lambda row: row["length"] <= max_source_tokens and len(row["labels"]) <= max_target_tokens,
        desc="dropping rows that do not fit",
    )


# --- training ------------------------------------------------------------------

def precision_flags(device: str, precision: str = "auto") -> dict[str, bool]:
    """Mixed-precision flags for TrainingArguments. `auto`: bf16 on a CUDA GPU that supports
    it, else none (full fp32: older GPUs such as the T4 and V100, a CPU, Apple's MPS). `auto`
    never picks fp16: T5's activations overflow its range (the loss turns into nan); ask for
    it explicitly only for a model known to train in fp16."""
    if precision not in ("auto", "bf16", "fp16", "fp32"):
        raise ValueError(f"precision must be auto, bf16, fp16 or fp32, got {precision!r}")
    if precision == "auto":
        if not str(device).startswith("cuda") or not torch.cuda.is_bf16_supported():
            return {}
        precision = "bf16"
    return {"bf16": precision == "bf16", "fp16": precision == "fp16"} if precision != "fp32" \
        else {}


def optimizer_steps(n_examples: int, plan: FinetunePlan, n_devices: int = 1) -> int:
    """How many optimizer steps the plan makes over `n_examples` training rows: its epochs,
    stopped early at `plan.max_steps` when that is set (> 0)."""
    per_step = plan.batch_size * plan.gradient_accumulation * n_devices
    steps = max(1, math.ceil(math.ceil(n_examples / per_step) * plan.epochs))
    return min(steps, plan.max_steps) if plan.max_steps > 0 else steps


def training_arguments(output_dir: str | os.PathLike, plan: FinetunePlan, method: str,
                       n_train: int, device: str | None = None, seed: int = 42, **overrides):
    """Seq2SeqTrainingArguments for the plan on this device (transformers 5 names)."""
    from transformers import Seq2SeqTrainingArguments

    device = device or pick_device()
    n_devices = int(os.environ.get("WORLD_SIZE", "1"))
    steps = optimizer_steps(n_train, plan, n_devices)
    every = max(1, steps // max(1, plan.evaluations))
    settings = dict(
        output_dir=str(output_dir),
        num_train_epochs=plan.epochs,
        max_steps=steps if plan.max_steps > 0 else -1,  # a ceiling, never more than epochs
        per_device_train_batch_size=plan.batch_size,
        per_device_eval_batch_size=plan.batch_size * 2,
        gradient_accumulation_steps=plan.gradient_accumulation,
        learning_rate=plan.learning_rate(method),
        lr_scheduler_type="linear",
        warmup_steps=plan.warmup,
        weight_decay=plan.weight_decay,
        eval_strategy="steps",
        eval_steps=every,
        logging_strategy="steps",
        logging_steps=min(plan.logging_steps, every),
        save_strategy="no",             # the final model is saved once, explicitly
        report_to="none",
        train_sampling_strategy="group_by_length",
        seed=seed,
        data_seed=seed,
        use_cpu=device == "cpu",
        dataloader_num_workers=0,
        **precision_flags(device, plan.precision),
    )
    settings.update(overrides)
    return Seq2SeqTrainingArguments(**settings)


def make_trainer(model, tokenizer, train_dataset, eval_dataset, output_dir,
                 plan: FinetunePlan, method: str = "full", device: str | None = None,
                 seed: int = 42, callbacks=None, **overrides):
    """A Seq2SeqTrainer for `model` (a plain or a LoRA model) with the plan's settings.

    Batches are padded per batch (labels with -100, which the loss ignores);
    the decoder inputs are the labels shifted right, made by the model.
    `overrides` replace TrainingArguments settings; `callbacks` go to the Trainer.
    """
    from transformers import DataCollatorForSeq2Seq, Seq2SeqTrainer

    args = training_arguments(output_dir, plan, method, len(train_dataset), device=device,
                              seed=seed, **overrides)
    collator = DataCollatorForSeq2Seq(tokenizer, model=model, label_pad_token_id=IGNORE_INDEX,
                                      pad_to_multiple_of=8 if args.fp16 or args.bf16 else None)
    trainer = Seq2SeqTrainer(model=model, args=args, train_dataset=train_dataset,
                             eval_dataset=eval_dataset, data_collator=collator,
                             processing_class=tokenizer, callbacks=callbacks)
    if os.environ.get(TRAINING_CACHE_ENV) and not callbacks:
        key = training_key(model, train_dataset, eval_dataset, plan, method, device, seed,
                           overrides)
        _train_through_cache(trainer, Path(os.environ[TRAINING_CACHE_ENV]) / key)
    return trainer


def training_key(model, train_dataset, eval_dataset, plan, method, device, seed,
                 overrides) -> str:
    """A checksum of everything a training run's result depends on."""
    import peft
    import transformers

    parts = [weights_fingerprint(model), _dataset_fingerprint(train_dataset),
             _dataset_fingerprint(eval_dataset), repr(plan), method, str(device), str(seed),
             repr(sorted(overrides.items())), torch.__version__, transformers.__version__,
             peft.__version__]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _dataset_fingerprint(dataset) -> str:
    if dataset is None:
        return "none"
    digest = hashlib.sha256()
    for row in dataset:
        digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


def _train_through_cache(trainer, entry: Path) -> None:
    """Make `trainer.train()` load a finished identical run from `entry`, or train and save it
    there. Only the test suite sets TRAINING_CACHE_ENV (see its comment)."""
    import fcntl  # Unix only; learners never reach this test-only path

    from safetensors.torch import load_model, save_model
    from transformers.trainer_utils import TrainOutput

    train = trainer.train

    def train_or_load(*args, **kwargs):
        entry.parent.mkdir(parents=True, exist_ok=True)
        # One run trains; an identical run started meanwhile (a parallel test worker) waits.
        with open(entry.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if (entry / "log_history.json").is_file():
                load_model(trainer.model, str(entry / "weights.safetensors"), strict=True)
                history = json.loads((entry / "log_history.json").read_text())
                trainer.state.log_history = history
                trainer.state.global_step = max(e.get("step", 0) for e in history)
                print(f"(test run: trained weights loaded from the training cache {entry.name})")
                return TrainOutput(trainer.state.global_step, float("nan"), {})
            output = train(*args, **kwargs)
            partial = entry.with_suffix(".partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            save_model(trainer.model, str(partial / "weights.safetensors"))
            (partial / "log_history.json").write_text(json.dumps(trainer.state.log_history))
            partial.rename(entry)
            return output

    trainer.train = train_or_load


def loss_history(source) -> dict[str, list[tuple[int, float]]]:
    """(step, loss) pairs of training and validation from a Trainer or its log history."""
    logs = source.state.log_history if hasattr(source, "state") else source
    return {
        "train": [(int(e["step"]), float(e["loss"])) for e in logs if "loss" in e],
        "eval": [(int(e["step"]), float(e["eval_loss"])) for e in logs if "eval_loss" in e],
    }


# --- LoRA ----------------------------------------------------------------------

def count_parameters(model) -> tuple[int, int]:
    """(trainable, total) parameters of a model."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters())


def lora_config(plan: FinetunePlan, inference_mode: bool = False):
    from peft import LoraConfig, TaskType

    return LoraConfig(task_type=TaskType.SEQ_2_SEQ_LM, r=plan.lora_r, lora_alpha=plan.lora_alpha,
                      lora_dropout=plan.lora_dropout, target_modules=list(plan.lora_targets),
                      rank_pattern=dict(plan.lora_rank_pattern), inference_mode=inference_mode)


def add_lora(model, plan: FinetunePlan):
    """Wrap `model` with a fresh LoRA adapter: (peft model, trainable count, trainable share).

    Careful: peft injects the adapter layers INTO `model` (in place), so pass a
    copy you are prepared to change, never the model you compare against.
    """
    from peft import get_peft_model

    with _quiet_peft():
        peft_model = get_peft_model(model, lora_config(plan))
    trainable, total = count_parameters(peft_model)
    return peft_model, trainable, trainable / total


def load_adapter(base_model, adapter_dir: str | os.PathLike):
    """A saved adapter on top of `base_model` (changed in place too), ready for inference."""
    from peft import PeftModel

    with _quiet_peft():
        return PeftModel.from_pretrained(base_model, str(adapter_dir), is_trainable=False).eval()


@contextlib.contextmanager
def _quiet_peft():
    """Hide a FutureWarning that peft triggers inside transformers (not about your code)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*",
                                category=FutureWarning)
        yield


# --- comparing weights -----------------------------------------------------------

def weights_fingerprint(model) -> str:
    """SHA-256 over every tensor's name, dtype, shape and bytes: equal iff the weights are."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        tensor = tensor.detach().to("cpu").contiguous()
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}".encode())
        digest.update(tensor.view(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def snapshot_weights(model) -> dict[str, Any]:
    """A CPU copy of every tensor of the model (to compare with later)."""
    return {name: t.detach().to("cpu").clone() for name, t in model.state_dict().items()}


def same_weights(model, snapshot: dict[str, Any]) -> bool:
    """True when the model has exactly the tensors of `snapshot`: same names, all equal."""
    current = model.state_dict()
    return current.keys() == snapshot.keys() and all(
        torch.equal(current[name].detach().to("cpu"), snapshot[name]) for name in snapshot)


# --- sizes ---------------------------------------------------------------------

def folder_size_mb(folder: str | os.PathLike) -> float:
    """Total size in MB of the files in a folder (a saved model or adapter)."""
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file()) / 1e6
