"""Generator of the bundled DialogSum-style corpus in ``data/dialogsum-mini/``.

The files are a drop-in for the DialogSum release files: ``dialogsum.train.jsonl`` and
``dialogsum.dev.jsonl`` hold ``fname, dialogue, summary, topic``; ``dialogsum.test.jsonl``
holds three references, ``summary1, topic1, ... summary3, topic3``. The dialogues come from
the scenario families in :mod:`labassets.scenarios`, all text written by this project.

Each split ends with its *long tail*: long conversations of several matters
(:mod:`labassets.scenarios.long_talks`), about 11% of the split, 260 to over 600 words,
as DialogSum has. They come after the scenario dialogues, drawn after all of them, so the
scenario dialogues are the same with or without them; the tiny models are trained on the
scenario dialogues (:func:`scenario_records`) and the labs meet the long ones at the window.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so re-running the
generator reproduces the committed files byte for byte:

    python -m labassets corpus [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import textwrap
from dataclasses import dataclass
from pathlib import Path
from random import Random
from string import Formatter

from labassets.scenarios import FAMILIES, Family, Maybe, Value
from labassets.scenarios.long_talks import ALSO, LONG_TALKS, LongTalk, Matter
from labsupport.paths import CORPUS_DIR, REBUILD_COMMANDS

DEFAULT_SEED = 20240607
SPLIT_SIZES = {"train": 4500, "dev": 250, "test": 250}
TEST_REFERENCES = 3
MIN_TURNS, MAX_TURNS = 3, 12
# The long tail appended to each split: about 11% of its dialogues, each over LONG_MIN_WORDS
# words; LONG_OVER_600 of them over 600 words.
LONG_COUNTS = {"train": 540, "dev": 30, "test": 30}
LONG_MIN_WORDS = 260
LONG_WORDS = (LONG_MIN_WORDS, 450)
LONG_OVER_600 = 0.15
OVER_600_WORDS = (610, 660)
SCENARIO_MAX_WORDS = 200  # longest scenario dialogue: 105 words


@dataclass(frozen=True)
class Example:
    """One rendered dialogue with the slot values behind it."""

    family: Family
    slots: dict[str, Value]
    turns: tuple[str, ...]
    used: frozenset[str]
    """Names of the slots that occur in the dialogue; summaries may only state these."""

    @property
    def dialogue(self) -> str:
        return "\n".join(self.turns)


@dataclass(frozen=True)
class LongExample(Example):
    """A long talk and the matters it covers, in order."""

    talk: LongTalk | None = None
    matters: tuple[Matter, ...] = ()


def slot_names(template: str) -> set[str]:
    """The slots a template refers to: ``"{item.a} for {price}"`` -> ``{"item", "price"}``."""
    return {field.split(".")[0] for _, field, _, _ in Formatter().parse(template) if field}


def draw_slots(family: Family, r: Random) -> dict[str, Value]:
    """Draw every slot of a family.

    Slots drawn on their own are redrawn until they differ (two people, two names; two days
    offered). Values drawn together as one row are correlated by design and may repeat.
    """
    for _ in range(100):
        values: dict[str, Value] = {}
        single: list[str] = []
        for key, source in family.slots.items():
            drawn = source(r) if callable(source) else r.choice(source)
            if isinstance(key, tuple):
                values.update(zip(key, map(Value, drawn), strict=True))
            else:
                values[key] = Value(drawn)
                single.append(drawn)
        if len(set(single)) == len(single):
            return values
    raise ValueError(f"{family.name}: cannot draw distinct slot values")


def render_dialogue(family: Family, slots: dict[str, Value], r: Random) -> Example:
    """Pick one phrasing per turn, dropping optional groups and turns of other outcomes."""
    lines: list[str] = []
    used: set[str] = set()
    for step in family.turns:
        if isinstance(step, Maybe) and r.random() >= step.p:
            continue
        for turn in step.turns if isinstance(step, Maybe) else (step,):
            if turn.when not in (None, slots.get("case")):
                continue
            phrasing = r.choice(turn.phrasings)
            used |= slot_names(phrasing)
            lines.append(f"#Person{turn.speaker}#: {phrasing.format_map(slots)}")
    used |= {summary_slot for summary_slot, said in family.restates.items() if said in used}
    return Example(family, slots, tuple(lines), frozenset(used))


def new_example(family: Family, r: Random, seen: set[str]) -> Example:
    """A dialogue of ``family`` whose text is not in ``seen`` (which it is then added to)."""
    for _ in range(200):
        example = render_dialogue(family, draw_slots(family, r), r)
        if not MIN_TURNS <= len(example.turns) <= MAX_TURNS:
            raise ValueError(f"{family.name}: {len(example.turns)} turns")
        if example.dialogue not in seen:
            seen.add(example.dialogue)
            return example
    raise ValueError(f"{family.name}: not enough distinct dialogues")


def fitting(phrasings: tuple[str, ...], example: Example) -> list[str]:
    """The phrasings whose slots all occur in the dialogue."""
    return [p for p in phrasings if slot_names(p) <= example.used]


def gist_options(example: Example) -> list[str]:
    options = fitting(example.family.gist, example)
    if len(options) < TEST_REFERENCES:
        raise ValueError(f"{example.family.name}: fewer than {TEST_REFERENCES} gist phrasings fit")
    return options


def render_summary(example: Example, r: Random, gist: str | None = None) -> str:
    """Gist sentence first, then one or two sentences with the outcome and details.

    An optional sentence is left out when none of its phrasings fits the dialogue or when
    the summary already has three sentences.
    """
    sentences = [gist or r.choice(gist_options(example))]
    for sentence in example.family.details:
        if sentence.when not in (None, example.slots.get("case")):
            continue
        options = fitting(sentence.phrasings, example)
        optional = sentence.p < 1
        if optional and (not options or len(sentences) == 3 or r.random() >= sentence.p):
            continue
        if not options:
            raise ValueError(f"{example.family.name}: no phrasing fits {sentence.phrasings[0]!r}")
        sentences.append(r.choice(options))
    if not 2 <= len(sentences) <= 3:
        raise ValueError(f"{example.family.name}: summary of {len(sentences)} sentences")
    return " ".join(s.format_map(example.slots) for s in sentences)


def generate_split(size: int, r: Random, seen: set[str]) -> list[Example]:
    """``size`` new dialogues, the families taken in turn so that each split has them all."""
    examples = [new_example(FAMILIES[k % len(FAMILIES)], r, seen) for k in range(size)]
    r.shuffle(examples)
    return examples


def long_family(talk: LongTalk, matters: tuple[Matter, ...]) -> Family:
    """A long talk with these matters as one family: the opening, the matters, the closing."""
    slots = dict(talk.slots)
    for matter in matters:
        slots.update(matter.slots)
    turns = (*talk.opening, *(step for matter in matters for step in matter.turns),
             *talk.closing)
    return Family(name=talk.name, topics=talk.topics, slots=slots, turns=turns,
                  gist=talk.gist, details=())


def dialogue_words(dialogue: str) -> int:
    """Words of a dialogue, not counting the speaker tags."""
    return sum(len(turn.split(": ", 1)[1].split()) for turn in dialogue.split("\n"))


def long_targets(n: int, r: Random) -> list[int]:
    """Word counts for `n` long talks, evenly spread (so that every split meets the targets),
    LONG_OVER_600 of them over 600 words, in a random order."""
    n_over = min(n, max(2, round(LONG_OVER_600 * n)))
    targets = [spread(LONG_WORDS, k, n - n_over) for k in range(n - n_over)]
    targets += [spread(OVER_600_WORDS, k, n_over) for k in range(n_over)]
    r.shuffle(targets)
    return targets


def spread(bounds: tuple[int, int], k: int, n: int) -> int:
    low, high = bounds
    return round(low + (high - low) * k / max(1, n - 1))


def new_long_example(talk: LongTalk, target: int, r: Random, seen: set[str]) -> LongExample:
    """A long talk of at least `target` words: matters in a random order, as many as needed."""
    for _ in range(50):
        order = tuple(r.sample(talk.matters, len(talk.matters)))
        for k in range(2, len(order) + 1):
            family = long_family(talk, order[:k])
            plain = render_dialogue(family, draw_slots(family, r), r)
            if dialogue_words(plain.dialogue) >= target:
                break
        else:
            continue  # every matter and still too short: another draw
        if plain.dialogue not in seen:
            seen.add(plain.dialogue)
            return LongExample(family, plain.slots, plain.turns, plain.used, talk, order[:k])
    raise ValueError(f"{talk.name}: no new dialogue of {target} words in 50 draws")


def generate_long(n: int, r: Random, seen: set[str]) -> list[LongExample]:
    """`n` long talks, the kinds taken in turn."""
    return [new_long_example(LONG_TALKS[k % len(LONG_TALKS)], target, r, seen)
            for k, target in enumerate(long_targets(n, r))]


def listing(items: list[str]) -> str:
    """ "a, b and c" """
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def render_long_summary(example: LongExample, r: Random, gist: str | None = None) -> str:
    """Gist, the first matter's fact, the other matters named, and how the talk ends."""
    sentences = [gist or r.choice(example.talk.gist)]
    first_fact = fitting(example.matters[0].facts, example)
    outcome = fitting(example.talk.outcome, example)
    if not first_fact or not outcome:
        raise ValueError(f"{example.talk.name}: no fact or outcome phrasing fits the dialogue")
    sentences.append(r.choice(first_fact))
    others = [matter.label for matter in example.matters[1:]]
    sentences.append(r.choice(ALSO).format(listing(others)))
    sentences.append(r.choice(outcome))
    return " ".join(s.format_map(example.slots) for s in sentences)


def to_record(split: str, index: int, example: Example, r: Random) -> dict[str, str]:
    """A record in the DialogSum layout; test records carry three independent references."""
    record = {"fname": f"{split}_{index}", "dialogue": example.dialogue}
    topics = example.family.topics
    long = isinstance(example, LongExample)
    summarise = render_long_summary if long else render_summary
    if split != "test":
        record["summary"] = summarise(example, r)
        record["topic"] = r.choice(topics)
        return record
    gists = r.sample(list(example.talk.gist) if long else gist_options(example), TEST_REFERENCES)
    for number, gist in enumerate(gists, start=1):
        record[f"summary{number}"] = summarise(example, r, gist)
        record[f"topic{number}"] = r.choice(topics)
    return record


def generate(seed: int = DEFAULT_SEED) -> dict[str, list[tuple[Example, dict[str, str]]]]:
    """Every split as (example, record) pairs, the whole corpus from one rng."""
    r = Random(seed)
    seen: set[str] = set()
    corpus = {}
    for split, size in SPLIT_SIZES.items():
        examples = generate_split(size, r, seen)
        corpus[split] = [(ex, to_record(split, i, ex, r)) for i, ex in enumerate(examples)]
    # The long tail last, so that the scenario dialogues do not depend on it.
    for split, size in SPLIT_SIZES.items():
        long = generate_long(LONG_COUNTS[split], r, seen)
        corpus[split] += [(ex, to_record(split, size + i, ex, r)) for i, ex in enumerate(long)]
    return corpus


def scenario_records(records: list[dict]) -> list[dict]:
    """The scenario dialogues of a split, without its long tail: what the tiny models are
    trained and scored on (their training documents stay under the 512-token window)."""
    return [record for record in records
            if dialogue_words(record["dialogue"]) <= SCENARIO_MAX_WORDS]


def write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def build_corpus(out_dir: str | Path = CORPUS_DIR, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the three split files and the data card to ``out_dir``; return the split sizes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = generate(seed)
    records = {split: [record for _, record in pairs] for split, pairs in corpus.items()}
    for split, split_records in records.items():
        write_jsonl(out_dir / f"dialogsum.{split}.jsonl", split_records)
    card = data_card(records, seed)
    (out_dir / "README.md").write_text(card, encoding="utf-8", newline="\n")
    return {split: len(split_records) for split, split_records in records.items()}


def dialogue_stats(records: list[dict[str, str]]) -> tuple[list[int], list[int]]:
    """Turns per dialogue, and words per dialogue not counting the speaker tags."""
    turns = [len(record["dialogue"].split("\n")) for record in records]
    return turns, [dialogue_words(record["dialogue"]) for record in records]


def describe(values: list[int]) -> str:
    return f"{min(values)} / {statistics.mean(values):.1f} / {max(values)}"


def data_card(records: dict[str, list[dict[str, str]]], seed: int) -> str:
    """The README of the corpus folder, statistics computed from the records."""
    command = REBUILD_COMMANDS[CORPUS_DIR.name]
    if seed != DEFAULT_SEED:
        command += f" --seed {seed}"
    rows, tail = [], []
    for split, split_records in records.items():
        turns, words = dialogue_stats(split_records)
        rows.append(f"| {split} | {len(split_records):,} | {describe(turns)} | {describe(words)} "
                    f"| {statistics.median(words):g} |")
        n_scenario = len(scenario_records(split_records))
        over_250 = sum(w > 250 for w in words)
        tail.append(f"| {split} | {len(split_records) - n_scenario:,} | "
                    f"{over_250 / len(words):.1%} | {sum(w > 600 for w in words)} |")
    names = ", ".join(family.name for family in FAMILIES)
    families = textwrap.fill(f"Families: {names}.", width=92)
    talks = " and ".join(f"*{talk.name}*" for talk in LONG_TALKS)
    return CARD_TEMPLATE.format(
        command=command, seed=seed, rows="\n".join(rows), n_families=len(FAMILIES),
        families=families, min_turns=MIN_TURNS, max_turns=MAX_TURNS, tail="\n".join(tail),
        talks=talks, scenario_max=SCENARIO_MAX_WORDS,
    )


CARD_TEMPLATE = """\
# dialogsum-mini

A small synthetic corpus of everyday two-person dialogues with reference summaries, used by
the labs offline in place of [DialogSum](https://github.com/cylnlp/dialogsum). It is
**written entirely by this project**: it contains no text from DialogSum.

## Layout

The files mimic the layout of the DialogSum release, so code written for DialogSum reads
them unchanged (one JSON object per line, UTF-8):

| file | fields |
|---|---|
| `dialogsum.train.jsonl` | `fname` (`train_0`, ...), `dialogue`, `summary`, `topic` |
| `dialogsum.dev.jsonl` | `fname` (`dev_0`, ...), `dialogue`, `summary`, `topic` |
| `dialogsum.test.jsonl` | `fname` (`test_0`, ...), `dialogue`, `summary1`, `topic1`, \
`summary2`, `topic2`, `summary3`, `topic3` |

- `dialogue`: turns separated by `\\n`, each starting with `#Person1#: ` or `#Person2#: `.
- `summary`: two or three sentences from an observer's view (four for the long tail). The
  first sentence states the gist (who wants or asks what), the others the outcome and the
  details; names, places, times and amounts are copied verbatim from the dialogue. The
  first sentence ends at the first `". "`.
- `topic`: a short lowercase label such as `shopping` or `job interview`.
- Test: three references per dialogue, independent paraphrases of the same facts (they
  always differ in wording); their topics are the same label or near-synonyms.

## How it is made

    {command}

`labassets/corpus.py` draws every dialogue from one `random.Random({seed})`, so the
command reproduces these files byte for byte. There are {n_families} scenario families
(`labassets/scenarios/`), each with several phrasings per turn, optional turns,
slots (names, places, times, dates, amounts, items) and several phrasings per summary
sentence. Families are spread evenly over the splits; no dialogue occurs twice, within or
across splits.

{families}

## The long tail

Most DialogSum dialogues are short, but it has a long tail of long ones. Each split here
ends with such a tail: conversations of 260 to over 600 words that go through several
matters of 6 or 8 turns each ({talks};
`labassets/scenarios/long_talks.py`). Their four-sentence summaries give the gist, the
first matter, the other matters by name, and how the talk ends. They come after the
scenario dialogues of their split and are drawn after all of them, so the scenario
dialogues are the same with or without them.

With the tiny model's tokenizer a dialogue of 250 words is about 500 tokens, so none of the
long ones fits its 512-token window: the labs meet the window limit on them (and leave them
out, saying how many). The tiny models in `data/` are trained and scored on the scenario
dialogues only (those of at most {scenario_max} words; `labassets.corpus.scenario_records`).

| split | long dialogues | over 250 words | over 600 words |
|---|---|---|---|
{tail}

## Size

Turns and words per dialogue as min / mean / max, and the median of the words (words do not
count the speaker tags). Scenario dialogues have {min_turns} to {max_turns} turns.

| split | dialogues | turns | words | median words |
|---|---|---|---|---|
{rows}

## Licence

Apache-2.0, like the rest of this repository.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m labassets corpus",
        description="Write the DialogSum-style corpus (train, dev, test and README.md).",
    )
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    sizes = build_corpus(args.out, args.seed)
    listing = ", ".join(f"{split} {size}" for split, size in sizes.items())
    print(f"wrote {args.out}: {listing} dialogues from {len(FAMILIES)} families")
    return 0
