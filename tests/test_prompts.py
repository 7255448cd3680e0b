"""Prompts never get truncated silently."""

import pytest
from transformers import AutoTokenizer

from labsupport import paths
from labsupport.prompts import (
    FLAN_TEMPLATE_NAME,
    FLAN_TEMPLATE_SOURCE,
    SUMMARY_TEMPLATES,
    PromptTooLongError,
    build_prompt,
    count_tokens,
    fits_window,
    max_shots_that_fit,
    render,
    shot_report,
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


def test_fits_window_checks_the_dialogue_alone_by_default(tokenizer):
    alone = count_tokens(DIALOGUE, tokenizer)
    longest = max(count_tokens(t.format(dialogue=DIALOGUE), tokenizer)
                  for t in SUMMARY_TEMPLATES.values())
    assert fits_window(DIALOGUE, tokenizer, max_tokens=max(alone, longest))
    assert not fits_window(DIALOGUE, tokenizer, max_tokens=max(alone, longest) - 1)
    assert not fits_window(DIALOGUE, tokenizer, max_tokens=alone - 1)


def test_a_dialogue_longer_than_the_window_says_what_to_do(tokenizer):
    long_dialogue = DIALOGUE * 40
    assert not fits_window(long_dialogue, tokenizer, max_tokens=64)
    with pytest.raises(PromptTooLongError, match="leave it out.*fits_window"):
        build_prompt(long_dialogue, tokenizer, max_tokens=64)
    with pytest.raises(PromptTooLongError, match="dialogue alone.*leave it out"):
        max_shots_that_fit(long_dialogue, tokenizer, [SHOT], max_tokens=64)


def test_max_shots_that_fit_counts_whole_examples(tokenizer):
    one = count_tokens(render(DIALOGUE, SUMMARY_TEMPLATES["summarize"], [SHOT]), tokenizer)
    assert max_shots_that_fit(DIALOGUE, tokenizer, [SHOT] * 3, max_tokens=one) == 1
    assert max_shots_that_fit(DIALOGUE, tokenizer, [SHOT] * 3, max_tokens=one - 1) == 0


def test_empty_dialogue_message_says_what_to_do(tokenizer):
    with pytest.raises(ValueError, match="empty.*leave such rows out"):
        fits_window("\n ", tokenizer)


def test_shot_report_labels_what_the_prompts_really_hold(tokenizer):
    full = build_prompt(DIALOGUE, tokenizer, shots=[SHOT] * 3, drop_shots=True)
    roomy = shot_report([full, full])
    assert roomy.label == "3-shot" and roomy.n_short == roomy.n_dropped == 0
    cut = build_prompt(DIALOGUE, tokenizer, shots=[SHOT] * 3, drop_shots=True,
                       max_tokens=count_tokens(render(DIALOGUE, SUMMARY_TEMPLATES["summarize"],
                                                      [SHOT]), tokenizer))
    assert cut.shots_used == 1
    mixed = shot_report([full, cut, cut])
    assert mixed.label == "3-shot (1-3 kept)"
    assert (mixed.n_short, mixed.n_dropped) == (2, 4)
    assert str(mixed) == ("3-shot (1-3 kept): 2 of 3 prompts dropped examples, "
                          "4 example(s) in all")
    assert shot_report([cut]).label == "3-shot (1 kept)"


def test_shot_report_refuses_mixed_strategies(tokenizer):
    zero = build_prompt(DIALOGUE, tokenizer)
    one = build_prompt(DIALOGUE, tokenizer, shots=[SHOT])
    assert shot_report([zero]).label == "0-shot"
    with pytest.raises(ValueError, match="different numbers of examples"):
        shot_report([zero, one])
    with pytest.raises(TypeError, match="Prompt objects"):
        shot_report([zero.text])


def test_the_models_own_template_is_flans_word_for_word():
    """Quoted from the FLAN collection (FLAN_TEMPLATE_SOURCE); the course's "What was going
    on?" wording is not one of FLAN's templates."""
    assert SUMMARY_TEMPLATES[FLAN_TEMPLATE_NAME] == "{dialogue}\n\nBriefly summarize that dialogue."
    assert FLAN_TEMPLATE_NAME != "what_was_going_on" and "what_was_going_on" in SUMMARY_TEMPLATES
    assert "google-research/FLAN" in FLAN_TEMPLATE_SOURCE and "samsum" in FLAN_TEMPLATE_SOURCE
