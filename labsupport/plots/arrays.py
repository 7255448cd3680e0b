"""Turn what the labs pass to a plot (tensors, arrays, nested lists) into NumPy arrays."""

from __future__ import annotations

import numpy as np


def as_array(values, ndim: int | None = None, what: str = "values") -> np.ndarray:
    """A float NumPy copy (a tensor is detached and moved to the CPU); with `ndim`, a
    ValueError unless it has that many dimensions."""
    if hasattr(values, "detach"):  # a torch tensor, possibly on a GPU
        values = values.detach().float().cpu().numpy()
    array = np.asarray(values, dtype=float)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{what} must have {ndim} dimensions, got shape {array.shape}")
    return array
