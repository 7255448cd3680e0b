"""ROUGE through `evaluate`, from the metric module bundled in data/metrics/rouge."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from labsupport import manifest, paths


@functools.lru_cache(maxsize=1)
def load_rouge():
    """The bundled ROUGE metric as an `evaluate` module (no hub access, no cache files)."""
    import evaluate

    manifest.verify_if_present(paths.ROUGE_METRIC_DIR.relative_to(paths.DATA_DIR).as_posix())
    return evaluate.load(str(paths.ROUGE_METRIC_DIR), keep_in_memory=True)


def rouge(
    predictions: Sequence[str],
    references: Sequence[str | Sequence[str]],
    use_stemmer: bool = True,
    rouge_types: Sequence[str] | None = None,
) -> dict[str, float]:
    """Mean ROUGE F-measures of `predictions` against one or several references each.

    With several references, each score uses the best-matching one. Bare
    strings are refused: ROUGE would score them character by character.
    """
    for name, value in (("predictions", predictions), ("references", references)):
        if isinstance(value, str):
            raise TypeError(
                f"{name} is a single string ({value[:40]!r}); ROUGE would score it character "
                f"by character. Pass a list: lab.rouge([prediction], [reference])."
            )
    predictions = list(predictions)
    not_text = [i for i, text in enumerate(predictions) if not isinstance(text, str)]
    if not_text:
        raise TypeError(f"prediction {not_text[0]} is {predictions[not_text[0]]!r:.60}, "
                        "not a string: every prediction must be text.")
    targets = [[ref] if isinstance(ref, str) else list(ref) for ref in references]
    if len(predictions) != len(targets):
        raise ValueError(
            f"{len(predictions)} predictions but {len(targets)} references: "
            "give one reference (or one list of references) per prediction."
        )
    if not predictions:
        raise ValueError("No predictions to score.")
    if any(not refs for refs in targets):
        raise ValueError("Every prediction needs at least one reference summary.")
    return load_rouge().compute(
        predictions=predictions,
        references=targets,
        use_stemmer=use_stemmer,
        rouge_types=list(rouge_types) if rouge_types else None,
    )
