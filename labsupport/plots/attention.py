"""Attention heat-maps: one head, or a grid of heads × layers."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from labsupport.plots.arrays import as_array


def _stack_layers(attentions) -> np.ndarray:
    """(layers, heads, queries, keys) from a tensor or from one tensor per layer.

    Accepts what Hugging Face models return with `output_attentions=True` (a tuple of
    (batch, heads, queries, keys) tensors; the first sequence of the batch is used) or
    an array already shaped (layers, heads, queries, keys).
    """
    if isinstance(attentions, (list, tuple)):
        layers = [as_array(a) for a in attentions]
        layers = [a[0] if a.ndim == 4 else a for a in layers]
        stacked = np.stack(layers)
    else:
        stacked = as_array(attentions)
        if stacked.ndim == 5:
            stacked = stacked[:, 0]
    if stacked.ndim != 4:
        raise ValueError(
            "attentions must be one (batch, heads, queries, keys) tensor per layer, "
            f"or an array (layers, heads, queries, keys); got {stacked.ndim} dimensions"
        )
    return stacked


def attention_heatmap(weights, tokens: Sequence[str], title: str | None = None,
                      query_tokens: Sequence[str] | None = None, ax=None, annotate: bool = False):
    """Heat-map of one head's attention weights: row = query token, column = key token.

    `weights` is (queries, keys). `tokens` label the keys (columns) and, unless
    `query_tokens` is given (cross-attention), the queries (rows) too.
    Returns the figure.
    """
    matrix = as_array(weights)
    rows = list(tokens if query_tokens is None else query_tokens)
    columns = list(tokens)
    if matrix.ndim != 2 or matrix.shape != (len(rows), len(columns)):
        raise ValueError(
            f"weights of shape {matrix.shape} do not match {len(rows)} query and "
            f"{len(columns)} key tokens"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(0.3 * len(columns) + 2.8, 0.3 * len(rows) + 1.8))
    image = ax.imshow(matrix, cmap="viridis", vmin=0.0, vmax=max(1e-9, float(matrix.max())))
    ax.set_xticks(range(len(columns)), columns, rotation=90)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("attended to (key)")
    ax.set_ylabel("attending (query)")
    if title:
        ax.set_title(title)
    if annotate:
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                ax.text(j, i, f"{matrix[i, j]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if matrix[i, j] < 0.5 * matrix.max() else "black")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="weight")
    ax.figure.tight_layout()
    return ax.figure


def attention_grid(attentions, tokens: Sequence[str], layers: Sequence[int] | None = None,
                   heads: Sequence[int] | None = None, title: str | None = None,
                   cell_size: float = 1.5, vmax: float | None = 1.0):
    """Grid of attention maps: one row per layer, one column per head. Returns the figure.

    `attentions` is what a model returns with `output_attentions=True` (one
    (batch, heads, queries, keys) tensor per layer) or an array shaped
    (layers, heads, queries, keys). `layers` and `heads` pick a subset (default: all).
    Tokens label the left column (queries) and the bottom row (keys). All maps share
    one colour scale, 0 to `vmax` (None: the largest weight shown), so they compare.
    """
    stacked = _stack_layers(attentions)
    n_layers, n_heads, n_queries, n_keys = stacked.shape
    if len(tokens) != n_keys or n_queries != n_keys:
        raise ValueError(
            f"{len(tokens)} tokens given for self-attention maps of {n_queries} × {n_keys}"
        )
    layers = list(range(n_layers)) if layers is None else list(layers)
    heads = list(range(n_heads)) if heads is None else list(heads)
    if not layers or not heads:
        raise ValueError("choose at least one layer and one head")
    fig, axes = plt.subplots(len(layers), len(heads), squeeze=False,
                             figsize=(cell_size * len(heads) + 1.5, cell_size * len(layers) + 1.2))
    if vmax is None:
        vmax = float(stacked[np.ix_(layers, heads)].max())
    fontsize = max(4, min(8, int(90 / n_keys)))
    for r, layer in enumerate(layers):
        for c, head in enumerate(heads):
            ax = axes[r][c]
            ax.imshow(stacked[layer, head], cmap="viridis", vmin=0.0, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"head {head}", fontsize=9)
            if c == 0:
                ax.set_yticks(range(n_queries), list(tokens), fontsize=fontsize)
                ax.set_ylabel(f"layer {layer}", fontsize=9)
            if r == len(layers) - 1:
                ax.set_xticks(range(n_keys), list(tokens), rotation=90, fontsize=fontsize)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
