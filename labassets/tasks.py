"""The instruction-task mixture the bundled tiny T5 is trained on.

Like FLAN, the model sees many tasks phrased as instructions over the same
dialogues, so that prompting works afterwards. Every example is built from the
*train* split only.

One deliberate choice shapes the story of the labs: in this mixture the
summarisation prompts (``SUMMARY_TEMPLATES``, the ones the labs use) ask for a
one-sentence *gist*, the first sentence of the reference summary. The whole
reference is the target of other instructions only: a "full report" task, and
an "outcome" task for the sentences after the gist. So the model can write the
longer DialogSum-style summary, but the summary prompts do not ask for it, as a
FLAN model knows many skills that a given prompt does not bring out. Fine-tuning
in notebook 07 teaches the summary prompt to give the full summary; the gain is
measured in the model card.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from labassets.corpus import scenario_records
from labsupport.data import read_jsonl
from labsupport.errors import DialogSumFormatError
from labsupport.prompts import SUMMARY_TEMPLATES

TOPIC_TEMPLATES = (
    "What is the topic of this conversation?\n\n{dialogue}",
    "{dialogue}\n\nWhat are these people talking about? Answer in a few words.",
)

NEXT_TURN_TEMPLATES = (
    "{dialogue}\n\nWhat does {speaker} say next?",
    "Continue the conversation as {speaker}.\n\n{dialogue}",
)

AMOUNT_TEMPLATES = (
    "Which amounts of money are mentioned in this conversation?\n\n{dialogue}",
    "{dialogue}\n\nList the prices or sums of money in the dialogue.",
)

TIME_TEMPLATES = (
    "When does it happen? List the times mentioned.\n\n{dialogue}",
    "{dialogue}\n\nWhich times or days are mentioned?",
)

OUTCOME_TEMPLATES = (
    "{dialogue}\n\nHow does the conversation end?",
    "What happens in the end? Answer in one or two sentences.\n\n{dialogue}",
)

REPORT_TEMPLATES = (
    "Write a full report of this conversation: who wanted what, and how it ended.\n\n{dialogue}",
    "{dialogue}\n\nDescribe this conversation in detail for someone who was not there.",
)

NONE_ANSWER = "None are mentioned."

_AMOUNT = re.compile(
    r"(?:[$£€]\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)? (?:dollars|yuan|pounds|euros))"
)
_TIME = re.compile(
    r"\b(?:\d{1,2}(?::\d{2})? ?(?:a\.m\.|p\.m\.|am|pm)|\d{1,2}:\d{2}|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|tomorrow|tonight)\b"
)


@dataclass(frozen=True)
class Example:
    """One training pair: an instruction prompt and its target text."""

    task: str
    source: str
    target: str


def read_release_file(path: Path) -> list[dict]:
    """Read one DialogSum release file (one JSON object per line)."""
    try:
        records = read_jsonl(path)
    except DialogSumFormatError as error:
        raise DialogSumFormatError(f"{error}\nRewrite the bundled corpus with "
                                   "`python -m labassets corpus`.") from None
    return [{k: v for k, v in record.items() if k != "_line"} for record in records]


def read_scenario_splits(corpus_dir: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """Train, dev and test scenario records of a bundled corpus: what the tiny models are built
    from. The long tail does not fit their 512-token window (`corpus.scenario_records`)."""
    return tuple(scenario_records(read_release_file(corpus_dir / f"dialogsum.{split}.jsonl"))
                 for split in ("train", "dev", "test"))


def split_summary(summary: str) -> tuple[str, str]:
    """(first sentence, the rest) of a summary; the rest may be empty."""
    parts = re.split(r"(?<=[.!?])\s+", summary.strip(), maxsplit=1)
    first = parts[0] if parts[0].endswith((".", "!", "?")) else parts[0] + "."
    return first, parts[1].strip() if len(parts) > 1 else ""


def gist(summary: str) -> str:
    """The first sentence of a summary: who wants or asks what."""
    return split_summary(summary)[0]


def outcome(summary: str) -> str:
    """What a summary says after its first sentence: how things turn out."""
    first, rest = split_summary(summary)
    return rest or first


def turns(dialogue: str) -> list[str]:
    return [line for line in dialogue.split("\n") if line.strip()]


def _unique_in_order(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def summary_example(record: dict, rng: random.Random) -> Example:
    name = rng.choice(sorted(SUMMARY_TEMPLATES))
    source = SUMMARY_TEMPLATES[name].format(dialogue=record["dialogue"])
    return Example("summary:" + name, source, gist(record["summary"]))


def report_example(record: dict, rng: random.Random) -> Example:
    template = rng.choice(REPORT_TEMPLATES)
    return Example("report", template.format(dialogue=record["dialogue"]), record["summary"])


def outcome_example(record: dict, rng: random.Random) -> Example:
    template = rng.choice(OUTCOME_TEMPLATES)
    return Example("outcome", template.format(dialogue=record["dialogue"]),
                   outcome(record["summary"]))


def topic_example(record: dict, rng: random.Random) -> Example:
    template = rng.choice(TOPIC_TEMPLATES)
    return Example("topic", template.format(dialogue=record["dialogue"]), record["topic"])


def next_turn_example(record: dict, rng: random.Random) -> Example:
    lines = turns(record["dialogue"])
    cut = rng.randint(1, len(lines) - 1)
    speaker, _, said = lines[cut].partition(": ")
    template = rng.choice(NEXT_TURN_TEMPLATES)
    source = template.format(dialogue="\n".join(lines[:cut]), speaker=speaker)
    return Example("next_turn", source, said.strip())


def _listing_example(record, rng, task, templates, pattern) -> Example:
    found = _unique_in_order(pattern.findall(record["dialogue"]))
    target = ", ".join(found) if found else NONE_ANSWER
    source = rng.choice(templates).format(dialogue=record["dialogue"])
    return Example(task, source, target)


def amount_example(record: dict, rng: random.Random) -> Example:
    return _listing_example(record, rng, "amounts", AMOUNT_TEMPLATES, _AMOUNT)


def time_example(record: dict, rng: random.Random) -> Example:
    return _listing_example(record, rng, "times", TIME_TEMPLATES, _TIME)


def span_filling_example(record: dict, rng: random.Random, noise: float = 0.15) -> Example:
    """T5's pre-training objective: hide word spans behind sentinels, predict them."""
    words = record["dialogue"].replace("\n", " \n ").split(" ")
    source, target, sentinel, i = [], [], 0, 0
    while i < len(words):
        if words[i] != "\n" and rng.random() < noise / 3 and sentinel < 20:
            length = rng.randint(1, 4)
            source.append(f"<extra_id_{sentinel}>")
            target.append(f"<extra_id_{sentinel}> " + " ".join(words[i:i + length]))
            sentinel += 1
            i += length
        else:
            source.append(words[i])
            i += 1
    if not target:  # always hide at least one word
        return span_filling_example(record, rng, noise=min(1.0, noise * 2))
    text = " ".join(source).replace(" \n ", "\n")
    return Example("span_filling", "Fill in the blanks.\n\n" + text, " ".join(target))


# Task name -> (builder, weight). Summaries get the largest share.
MIXTURE = {
    "summary": (summary_example, 0.24),
    "report": (report_example, 0.14),
    "outcome": (outcome_example, 0.08),
    "topic": (topic_example, 0.10),
    "next_turn": (next_turn_example, 0.14),
    "span_filling": (span_filling_example, 0.16),
    "amounts": (amount_example, 0.07),
    "times": (time_example, 0.07),
}


def build_mixture(records: list[dict], n_examples: int, seed: int) -> list[Example]:
    """Draw ``n_examples`` instruction examples from ``records``, deterministically."""
    if not records:
        raise ValueError("build_mixture needs at least one training record; the corpus is empty")
    rng = random.Random(seed)
    names = list(MIXTURE)
    weights = [MIXTURE[name][1] for name in names]
    examples = []
    for _ in range(n_examples):
        record = records[rng.randrange(len(records))]
        builder = MIXTURE[rng.choices(names, weights)[0]][0]
        examples.append(builder(record, rng))
    return examples
