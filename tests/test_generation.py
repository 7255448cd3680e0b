"""Batched generation: same greedy outputs as one at a time; bad settings rejected early."""

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from labassets.tasks import read_release_file
from labsupport import paths
from labsupport.generation import (
    check_generation_settings,
    generate_batched,
    generate_with_endings,
)
from labsupport.prompts import SUMMARY_TEMPLATES, PromptTooLongError


@pytest.fixture(scope="module")
def model_and_tokenizer():
    model = AutoModelForSeq2SeqLM.from_pretrained(paths.TINY_MODEL_DIR).eval()
    return model, AutoTokenizer.from_pretrained(paths.TINY_MODEL_DIR)


@pytest.fixture(scope="module")
def prompts():
    records = read_release_file(paths.CORPUS_DIR / "dialogsum.test.jsonl")[:24]
    return [SUMMARY_TEMPLATES["summarize"].format(dialogue=r["dialogue"]) for r in records]


def test_batched_greedy_equals_one_at_a_time(model_and_tokenizer, prompts):
    model, tokenizer = model_and_tokenizer
    batched = generate_batched(model, tokenizer, prompts, batch_size=8, progress=False)
    single = []
    for prompt in prompts:
        ids = tokenizer(prompt, return_tensors="pt")
        with torch.no_grad():
            out = model.generate(**ids, max_new_tokens=60, do_sample=False)
        single.append(tokenizer.decode(out[0], skip_special_tokens=True).strip())
    assert len({len(tokenizer(p)["input_ids"]) for p in prompts}) > 1  # padding did happen
    assert batched == single


def test_outputs_come_back_in_input_order(model_and_tokenizer, prompts):
    model, tokenizer = model_and_tokenizer
    forward = generate_batched(model, tokenizer, prompts[:6], batch_size=4, progress=False)
    backward = generate_batched(model, tokenizer, prompts[:6][::-1], batch_size=4, progress=False)
    assert forward == backward[::-1]


@pytest.mark.parametrize("settings, message", [
    ({"top_p": 0.0}, "top_p must be in"), ({"top_p": 1.5}, "top_p must be in"),
    ({"top_k": 0}, "top_k must be"), ({"temperature": 0.0}, "temperature must be above 0"),
    ({"temperature": -1.0}, "temperature must be above 0"),
    ({"max_new_tokens": 0}, "max_new_tokens must be"),
])
def test_bad_settings_are_rejected(settings, message):
    with pytest.raises(ValueError, match=message):
        check_generation_settings(**settings)


def test_bad_settings_fail_before_the_model_is_called(prompts):
    class NoModel:  # any call to it would raise AttributeError, not ValueError
        pass

    with pytest.raises(ValueError, match="top_p"):
        generate_batched(NoModel(), None, prompts, top_p=2.0, do_sample=True)


def test_empty_list_of_prompts_is_rejected(model_and_tokenizer):
    model, tokenizer = model_and_tokenizer
    with pytest.raises(ValueError, match="empty"):
        generate_batched(model, tokenizer, [])


def test_prompt_over_the_window_is_an_error_not_a_cut(model_and_tokenizer, prompts):
    model, tokenizer = model_and_tokenizer
    with pytest.raises(PromptTooLongError, match="prompt 1 has"):
        generate_batched(model, tokenizer, [prompts[0], prompts[0] * 20], progress=False)


def test_endings_tell_a_finished_summary_from_one_cut_by_the_limit(model_and_tokenizer, prompts):
    model, tokenizer = model_and_tokenizer
    texts, ended = generate_with_endings(model, tokenizer, prompts[:8], progress=False)
    assert texts == generate_batched(model, tokenizer, prompts[:8], progress=False)
    assert all(ended)  # the bundled model ends its summaries well before 60 tokens
    _, cut = generate_with_endings(model, tokenizer, prompts[:8], progress=False,
                                   max_new_tokens=2)
    assert not any(cut)
