"""Dynamic int8 quantisation on the CPU: size, latency and ROUGE-1, float32 and int8 side by side.

    python benchmarks/quantization.py                                  # the tiny model
    python benchmarks/quantization.py --model runs/07-full-.../model   # a fine-tuned one
    python benchmarks/quantization.py --profile base --dialogues 100   # FLAN-T5 base

Both versions of the model are measured in the same run, on the same test
dialogues, taking turns batch by batch so that a busy machine slows both
alike. Latency is the median time to generate a fixed number of tokens for
one batch (greedy, end-of-sequence ignored, so both do the same work); ROUGE
uses ordinary greedy summaries. Size is the saved weights (torch.save, the
same format for both).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
from pathlib import Path

import torch

import labsupport as lab
from labsupport import deployment, finetune
from labsupport.prompts import SUMMARY_TEMPLATES

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run from a checkout without installing labsupport
    sys.path.insert(0, str(REPO_ROOT))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="tiny", help="tiny, small, base or large")
    parser.add_argument("--model", help="a saved model folder (default: the profile's model)")
    parser.add_argument("--dialogues", type=int,
                        help="test dialogues for ROUGE (default: the profile's eval_subset, "
                             "all in tiny)")
    parser.add_argument("--batch-size", type=int, help="default: the profile's batch size")
    parser.add_argument("--max-new-tokens", type=int,
                        help="summary length limit (default: the fine-tuning plan's)")
    parser.add_argument("--repeats", type=int, default=7, help="timed batches per model")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = lab.setup(profile=args.profile)
    model, tokenizer = lab.load_seq2seq(args.model or cfg, device="cpu")
    test = lab.load_dialogsum(profile=cfg)["test"]
    n = args.dialogues or cfg.eval_subset or len(test)
    test = test.select(range(min(n, len(test))))
    batch_size = args.batch_size or cfg.batch_size
    max_new_tokens = args.max_new_tokens or finetune.plan_for(cfg).max_target_tokens
    prompts = [SUMMARY_TEMPLATES["summarize"].format(dialogue=d) for d in test["dialogue"]]

    int8 = deployment.quantize_int8(model)
    models = {"float32": model, "int8": int8}
    results: dict[str, dict[str, float]] = {name: {} for name in models}
    for name, candidate in models.items():
        results[name]["size_mb"] = deployment.saved_size_mb(candidate)
    times = deployment.batch_latencies(models, tokenizer, prompts[:batch_size],
                                     max_new_tokens=max_new_tokens, repeats=args.repeats)
    for name, candidate in models.items():
        results[name]["latency_s"] = statistics.median(times[name])
        summaries = lab.generation.generate_batched(candidate, tokenizer, prompts,
                                                    batch_size=batch_size,
                                                    max_new_tokens=max_new_tokens, desc=name)
        results[name]["rouge1"] = float(lab.rouge(summaries, test["references"])["rouge1"])

    before, after = results["float32"], results["int8"]
    ratios = {"size": before["size_mb"] / after["size_mb"],
              "speed-up": before["latency_s"] / after["latency_s"],
              "rouge1_change": after["rouge1"] - before["rouge1"]}
    print(f"\n{args.model or cfg.model}: {len(test)} test dialogues, batches of {batch_size}, "
          f"{max_new_tokens} new tokens per latency batch, median of {args.repeats}")
    print(f"CPU: {platform.machine()}, {torch.get_num_threads()} threads, "
          f"torch {torch.__version__}, quantized engine {torch.backends.quantized.engine}")
    print(f"{'':>22}{'float32':>10}{'int8':>10}   ratio")
    print(f"{'size (MB)':>22}{before['size_mb']:>10.1f}{after['size_mb']:>10.1f}   "
          f"{ratios['size']:.2f}x smaller")
    print(f"{'latency (s / batch)':>22}{before['latency_s']:>10.3f}{after['latency_s']:>10.3f}   "
          f"{ratios['speed-up']:.2f}x faster")
    print(f"{'ROUGE-1':>22}{before['rouge1']:>10.4f}{after['rouge1']:>10.4f}   "
          f"{ratios['rouge1_change']:+.4f}")
    if args.json:
        args.json.write_text(json.dumps({"model": args.model or cfg.model,
                                         "dialogues": len(test), "batch_size": batch_size,
                                         "max_new_tokens": max_new_tokens,
                                         "threads": torch.get_num_threads(),
                                         "results": results, "ratios": ratios,
                                         "latencies": times}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
