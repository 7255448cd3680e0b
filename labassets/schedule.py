"""The learning-rate schedule both model builders (`tiny_t5`, `tiny_gpt`) train with."""

from __future__ import annotations

import math

import torch


def warmup_cosine(optimizer, warmup_steps: int, n_steps: int):
    """Linear warm-up over min(warmup_steps, a tenth of the run), then cosine decay to 5% of
    the peak rate at the last of `n_steps` steps."""
    warmup = min(warmup_steps, max(1, n_steps // 10))

    def schedule(step):
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, n_steps - warmup)
        return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
