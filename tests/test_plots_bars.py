import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from labsupport.plots import probability_bars, score_bars  # noqa: E402


def test_probability_bars_labels_tokens_most_likely_first():
    fig = probability_bars(["▁The", "▁A", "▁My"], [0.5, 0.3, 0.1])
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["'▁The'", "'▁A'", "'▁My'"]
    assert ax.get_xlabel() == "probability"
    assert [round(p.get_width(), 2) for p in ax.patches] == [0.5, 0.3, 0.1]


def test_probability_bars_rejects_mismatched_input():
    with pytest.raises(ValueError, match="one probability per token"):
        probability_bars(["a", "b"], [0.5])


def test_score_bars_has_one_group_per_strategy():
    scores = {"zero-shot": {"rouge1": 0.3, "rouge2": 0.1, "rougeL": 0.25},
              "one-shot": {"rouge1": 0.35, "rouge2": 0.12, "rougeL": 0.3}}
    ax = score_bars(scores).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["zero-shot", "one-shot"]
    assert len(ax.patches) == 6
