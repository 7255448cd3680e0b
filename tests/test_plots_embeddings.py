import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from labsupport.plots import (  # noqa: E402
    cosine_map,
    embedding_projection,
    positional_encoding_map,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_positional_encoding_map_shows_positions_by_dimensions():
    pe = torch.linspace(-1, 1, 12 * 8).reshape(12, 8)
    fig = positional_encoding_map(pe, title="PE", limit=1.0)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "embedding dimension"
    assert ax.get_ylabel() == "position in the sequence"
    assert ax.get_title() == "PE"
    image = ax.get_images()[0]
    np.testing.assert_allclose(image.get_array(), pe.numpy())
    assert image.get_clim() == (-1.0, 1.0)  # symmetric colour scale, zero in the middle
    assert len(fig.axes) == 2  # the heat-map and its colour bar


def test_positional_encoding_map_default_scale_ignores_rare_outliers():
    pe = np.full((20, 10), 0.1)
    pe[0, 0] = 50.0  # one outlier among 200 values
    low, high = positional_encoding_map(pe).axes[0].get_images()[0].get_clim()
    assert low == -high and 0.09 < high < 1.0


def test_positional_encoding_map_accepts_a_tensor_that_needs_grad_and_rejects_1d():
    positional_encoding_map(torch.randn(4, 6, requires_grad=True))
    with pytest.raises(ValueError, match="2 dimensions"):
        positional_encoding_map(np.zeros(5))


def test_embedding_projection_writes_each_label_at_its_point():
    points = np.array([[0.0, 1.0], [2.0, -1.0], [0.5, 0.5]])
    words = ["king", "queen", "apple"]
    fig = embedding_projection(points, words, title="Words")
    ax = fig.axes[0]
    texts = {t.get_text(): t.xy for t in ax.texts}
    assert set(texts) == set(words)
    assert texts["queen"] == (2.0, -1.0)
    np.testing.assert_allclose(ax.collections[0].get_offsets(), points)
    assert ax.get_title() == "Words"
    assert ax.get_xlabel() == "component 1" and ax.get_ylabel() == "component 2"


def test_embedding_projection_colours_groups_and_adds_a_legend():
    points = torch.tensor([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    fig = embedding_projection(points, ["a", "b", "c"], groups=["x", "y", "x"])
    ax = fig.axes[0]
    assert len(ax.collections) == 2  # one scatter per group
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x", "y"]


def test_embedding_projection_rejects_mismatched_input():
    with pytest.raises(ValueError, match="one"):
        embedding_projection(np.zeros((3, 2)), ["a", "b"])
    with pytest.raises(ValueError, match="one"):
        embedding_projection(np.zeros((2, 3)), ["a", "b"])
    with pytest.raises(ValueError, match="one group per label"):
        embedding_projection(np.zeros((2, 2)), ["a", "b"], groups=["x"])


def test_cosine_map_labels_rows_and_columns_and_writes_values():
    sims = np.array([[1.0, 0.25], [0.25, 1.0]])
    fig = cosine_map(sims, ["river bank", "money bank"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["river bank", "money bank"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["river bank", "money bank"]
    assert sorted(t.get_text() for t in ax.texts) == ["0.25", "0.25", "1.00", "1.00"]


def test_cosine_map_rejects_a_matrix_that_does_not_match_the_labels():
    with pytest.raises(ValueError, match="square"):
        cosine_map(np.ones((2, 3)), ["a", "b"])
