"""Helpers of lab 08 (aligning with human feedback).

- `invented_details(summary, dialogue)`: the names, places, times and amounts that a summary
  states but the dialogue does not contain; `invented_rate` is the share of summaries with
  at least one.
- `load_preferences()`: the simulated preference pairs of `data/dialogsum-preferences/`
  (written by `python -m labassets preferences`) as a `datasets.DatasetDict`.
- Reward-model helpers (`RewardModel`, `reward_text`, `score`, `pairwise_loss`,
  `sequence_logprobs`, `dpo_loss`): the lab writes each step out in its cells first and
  checks these equal to them.

Imports torch (the reward model is a torch module); `import labsupport` does not load this
module until `lab.alignment` is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import torch

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


# --- reward model --------------------------------------------------------------------------

REWARD_MAX_TOKENS = 256


class RewardModel(torch.nn.Module):
    """reward(summary, dialogue) -> one number, from a frozen sentence encoder and a small head.

    The encoder (its first `layers` layers only, to be quick on a CPU; the model passed in is
    cut to those layers) turns every token of the summary and of the dialogue into a vector.
    The head reads two things:

    - **support**: for each summary token, its highest cosine similarity to any dialogue
      token. A name, place or number that the dialogue lacks has no close match. A learned
      **importance** per token (a linear layer and a softplus) says which tokens must be
      supported: the penalty is the sum of importance x (1 - support) over the summary.
    - **quality**: a linear layer on the mean of the summary's token vectors.

    reward = quality - penalty. Only the two linear layers are trained (770 numbers for a
    384-wide encoder); the encoder is frozen, so every text's token vectors are computed
    once and cached.
    """

    def __init__(self, encoder, tokenizer, layers: int = 2,
                 max_length: int = REWARD_MAX_TOKENS, seed: int = 0):
        super().__init__()
        encoder.encoder.layer = encoder.encoder.layer[:layers]
        for parameter in encoder.parameters():
            parameter.requires_grad_(False)
        self.encoder, self.tokenizer, self.max_length = encoder.eval(), tokenizer, max_length
        width = encoder.config.hidden_size
        generator = torch.Generator().manual_seed(seed)
        self.importance = torch.nn.Linear(width, 1)
        self.quality = torch.nn.Linear(width, 1)
        with torch.no_grad():
            for layer in (self.importance, self.quality):
                layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator) * 0.02)
                layer.bias.zero_()
        self.to(next(encoder.parameters()).device)
        self._cache: dict[str, torch.Tensor] = {}

    @torch.no_grad()
    def token_vectors(self, texts: Sequence[str], cache: bool = True):
        """(vectors, mask): unit-length token vectors (batch, length, width) of `texts`,
        [CLS], [SEP] and padding masked out."""
        todo = [t for t in dict.fromkeys(texts) if not (cache and t in self._cache)]
        found = {}
        if todo:
            batch = self.tokenizer(todo, truncation=True, max_length=self.max_length,
                                   padding=True, return_tensors="pt",
                                   return_special_tokens_mask=True)
            special = batch.pop("special_tokens_mask").bool()
            batch = batch.to(self.quality.weight.device)
            hidden = self.encoder(**batch).last_hidden_state
            hidden = torch.nn.functional.normalize(hidden, dim=-1)
            keep = batch["attention_mask"].bool() & ~special.to(hidden.device)
            for text, vectors, mask in zip(todo, hidden, keep):
                found[text] = vectors[mask]
            if cache:
                self._cache.update(found)
        rows = [self._cache[t] if cache and t in self._cache else found[t] for t in texts]
        return _pad(rows)

    def forward(self, summaries: Sequence[str], dialogues: Sequence[str]):
        s, s_mask = self.token_vectors(list(summaries), cache=True)
        d, d_mask = self.token_vectors(list(dialogues), cache=True)
        similarity = torch.einsum("bih,bjh->bij", s, d).masked_fill(~d_mask[:, None, :], -1.0)
        support = similarity.max(dim=-1).values                                   # (b, i)
        importance = torch.nn.functional.softplus(self.importance(s).squeeze(-1))  # (b, i)
        penalty = (importance * (1 - support) * s_mask).sum(dim=-1)
        mean = (s * s_mask[..., None]).sum(1) / s_mask.sum(1, keepdim=True).clamp(min=1)
        return self.quality(mean).squeeze(-1) - penalty


def _pad(rows):
    width = rows[0].shape[-1]
    length = max(1, max(len(r) for r in rows))
    out = rows[0].new_zeros(len(rows), length, width)
    mask = torch.zeros(len(rows), length, dtype=torch.bool, device=out.device)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
        mask[i, :len(r)] = True
    return out, mask


def score(reward_model, summaries: Sequence[str], dialogues: Sequence[str],
          batch_size: int = 32, progress: bool = False, desc: str = "rewards") -> list[float]:
    """Rewards of many (summary, dialogue) pairs, in batches, without gradients."""
    from tqdm.auto import tqdm

    if len(summaries) != len(dialogues):
        raise ValueError(f"{len(summaries)} summaries but {len(dialogues)} dialogues")
    was_training = reward_model.training
    reward_model.eval()
    out: list[float] = []
    starts = range(0, len(summaries), batch_size)
    with torch.no_grad():
        for i in tqdm(starts, desc=desc, disable=not progress, unit="batch"):
            out += reward_model(summaries[i:i + batch_size], dialogues[i:i + batch_size]).tolist()
    reward_model.train(was_training)
    return out


def pairwise_loss(r_chosen, r_rejected):
    """Bradley-Terry loss of a reward model: mean of -log sigmoid(r_chosen - r_rejected)."""
    return -torch.nn.functional.logsigmoid(r_chosen - r_rejected).mean()


def dpo_loss(policy_chosen, policy_rejected, reference_chosen, reference_rejected,
             beta: float = 0.1):
    """The DPO loss from summed log-probabilities of the chosen and rejected summaries under
    the policy and the frozen reference: mean of -log sigmoid(beta * margin)."""
    margin = (policy_chosen - reference_chosen) - (policy_rejected - reference_rejected)
    return -torch.nn.functional.logsigmoid(beta * margin).mean()
