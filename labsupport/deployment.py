"""Getting a fine-tuned model ready to serve: int8 quantisation, size on disk, latency.

    int8_model = deployment.quantize_int8(model)              # a CPU copy, Linear layers int8
    deployment.saved_size_mb(int8_model)                      # comparable sizes in MB
    deployment.batch_latencies({"fp32": model, "int8": int8_model}, tokenizer, prompts)
"""

from __future__ import annotations

import copy
import io
import os
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch


def quantize_int8(model):
    """A CPU copy of `model` with every nn.Linear dynamically quantised to int8.

    Weights are stored as int8 with one scale per tensor; activations are
    quantised on the fly at each call, so no calibration data is needed. The
    embedding table stays float32. `model` itself is not changed.

    PyTorch marks torch.ao.quantization as deprecated in favour of the
    separate torchao package; this eager dynamic path still ships with PyTorch
    and uses its fast x86/ARM int8 kernels, which torchao's eager CPU path did
    not beat for T5 when this lab was written. The warnings are silenced here.
    """
    cpu_copy = copy.deepcopy(model).to("cpu").eval()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*deprecated.*")
        return torch.ao.quantization.quantize_dynamic(cpu_copy, {torch.nn.Linear},
                                                       dtype=torch.qint8)


def saved_size_mb(model, file: str | os.PathLike | None = None) -> float:
    """Size in MB (10^6 bytes) of the model's weights saved with torch.save.

    The same format for a float and a quantised model, so the sizes compare.
    With `file`, the weights are written there; else only measured in memory.
    """
    if file is None:
        buffer = io.BytesIO()
        torch.save(model.state_dict(), buffer)
        return buffer.tell() / 1e6
    torch.save(model.state_dict(), file)
    return Path(file).stat().st_size / 1e6


def batch_latencies(models: dict[str, Any], tokenizer, prompts: Sequence[str],
                    max_new_tokens: int = 48, repeats: int = 5,
                    on_repeat: Callable[[int], None] | None = None) -> dict[str, list[float]]:
    """Seconds to generate for one batch of `prompts`, per model, `repeats` times each.

    Every model writes exactly `max_new_tokens` tokens (greedy, end-of-sequence
    ignored) so all do the same work; the models take turns within each repeat
    so that a busy machine slows them alike. One untimed warm-up call each.
    """
    inputs = tokenizer(list(prompts), return_tensors="pt", padding=True)
    settings = dict(max_new_tokens=max_new_tokens, min_new_tokens=max_new_tokens,
                    do_sample=False)
    times: dict[str, list[float]] = {name: [] for name in models}
    with torch.inference_mode():
        for model in models.values():
            model.generate(**inputs.to(_model_device(model)), **settings)
        for repeat in range(repeats):
            for name, model in models.items():
                batch = inputs.to(_model_device(model))
                started = time.perf_counter()
                model.generate(**batch, **settings)
                times[name].append(time.perf_counter() - started)
            if on_repeat is not None:
                on_repeat(repeat)
    return times


def _model_device(model):
    return next(model.parameters()).device
