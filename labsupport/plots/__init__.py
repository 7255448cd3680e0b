"""Plot helpers the notebooks share. Each returns its matplotlib figure."""

from labsupport.plots.attention import attention_grid, attention_heatmap
from labsupport.plots.bars import probability_bars, score_bars
from labsupport.plots.embeddings import cosine_map, embedding_projection, positional_encoding_map
from labsupport.plots.training import loss_curves

__all__ = ["probability_bars", "score_bars", "embedding_projection", "positional_encoding_map",
           "cosine_map", "attention_heatmap", "attention_grid", "loss_curves"]
