"""Bar charts: next-token probabilities and score comparisons."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt


def probability_bars(tokens: Sequence[str], probabilities: Sequence[float],
                     title: str = "Most likely next tokens", ax=None):
    """Horizontal bars, most likely token on top. Returns the figure."""
    if len(tokens) != len(probabilities) or not len(tokens):
        raise ValueError("give one probability per token, and at least one token")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.4 * len(tokens) + 1))
    values = [float(p) for p in probabilities]
    ax.barh(range(len(tokens)), values, color="tab:blue")
    ax.set_yticks(range(len(tokens)), [repr(t) for t in tokens])
    ax.invert_yaxis()
    ax.set_xlabel("probability")
    ax.set_xlim(0, max(1.0, max(values)))
    ax.set_title(title)
    for i, value in enumerate(values):
        ax.text(value, i, f" {value:.2f}", va="center")
    ax.figure.tight_layout()
    return ax.figure


def score_bars(scores: dict[str, dict[str, float]], metrics: Sequence[str] = ("rouge1", "rouge2",
               "rougeL"), title: str = "ROUGE by strategy", ax=None):
    """Grouped bars: one group per strategy (row), one bar per metric. Returns the figure."""
    if not scores:
        raise ValueError("no scores to plot")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 * len(scores) + 2, 3.5))
    names = list(scores)
    width = 0.8 / len(metrics)
    for j, metric in enumerate(metrics):
        xs = [i + (j - (len(metrics) - 1) / 2) * width for i in range(len(names))]
        ax.bar(xs, [scores[n][metric] for n in names], width, label=metric)
    ax.set_xticks(range(len(names)), names, rotation=15)
    ax.set_ylabel("F-measure")
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend()
    ax.figure.tight_layout()
    return ax.figure
