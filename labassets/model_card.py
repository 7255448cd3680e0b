"""Write the model card of the bundled tiny T5 from its build report."""

from __future__ import annotations

from pathlib import Path

from labassets import model_folder, tasks


def _score_table(zero_shot: dict) -> list[str]:
    rows = ["| template | ROUGE-1 | ROUGE-2 | ROUGE-L | ends with `</s>` | trigram loops |",
            "|---|---|---|---|---|---|"]
    for name, s in zero_shot.items():
        rows.append(f"| `{name}` | {s['rouge1']:.3f} | {s['rouge2']:.3f} | {s['rougeL']:.3f} "
                    f"| {s['eos_rate']:.1%} | {s['trigram_loops']} |")
    return rows


def write_model_card(path: Path, report: dict) -> None:
    s = report["settings"]
    h = report["headroom"]
    templates = "\n".join(f"- `{name}`: `{t!r}`" for name, t in tasks.SUMMARY_TEMPLATES.items())
    mixture = ", ".join(f"{name} {weight:.0%}" for name, (_, weight) in tasks.MIXTURE.items())
    lines = [
        "# tiny-t5: a very small FLAN-style T5 trained by this repository",
        "",
        "An offline stand-in for `google/flan-t5-base` so that every lab runs without the "
        "Hugging Face hub. It loads the same way: "
        "`AutoModelForSeq2SeqLM.from_pretrained(\"data/tiny-t5\")`.",
        "",
        "## Architecture",
        f"- `T5ForConditionalGeneration`, {s['num_layers']} encoder and "
        f"{s['num_decoder_layers']} decoder layers, d_model {s['d_model']}, "
        f"{s['num_heads']} heads of size {s['d_kv']}, gated-GELU feed-forward of "
        f"{s['d_ff']}, relative position buckets as in T5, tied input/output embeddings.",
        f"- {report['parameters']:,} parameters, stored as float32 in `model.safetensors`.",
        f"- Tokenizer: Unigram (SentencePiece-style) trained with the `tokenizers` library on "
        f"the training mixture, {report['vocab_size']:,} entries including 100 sentinels "
        "(`<extra_id_0>`…); T5's conventions: `<pad>` = 0, `</s>` = 1 appended to every "
        "encoded text, `<unk>` = 2; context window 512 tokens.",
        "",
        "## Data and tasks",
        "- Trained only on the train split of the bundled corpus `data/dialogsum-mini` "
        "(validation for settings; the test split is used for the scores below only), its "
        "scenario dialogues: the corpus's long tail (dialogues of over 250 words) is longer "
        "than the 512-token window and is left out of training and scores.",
        f"- {report['train_examples']:,} instruction examples drawn from a mixture: {mixture}.",
        "- Summary templates:",
        templates,
        "- Design choice: the summary templates above ask for a one-sentence *gist* (the first "
        "sentence of the reference). The whole multi-sentence reference is the target of "
        "other instructions only: the *report* task and the *outcome* task (the sentences "
        "after the gist). Report templates:",
        "\n".join(f"  - `{t!r}`" for t in tasks.REPORT_TEMPLATES),
        "- So the model can write DialogSum-style summaries, but the summary prompts the labs "
        "use bring out only the gist: zero-shot summaries are recognisable but incomplete. "
        "Fine-tuning (notebook 07) teaches the summary prompt to give the whole summary, a "
        "small change that LoRA can learn too. The gain is measured below.",
        "",
        "## Training",
        f"- {report['train_steps']:,} steps of {s['optimizer'].capitalize()} (peak learning rate "
        f"{s['learning_rate']}, "
        f"{s['warmup_steps']} warm-up steps, cosine decay), batches of about "
        f"{s['batch_tokens']:,} tokens, dropout {s['dropout_rate']}, seed {s['seed']}.",
        f"- Loss: cross-entropy plus {s['unlikelihood_weight']} × token-level unlikelihood "
        "(Welleck et al., 2019), a penalty on giving probability to a token that already "
        "occurred earlier in the target when the target does not repeat it. Without it, "
        "greedy decoding looped on a few validation dialogues (\"for Sarah Sarah Sarah …\").",
        f"- Final training loss {report['final_train_loss']} (mean of the last 50 steps, penalty "
        f"included), validation cross-entropy {report['validation_loss']} (same mixture over "
        "the validation split).",
        f"- Training took {report['train_seconds'] / 60:.1f} min, the whole build "
        f"{report['build_seconds'] / 60:.1f} min, on {report['machine']} (CPU).",
        "- Rebuild: `python -m labassets model` (seeded; the numbers below are "
        "written by that command).",
        "",
        "## Scores on the test split (greedy, `max_new_tokens=60`, all three references)",
        *_score_table(report["zero_shot_test"]),
        "",
        f"Example (`summarize`, first test dialogue): "
        f"\"{report['zero_shot_test']['summarize']['example']}\"",
        "",
        "## Headroom for fine-tuning",
        f"Notebook 07's full fine-tune (the tiny plan of `labsupport.finetune`: "
        f"{h['steps']:,} steps of 16, learning rate {h['learning_rate']}) of a copy on "
        f"{h['train_dialogues']:,} train dialogues with their full summaries "
        f"({h['seconds']:.0f} s on the same machine; greedy, "
        f"`max_new_tokens={h['max_new_tokens']}`) moves test ROUGE-1 with the "
        f"`summarize` template from {h['before']['rouge1']:.3f} to {h['after']['rouge1']:.3f} "
        f"(+{h['rouge1_gain']:.3f}); ROUGE-2 {h['before']['rouge2']:.3f} → "
        f"{h['after']['rouge2']:.3f}, ROUGE-L {h['before']['rougeL']:.3f} → "
        f"{h['after']['rougeL']:.3f}.",
        "",
        "## Limits",
        "- It knows only the everyday dialogues of the bundled corpus: it cannot translate, "
        "write code or answer general questions, and it makes up details. Names above all: it "
        "seldom copies a person's name from the dialogue and writes another name from the "
        "corpus instead. It is a teaching stand-in, not a useful model.",
        "",
        *model_folder.LICENCE_LINES,
    ]
    Path(path).write_text("\n".join(lines), encoding="utf-8")
