"""Interactive views for the labs, built on ipywidgets, each with a static figure.

ipywidgets ships its JavaScript inside the Python package, so the views work offline in
JupyterLab 4 (and SageMaker Studio). A view is displayed as one output with two forms: the live
widget, which JupyterLab draws while the kernel runs, and a PNG of its first drawing, which
whatever cannot run widgets shows instead (nbconvert and the rendered site, a notebook viewer).

    view = lab.interactive.sampling_explorer(logits, tokenizer, sample)   # lab 05
    view = lab.interactive.attention_explorer(sources, "The cat sat.")    # lab 03
    view                                                                   # last line of a cell

`view.draw(**values)` redraws with other control values, as moving the sliders does; the
current picture is `view.png` (bytes).
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from labsupport.plots.arrays import as_array
from labsupport.plots.attention import attention_heatmap

IMAGE_WIDTH = "720px"


def figure_png(fig) -> bytes:
    """The figure as PNG bytes; the figure is closed (it is shown as an image, not by pyplot)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


class View(widgets.VBox):
    """Controls above a picture. `render(values)` returns a matplotlib figure for the controls'
    values; it runs once now (the static picture) and again whenever a control changes."""

    def __init__(self, controls: Mapping[str, widgets.ValueWidget],
                 render: Callable[[dict], object], note: widgets.Widget | None = None):
        self.controls = dict(controls)
        self._render = render
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=IMAGE_WIDTH))
        self.status = widgets.HTML()
        super().__init__([widgets.HBox(list(self.controls.values()),
                                       layout=widgets.Layout(flex_flow="row wrap")),
                          *([note] if note is not None else []), self.status, self.image])
        self.add_class("lab-interactive-view")
        self.draw()
        self.static_png = self.png
        for control in self.controls.values():
            control.observe(self._changed, names="value")

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    @property
    def png(self) -> bytes:
        return bytes(self.image.value)

    def draw(self, **values) -> bytes:
        """Set these control values (all others stay), redraw, and return the new PNG."""
        with self.hold_trait_notifications():
            for name, value in values.items():
                if name not in self.controls:
                    raise ValueError(f"no control {name!r}; the controls are {list(self.controls)}")
                self.controls[name].unobserve(self._changed, names="value")
                try:
                    self.controls[name].value = value
                finally:
                    self.controls[name].observe(self._changed, names="value")
        try:
            self.image.value = figure_png(self._render(self.values))
            self.status.value = ""
        except ValueError as error:  # bad input typed into a control: say it, keep the picture
            self.status.value = f"<b>Cannot draw:</b> {_escape(str(error))}"
        return self.png

    def _changed(self, _change) -> None:
        self.draw()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.static_png).decode("ascii")
        return bundle


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- lab 05: temperature, top-k and top-p ---------------------------------------------

TOP_K_CHOICES = ("off", 1, 2, 3, 5, 10, 20, 50)


def sampling_distribution(logits, temperature: float, top_k: int | None, top_p: float):
    """(probabilities after temperature alone, probabilities `generate` samples from, kept mask)
    for one step's logits: the library's own warpers, in the order `generate` applies them."""
    import torch
    from transformers import (
        LogitsProcessorList,
        TemperatureLogitsWarper,
        TopKLogitsWarper,
        TopPLogitsWarper,
    )

    logits = torch.as_tensor(logits, dtype=torch.float32).flatten()
    warpers = [TemperatureLogitsWarper(temperature)]
    if top_k is not None:
        warpers.append(TopKLogitsWarper(top_k=top_k))
    warpers.append(TopPLogitsWarper(top_p=top_p))
    no_input = torch.zeros(1, 1, dtype=torch.long)  # the warpers do not read the input ids
    warped = LogitsProcessorList(warpers)(no_input, logits.unsqueeze(0))[0]
    reshaped = torch.softmax(logits / temperature, dim=-1)
    return reshaped, torch.softmax(warped, dim=-1), torch.isfinite(warped)


def sampling_figure(logits, tokenizer, temperature: float, top_k: int | None, top_p: float,
                    continuation: str | None = None, top_n: int = 10):
    """Bars for the `top_n` most likely tokens (as the model predicts them): the probability
    sampling gives each after temperature, top-k and top-p; dropped tokens drawn hollow at the
    probability temperature alone would give them. Returns the figure."""
    reshaped, final, kept = sampling_distribution(logits, temperature, top_k, top_p)
    order = np.argsort(-as_array(logits).flatten(), kind="stable")[:top_n]
    names = [repr(name) for name in tokenizer.convert_ids_to_tokens([int(i) for i in order])]
    fig, ax = plt.subplots(figsize=(8, 0.35 * top_n + 2.2))
    for row, i in enumerate(order):
        if kept[i]:
            ax.barh(row, float(final[i]), color="tab:blue")
            ax.text(float(final[i]), row, f" {float(final[i]):.2f}", va="center")
        else:
            ax.barh(row, float(reshaped[i]), color="none", edgecolor="tab:gray", hatch="//")
            ax.text(float(reshaped[i]), row, " dropped", va="center", color="tab:gray")
    ax.set_yticks(range(len(order)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability when sampling (hollow: removed by top-k or top-p)")
    k_text = "off" if top_k is None else top_k
    ax.set_title(f"T = {temperature:g}, top-k = {k_text}, top-p = {top_p:g}: "
                 f"{int(kept.sum()):,} of {kept.numel():,} tokens can be drawn")
    if continuation is not None:
        fig.text(0.01, 0.01, textwrap.fill(f"sampled: {continuation}", 110), fontsize=8,
                 va="bottom")
        fig.tight_layout(rect=(0, 0.12, 1, 1))
    else:
        fig.tight_layout()
    return fig


def sampling_explorer(logits, tokenizer, sample: Callable[..., str] | None = None, *,
                      temperature: float = 1.0, top_k: int | str = "off", top_p: float = 1.0,
                      seed: int = 0, top_n: int = 10) -> View:
    """Sliders for temperature, top-k and top-p over one step's `logits` (1-D, one score per
    vocabulary entry). The bars show which tokens sampling can still draw and with what
    probability. With `sample(seed, temperature=, top_k=, top_p=)` (returning text), the view
    also samples a continuation with those settings and that seed at every change."""
    logits = as_array(logits)
    if logits.ndim != 1:
        raise ValueError(f"logits must be one step's scores, 1-D; got shape {logits.shape}")
    if top_k not in TOP_K_CHOICES:
        raise ValueError(f"top_k must be one of {TOP_K_CHOICES}, got {top_k!r}")
    slider = dict(continuous_update=False, style={"description_width": "initial"})
    controls = {
        "temperature": widgets.FloatSlider(value=temperature, min=0.1, max=3.0, step=0.1,
                                           description="temperature", **slider),
        "top_k": widgets.SelectionSlider(options=TOP_K_CHOICES, value=top_k,
                                         description="top-k", **slider),
        "top_p": widgets.FloatSlider(value=top_p, min=0.05, max=1.0, step=0.05,
                                     description="top-p", **slider),
        "seed": widgets.IntSlider(value=seed, min=0, max=9, description="seed", **slider),
    }

    def render(values):
        k = None if values["top_k"] == "off" else values["top_k"]
        settings = dict(temperature=values["temperature"], top_k=k, top_p=values["top_p"])
        text = None
        if sample is not None:
            text = sample(values["seed"], **{**settings, "top_k": k or len(logits)})
        return sampling_figure(logits, tokenizer, continuation=text, top_n=top_n, **settings)

    return View(controls, render)


# --- lab 03: attention maps ------------------------------------------------------------

T5_KINDS = {"T5 encoder self-attention": "encoder_attentions",
            "T5 decoder self-attention": "decoder_attentions",
            "T5 cross-attention": "cross_attentions"}


def encoder_attention(model, tokenizer, sentence: str):
    """(maps (layers, heads, queries, keys), query tokens, key tokens) of an encoder such as
    MiniLM for `sentence`."""
    import torch

    inputs = tokenizer(sentence, return_tensors="pt").to(model.device)
    with torch.no_grad():
        output = model(**inputs, output_attentions=True)
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    return _stacked(output.attentions), tokens, tokens


def seq2seq_attention(model, tokenizer, sentence: str, max_new_tokens: int = 20) -> dict:
    """The three kinds of attention of an encoder-decoder model for `sentence`: the encoder
    reads the sentence, the decoder reads what the model writes for it (greedy). Returns
    {kind: (maps, query tokens, key tokens)} with the keys of T5_KINDS."""
    import torch

    inputs = tokenizer(sentence, return_tensors="pt").to(model.device)
    with torch.no_grad():
        written = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        output = model(**inputs, decoder_input_ids=written, output_attentions=True)
    source = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    target = tokenizer.convert_ids_to_tokens(written[0])
    tokens = {"encoder_attentions": (source, source), "decoder_attentions": (target, target),
              "cross_attentions": (target, source)}
    return {kind: (_stacked(getattr(output, field)), *tokens[field])
            for kind, field in T5_KINDS.items()}


def _stacked(attentions) -> np.ndarray:
    if not attentions:
        raise ValueError("the model returned no attention weights: load it with eager "
                         "attention (model.set_attn_implementation('eager'))")
    return np.stack([as_array(layer[0]) for layer in attentions])


def _check_eager(model) -> None:
    implementation = getattr(model.config, "_attn_implementation", "eager")
    if implementation != "eager":
        raise ValueError(
            f"{type(model).__name__} uses {implementation!r} attention, which does not return "
            "attention weights; call model.set_attn_implementation('eager') first")


def attention_explorer(encoder=None, seq2seq=None, sentence: str = "The cat sat on the mat.",
                       *, layer: int = 0, head: int = 0) -> View:
    """Pick the attention (MiniLM's self-attention from `encoder`, or one of the T5 model's
    three kinds from `seq2seq`; each a (model, tokenizer) pair with eager attention), the layer
    and the head, for a sentence typed in the box. Draws `lab.plots.attention_heatmap`."""
    if encoder is None and seq2seq is None:
        raise ValueError("give encoder=(model, tokenizer), seq2seq=(model, tokenizer) or both")
    for pair in (encoder, seq2seq):
        if pair is not None:
            _check_eager(pair[0])
    kinds = ([f"{_name(encoder[0])} self-attention"] if encoder is not None else []) + (
        list(T5_KINDS) if seq2seq is not None else [])
    cache: dict[tuple[str, str], tuple] = {}

    def maps_for(kind: str, text: str):
        if not text.strip():
            raise ValueError("the sentence is empty: type a few words")
        if (kind, text) not in cache:
            if kind in T5_KINDS:
                for name, found in seq2seq_attention(*seq2seq, text).items():
                    cache[(name, text)] = found
            else:
                cache[(kind, text)] = encoder_attention(*encoder, text)
        return cache[(kind, text)]

    first, _, _ = maps_for(kinds[0], sentence)
    slider = dict(continuous_update=False, style={"description_width": "initial"})
    controls = {
        "kind": widgets.Dropdown(options=kinds, value=kinds[0], description="attention",
                                 style={"description_width": "initial"}),
        "layer": widgets.IntSlider(value=layer, min=0, max=first.shape[0] - 1,
                                   description="layer", **slider),
        "head": widgets.IntSlider(value=head, min=0, max=first.shape[1] - 1,
                                  description="head", **slider),
        "sentence": widgets.Text(value=sentence, description="sentence",
                                 continuous_update=False,
                                 layout=widgets.Layout(width="100%")),
    }

    def render(values):
        maps, queries, keys = maps_for(values["kind"], values["sentence"])
        # another model may have fewer layers or heads: the sliders follow it
        controls["layer"].max, controls["head"].max = maps.shape[0] - 1, maps.shape[1] - 1
        layer_, head_ = min(values["layer"], maps.shape[0] - 1), min(values["head"],
                                                                     maps.shape[1] - 1)
        return attention_heatmap(maps[layer_, head_], keys, query_tokens=queries,
                                 title=f"{values['kind']}: layer {layer_}, head {head_}")

    return View(controls, render)


def _name(model) -> str:
    path = str(getattr(model.config, "_name_or_path", "") or type(model).__name__)
    return "MiniLM" if "minilm" in path.lower() else path.rstrip("/").rsplit("/", 1)[-1]
