"""Building blocks of a scenario family: turns, optional turn groups, summary sentences.

A family is declarative data. The generator (``labassets.corpus``) draws the
slot values, picks one phrasing per turn and one phrasing per summary sentence.

Templates are ``str.format`` strings over the slots. Every slot value is a :class:`Value`,
so a template may also write ``{item.a}`` ("a kettle", "an umbrella") or ``{item.cap}``
(capitalised first letter, for the start of a sentence).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from random import Random

SlotSource = Sequence | Callable[[Random], str]
"""Where a slot value comes from: a sequence to pick from, or a function of the rng.

A slot key may be a tuple of names; its source then yields tuples (correlated values,
such as a dish and its price).
"""


class Value(str):
    """A slot value with two derived forms for templates: ``.a`` and ``.cap``."""

    @property
    def a(self) -> Value:
        """The value with its indefinite article."""
        return Value(f"{indefinite_article(self)} {self}")

    @property
    def cap(self) -> Value:
        """The value with its first letter in upper case."""
        return Value(self[:1].upper() + self[1:])


def indefinite_article(phrase: str) -> str:
    """'a' or 'an' by the sound of the first word (good enough for the pools used here)."""
    word = phrase.lower()
    if word.startswith(("hour", "honest")):
        return "an"
    if word.startswith(("uni", "use", "one", "eu", "us")):
        return "a"
    return "an" if word[:1] in "aeiou" else "a"


@dataclass(frozen=True)
class Turn:
    """One turn of the dialogue with alternative phrasings.

    ``when`` restricts the turn to one outcome: it is used only if the slot ``case``
    has that value.
    """

    speaker: int
    phrasings: tuple[str, ...]
    when: str | None = None


@dataclass(frozen=True)
class Maybe:
    """A group of turns that is kept or dropped as a whole, so that turns still alternate."""

    turns: tuple[Turn, ...]
    p: float = 0.5


@dataclass(frozen=True)
class Sentence:
    """One summary sentence with alternative phrasings.

    ``p`` below 1 makes the sentence optional. A phrasing is only used if every slot it
    names also occurs in the dialogue, so that summaries never state a fact the dialogue
    does not contain.
    """

    phrasings: tuple[str, ...]
    when: str | None = None
    p: float = 1.0


@dataclass(frozen=True)
class Family:
    """A scenario family: slots, turn templates and summary templates.

    ``topics`` are near-synonymous topic labels, the first one being the main one.
    ``gist`` phrasings form the first summary sentence (who wants or asks what);
    ``details`` give the outcome and details in one or two more sentences.
    ``restates`` maps a summary-only slot to the dialogue slot whose fact it restates in the
    observer's words (``{"issue": "said"}``: "cannot print" restates "I can't print.").
    """

    name: str
    topics: tuple[str, ...]
    slots: Mapping[str | tuple[str, ...], SlotSource]
    turns: tuple[Turn | Maybe, ...]
    gist: tuple[str, ...]
    details: tuple[Sentence, ...]
    restates: Mapping[str, str] = field(default_factory=dict)


def P1(*phrasings: str, when: str | None = None) -> Turn:
    """A turn of #Person1#."""
    return Turn(1, phrasings, when)


def P2(*phrasings: str, when: str | None = None) -> Turn:
    """A turn of #Person2#."""
    return Turn(2, phrasings, when)


def maybe(*turns: Turn, p: float = 0.5) -> Maybe:
    """An optional group of turns, kept with probability ``p``."""
    return Maybe(turns, p)


def S(*phrasings: str, when: str | None = None, p: float = 1.0) -> Sentence:
    """A summary sentence."""
    return Sentence(phrasings, when, p)
