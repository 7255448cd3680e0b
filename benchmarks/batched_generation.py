"""Batched against one-at-a-time greedy generation, side by side, on the same prompts.

    python benchmarks/batched_generation.py                        # tiny, 128 prompts, batch 32
    python benchmarks/batched_generation.py --n-prompts 64 --batch-size 16
    python benchmarks/batched_generation.py --profile base         # FLAN-T5 base (needs the hub)

Both runs summarise the first N test dialogues with the course's instruction
template and greedy decoding, through ``labsupport.generation.generate_batched``:
one at a time is batches of one (one ``model.generate`` call per prompt, no
padding); batched is batches of ``--batch-size``. Each mode first runs once
untimed on all the prompts (the first calls allocate memory for every new tensor
shape), then the two modes take turns, ``--repeats`` times each, so that a slow
moment of a shared machine hits both. The script prints every time, compares the
medians, checks that both modes give identical outputs, and exits with status 1
if any output differs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import torch

import labsupport as lab
from labsupport.generation import generate_batched
from labsupport.prompts import SUMMARY_TEMPLATES


@torch.no_grad()
def one_at_a_time(model, tokenizer, prompts: list[str], **generate_kwargs) -> list[str]:
    """Greedy outputs, one `generate` call per prompt: batches of one need no padding."""
    return generate_batched(model, tokenizer, prompts, batch_size=1, progress=False,
                            **generate_kwargs)


def timed(function, *args, **kwargs):
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    result = function(*args, **kwargs)
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return result, time.perf_counter() - start


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="tiny",
                        help="lab profile: tiny (default, offline), small, base, large or auto")
    parser.add_argument("--n-prompts", type=int, default=128,
                        help="number of test dialogues to summarise (default 128)")
    parser.add_argument("--batch-size", type=int, default=32,
                        help="batch size of the batched run (default 32)")
    parser.add_argument("--max-new-tokens", type=int, default=None,
                        help="generation limit (default: the profile's max_new_tokens)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of each mode, taking turns (default 3)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch CPU threads (default: torch's own choice)")
    args = parser.parse_args(argv)
    if min(args.n_prompts, args.batch_size, args.repeats) < 1:
        parser.error("--n-prompts, --batch-size and --repeats must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = lab.setup(profile=args.profile)
    model, tokenizer = lab.load_seq2seq(cfg)
    test = lab.load_dialogsum(cfg)["test"]
    n = min(args.n_prompts, len(test))
    template = SUMMARY_TEMPLATES["summarize"]
    prompts = [template.format(dialogue=d) for d in test.select(range(n))["dialogue"]]
    settings = {"max_new_tokens": args.max_new_tokens or cfg.max_new_tokens, "do_sample": False}
    print(f"{n} prompts, greedy, max_new_tokens={settings['max_new_tokens']}, "
          f"batch size {args.batch_size}, {torch.get_num_threads()} CPU thread(s), "
          f"device {cfg.device}")

    def run_single():
        return one_at_a_time(model, tokenizer, prompts, **settings)

    def run_batched():
        return generate_batched(model, tokenizer, prompts, batch_size=args.batch_size,
                                progress=False, **settings)

    single, batched = run_single(), run_batched()  # warm-up, not timed
    runs = {"one at a time": run_single, f"batch {args.batch_size}": run_batched}
    times = {mode: [] for mode in runs}
    for _ in range(args.repeats):
        for mode, run in runs.items():
            times[mode].append(timed(run)[1])

    print(f"{'mode':<16}{'median s':>9}{'prompts/s':>11}   every run (s)")
    medians = {mode: statistics.median(values) for mode, values in times.items()}
    for mode, values in times.items():
        every = ", ".join(f"{v:.2f}" for v in values)
        print(f"{mode:<16}{medians[mode]:>9.2f}{n / medians[mode]:>11.1f}   {every}")
    t_single, t_batched = medians.values()
    print(f"speed-up: {t_single / t_batched:.1f}x (ratio of the medians)")
    differ = [i for i, (a, b) in enumerate(zip(single, batched)) if a != b]
    if differ:
        print(f"outputs identical: no ({len(differ)} of {n} differ, e.g. prompt {differ[0]}:"
              f"\n  one at a time: {single[differ[0]]!r}\n  batched:       "
              f"{batched[differ[0]]!r})")
        return 1
    print(f"outputs identical: yes (all {n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
