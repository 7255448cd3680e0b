import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from labsupport.plots import loss_curves  # noqa: E402


def test_loss_curves_draw_training_and_validation_per_run():
    histories = {
        "full": {"train": [(1, 3.0), (2, 2.5), (3, 2.0)], "eval": [(3, 2.2)]},
        "LoRA": {"train": [(1, 3.1), (2, 2.8)], "eval": []},
    }
    ax = loss_curves(histories).axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["full (training)", "full (validation)", "LoRA (training)"]
    assert list(ax.get_lines()[0].get_ydata()) == [3.0, 2.5, 2.0]
    assert ax.get_lines()[0].get_color() == ax.get_lines()[1].get_color()  # same run, same colour
    assert ax.get_lines()[0].get_color() != ax.get_lines()[2].get_color()
    assert ax.get_xlabel() == "optimizer step"


def test_loss_curves_accept_an_axis_and_a_log_scale():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    figure = loss_curves({"run": {"train": [(1, 1.0), (2, 0.5)]}}, ax=ax, log_scale=True)
    assert figure is ax.figure and ax.get_yscale() == "log"


@pytest.mark.parametrize("histories", [{}, {"run": {"train": [], "eval": []}}])
def test_loss_curves_reject_empty_input(histories):
    with pytest.raises(ValueError, match="no losses"):
        loss_curves(histories)
