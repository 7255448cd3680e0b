"""Generate for many prompts at once: batches, padding, attention masks, a progress bar.

Batching is what makes evaluating hundreds of dialogues take seconds instead of
minutes. Greedy outputs are the same as generating one prompt at a time,
because the attention mask hides the padding (a test checks this).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from tqdm.auto import tqdm

from labsupport.prompts import PromptTooLongError, context_window


def _whole_number(value) -> bool:
    """An int that is not a bool (True would otherwise count as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_generation_settings(max_new_tokens: int | None = None, temperature: float | None = None,
                              top_k: int | None = None, top_p: float | None = None,
                              num_beams: int | None = None, **_ignored) -> None:
    """Reject settings that make no sense, before any model call."""
    if max_new_tokens is not None and (not _whole_number(max_new_tokens) or max_new_tokens < 1):
        raise ValueError(f"max_new_tokens must be a whole number of at least 1, got "
                         f"{max_new_tokens!r}")
    if num_beams is not None and (not _whole_number(num_beams) or num_beams < 1):
        raise ValueError(f"num_beams must be a whole number of at least 1 (1 = no beam search), "
                         f"got {num_beams!r}")
    if temperature is not None and not temperature > 0:
        raise ValueError(f"temperature must be above 0, got {temperature!r}; for deterministic "
                         "output use do_sample=False (greedy) instead of temperature 0")
    if top_k is not None and (not _whole_number(top_k) or top_k < 1):
        raise ValueError(f"top_k must be a whole number of at least 1, got {top_k!r}")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p!r}; 1 keeps every token")


def _check_prompts(prompts: Sequence[str], tokenizer) -> list[list[int]]:
    if isinstance(prompts, str):
        raise TypeError("pass a list of prompts, not a single string")
    if len(prompts) == 0:
        raise ValueError("there is nothing to generate for: the list of prompts is empty")
    if not all(isinstance(p, str) and p.strip() for p in prompts):
        raise ValueError("every prompt must be a non-empty string")
    encoded = tokenizer(list(prompts), truncation=False, verbose=False)["input_ids"]
    limit = context_window(tokenizer)
    for i, ids in enumerate(encoded):
        if len(ids) > limit:
            raise PromptTooLongError(
                f"prompt {i} has {len(ids)} tokens but the context window is {limit}; "
                "shorten it (see labsupport.prompts.build_prompt). Nothing was truncated."
            )
    return encoded


DEFAULTS = {"max_new_tokens": 60, "do_sample": False}


def with_defaults(generate_kwargs: dict) -> dict:
    """The keyword arguments with DEFAULTS filled in where neither they nor their
    ``generation_config`` say otherwise; every setting checked."""
    settings = dict(generate_kwargs)
    config = settings.get("generation_config")
    from_config = {}
    if config is not None:
        if not hasattr(config, "to_diff_dict"):
            raise TypeError(f"generation_config must be a transformers GenerationConfig, got "
                            f"{type(config).__name__}")
        from_config = config.to_diff_dict()
        check_generation_settings(**from_config)
    for name, value in DEFAULTS.items():
        if name not in from_config:
            settings.setdefault(name, value)
    check_generation_settings(**settings)
    return settings


def generate_batched(model, tokenizer, prompts: Sequence[str], batch_size: int = 16,
                     progress: bool = True, desc: str = "generating",
                     **generate_kwargs) -> list[str]:
    """Decoded outputs for every prompt, in the order given.

    Prompts are sorted by length so that each batch pads little, then put back
    in order. ``generate_kwargs`` go to ``model.generate`` (default: greedy,
    ``max_new_tokens=60``). A ``generation_config`` passed here is obeyed: its
    settings are checked too, and the defaults above apply only to what neither
    it nor the keyword arguments set. Prompts longer than the context window are
    an error (PromptTooLongError), never cut.
    """
    texts, _ = generate_with_endings(model, tokenizer, prompts, batch_size=batch_size,
                                     progress=progress, desc=desc, **generate_kwargs)
    return texts


@torch.no_grad()
def generate_with_endings(model, tokenizer, prompts: Sequence[str], batch_size: int = 16,
                          progress: bool = True, desc: str = "generating",
                          **generate_kwargs) -> tuple[list[str], list[bool]]:
    """Like generate_batched, and for each output whether the model ended it with its
    end-of-sequence token (False: it was stopped by the length limit)."""
    generate_kwargs = with_defaults(generate_kwargs)
    if not _whole_number(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, got {batch_size!r}")
    if not model.config.is_encoder_decoder:
        raise TypeError("generate_batched is for encoder-decoder models such as T5")
    encoded = _check_prompts(prompts, tokenizer)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    outputs: list[str] = [""] * len(encoded)
    ended: list[bool] = [False] * len(encoded)
    device = next(model.parameters()).device
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    for batch in tqdm(batches, desc=desc, disable=not progress, unit="batch"):
        inputs = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt")
        inputs = {k: v.to(device) for k, v in inputs.items()}
        generated = model.generate(**inputs, **generate_kwargs)
        texts = tokenizer.batch_decode(generated, skip_special_tokens=True)
        for i, text, row in zip(batch, texts, generated):
            outputs[i] = text.strip()
            ended[i] = tokenizer.eos_token_id in row[1:].tolist()  # after the start token
    return outputs, ended
