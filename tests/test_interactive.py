"""labsupport.interactive: the views' numbers, their redrawing, their static figure, bad input."""

from __future__ import annotations

import math

import pytest
import torch

import labsupport as lab
from labsupport import interactive

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# probabilities 0.5, 0.3, 0.15, 0.05
LOGITS = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))


class Names:
    """A stand-in tokenizer: token i is called t<i>."""

    def convert_ids_to_tokens(self, ids):
        return [f"t{i}" for i in ids]


@pytest.mark.parametrize("temperature, top_k, top_p, kept", [
    (1.0, None, 1.0, [True, True, True, True]),
    (1.0, 3, 1.0, [True, True, True, False]),
    (1.0, None, 0.75, [True, True, False, False]),  # 0.5 + 0.3 reaches 0.75
    (1.0, None, 0.85, [True, True, True, False]),
    (1.0, 1, 1.0, [True, False, False, False]),
])
def test_the_tokens_sampling_can_draw(temperature, top_k, top_p, kept):
    reshaped, final, mask = interactive.sampling_distribution(LOGITS, temperature, top_k, top_p)
    assert mask.tolist() == kept
    assert math.isclose(float(final.sum()), 1.0, abs_tol=1e-6)
    assert torch.all(final[~mask] == 0)
    # truncation rescales the kept tokens by one factor: their ratios stay
    survivors = reshaped[mask] / reshaped[mask].sum()
    assert torch.allclose(final[mask], survivors, atol=1e-6)


def test_temperature_reshapes_without_removing():
    reshaped, final, mask = interactive.sampling_distribution(LOGITS, 2.0, None, 1.0)
    assert mask.all()
    assert torch.allclose(reshaped, torch.softmax(LOGITS / 2.0, -1))
    assert torch.allclose(final, reshaped, atol=1e-6)
    assert float(reshaped.max()) < 0.5  # flatter than the model's 0.5


def test_sampling_view_redraws_and_keeps_its_first_drawing_as_the_static_figure():
    calls = []

    def sample(seed, **settings):
        calls.append((seed, settings))
        return f"text {seed} {settings['temperature']}"

    view = interactive.sampling_explorer(LOGITS, Names(), sample, top_n=4)
    assert calls == [(0, {"temperature": 1.0, "top_k": 4, "top_p": 1.0})]  # top-k off: all
    bundle = view._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    first = view.png
    assert bundle["image/png"] == interactive.base64.b64encode(first).decode("ascii")

    view.controls["temperature"].value = 2.0  # as a learner moving the slider
    assert calls[-1] == (0, {"temperature": 2.0, "top_k": 4, "top_p": 1.0})
    assert view.png != first
    second = view.draw(top_k=1, seed=3)
    assert calls[-1] == (3, {"temperature": 2.0, "top_k": 1, "top_p": 1.0})
    assert second != first and view.static_png == first
    view.draw(temperature=1.0, top_k="off", seed=0)
    assert view.png == first  # the same settings and seed draw the same picture


def test_sampling_view_refuses_bad_input_before_drawing():
    with pytest.raises(ValueError, match="1-D"):
        interactive.sampling_explorer(LOGITS[None], Names())
    with pytest.raises(ValueError, match="top_k must be one of"):
        interactive.sampling_explorer(LOGITS, Names(), top_k=7)
    view = interactive.sampling_explorer(LOGITS, Names(), top_n=4)
    with pytest.raises(ValueError, match="no control 'temp'"):
        view.draw(temp=2.0)


@pytest.fixture(scope="module")
def models():
    lab.setup(profile="tiny")
    t5, t5_tokenizer = lab.load_seq2seq("tiny")
    t5.set_attn_implementation("eager")
    return lab.load_encoder(), (t5, t5_tokenizer)


def test_attention_view_offers_every_kind_and_follows_each_models_shape(models):
    encoder, seq2seq = models
    view = interactive.attention_explorer(encoder, seq2seq, "The cat sat on the mat.")
    kinds = view.controls["kind"].options
    assert kinds == ("MiniLM self-attention", *interactive.T5_KINDS)
    layers, heads = encoder[0].config.num_hidden_layers, encoder[0].config.num_attention_heads
    assert (view.controls["layer"].max, view.controls["head"].max) == (layers - 1, heads - 1)
    first = view.png
    view.draw(layer=layers - 1, head=heads - 1)
    view.controls["kind"].value = "T5 cross-attention"
    t5 = seq2seq[0].config
    assert (view.controls["layer"].max, view.controls["head"].max) == (
        t5.num_decoder_layers - 1, t5.num_heads - 1)
    assert view.png != first


def test_attention_maps_are_the_models_own(models):
    (encoder, tokenizer), (t5, t5_tokenizer) = models
    maps, queries, keys = interactive.encoder_attention(encoder, tokenizer, "A short sentence.")
    inputs = tokenizer("A short sentence.", return_tensors="pt")
    with torch.no_grad():
        direct = encoder(**inputs, output_attentions=True).attentions
    assert torch.allclose(torch.from_numpy(maps).float(), torch.stack(direct)[:, 0], atol=1e-6)
    assert queries == keys == tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])

    kinds = interactive.seq2seq_attention(t5, t5_tokenizer, "A short sentence.")
    decoder, written, _ = kinds["T5 decoder self-attention"]
    cross, cross_queries, cross_keys = kinds["T5 cross-attention"]
    assert cross_queries == written and cross.shape[2:] == (len(written), len(cross_keys))
    assert (torch.from_numpy(decoder).triu(diagonal=1) == 0).all()  # the decoder is causal


def test_attention_view_says_what_is_wrong(models):
    encoder, seq2seq = models
    view = interactive.attention_explorer(encoder, None, "Hello there.")
    picture = view.png
    view.draw(sentence="   ")
    assert "the sentence is empty" in view.status.value and view.png == picture
    view.draw(sentence="Hello again.")
    assert view.status.value == "" and view.png != picture
    with pytest.raises(ValueError, match="encoder=.*seq2seq="):
        interactive.attention_explorer()
    t5, t5_tokenizer = seq2seq
    t5.set_attn_implementation("sdpa")
    try:
        with pytest.raises(ValueError, match="set_attn_implementation\\('eager'\\)"):
            interactive.attention_explorer(None, seq2seq)
    finally:
        t5.set_attn_implementation("eager")
