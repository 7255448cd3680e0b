"""The settings table: every knob whose value depends on the profile, in one place.

A profile pairs a model with a dataset and carries the knobs whose sensible
value depends on the model's size: how many test dialogues the evaluation
cells score, the batch size, how long a generated summary may be, and the
fine-tuning plan of lab 07. `tiny` runs offline from the bundled assets; the
others come from the Hugging Face hub (or its local cache). How `auto` picks
one is in `labsupport.profiles`; what a lab runs with is the LabConfig that
`lab.setup()` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from labsupport import paths

HUB_DATASET = "knkarthick/dialogsum"


@dataclass(frozen=True)
class FinetunePlan:
    """Training settings shared by full fine-tuning and LoRA (the same budget for both).

    Only the learning rate differs between the two methods: a LoRA adapter
    starts at zero and has few parameters, so it wants a larger step.
    """

    epochs: float
    batch_size: int
    gradient_accumulation: int
    full_learning_rate: float
    lora_learning_rate: float
    lora_r: int
    lora_alpha: int
    lora_dropout: float
    lora_targets: tuple[str, ...]
    train_subset: int | None          # None: the whole train split
    validation_subset: int | None     # validation dialogues for the validation loss
    max_target_tokens: int            # longest reference summary kept for training
    warmup: float = 0.06              # share of the steps (below 1) or a number of steps
    weight_decay: float = 0.01
    logging_steps: int = 10
    evaluations: int = 5              # validation-loss evaluations during training
    max_steps: int = -1               # > 0 stops early (smoke runs); -1: use epochs
    precision: str = "auto"           # auto | bf16 | fp16 | fp32
    lora_rank_pattern: tuple[tuple[str, int], ...] = ()  # (target, rank) pairs overriding lora_r

    def lora_ranks(self) -> dict[str, int]:
        """The LoRA rank of each target module."""
        ranks = {target: self.lora_r for target in self.lora_targets}
        ranks.update(self.lora_rank_pattern)
        return ranks

    def learning_rate(self, method: str) -> float:
        if method not in ("full", "lora"):
            raise ValueError(f"method must be 'full' or 'lora', got {method!r}")
        return {"full": self.full_learning_rate, "lora": self.lora_learning_rate}[method]



@dataclass(frozen=True)
class Profile:
    """One row of the table. `model` and `dataset` are hub ids or local folders;
    `eval_subset` is how many test dialogues the evaluation cells score (None: all)."""

    name: str
    model: str
    dataset: str
    eval_subset: int | None
    batch_size: int
    max_new_tokens: int
    plan: FinetunePlan


# Tiny: chosen on the validation split only (ROUGE-1 of greedy summaries of
# the validation dialogues against their one reference), two to three minutes of
# training per method on two CPU cores. Full fine-tuning on the whole train
# split, batches of 16, learning rate 1e-3: one epoch (200 steps on 3,200
# dialogues) reached 0.45 on the first 100 with an earlier bundled model, two
# epochs (564 steps) 0.58 with it; with the current model 0.610 on all 250.
# LoRA on the same 564 steps, under 2% of the parameters, learning rate 5e-3,
# alpha 12, on all 250 (full: 0.610): rank 3 on every attention and
# feed-forward projection (1.7%) 0.565; the same at 1e-2 0.576; plus training
# the layer norms 0.575; DoRA 0.582 but 30% slower; rank 4 on the feed-forward
# projections 0.582 (at 1e-2 0.578); rank 2 on attention and 5 on feed-forward
# 0.581; rank 3 on q, v, o (not k) and 5 on feed-forward 0.585 (1.9%, chosen).
# Those probes used the model built before the unlikelihood loss; with the
# rebuilt one (`scripts/finetune_dialogsum.py --profile tiny --eval-split
# validation`): full 0.596, the chosen LoRA 0.588.
# The FLAN-T5 plans are sized for one 16 GB GPU (batch x accumulation = 32
# examples per optimizer step); their learning rates are common choices for
# FLAN-T5 on DialogSum, not tuned here.
PROFILES: dict[str, Profile] = {
    "tiny": Profile(
        name="tiny", model=str(paths.TINY_MODEL_DIR), dataset=str(paths.CORPUS_DIR),
        eval_subset=None, batch_size=16, max_new_tokens=48,
        plan=FinetunePlan(
            epochs=2, batch_size=16, gradient_accumulation=1,
            full_learning_rate=1e-3, lora_learning_rate=5e-3,
            lora_r=3, lora_alpha=12, lora_dropout=0.0,
            lora_targets=("q", "v", "o", "wi_0", "wi_1", "wo"),
            lora_rank_pattern=(("wi_0", 5), ("wi_1", 5), ("wo", 5)),
            train_subset=None, validation_subset=100, max_target_tokens=96,
            logging_steps=10, evaluations=5,
        ),
    ),
    "small": Profile(
        name="small", model="google/flan-t5-small", dataset=HUB_DATASET,
        eval_subset=100, batch_size=16, max_new_tokens=64,
        plan=FinetunePlan(
            epochs=1, batch_size=16, gradient_accumulation=2,
            full_learning_rate=3e-4, lora_learning_rate=1e-3,
            lora_r=32, lora_alpha=32, lora_dropout=0.05, lora_targets=("q", "v"),
            train_subset=2000, validation_subset=200, max_target_tokens=128,
        ),
    ),
    "base": Profile(
        name="base", model="google/flan-t5-base", dataset=HUB_DATASET,
        eval_subset=100, batch_size=8, max_new_tokens=64,
        plan=FinetunePlan(
            epochs=1, batch_size=8, gradient_accumulation=4,
            full_learning_rate=3e-4, lora_learning_rate=1e-3,
            lora_r=32, lora_alpha=32, lora_dropout=0.05, lora_targets=("q", "v"),
            train_subset=4000, validation_subset=200, max_target_tokens=128,
        ),
    ),
    "large": Profile(
        name="large", model="google/flan-t5-large", dataset=HUB_DATASET,
        eval_subset=50, batch_size=4, max_new_tokens=64,
        plan=FinetunePlan(
            epochs=1, batch_size=4, gradient_accumulation=8,
            full_learning_rate=1e-4, lora_learning_rate=1e-3,
            lora_r=32, lora_alpha=32, lora_dropout=0.05, lora_targets=("q", "v"),
            train_subset=2000, validation_subset=100, max_target_tokens=128,
        ),
    ),
}
