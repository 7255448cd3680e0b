"""Train the bundled tiny T5: its own tokenizer, a small config, a FLAN-style mixture.

    python -m labassets model            # full build into data/tiny-t5/
    python -m labassets model --smoke    # same code path, tiny sizes, < 60 s

The result is an ordinary Hugging Face folder, loaded exactly like
google/flan-t5-base: ``AutoModelForSeq2SeqLM.from_pretrained(folder)``.
"""

from __future__ import annotations

import copy
import json
import platform
import random
import string
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from datasets import Dataset
from tokenizers import Tokenizer, pre_tokenizers
from tokenizers.models import Unigram
from tokenizers.trainers import UnigramTrainer
from tqdm.auto import tqdm
from transformers import GenerationConfig, T5Config, T5ForConditionalGeneration, T5Tokenizer
from transformers.optimization import Adafactor

from labassets import model_folder, schedule, tasks
from labassets.model_card import write_model_card
from labsupport import finetune, paths
from labsupport.data import numbered_references
from labsupport.generation import generate_with_endings
from labsupport.metrics import rouge
from labsupport.session import seed_everything

T5_SPECIALS = ["<pad>", "</s>", "<unk>"]  # ids 0, 1, 2 as in T5
N_SENTINELS = 100  # <extra_id_0> ... <extra_id_99>, at the end of the vocabulary


@dataclass(frozen=True)
class BuildSettings:
    """Everything that decides the model. Chosen on the validation split only."""

    vocab_size: int = 3000  # an upper bound: the trainer stops when pieces run out
    d_model: int = 256
    d_kv: int = 32
    num_heads: int = 8
    d_ff: int = 512
    num_layers: int = 2
    num_decoder_layers: int = 2
    dropout_rate: float = 0.0
    n_examples: int = 60_000
    batch_tokens: int = 6_000
    max_source_tokens: int = 384
    max_target_tokens: int = 64
    optimizer: str = "adafactor"  # T5's own optimiser: updates scaled to each weight's size
    learning_rate: float = 5e-3
    warmup_steps: int = 200
    unlikelihood_weight: float = 1.0  # the repetition penalty of `unlikelihood_loss`; 0 = off
    seed: int = 1234
    train_limit: int | None = None  # use only the first N train dialogues (smoke)
    eval_limit: int | None = None  # evaluate on the first N test dialogues (smoke)
    headroom_max_steps: int = -1  # > 0 cuts the headroom fine-tune short (smoke)


SMOKE = BuildSettings(
    vocab_size=400, d_model=32, d_kv=8, num_heads=2, d_ff=64, num_layers=1,
    num_decoder_layers=1, n_examples=240, batch_tokens=2_000, train_limit=200,
    eval_limit=16, warmup_steps=5, headroom_max_steps=3,
)


# ---------------------------------------------------------------- tokenizer
def train_tokenizer(texts: list[str], vocab_size: int):
    """A Unigram (SentencePiece-style) tokenizer with T5's conventions.

    pad = 0, </s> = 1 (appended to every encoded text), <unk> = 2, sentinels
    <extra_id_N> at the end of the vocabulary. Every printable ASCII character
    is in the alphabet, so English text never becomes <unk>.
    """
    draft = Tokenizer(Unigram())
    # Same pre-tokenisation as transformers' T5Tokenizer, so pieces match at load time.
    draft.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
    ])
    trainer = UnigramTrainer(
        vocab_size=vocab_size - N_SENTINELS,
        special_tokens=T5_SPECIALS,
        unk_token="<unk>",
        initial_alphabet=list(string.printable.strip()),
        show_progress=False,
    )
    draft.train_from_iterator(texts, trainer=trainer)
    pieces = json.loads(draft.to_str())["model"]["vocab"]
    assert [p for p, _ in pieces[:3]] == T5_SPECIALS, pieces[:3]
    # The trainer's scores differ from run to run in the last digits (its sums run
    # in no fixed order), and rare single characters get near-random scores below
    # every longer piece. Rounding, one fixed score for those characters, and
    # sorting ties by piece make the vocabulary, and every token id, the same on
    # every build.
    scores = {p: round(float(s), 4) for p, s in pieces[3:]}
    lowest_longer = min(s for p, s in scores.items() if len(p) > 1)
    scores = {p: (s if len(p) > 1 or s >= lowest_longer else lowest_longer - 1.0)
              for p, s in scores.items()}
    learned = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    vocab = [(p, 0.0) for p in T5_SPECIALS] + learned
    vocab += [(f"<extra_id_{i}>", 0.0) for i in range(N_SENTINELS - 1, -1, -1)]
    return T5Tokenizer(vocab=vocab, extra_ids=N_SENTINELS, model_max_length=512)


# ---------------------------------------------------------------- model
def build_model(tokenizer, settings: BuildSettings):
    config = T5Config(
        vocab_size=len(tokenizer), d_model=settings.d_model, d_kv=settings.d_kv,
        num_heads=settings.num_heads, d_ff=settings.d_ff, num_layers=settings.num_layers,
        num_decoder_layers=settings.num_decoder_layers, dropout_rate=settings.dropout_rate,
        feed_forward_proj="gated-gelu", pad_token_id=0, eos_token_id=1,
        decoder_start_token_id=0,
    )
    model = T5ForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=0, eos_token_id=1, pad_token_id=0,
    )
    return model


# ---------------------------------------------------------------- data
def encode_examples(tokenizer, examples, settings: BuildSettings) -> list[tuple[list, list]]:
    sources = tokenizer([e.source for e in examples], truncation=True,
                        max_length=settings.max_source_tokens)["input_ids"]
    targets = tokenizer([e.target for e in examples], truncation=True,
                        max_length=settings.max_target_tokens)["input_ids"]
    return list(zip(sources, targets))


def token_batches(pairs, batch_tokens: int, rng: random.Random) -> list[list[int]]:
    """Group examples of similar length so padding wastes little compute."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), rng.random()))
    batches, current, longest = [], [], 0
    for i in order:
        longest_if_added = max(longest, len(pairs[i][0]) + len(pairs[i][1]))
        if current and longest_if_added * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current, longest_if_added = [], len(pairs[i][0]) + len(pairs[i][1])
        current.append(i)
        longest = longest_if_added
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(pairs, indices) -> dict[str, torch.Tensor]:
    sources = [pairs[i][0] for i in indices]
    targets = [pairs[i][1] for i in indices]
    width_s = max(map(len, sources))
    width_t = max(map(len, targets))
    input_ids = torch.tensor([s + [0] * (width_s - len(s)) for s in sources])
    labels = torch.tensor([t + [-100] * (width_t - len(t)) for t in targets])
    return {"input_ids": input_ids, "attention_mask": (input_ids != 0).long(), "labels": labels}


# ---------------------------------------------------------------- training
def unlikelihood_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Token-level unlikelihood (Welleck et al., 2019): a penalty on repeating oneself.

    At each target position, every token that already occurred earlier in the
    target, and is not the right next token, is pushed down with -log(1 - p).
    Cross-entropy alone only pulls the right token up, and a small model that
    is unsure of a name then repeats it ("for Sarah Sarah Sarah ...").
    Returns the penalty summed over those tokens, averaged over target tokens.
    """
    valid = labels != -100
    seen = torch.nn.functional.one_hot(labels.clamp(min=0), logits.shape[-1])
    seen = seen * valid.unsqueeze(-1)
    earlier = (seen.cumsum(dim=1) - seen) > 0  # occurred before position t
    earlier &= ~seen.bool() & valid.unsqueeze(-1)  # ... and is not the token at t
    probs = logits.float().softmax(dim=-1)
    penalty = -torch.log((1 - probs).clamp(min=1e-5)) * earlier
    return penalty.sum() / valid.sum().clamp(min=1)


def make_optimizer(model, name: str, lr: float):
    if name == "adamw":
        return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    if name == "adafactor":
        return Adafactor(model.parameters(), lr=lr, scale_parameter=True, relative_step=False,
                         warmup_init=False)
    raise ValueError(f"unknown optimizer {name!r}: use 'adamw' or 'adafactor'")


def train(model, pairs, settings: BuildSettings, epochs: int = 1, learning_rate=None,
          desc: str = "training") -> list[float]:
    """A plain loop with warm-up and cosine decay. Returns the loss per step."""
    rng = random.Random(settings.seed)
    batches = [b for _ in range(epochs) for b in token_batches(pairs, settings.batch_tokens, rng)]
    lr = learning_rate or settings.learning_rate
    optimizer = make_optimizer(model, settings.optimizer, lr)
    scheduler = schedule.warmup_cosine(optimizer, settings.warmup_steps, len(batches))
    model.train()
    losses = []
    for indices in tqdm(batches, desc=desc, mininterval=5):
        batch = collate(pairs, indices)
        output = model(**batch)
        loss = output.loss
        if settings.unlikelihood_weight:
            loss = loss + settings.unlikelihood_weight * unlikelihood_loss(output.logits,
                                                                           batch["labels"])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
    model.eval()
    return losses


@torch.no_grad()
def mean_loss(model, pairs, settings: BuildSettings) -> float:
    model.eval()
    total, count = 0.0, 0
    for indices in token_batches(pairs, settings.batch_tokens, random.Random(0)):
        batch = collate(pairs, indices)
        n = int((batch["labels"] != -100).sum())
        total += model(**batch).loss.item() * n
        count += n
    return total / max(1, count)


# ---------------------------------------------------------------- evaluation
def greedy_summaries(model, tokenizer, prompts: list[str], max_new_tokens: int = 60,
                     batch_size: int = 32) -> tuple[list[str], list[bool]]:
    """Greedy outputs and, for each, whether it ended with </s> before the limit."""
    return generate_with_endings(model, tokenizer, prompts, batch_size=batch_size,
                                 progress=False, max_new_tokens=max_new_tokens)


def has_trigram_loop(text: str) -> bool:
    """True when a word trigram occurs three or more times: a generation loop."""
    words = text.split()
    grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    return any(grams.count(g) >= 3 for g in set(grams))


def rouge_scores(predictions: list[str], references: list[list[str]]) -> dict[str, float]:
    scores = rouge(predictions, references)
    return {k: round(float(scores[k]), 4) for k in ("rouge1", "rouge2", "rougeL")}


def evaluate_templates(model, tokenizer, records: list[dict]) -> dict:
    """Zero-shot ROUGE per summarisation template, EOS rate and trigram loops."""
    references = [numbered_references(r) for r in records]
    results = {}
    for name, template in tasks.SUMMARY_TEMPLATES.items():
        prompts = [template.format(dialogue=r["dialogue"]) for r in records]
        texts, stopped = greedy_summaries(model, tokenizer, prompts)
        results[name] = {
            **rouge_scores(texts, references),
            "eos_rate": round(sum(stopped) / len(stopped), 4),
            "trigram_loops": sum(map(has_trigram_loop, texts)),
            "example": texts[0],
        }
    return results


def finetune_headroom(model, tokenizer, train_records, test_records, settings) -> dict:
    """Fine-tune a copy on the full train summaries; ROUGE on test before and after.

    This measures how much room the bundled model leaves for notebook 07, with
    notebook 07's own recipe: the tiny profile's plan and `finetune.make_trainer`.
    """
    plan = finetune.plan_for("tiny")
    if settings.headroom_max_steps > 0:
        plan = finetune.smoke_plan(plan, steps=settings.headroom_max_steps)
    train_rows = Dataset.from_list([{"dialogue": r["dialogue"], "summary": r["summary"]}
                                    for r in train_records])
    train_data = finetune.tokenize_for_seq2seq(train_rows, tokenizer, limit=plan.train_subset,
                                               max_target_tokens=plan.max_target_tokens)
    tuned = copy.deepcopy(model)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        trainer = finetune.make_trainer(tuned, tokenizer, train_data, None, scratch, plan,
                                        method="full", device="cpu", seed=settings.seed,
                                        eval_strategy="no", disable_tqdm=True)
        trainer.train()
    seconds = time.perf_counter() - started
    template = tasks.SUMMARY_TEMPLATES["summarize"]
    prompts = [template.format(dialogue=r["dialogue"]) for r in test_records]
    references = [numbered_references(r) for r in test_records]
    limit = plan.max_target_tokens
    before = rouge_scores(greedy_summaries(model, tokenizer, prompts, limit)[0], references)
    after = rouge_scores(greedy_summaries(tuned.eval(), tokenizer, prompts, limit)[0],
                         references)
    return {"train_dialogues": len(train_data), "steps": trainer.state.global_step,
            "learning_rate": plan.full_learning_rate, "seconds": round(seconds, 1),
            "max_new_tokens": limit, "before": before, "after": after,
            "rouge1_gain": round(after["rouge1"] - before["rouge1"], 4)}


# ---------------------------------------------------------------- build
def load_splits(corpus_dir: Path, settings: BuildSettings):
    """The scenario dialogues of each split: the long tail does not fit the model's window."""
    train_records, dev_records, test_records = tasks.read_scenario_splits(corpus_dir)
    if settings.train_limit:
        train_records = train_records[:settings.train_limit]
        dev_records = dev_records[:settings.eval_limit]
    if settings.eval_limit:
        test_records = test_records[:settings.eval_limit]
    return train_records, dev_records, test_records


def build(out_dir: Path, settings: BuildSettings, corpus_dir: Path = paths.CORPUS_DIR) -> dict:
    """Train tokenizer and model, evaluate, and write a complete model folder."""
    started = time.perf_counter()
    seed_everything(settings.seed)
    train_records, dev_records, test_records = load_splits(corpus_dir, settings)

    examples = tasks.build_mixture(train_records, settings.n_examples, settings.seed)
    tokenizer_texts = [e.source for e in examples[:20_000]] + [e.target for e in examples]
    tokenizer = train_tokenizer(tokenizer_texts, settings.vocab_size)
    model = build_model(tokenizer, settings)
    pairs = encode_examples(tokenizer, examples, settings)
    dev_pairs = encode_examples(
        tokenizer, tasks.build_mixture(dev_records, len(dev_records) * 4, settings.seed), settings)

    losses = train(model, pairs, settings)
    train_seconds = time.perf_counter() - started
    report = {
        "settings": asdict(settings),
        "parameters": finetune.count_parameters(model)[1],
        "vocab_size": len(tokenizer),
        "train_steps": len(losses),
        "train_examples": len(examples),
        "final_train_loss": round(float(np.mean(losses[-50:])), 4),
        "validation_loss": round(mean_loss(model, dev_pairs, settings), 4),
        "train_seconds": round(train_seconds, 1),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} threads, "
                   f"torch {torch.__version__}",
    }
    report["zero_shot_test"] = evaluate_templates(model, tokenizer, test_records)
    report["headroom"] = finetune_headroom(model, tokenizer, train_records, test_records,
                                           settings)
    report["build_seconds"] = round(time.perf_counter() - started, 1)
    model_folder.save(model, tokenizer, report, out_dir, write_model_card)
    return report


def main(argv: list[str] | None = None) -> int:
    torch.set_num_threads(max(1, torch.get_num_threads()))
    return model_folder.run_builder(argv, "model", __doc__.splitlines()[0], paths.TINY_MODEL_DIR,
                                    build, BuildSettings(), SMOKE)
