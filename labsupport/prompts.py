"""Zero-, one- and few-shot prompts that know the tokenizer and the context window.

The course this series re-imagines handles over-long prompts in two ways, neither
of them visible: its first lab tokenizes few-shot prompts without
``truncation=True``, so transformers logs one warning and T5, whose positions are
relative, reads the whole prompt, longer than the 512 tokens it was trained on;
its second lab tokenizes with ``truncation=True``, which cuts every input at 512
tokens without a word, from the end, where the dialogue to summarise is. Lab 06
shows both. Here a prompt that does not fit is never passed on and never cut:
either an error says how long it is and what the limit is, or, when asked for,
whole examples are dropped and the result says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Summarisation instructions (the bundled tiny T5 is trained on all four; keys and texts are
# used by labs 04, 06 and 07 and by labassets.tasks, so they stay as they are).
# - "summarize" and "what_was_going_on" are the wordings of the course this series re-imagines
#   (its lab 1). "what_was_going_on" is *not* one of FLAN's templates, only close to one.
# - "briefly" is one of FLAN's own: word for word the first "samsum" template in the FLAN
#   collection, FLAN_TEMPLATE_SOURCE. It is the one lab 06 calls "the model's own".
SUMMARY_TEMPLATES = {
    "summarize": "Summarize the following conversation.\n\n{dialogue}\n\nSummary:",
    "what_was_going_on": "Dialogue:\n\n{dialogue}\n\nWhat was going on?",
    "briefly": "{dialogue}\n\nBriefly summarize that dialogue.",
    "short_summary": "Write a short summary for this dialogue.\n\n{dialogue}",
}

# Where "briefly" is quoted from: the FLAN collection (the instruction data of FLAN-T5),
# repository google-research/FLAN, file flan/v2/templates.py, PATTERNS["samsum"][0].
FLAN_TEMPLATE_SOURCE = ("github.com/google-research/FLAN, flan/v2/templates.py, "
                        'PATTERNS["samsum"][0] (commit 832b2a86fd1de6aec6f2ad81adba9269334310b6)')
FLAN_TEMPLATE_NAME = "briefly"  # the key in SUMMARY_TEMPLATES of FLAN's own template

EXAMPLE_SEPARATOR = "\n\n\n"

# What `fits_window` checks by default: the dialogue alone (lab 06's "no prompt") and
# every summary template.
WINDOW_TEMPLATES = ("{dialogue}", *SUMMARY_TEMPLATES.values())


class PromptTooLongError(ValueError):
    """A prompt has more tokens than the model's context window."""


@dataclass(frozen=True)
class Prompt:
    """A finished prompt and what went into it."""

    text: str
    n_tokens: int
    limit: int
    shots_used: int
    dropped: list[int] = field(default_factory=list)  # indices of shots left out

    def __str__(self) -> str:
        return self.text


def context_window(tokenizer) -> int:
    """The number of input tokens the model was trained with (512 for FLAN-T5)."""
    limit = getattr(tokenizer, "model_max_length", None)
    if not limit or limit > 1_000_000:  # transformers' "no limit known" sentinel
        raise ValueError(
            "The tokenizer does not state a context window (model_max_length); "
            "pass max_tokens= explicitly."
        )
    return int(limit)


def window_limit(tokenizer, max_tokens: int | None = None) -> int:
    """`max_tokens` if given (a whole number of at least 1), else the model's context window."""
    if max_tokens is None:
        return context_window(tokenizer)
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
        raise ValueError(f"max_tokens must be a whole number of at least 1, got {max_tokens!r}; "
                         "leave it out to use the model's context window")
    return max_tokens


def check_dialogue(dialogue) -> None:
    """The dialogue to summarise must be non-empty text."""
    if not isinstance(dialogue, str):
        raise TypeError(f"the dialogue to summarise must be a string, got "
                        f"{type(dialogue).__name__} ({dialogue!r:.60})")
    if not dialogue.strip():
        raise ValueError("the dialogue to summarise is empty: there is nothing to summarise. "
                         "Check the row it came from, or leave such rows out.")


def count_tokens(text: str, tokenizer) -> int:
    """Tokens the model's encoder sees for `text`, special tokens included."""
    return len(tokenizer(text, truncation=False, verbose=False)["input_ids"])


def check_shots(shots) -> list[tuple[str, str]]:
    """Shots must be (dialogue, summary) pairs of non-empty strings."""
    checked = []
    for i, shot in enumerate(shots):
        if isinstance(shot, dict) and {"dialogue", "summary"} <= shot.keys():
            shot = (shot["dialogue"], shot["summary"])
        if (not isinstance(shot, Sequence) or isinstance(shot, str) or len(shot) != 2
                or not all(isinstance(part, str) and part.strip() for part in shot)):
            raise TypeError(
                f"shot {i} is {shot!r:.80}: each shot must be a (dialogue, summary) pair of "
                "non-empty strings, e.g. (record['dialogue'], record['summary'])."
            )
        checked.append((shot[0], shot[1]))
    return checked


def render(dialogue: str, template: str, shots: Sequence[tuple[str, str]] = ()) -> str:
    """The prompt text: each solved example, then the dialogue to summarise."""
    if "{dialogue}" not in template:
        raise ValueError("the template must contain the placeholder {dialogue}")
    solved = [template.format(dialogue=d) + " " + s for d, s in shots]
    return EXAMPLE_SEPARATOR.join([*solved, template.format(dialogue=dialogue)])


def build_prompt(dialogue: str, tokenizer, template: str = SUMMARY_TEMPLATES["summarize"],
                 shots: Sequence = (), max_tokens: int | None = None,
                 drop_shots: bool = False) -> Prompt:
    """Build a zero-shot (no shots), one-shot or few-shot prompt that fits the window.

    If the prompt is too long, raise PromptTooLongError with the token count and
    the limit; with ``drop_shots=True``, drop whole examples (the earliest first)
    until it fits, and report their indices in ``Prompt.dropped``.
    """
    check_dialogue(dialogue)
    pairs = check_shots(shots)
    limit = window_limit(tokenizer, max_tokens)
    kept = list(range(len(pairs)))
    while True:
        text = render(dialogue, template, [pairs[i] for i in kept])
        n_tokens = count_tokens(text, tokenizer)
        if n_tokens <= limit:
            dropped = [i for i in range(len(pairs)) if i not in kept]
            return Prompt(text, n_tokens, limit, len(kept), dropped)
        if not drop_shots or not kept:
            what = f"with {len(kept)} example(s) " if kept else ""
            advice = ("use fewer or shorter examples, or pass drop_shots=True"
                      if kept else "the dialogue alone is longer than the window; leave it out "
                      "(fits_window tells which dialogues fit) or summarise it in parts")
            raise PromptTooLongError(
                f"The prompt {what}has {n_tokens} tokens but the model's context window is "
                f"{limit} tokens: {advice}. Nothing was truncated."
            )
        kept.pop(0)


def fits_window(dialogue: str, tokenizer, templates: Sequence[str] = WINDOW_TEMPLATES,
                max_tokens: int | None = None) -> bool:
    """True when the dialogue fits the window under every one of `templates` (zero-shot; by
    default the dialogue alone and every summary template).

    Labs 06 and 07 score only such dialogues, and say how many they left out: a
    dialogue that does not fit could only be truncated, which this series never does.
    """
    check_dialogue(dialogue)
    limit = window_limit(tokenizer, max_tokens)
    return all(count_tokens(template.format(dialogue=dialogue), tokenizer) <= limit
               for template in templates)


def max_shots_that_fit(dialogue: str, tokenizer, examples: Sequence, template: str = (
        SUMMARY_TEMPLATES["summarize"]), max_tokens: int | None = None) -> int:
    """How many of `examples` (in order) fit in one prompt with `dialogue`: 0 to len(examples).

    Raises PromptTooLongError when not even the dialogue alone fits.
    """
    check_dialogue(dialogue)
    pairs = check_shots(examples)
    limit = window_limit(tokenizer, max_tokens)
    for n in range(len(pairs), -1, -1):
        n_tokens = count_tokens(render(dialogue, template, pairs[:n]), tokenizer)
        if n_tokens <= limit:
            return n
    raise PromptTooLongError(
        f"The dialogue alone makes a prompt of {n_tokens} tokens but the model's context "
        f"window is {limit} tokens, so no example fits next to it; leave it out (fits_window "
        "tells which dialogues fit) or summarise it in parts. Nothing was truncated."
    )


@dataclass(frozen=True)
class ShotReport:
    """How many solved examples prompts built with ``drop_shots=True`` asked for, and how
    many each one really holds (long dialogues leave room for fewer)."""

    asked: int
    used: tuple[int, ...]  # per prompt

    @property
    def n_short(self) -> int:
        """Prompts that had to drop at least one example."""
        return sum(n < self.asked for n in self.used)

    @property
    def n_dropped(self) -> int:
        """Examples dropped, over all prompts."""
        return sum(self.asked - n for n in self.used)

    @property
    def label(self) -> str:
        """A strategy name that says what the prompts hold: "3-shot" when every prompt holds
        the 3 examples asked for, else e.g. "3-shot (1-3 kept)"."""
        low, high = min(self.used), max(self.used)
        if low == high == self.asked:
            return f"{self.asked}-shot"
        kept = f"{low}" if low == high else f"{low}-{high}"
        return f"{self.asked}-shot ({kept} kept)"

    def __str__(self) -> str:
        return (f"{self.label}: {self.n_short} of {len(self.used)} prompts dropped examples, "
                f"{self.n_dropped} example(s) in all")


def shot_report(prompts: Sequence[Prompt]) -> ShotReport:
    """What a list of prompts (from build_prompt) really holds: see ShotReport."""
    prompts = list(prompts)
    if not prompts or not all(isinstance(p, Prompt) for p in prompts):
        raise TypeError("shot_report needs a non-empty list of Prompt objects from build_prompt")
    asked = {p.shots_used + len(p.dropped) for p in prompts}
    if len(asked) != 1:
        raise ValueError(f"these prompts asked for different numbers of examples "
                         f"({sorted(asked)}); report each strategy on its own")
    return ShotReport(asked.pop(), tuple(p.shots_used for p in prompts))
