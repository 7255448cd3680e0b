"""Simulated preference pairs for lab 08, written to ``data/dialogsum-preferences/``.

For every train and dev dialogue of the bundled corpus: a *chosen* summary (the reference,
or only its first sentence, the gist) and a *rejected* one, made from the chosen summary by
one flaw that people who judge summaries dislike:

- **invented detail**: one name, place, time or amount is swapped for another value of the
  same kind that the dialogue does not contain (drawn the way the corpus draws it);
- **dropped main point**: the gist sentence is replaced by a vague one ("#Person1# and
  #Person2# are talking.");
- **repetition**: the last words are repeated, the way small models loop.

No person judged these pairs: the "judgement" is the rule above. The corpus is rebuilt in
memory from its own seed (and checked equal to the committed files), so the slot values
behind each summary are known. Everything is drawn from one ``random.Random(seed)``, so
re-running reproduces the files byte for byte:

    python -m labassets preferences [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from random import Random

from labassets import corpus
from labsupport.alignment import FLAWS, PREFERENCE_SPLITS, PREFERENCES_DIR, invented_details
from labsupport.paths import CORPUS_DIR

DEFAULT_SEED = 20240808
FLAW_WEIGHTS = (2, 1, 1)        # invented detail : dropped main point : repetition
GIST_ONLY = 0.5                 # share of pairs whose chosen summary is the gist sentence only
VAGUE_GISTS = (
    "#Person1# and #Person2# are talking.",
    "#Person1# talks to #Person2#.",
    "#Person1# and #Person2# have a conversation.",
    "#Person2# and #Person1# talk about something.",
)
CORPUS_SPLITS = {"train": "train", "validation": "dev"}


def first_sentence(summary: str) -> tuple[str, str]:
    """(gist, rest): the corpus's first sentence ends at the first ". "."""
    gist, _, rest = summary.partition(". ")
    return (gist + "." if rest else gist), rest


def _swap(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new.replace("\\", r"\\"), text)


def invent_detail(example: corpus.Example, chosen: str, r: Random) -> str | None:
    """``chosen`` with one slot value swapped for a value absent from the dialogue, such that
    the swap is an invented detail by ``invented_details``; None if no slot allows it."""
    dialogue = example.dialogue
    slots = [k for k, v in example.slots.items()
             if v and re.search(rf"(?<!\w){re.escape(v)}(?!\w)", chosen)]
    r.shuffle(slots)
    for key in slots:
        old = example.slots[key]
        for _ in range(30):
            new = corpus.draw_slots(example.family, r)[key]
            if new == old or new in dialogue:
                continue
            rejected = _swap(chosen, old, new)
            if invented_details(rejected, dialogue):
                return rejected
    return None


def drop_main_point(chosen: str, r: Random) -> str:
    _, rest = first_sentence(chosen)
    return " ".join(filter(None, [r.choice(VAGUE_GISTS), rest]))


def repeat_ending(chosen: str, r: Random) -> str:
    words = chosen.rstrip(".").split()
    chunk = " ".join(words[-r.randint(2, 3):])
    return chosen.rstrip(".") + f", {chunk}" * r.randint(2, 3) + "."


def make_pair(example: corpus.Example, record: dict[str, str], r: Random) -> dict:
    summary = record["summary"]
    gist, _ = first_sentence(summary)
    chosen = gist if r.random() < GIST_ONLY else summary
    flaw = r.choices(FLAWS, weights=FLAW_WEIGHTS)[0]
    rejected = None
    if flaw == "invented detail":
        # A gist without any detail in it cannot invent one: use the whole summary then.
        rejected = invent_detail(example, chosen, r)
        if rejected is None and chosen != summary:
            chosen = summary
            rejected = invent_detail(example, chosen, r)
        if rejected is None:
            flaw = "repetition"
    if flaw == "dropped main point":
        rejected = drop_main_point(chosen, r)
    elif flaw == "repetition":
        rejected = repeat_ending(chosen, r)
    invented = invented_details(rejected, example.dialogue)
    clean = not invented_details(chosen, example.dialogue)
    if bool(invented) != (flaw == "invented detail") or not clean:
        raise ValueError(f"{record['fname']}: {flaw!r} pair with invented details {invented}")
    return {"fname": record["fname"], "dialogue": record["dialogue"], "chosen": chosen,
            "rejected": rejected, "flaw": flaw, "invented": invented}


def _committed_records(split: str) -> list[dict[str, str]]:
    path = CORPUS_DIR / f"dialogsum.{split}.jsonl"
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def generate(seed: int = DEFAULT_SEED) -> dict[str, list[dict]]:
    """Pairs for the train and validation splits, from the corpus rebuilt in memory."""
    rebuilt = corpus.generate(corpus.DEFAULT_SEED)
    r = Random(seed)
    pairs = {}
    for split, corpus_split in CORPUS_SPLITS.items():
        examples = rebuilt[corpus_split]
        if [record for _, record in examples] != _committed_records(corpus_split):
            raise ValueError(f"the rebuilt {corpus_split} split differs from {CORPUS_DIR}; "
                             "run `python -m labassets corpus` first")
        # The long tail has no pairs: its dialogues exceed the reward model's 512-token input.
        pairs[split] = [make_pair(example, record, r) for example, record in examples
                        if not isinstance(example, corpus.LongExample)]
    return pairs


def build(out_dir: str | Path = PREFERENCES_DIR, seed: int = DEFAULT_SEED) -> dict[str, int]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs = generate(seed)
    for split, name in PREFERENCE_SPLITS.items():
        corpus.write_jsonl(out_dir / name, pairs[split])
    (out_dir / "README.md").write_text(data_card(pairs, seed), encoding="utf-8", newline="\n")
    return {split: len(rows) for split, rows in pairs.items()}


def data_card(pairs: dict[str, list[dict]], seed: int) -> str:
    command = "python -m labassets preferences"
    if seed != DEFAULT_SEED:
        command += f" --seed {seed}"
    rows = []
    for split, split_pairs in pairs.items():
        flaws = Counter(p["flaw"] for p in split_pairs)
        gist_only = sum(first_sentence(p["chosen"])[1] == "" for p in split_pairs)
        rows.append(f"| {PREFERENCE_SPLITS[split]} | {len(split_pairs):,} | "
                    + " | ".join(f"{flaws[f]:,}" for f in FLAWS)
                    + f" | {gist_only / len(split_pairs):.0%} |")
    return CARD.format(command=command, seed=seed, rows="\n".join(rows),
                       vague="; ".join(f'"{v}"' for v in VAGUE_GISTS),
                       weights=" : ".join(map(str, FLAW_WEIGHTS)), gist=f"{GIST_ONLY:.0%}")


CARD = """\
# dialogsum-preferences

Preference pairs for lab 08 (aligning with human feedback): for each dialogue of the train
and dev splits of `data/dialogsum-mini`, a summary that is **preferred** (`chosen`) and one
that is **rejected**. Written entirely by this project.

## The judgements are simulated

No person compared these summaries. Each pair is made by a rule, so that the lab can train
a reward model offline and know what it should learn:

- `chosen` is the corpus's reference summary of the dialogue, or (for {gist} of the pairs)
  only its first sentence, the gist. Like every reference it states only facts of the
  dialogue.
- `rejected` is `chosen` with one flaw, in the proportions {weights}:
  - `invented detail`: one name, place, time or amount is replaced by another value of the
    same kind (drawn from the corpus's own slot pools) that the dialogue does not contain.
    `invented` lists what `labsupport.alignment.invented_details` finds in it (never empty
    for these pairs, always empty otherwise);
  - `dropped main point`: the gist sentence is replaced by a vague one ({vague});
  - `repetition`: the last two or three words are repeated two or three times, the way a
    small model loops ("... on Friday, on Friday, on Friday.").

Real preference data differ: people disagree with each other, prefer longer or more fluent
answers, and judge flaws this rule never makes. A reward model trained on these pairs
learns these three flaws and nothing else.

## Layout

`preferences.train.jsonl` and `preferences.dev.jsonl`, one JSON object per line:
`fname` (the corpus record), `dialogue`, `chosen`, `rejected`, `flaw`, `invented`.
Load them with `labsupport.alignment.load_preferences()` (a `datasets.DatasetDict` with
`train` and `validation`).

| file | pairs | invented detail | dropped main point | repetition | chosen is the gist only |
|---|---|---|---|---|---|
{rows}

## How it is made

    {command}

`labassets/preferences.py` rebuilds the corpus in memory from its seed (and checks it equal
to the committed files, so the slot values behind each summary are known), then draws every
choice from one `random.Random({seed})`: the command reproduces these files byte for byte.

## Licence

Apache-2.0, like the rest of this repository.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m labassets preferences",
        description="Write the simulated preference pairs of lab 08 (train, dev, README.md).")
    parser.add_argument("--out", type=Path, default=PREFERENCES_DIR, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    sizes = build(args.out, args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{s} {n} pairs" for s, n in sizes.items()))
    return 0
