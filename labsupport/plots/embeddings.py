"""Embedding plots: positional-encoding maps, 2-D projections, similarity matrices."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from labsupport.plots.arrays import as_array


def positional_encoding_map(pe, title: str = "Sinusoidal positional encoding", ax=None,
                            limit: float | None = None, cmap: str = "RdBu"):
    """Heat-map of a (positions, dimensions) encoding, fixed or learned: one row per position.

    The colour scale runs from -limit to limit, zero in the middle. By default `limit` is the
    99th percentile of the absolute values, so a few outliers (common in learned position
    embeddings) do not wash out the rest; larger values get the end colours. Returns the figure.
    """
    values = as_array(pe, 2, "pe")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    if limit is None:
        limit = float(np.percentile(np.abs(values), 99)) or 1.0
    image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=-limit, vmax=limit,
                      interpolation="nearest", origin="upper")
    ax.set_xlabel("embedding dimension")
    ax.set_ylabel("position in the sequence")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, label="value")
    ax.figure.tight_layout()
    return ax.figure


def embedding_projection(points_2d, labels: Sequence[str], title: str = "Embeddings in 2-D",
                         groups: Sequence[str] | None = None, ax=None):
    """Scatter of 2-D points, each written next to its label (word or sentence).

    `groups` (one name per point) colours the points and adds a legend. Returns the figure.
    """
    points = as_array(points_2d, 2, "points_2d")
    if points.shape[1] != 2 or points.shape[0] != len(labels) or not len(labels):
        raise ValueError("give one (x, y) pair per label, and at least one label")
    if groups is not None and len(groups) != len(labels):
        raise ValueError("give one group per label")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    if groups is None:
        ax.scatter(points[:, 0], points[:, 1], color="tab:blue")
    else:
        for group in dict.fromkeys(groups):  # first-seen order
            rows = [i for i, g in enumerate(groups) if g == group]
            ax.scatter(points[rows, 0], points[rows, 1], label=group)
        ax.legend(fontsize="small")
    for (x, y), label in zip(points, labels):
        ax.annotate(str(label), (x, y), textcoords="offset points", xytext=(4, 3))
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure


def cosine_map(similarities, labels: Sequence[str], title: str = "Cosine similarity",
               ax=None, vmin: float | None = None, vmax: float = 1.0):
    """Heat-map of a square similarity matrix, rows and columns named by `labels`, values written
    in the cells. Returns the figure."""
    values = as_array(similarities, 2, "similarities")
    if values.shape != (len(labels), len(labels)) or not len(labels):
        raise ValueError("the matrix must be square with one label per row")
    if ax is None:
        size = min(0.45 * len(labels) + 2.5, 9.0)
        _, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(values, cmap="viridis", vmin=vmin, vmax=vmax)
    ax.set_xticks(range(len(labels)), [str(label) for label in labels], rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), [str(label) for label in labels])
    middle = (np.nanmin(values) + np.nanmax(values)) / 2
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize="small",
                    color="black" if values[i, j] > middle else "white")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax)
    ax.figure.tight_layout()
    return ax.figure
