"""Fine-tune a profile's model on DialogSum summaries, fully or with LoRA, into a new run folder.

One GPU or CPU:
    python scripts/finetune_dialogsum.py --profile base --method lora
Several GPUs on one machine (data parallel, one process per GPU):
    accelerate launch --multi_gpu --num_processes 4 scripts/finetune_dialogsum.py \\
        --profile base --method full --epochs 1 --subset 12460
A quick check that everything runs (a few steps on a few dialogues):
    python scripts/finetune_dialogsum.py --profile tiny --method lora --smoke

The settings are lab 07's (the plans in `labsupport.settings.PROFILES`); flags override them.
Results go to a fresh folder, runs/07-<method>-YYYYmmdd-HHMMSS-xxxx/ by default:
`model/` (full) or `adapter/` (LoRA), and `run.json` (settings, time, losses,
ROUGE after training). An existing folder is never written into. Compare settings
with `--eval-split validation`; keep the test split for the final figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run from a checkout without installing labsupport
    sys.path.insert(0, str(REPO_ROOT))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="tiny",
                        help="tiny, small, base or large (default: tiny)")
    parser.add_argument("--method", choices=("full", "lora"), default="full")
    parser.add_argument("--epochs", type=float, help="training epochs (default: the plan's)")
    parser.add_argument("--subset", type=int,
                        help="number of training dialogues (default: the plan's; 0 = all)")
    parser.add_argument("--batch-size", type=int, help="examples per device per step")
    parser.add_argument("--grad-accum", type=int, help="gradient accumulation steps")
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--eval-split", choices=("test", "validation"), default="test",
                        help="split scored with ROUGE after training (default: test; use "
                             "validation while choosing settings)")
    parser.add_argument("--eval-dialogues", type=int,
                        help="dialogues of that split to score "
                             "(default: the profile's eval_subset, all in tiny; 0 = none)")
    parser.add_argument("--output-dir", type=Path,
                        help="a folder that does not exist yet (default: a new run folder "
                             "under runs/ or LAB_RUNS_DIR)")
    parser.add_argument("--smoke", action="store_true",
                        help="a few steps on a few dialogues: checks the code path only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.output_dir is not None and args.output_dir.exists():
        print(f"error: {args.output_dir} already exists; refusing to write into an earlier "
              "run. Give a new folder or leave out --output-dir.", file=sys.stderr)
        return 2

    from accelerate import PartialState
    from accelerate.utils import broadcast_object_list

    import labsupport as lab
    from labsupport import finetune

    state = PartialState()
    cfg = lab.setup(profile=args.profile, verbose=state.is_main_process)
    plan = configure(finetune.plan_for(cfg), args)

    # One folder for all processes: the main process makes it, the others are told.
    holder = [str(make_run_dir(args)) if state.is_main_process else None]
    broadcast_object_list(holder)
    run_dir = Path(holder[0])

    model, tokenizer = lab.load_seq2seq(cfg, device="cpu")  # the Trainer places it
    dialogsum = lab.load_dialogsum(profile=cfg)
    limit = plan.train_subset
    train = finetune.tokenize_for_seq2seq(dialogsum["train"], tokenizer, limit=limit,
                                          max_target_tokens=plan.max_target_tokens)
    validation = finetune.tokenize_for_seq2seq(dialogsum["validation"], tokenizer,
                                               limit=plan.validation_subset,
                                               max_target_tokens=plan.max_target_tokens)
    trainable, total = finetune.count_parameters(model)
    if args.method == "lora":
        model, trainable, _ = finetune.add_lora(model, plan)
        total = finetune.count_parameters(model)[1]

    trainer = finetune.make_trainer(model, tokenizer, train, validation, run_dir, plan,
                                    method=args.method, device=cfg.device, seed=cfg.seed)
    started = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - started
    saved = run_dir / ("adapter" if args.method == "lora" else "model")
    trainer.save_model(str(saved))  # writes on the main process only

    if state.is_main_process:
        report = {
            "profile": cfg.profile, "model": cfg.model, "method": args.method,
            "smoke": args.smoke, "plan": asdict(plan), "train_rows": len(train),
            "validation_rows": len(validation), "processes": state.num_processes,
            "trainable_parameters": trainable, "total_parameters": total,
            "trainable_share": trainable / total, "train_seconds": round(seconds, 1),
            "history": finetune.loss_history(trainer), "saved": str(saved),
        }
        scores = score_after_training(trainer.model, tokenizer, dialogsum[args.eval_split],
                                      cfg, args)
        report[f"{args.eval_split}_rouge"] = scores
        (run_dir / "run.json").write_text(json.dumps(report, indent=2) + "\n")
        print(f"{args.method} fine-tuning: {seconds:.0f} s, {trainable:,} of {total:,} "
              f"parameters trained ({trainable / total:.2%})")
        if scores:
            print(f"{args.eval_split} ROUGE:", {k: round(v, 4) for k, v in scores.items()})
        print(f"saved to {saved}")
    state.wait_for_everyone()
    return 0


def configure(plan, args: argparse.Namespace):
    """The profile's plan with the command-line overrides applied."""
    from labsupport import finetune

    changes = {"epochs": args.epochs, "batch_size": args.batch_size,
               "gradient_accumulation": args.grad_accum}
    plan = replace(plan, **{k: v for k, v in changes.items() if v is not None})
    if args.subset is not None:
        plan = replace(plan, train_subset=args.subset or None)
    if args.learning_rate is not None:
        key = "lora_learning_rate" if args.method == "lora" else "full_learning_rate"
        plan = replace(plan, **{key: args.learning_rate})
    return finetune.smoke_plan(plan) if args.smoke else plan


def make_run_dir(args: argparse.Namespace) -> Path:
    from labsupport import finetune

    if args.output_dir is None:
        return finetune.new_run_dir(f"07-{args.method}")
    args.output_dir.parent.mkdir(parents=True, exist_ok=True)
    args.output_dir.mkdir()  # FileExistsError if it appeared meanwhile: never reuse a folder
    return args.output_dir


def score_after_training(model, tokenizer, split, cfg, args) -> dict[str, float]:
    """ROUGE of greedy summaries of the split's first dialogues (the prompt of training),
    against all their references."""
    import labsupport as lab
    from labsupport.prompts import SUMMARY_TEMPLATES

    n = args.eval_dialogues
    if n is None:
        n = 4 if args.smoke else (cfg.eval_subset or len(split))
    if n <= 0:
        return {}
    scored = split.select(range(min(n, len(split))))
    prompts = [SUMMARY_TEMPLATES["summarize"].format(dialogue=d) for d in scored["dialogue"]]
    model.eval()
    summaries = lab.generation.generate_batched(model, tokenizer, prompts,
                                                batch_size=cfg.batch_size,
                                                max_new_tokens=cfg.max_new_tokens)
    scores = lab.rouge(summaries, scored["references"])
    return {k: float(scores[k]) for k in ("rouge1", "rouge2", "rougeL")}


if __name__ == "__main__":
    sys.exit(main())
