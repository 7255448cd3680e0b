"""labsupport.deployment on a throwaway 1-layer T5: int8 quantisation, sizes, latency."""

import pytest
import torch

from labsupport import deployment, finetune


@pytest.fixture
def tokenizer(tiny_t5_tokenizer):
    return tiny_t5_tokenizer


@pytest.fixture
def load_model(load_tiny_t5):
    return load_tiny_t5


DIALOGUE = "#Person1#: Hello, how are you? #Person2#: Fine, thank you."
SUMMARY = "the cat sat on the mat"


def test_quantize_int8_leaves_the_original_and_shrinks_the_linears(load_model, tokenizer):
    model = load_model()
    fingerprint = finetune.weights_fingerprint(model)
    quantized = deployment.quantize_int8(model)
    assert finetune.weights_fingerprint(model) == fingerprint
    kinds = {type(m) for m in quantized.modules()}
    assert torch.ao.nn.quantized.dynamic.Linear in kinds and torch.nn.Linear not in kinds
    assert torch.nn.Linear in {type(m) for m in model.modules()}
    assert deployment.saved_size_mb(quantized) < deployment.saved_size_mb(model)
    inputs = tokenizer([DIALOGUE], return_tensors="pt")
    labels = tokenizer([SUMMARY], return_tensors="pt")["input_ids"]
    with torch.no_grad():
        exact = model(**inputs, labels=labels).logits
        approximate = quantized(**inputs, labels=labels).logits
    assert torch.allclose(exact, approximate, atol=0.05 * exact.abs().max().item())


def test_saved_size_mb_writes_the_file_it_measures(load_model, tmp_path):
    model = load_model()
    size = deployment.saved_size_mb(model, tmp_path / "weights.pt")
    assert size == pytest.approx((tmp_path / "weights.pt").stat().st_size / 1e6)
    assert size == pytest.approx(deployment.saved_size_mb(model), rel=0.01)


def test_batch_latencies_times_every_model_in_turn(load_model, tokenizer):
    models = {"a": load_model(), "b": load_model()}
    seen = []
    times = deployment.batch_latencies(models, tokenizer, [DIALOGUE, SUMMARY], max_new_tokens=3,
                                     repeats=2, on_repeat=seen.append)
    assert set(times) == {"a", "b"} and all(len(t) == 2 and min(t) > 0 for t in times.values())
    assert seen == [0, 1]
