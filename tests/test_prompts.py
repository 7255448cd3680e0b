"""Prompts never get truncated silently."""

import pytest
from transformers import AutoTokenizer

from labsupport import paths
from labsupport.prompts import (
    SUMMARY_TEMPLATES,
    PromptTooLongError,
    build_prompt,
    count_tokens,
    fits_window,
    max_shots_that_fit,
)

DIALOGUE = "#Person1#: Where is the station?\n#Person2#: Turn left at the bank."
SHOT = ("#Person1#: Can I pay by card?\n#Person2#: Yes, of course.",
        "#Person1# asks whether paying by card is possible.")


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(paths.TINY_MODEL_DIR)


def test_zero_shot_prompt_uses_the_template(tokenizer):
    prompt = build_prompt(DIALOGUE, tokenizer)
    assert prompt.text == SUMMARY_TEMPLATES["summarize"].format(dialogue=DIALOGUE)
    assert prompt.n_tokens == count_tokens(prompt.text, tokenizer) <= prompt.limit == 512
    assert prompt.shots_used == 0 and prompt.dropped == []


def test_few_shot_prompt_puts_solved_examples_first(tokenizer):
    prompt = build_prompt(DIALOGUE, tokenizer, shots=[SHOT, SHOT])
    assert prompt.text.count("Summary:") == 3
    assert prompt.text.index(SHOT[1]) < prompt.text.index(DIALOGUE)
    assert prompt.text.endswith("Summary:")


def test_too_long_prompt_raises_with_count_and_limit(tokenizer):
    with pytest.raises(PromptTooLongError) as error:
        build_prompt(DIALOGUE, tokenizer, shots=[SHOT] * 10, max_tokens=120)
    message = str(error.value)
    n_tokens = count_tokens(build_prompt(DIALOGUE, tokenizer, shots=[SHOT] * 10).text, tokenizer)
    assert f"has {n_tokens} tokens" in message and "120 tokens" in message


def test_drop_shots_drops_whole_examples_and_reports_them(tokenizer):
    prompt = build_prompt(DIALOGUE, tokenizer, shots=[SHOT] * 10, max_tokens=120,
                          drop_shots=True)
    assert prompt.n_tokens <= 120
    assert prompt.shots_used == max_shots_that_fit(DIALOGUE, tokenizer, [SHOT] * 10,
                                                   max_tokens=120)
    assert prompt.dropped == list(range(10 - prompt.shots_used))
    assert prompt.text.count(SHOT[1]) == prompt.shots_used  # no example was cut in half


def test_dialogue_alone_too_long_raises_even_when_dropping(tokenizer):
    with pytest.raises(PromptTooLongError, match="dialogue alone"):
        build_prompt(DIALOGUE * 40, tokenizer, drop_shots=True, max_tokens=64)


@pytest.mark.parametrize("bad_shots", [["just a string"], [("one",)], [("a", 3)], [("", "x")]])
def test_shots_must_be_dialogue_summary_pairs(tokenizer, bad_shots):
    with pytest.raises(TypeError, match=r"\(dialogue, summary\) pair"):
        build_prompt(DIALOGUE, tokenizer, shots=bad_shots)


def test_empty_dialogue_is_rejected(tokenizer):
    with pytest.raises(ValueError, match="empty"):
        build_prompt("  ", tokenizer)


def test_fits_window_checks_every_template(tokenizer):
    templates = list(SUMMARY_TEMPLATES.values())
    lengths = [count_tokens(t.format(dialogue=DIALOGUE), tokenizer) for t in templates]
    assert fits_window(DIALOGUE, tokenizer, templates, max_tokens=max(lengths))
    assert not fits_window(DIALOGUE, tokenizer, templates, max_tokens=max(lengths) - 1)
    shortest = templates[lengths.index(min(lengths))]
    assert fits_window(DIALOGUE, tokenizer, [shortest], max_tokens=min(lengths))
