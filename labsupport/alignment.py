"""Helpers of lab 08 (aligning with human feedback).

- `invented_details(summary, dialogue)`: the names, places, times and amounts that a summary
  states but the dialogue does not contain; `invented_rate` is the share of summaries with
  at least one.
- `load_preferences()`: the simulated preference pairs of `data/dialogsum-preferences/`
  (written by `python -m labassets preferences`) as a `datasets.DatasetDict`.
- Reward-model helpers (`RewardModel`, `reward_text`, `score`, `pairwise_loss`,
  `sequence_logprobs`, `dpo_loss`): the lab writes each step out in its cells first and
  checks these equal to them.

Light to import: torch, transformers and datasets are imported where they are used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from labsupport import paths

PREFERENCES_DIR = paths.DATA_DIR / "dialogsum-preferences"
PREFERENCE_SPLITS = {"train": "preferences.train.jsonl", "validation": "preferences.dev.jsonl"}
FLAWS = ("invented detail", "dropped main point", "repetition")

# --- invented details ----------------------------------------------------------------------

_TAG = re.compile(r"#Person\d+#")
# A detail with a digit: amounts ("$13,000", "$12.99"), clock times ("7:30"), dates ("May 14"
# gives "14"), codes ("A4512"), counts ("3").
_NUMBER = re.compile(r"[$£€]?[A-Za-z]*\d[\w:.,]*")
# Amounts written as words. "one" is left out: it is mostly a pronoun ("the blue one").
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "hundred thousand".split())
_CAPITALISED = re.compile(r"[A-Z][A-Za-z'’-]*")


def _words(text: str) -> list[tuple[str, bool, bool]]:
    """(word, starts a sentence, ends with punctuation) for every word of `text`, speaker
    tags removed."""
    text = _TAG.sub(" ", text)
    out, sentence_start = [], True
    for raw in text.split():
        word = raw.strip("\"'()[]“”‘’")
        if word:
            out.append((word, sentence_start, raw[-1] in ".,;:!?"))
        sentence_start = raw.endswith((".", "!", "?", ":"))
    return out


def _name_core(word: str) -> str:
    return re.sub(r"['’]s$", "", word.strip(".,;:!?"))


def _number_core(token: str) -> str:
    return token.strip(".,:;!?").lstrip("$£€")


def _candidates(summary: str) -> list[tuple[str, str, bool]]:
    found, joined = [], False
    for word, starts, punctuated in _words(summary):
        if any(ch.isdigit() for ch in word):
            found.append(("number", _number_core(word), False))
        elif word.lower().strip(".,;:!?") in _NUMBER_WORDS:
            found.append(("number", word.lower().strip(".,;:!?"), False))
        elif _CAPITALISED.match(word) and word != "I" and not starts:
            found.append(("name", _name_core(word), joined))
            joined = not punctuated
            continue
        joined = False
    return found


def detail_candidates(summary: str) -> list[tuple[str, str]]:
    """The (kind, word) pairs of `summary` that may be a detail: "number" for a word with a
    digit or a number word, "name" for a capitalised word (names, places, days, months,
    titles) that does not start a sentence (there it may be any word: "Because", "The")."""
    return [(kind, word) for kind, word, _ in _candidates(summary)]


def invented_details(summary: str, dialogue: str) -> list[str]:
    """The details (names, places, times, amounts) of `summary` that `dialogue` lacks.

    A capitalised word counts as a detail unless it starts a sentence (a limit: a name that
    starts a sentence is not checked); it is invented when the dialogue does not contain it
    as a word (case matters: "Rose" the name is not "rose" the flower). A word with a digit
    ("$45", "7:30", "A4512") is compared without its currency sign and trailing punctuation;
    number words ("four") as words.
    Each invented word is listed once, in the order of the summary; neighbouring invented
    words are joined ("Lucy Young").
    """
    dialogue_words = {_name_core(w) for w, _, _ in _words(dialogue)}
    dialogue_numbers = {_number_core(m) for m in _NUMBER.findall(_TAG.sub(" ", dialogue))}
    dialogue_lower = {w.lower() for w in dialogue_words}
    invented: list[str] = []
    previous_invented = False
    for kind, word, joined in _candidates(summary):
        if kind == "number":
            missing = word not in dialogue_numbers and word.lower() not in dialogue_lower
        else:
            missing = word not in dialogue_words
        if missing and joined and previous_invented and invented:
            invented[-1] = f"{invented[-1]} {word}"
        elif missing and word not in invented:
            invented.append(word)
        previous_invented = missing and kind == "name"
    return invented


def invented_rate(summaries: Sequence[str], dialogues: Sequence[str]) -> float:
    """The share of summaries with at least one invented detail."""
    if len(summaries) != len(dialogues):
        raise ValueError(f"{len(summaries)} summaries but {len(dialogues)} dialogues")
    if not summaries:
        raise ValueError("no summaries")
    flagged = sum(bool(invented_details(s, d)) for s, d in zip(summaries, dialogues))
    return flagged / len(summaries)


# --- preference data -----------------------------------------------------------------------

def load_preferences(folder: str | Path | None = None):
    """The preference pairs as a DatasetDict with "train" and "validation" splits; columns
    fname, dialogue, chosen, rejected, flaw, invented."""
    from datasets import load_dataset

    folder = Path(folder or PREFERENCES_DIR)
    files = {split: str(folder / name) for split, name in PREFERENCE_SPLITS.items()}
    missing = [f for f in files.values() if not Path(f).is_file()]
    if missing:
        raise FileNotFoundError(f"no preference file {missing[0]}; write it with "
                                "`python -m labassets preferences`")
    return load_dataset("json", data_files=files)
