"""Training plots: loss curves of one or several runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt


def loss_curves(histories: Mapping[str, Mapping[str, Sequence[tuple[int, float]]]],
                title: str = "Loss during fine-tuning", ax=None, log_scale: bool = False):
    """One colour per run: training loss as a line, validation loss as dashed markers.

    `histories` maps a run name to {"train": [(step, loss), ...], "eval": [...]}
    (what `labsupport.finetune.loss_history` returns); either list may be empty.
    Returns the figure.
    """
    if not histories or not any(h.get("train") or h.get("eval") for h in histories.values()):
        raise ValueError("no losses to plot")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.8))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (name, history) in enumerate(histories.items()):
        colour = colours[i % len(colours)]
        for kind, style in (("train", dict(linestyle="-")),
                            ("eval", dict(linestyle="--", marker="o"))):
            points = history.get(kind) or []
            if points:
                steps, losses = zip(*points)
                label = f"{name} ({'training' if kind == 'train' else 'validation'})"
                ax.plot(steps, losses, color=colour, label=label, **style)
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("cross-entropy loss")
    if log_scale:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.figure.tight_layout()
    return ax.figure
