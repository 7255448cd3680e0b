"""Plot helpers the notebooks share. Each returns its matplotlib figure."""

from labsupport.plots.bars import probability_bars, score_bars

__all__ = ["probability_bars", "score_bars"]
