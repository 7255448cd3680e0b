import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from labsupport.plots import attention_grid, attention_heatmap  # noqa: E402

TOKENS = ["[CLS]", "the", "cat", "sat", "[SEP]"]


def _rows(n_queries: int, n_keys: int, seed: int = 0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.softmax(torch.randn(n_queries, n_keys, generator=generator), dim=-1)


def _labels(ticks) -> list[str]:
    return [t.get_text() for t in ticks]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_heatmap_labels_both_axes_with_tokens_and_shows_the_weights():
    weights = _rows(5, 5)
    fig = attention_heatmap(weights, TOKENS, title="layer 0, head 3")
    ax = fig.axes[0]
    assert _labels(ax.get_xticklabels()) == TOKENS
    assert _labels(ax.get_yticklabels()) == TOKENS
    assert ax.get_title() == "layer 0, head 3"
    assert ax.get_xlabel() and ax.get_ylabel()
    np.testing.assert_allclose(ax.images[0].get_array(), weights.numpy(), rtol=1e-6)
    assert len(fig.axes) == 2  # the map and its colour bar


def test_heatmap_accepts_numpy_and_separate_query_tokens_for_cross_attention():
    weights = _rows(2, 5).numpy()
    fig = attention_heatmap(weights, TOKENS, query_tokens=["<pad>", "▁A"], annotate=True)
    ax = fig.axes[0]
    assert _labels(ax.get_yticklabels()) == ["<pad>", "▁A"]
    assert _labels(ax.get_xticklabels()) == TOKENS
    assert len(ax.texts) == weights.size


def test_heatmap_rejects_weights_that_do_not_match_the_tokens():
    with pytest.raises(ValueError, match="do not match"):
        attention_heatmap(_rows(4, 4), TOKENS)


def test_grid_has_one_row_per_layer_and_one_column_per_head_with_tokens_on_the_edges():
    # What a Hugging Face model returns: one (batch, heads, queries, keys) tensor per layer.
    attentions = tuple(_rows(5, 5, seed=i).expand(1, 4, 5, 5) for i in range(3))
    fig = attention_grid(attentions, TOKENS, layers=[0, 2], heads=[1, 3], title="MiniLM")
    axes = np.array(fig.axes).reshape(2, 2)
    assert fig._suptitle.get_text() == "MiniLM"
    assert [ax.get_title() for ax in axes[0]] == ["head 1", "head 3"]
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["layer 0", "layer 2"]
    assert _labels(axes[0, 0].get_yticklabels()) == TOKENS
    assert _labels(axes[1, 1].get_xticklabels()) == TOKENS
    assert _labels(axes[0, 1].get_xticklabels()) == []  # inner maps stay unlabelled
    np.testing.assert_allclose(axes[1, 0].images[0].get_array(), attentions[2][0, 1].numpy(),
                               rtol=1e-6)


def test_grid_defaults_to_every_layer_and_head_of_a_stacked_array():
    attentions = np.stack([np.stack([_rows(5, 5, seed=10 * layer + head).numpy()
                                     for head in range(2)]) for layer in range(3)])
    fig = attention_grid(attentions, TOKENS, vmax=None)
    assert len(fig.axes) == 6
    assert fig.axes[0].images[0].get_clim()[1] == pytest.approx(attentions.max())


def test_grid_rejects_wrong_token_count_and_wrong_shapes():
    with pytest.raises(ValueError, match="tokens"):
        attention_grid((_rows(5, 5).expand(1, 2, 5, 5),), TOKENS[:3])
    with pytest.raises(ValueError, match="dimensions"):
        attention_grid(_rows(5, 5), TOKENS)
