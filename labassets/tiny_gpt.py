"""Train the bundled tiny GPT: a decoder-only language model of the bundled dialogues.

    python -m labassets decoder            # full build into data/tiny-gpt/
    python -m labassets decoder --smoke    # same code path, tiny sizes, seconds

Lab 04 uses it to show what a decoder-only model does: it continues a text,
one token at a time, under a causal mask. It is trained from scratch here on
the scenario dialogues of the train split of data/dialogsum-mini (not its long tail), each
document being a dialogue followed
by ``Summary:`` and its reference summary, so it can continue a conversation
and, given a dialogue and ``Summary:``, write a summary by continuation.

The result is an ordinary Hugging Face folder (GPT-2 architecture, a byte-level
BPE tokenizer, safetensors weights), loaded with
``AutoModelForCausalLM.from_pretrained(folder)``.
"""

from __future__ import annotations

import math
import platform
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from tqdm.auto import tqdm
from transformers import GenerationConfig, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

from labassets import model_folder, schedule, tasks
from labsupport import paths
from labsupport.session import seed_everything

END_OF_TEXT = "<|endoftext|>"  # GPT-2's one special token: separator, end, padding
SUMMARY_CUE = "\nSummary:"


@dataclass(frozen=True)
class BuildSettings:
    """Everything that decides the model. Chosen on the validation split only."""

    vocab_size: int = 2048
    n_embd: int = 128
    n_layer: int = 4
    n_head: int = 4
    n_positions: int = 512  # longest training document: under 300 tokens
    dropout: float = 0.0
    epochs: int = 1
    batch_tokens: int = 4_096  # padded tokens per batch (documents of similar length together)
    learning_rate: float = 3e-3
    warmup_steps: int = 20
    weight_decay: float = 0.01
    seed: int = 1234
    train_limit: int | None = None  # use only the first N train dialogues (smoke)
    eval_limit: int | None = None  # evaluate on the first N dev/test dialogues (smoke)


SMOKE = BuildSettings(vocab_size=300, n_embd=32, n_layer=1, n_head=2, n_positions=512,
                      epochs=1, batch_tokens=4_096, warmup_steps=2, train_limit=60,
                      eval_limit=8)


def document(dialogue: str, summary: str) -> str:
    """One training text: the dialogue, then the summary after a cue."""
    return f"{dialogue}{SUMMARY_CUE} {summary}"


def summary_prompt(dialogue: str) -> str:
    """The prompt that asks the model for a summary: a dialogue and the cue."""
    return f"{dialogue}{SUMMARY_CUE}"


# ---------------------------------------------------------------- tokenizer
def train_tokenizer(texts: list[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer as in GPT-2: every byte is in the alphabet, so no text
    is ever unknown, and decoding gives back the exact input. ``<|endoftext|>`` = 0."""
    raw = Tokenizer(models.BPE())
    raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    raw.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=[END_OF_TEXT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    raw.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=raw, bos_token=END_OF_TEXT, eos_token=END_OF_TEXT,
        unk_token=END_OF_TEXT, pad_token=END_OF_TEXT, model_max_length=512,
    )


# ---------------------------------------------------------------- model
def build_model(tokenizer, settings: BuildSettings) -> GPT2LMHeadModel:
    eot = tokenizer.convert_tokens_to_ids(END_OF_TEXT)
    config = GPT2Config(
        vocab_size=len(tokenizer), n_positions=settings.n_positions, n_embd=settings.n_embd,
        n_layer=settings.n_layer, n_head=settings.n_head, resid_pdrop=settings.dropout,
        embd_pdrop=settings.dropout, attn_pdrop=settings.dropout,
        bos_token_id=eot, eos_token_id=eot, pad_token_id=eot,
        activation_function="gelu",  # exact GELU, one fused kernel: faster on a CPU than GPT-2's
    )                                # tanh approximation ("gelu_new")
    model = GPT2LMHeadModel(config)
    model.generation_config = GenerationConfig(bos_token_id=eot, eos_token_id=eot,
                                               pad_token_id=eot)
    return model


# ---------------------------------------------------------------- data
def encode_documents(tokenizer, texts: list[str], max_tokens: int) -> list[list[int]]:
    """Token ids of each document with ``<|endoftext|>`` appended (the model learns to stop),
    cut to `max_tokens` (the full build's documents are all shorter; the smoke
    build's small vocabulary makes some longer)."""
    eot = tokenizer.convert_tokens_to_ids(END_OF_TEXT)
    return [(ids + [eot])[:max_tokens]
            for ids in tokenizer(texts, verbose=False)["input_ids"]]


def length_batches(sequences, batch_tokens: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped by similar length (little padding), batches in a seeded order."""
    order = sorted(range(len(sequences)), key=lambda i: (len(sequences[i]), rng.random()))
    batches, current = [], []
    for i in order:
        if current and len(sequences[i]) * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(sequences, indices, pad_id: int) -> dict[str, torch.Tensor]:
    rows = [sequences[i] for i in indices]
    width = max(map(len, rows))
    input_ids = torch.tensor([r + [pad_id] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    labels = input_ids.masked_fill(mask == 0, -100)  # padding is never predicted
    return {"input_ids": input_ids, "attention_mask": mask, "labels": labels}


# ---------------------------------------------------------------- training
def train(model, sequences, settings: BuildSettings, pad_id: int) -> list[float]:
    """AdamW with warm-up and cosine decay over `settings.epochs`. Returns the loss per step."""
    rng = random.Random(settings.seed)
    batches = [b for _ in range(settings.epochs)
               for b in length_batches(sequences, settings.batch_tokens, rng)]
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate,
                                  weight_decay=settings.weight_decay, betas=(0.9, 0.98))
    scheduler = schedule.warmup_cosine(optimizer, settings.warmup_steps, len(batches))
    model.train()
    losses = []
    for indices in tqdm(batches, desc="training", mininterval=5):
        loss = model(**collate(sequences, indices, pad_id)).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
    model.eval()
    return losses


@torch.no_grad()
def mean_loss(model, sequences, pad_id: int, batch_tokens: int = 8_192) -> float:
    """Cross-entropy per predicted token (nats), over every token of every sequence."""
    model.eval()
    total, count = 0.0, 0
    for indices in length_batches(sequences, batch_tokens, random.Random(0)):
        batch = collate(sequences, indices, pad_id)
        logits = model(input_ids=batch["input_ids"],
                       attention_mask=batch["attention_mask"]).logits[:, :-1]
        targets = batch["labels"][:, 1:]
        total += torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
            ignore_index=-100, reduction="sum").item()
        count += int((targets != -100).sum())
    return total / max(1, count)


# ---------------------------------------------------------------- samples
@torch.no_grad()
def continue_text(model, tokenizer, prompt: str, max_new_tokens: int = 60) -> tuple[str, bool]:
    """Greedy continuation of `prompt` (without the prompt) and whether it ended with
    ``<|endoftext|>`` before the limit."""
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)[0]
    new = output[inputs["input_ids"].shape[1]:]
    ended = bool((new == tokenizer.eos_token_id).any())
    return tokenizer.decode(new, skip_special_tokens=True), ended


def first_turns(dialogue: str, n: int) -> str:
    return "\n".join(dialogue.split("\n")[:n])


SCORED_SUMMARIES = 40  # test dialogues whose greedy summaries are generated for the report


def samples(model, tokenizer, records: list[dict]) -> dict:
    """What the model writes for the first test dialogue: the next turn, and a summary;
    and how often a summary prompt of the first test dialogues ends with ``<|endoftext|>``
    (greedy, 80 new tokens)."""
    record = records[0]
    turns = record["dialogue"].split("\n")
    speaker = turns[2].split(":", 1)[0]
    next_turn_prompt = first_turns(record["dialogue"], 2) + f"\n{speaker}:"
    next_turn, _ = continue_text(model, tokenizer, next_turn_prompt, 40)
    summaries = [continue_text(model, tokenizer, summary_prompt(r["dialogue"]), 80)
                 for r in records[:SCORED_SUMMARIES]]
    return {
        "next_turn_prompt": next_turn_prompt,
        "next_turn": next_turn.split("\n")[0].strip(),
        "summary_prompt_dialogue": record["fname"],
        "summary": summaries[0][0].strip(),
        "summary_reference": record["summary1"],
        "summary_eos_rate": round(sum(ended for _, ended in summaries) / len(summaries), 4),
        "summaries_scored": len(summaries),
    }


# ---------------------------------------------------------------- build
def build(out_dir: Path, settings: BuildSettings, corpus_dir: Path = paths.CORPUS_DIR) -> dict:
    """Train tokenizer and model, measure them, and write a complete model folder."""
    started, cpu_started = time.perf_counter(), time.process_time()
    seed_everything(settings.seed)
    # The scenario dialogues: the long tail would not fit the 512 positions.
    train_records, dev_records, test_records = tasks.read_scenario_splits(corpus_dir)
    if settings.train_limit:
        train_records = train_records[:settings.train_limit]
    if settings.eval_limit:
        dev_records = dev_records[:settings.eval_limit]
        test_records = test_records[:settings.eval_limit]

    train_texts = [document(r["dialogue"], r["summary"]) for r in train_records]
    tokenizer = train_tokenizer(train_texts, settings.vocab_size)
    pad_id = tokenizer.pad_token_id
    limit = settings.n_positions
    train_sequences = encode_documents(tokenizer, train_texts, limit)
    dev_sequences = encode_documents(
        tokenizer, [document(r["dialogue"], r["summary"]) for r in dev_records], limit)
    test_sequences = encode_documents(
        tokenizer, [document(r["dialogue"], r["summary1"]) for r in test_records], limit)

    model = build_model(tokenizer, settings)
    untrained_loss = mean_loss(model, dev_sequences, pad_id)
    losses = train(model, train_sequences, settings, pad_id)
    train_seconds = time.perf_counter() - started
    train_cpu_seconds = time.process_time() - cpu_started
    validation_loss = mean_loss(model, dev_sequences, pad_id)
    report = {
        "settings": asdict(settings),
        "parameters": sum(p.numel() for p in model.parameters()),
        "vocab_size": len(tokenizer),
        "train_documents": len(train_sequences),
        "train_tokens": sum(map(len, train_sequences)),
        "longest_document_tokens": max(map(len, train_sequences)),
        "train_steps": len(losses),
        "final_train_loss": round(sum(losses[-20:]) / len(losses[-20:]), 4),
        "untrained_validation_loss": round(untrained_loss, 4),
        "validation_loss": round(validation_loss, 4),
        "validation_perplexity": round(math.exp(validation_loss), 2),
        "test_loss": round(mean_loss(model, test_sequences, pad_id), 4),
        "train_seconds": round(train_seconds, 1),
        "train_cpu_seconds": round(train_cpu_seconds, 1),  # all threads: ~ wall x threads if idle
        "machine": f"{platform.machine()}, {torch.get_num_threads()} threads, "
                   f"torch {torch.__version__}",
    }
    report["samples"] = samples(model, tokenizer, test_records)
    report["build_seconds"] = round(time.perf_counter() - started, 1)
    model_folder.save(model, tokenizer, report, out_dir, write_model_card)
    return report


# ---------------------------------------------------------------- model card
def write_model_card(path: Path, report: dict) -> None:
    s, sample = report["settings"], report["samples"]
    lines = [
        "# tiny-gpt: a very small decoder-only language model trained by this repository",
        "",
        "The decoder-only example of lab 04: a GPT-2-shaped model that continues a text one "
        "token at a time under a causal mask. It runs offline and loads like any causal "
        "language model: `AutoModelForCausalLM.from_pretrained(\"data/tiny-gpt\")`.",
        "",
        "## Architecture",
        f"- `GPT2LMHeadModel`: {s['n_layer']} decoder blocks (causal self-attention and "
        f"feed-forward, no cross-attention), width {s['n_embd']}, {s['n_head']} heads, "
        f"learned absolute positions up to {s['n_positions']} tokens, output layer tied to "
        "the token embeddings.",
        f"- {report['parameters']:,} parameters, stored as float32 in `model.safetensors`.",
        f"- Tokenizer: byte-level BPE as in GPT-2, trained with the `tokenizers` library on "
        f"the training documents; {report['vocab_size']:,} entries. Its one special token, "
        "`<|endoftext|>` (id 0), ends every training document and also serves as padding. "
        "The tokenizer adds no special tokens to a text.",
        "",
        "## Data",
        f"- The {report['train_documents']:,} scenario dialogues of the train split of the "
        "bundled corpus `data/dialogsum-mini` (the long tail of each split, dialogues of over "
        "250 words, is left out), each followed by its reference summary: "
        "`<dialogue>\\nSummary: <summary><|endoftext|>` "
        f"({report['train_tokens']:,} tokens, the longest document "
        f"{report['longest_document_tokens']} tokens). The validation split is used for the "
        "settings and the validation loss; the test split (first reference) for the test "
        "loss and the samples below.",
        "",
        "## Training",
        f"- {report['train_steps']:,} steps ({s['epochs']} epoch{'s' if s['epochs'] != 1 else ''}) "
        f"of AdamW, peak learning rate {s['learning_rate']}, {s['warmup_steps']} warm-up steps, "
        "cosine decay, batches of "
        f"about {s['batch_tokens']:,} padded tokens, dropout {s['dropout']}, seed {s['seed']}.",
        f"- Cross-entropy per token on the validation split: {report['untrained_validation_loss']}"
        f" before training (ln {report['vocab_size']} = "
        f"{math.log(report['vocab_size']):.2f} would be uniform guessing), "
        f"{report['validation_loss']} after (perplexity {report['validation_perplexity']}); "
        f"test split {report['test_loss']}. Final training loss {report['final_train_loss']} "
        "(mean of the last 20 steps).",
        f"- Training took {report['train_seconds'] / 60:.1f} min of wall-clock time"
        + (f" ({report['train_cpu_seconds'] / 60:.1f} min of processor time, all threads "
           "together; on a busy machine wall-clock time exceeds processor time / threads)"
           if "train_cpu_seconds" in report else "")  # not recorded by the first builds
        + f", the whole build {report['build_seconds'] / 60:.1f} min, on {report['machine']} "
        "(CPU).",
        "- Rebuild: `python -m labassets decoder` (seeded; every number here is written by "
        "that command).",
        "",
        "## What it writes (greedy decoding, first test dialogue)",
        f"- Next turn: prompt `{sample['next_turn_prompt']!r}` → \"{sample['next_turn']}\"",
        f"- Summary (prompt: the dialogue, then `\\nSummary:`): \"{sample['summary']}\"",
        f"- Reference: \"{sample['summary_reference']}\"",
        f"- {sample['summary_eos_rate']:.0%} of {sample['summaries_scored']} test summary "
        "prompts end with `<|endoftext|>` within 80 new tokens.",
        "",
        "## Limits",
        "- It knows only the everyday dialogues of the bundled corpus and their style. It does "
        "not follow instructions (it was never trained on any): it only continues text. Its "
        "summaries invent details, names above all. A teaching stand-in, not a useful model.",
        "",
        *model_folder.LICENCE_LINES,
    ]
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    return model_folder.run_builder(argv, "decoder", __doc__.splitlines()[0],
                                    paths.TINY_DECODER_DIR, build, BuildSettings(), SMOKE)
