"""ROUGE as an `evaluate` metric module that ships with the labs.

Load it with `evaluate.load("data/metrics/rouge")`: a local folder, so it works
offline (the hub copy of the metric is not reachable without a network).
Scores come from Google's `rouge_score` package. Each prediction may have one
reference (a string) or several (a list of strings); with several, each ROUGE
type takes the reference with the highest F-measure (`score_multi`).
"""

import datasets
import evaluate
import numpy as np
from rouge_score import rouge_scorer

DEFAULT_ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")

_DESCRIPTION = """\
ROUGE (Recall-Oriented Understudy for Gisting Evaluation) compares a generated
summary with one or more human reference summaries by their overlapping
n-grams (rouge1, rouge2) and longest common subsequence (rougeL; rougeLsum
treats each newline-separated sentence separately). This module reports the
F-measure of each type, averaged over the predictions.
"""

_CITATION = """\
@inproceedings{lin-2004-rouge,
    title = "{ROUGE}: A Package for Automatic Evaluation of Summaries",
    author = "Lin, Chin-Yew",
    booktitle = "Text Summarization Branches Out",
    year = "2004",
    publisher = "Association for Computational Linguistics",
    url = "https://aclanthology.org/W04-1013",
}
"""

_INPUTS = """\
Args:
    predictions: list of generated summaries (strings).
    references: for each prediction, a reference summary or a list of them.
    rouge_types: which scores to return (default: rouge1, rouge2, rougeL, rougeLsum).
    use_stemmer: reduce words to their Porter stem before matching (default: True).
    use_aggregator: return the mean over predictions (default: True), or one list of
        per-prediction scores per ROUGE type.
Returns:
    {rouge_type: F-measure}, e.g. {"rouge1": 0.42, ...}
Example:
    >>> rouge = evaluate.load("data/metrics/rouge")
    >>> rouge.compute(predictions=["the cat sat"], references=[["a cat sat", "the cat sat"]])
    {'rouge1': 1.0, 'rouge2': 1.0, 'rougeL': 1.0, 'rougeLsum': 1.0}
"""


class Rouge(evaluate.Metric):
    """ROUGE F-measures over predictions with one or several references each."""

    def _info(self):
        text = datasets.Value("string")
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_INPUTS,
            features=[
                datasets.Features({"predictions": text, "references": datasets.Sequence(text)}),
                datasets.Features({"predictions": text, "references": text}),
            ],
            codebase_urls=["https://github.com/google-research/google-research/tree/master/rouge"],
            reference_urls=["https://aclanthology.org/W04-1013"],
        )

    def _compute(
        self, predictions, references, rouge_types=None, use_stemmer=True, use_aggregator=True
    ):
        rouge_types = list(rouge_types or DEFAULT_ROUGE_TYPES)
        scorer = rouge_scorer.RougeScorer(rouge_types, use_stemmer=use_stemmer)
        per_prediction = {rouge_type: [] for rouge_type in rouge_types}
        for prediction, reference in zip(predictions, references):
            targets = [reference] if isinstance(reference, str) else list(reference)
            scores = scorer.score_multi(targets, prediction)
            for rouge_type in rouge_types:
                per_prediction[rouge_type].append(float(scores[rouge_type].fmeasure))
        if not use_aggregator:
            return per_prediction
        return {
            rouge_type: float(np.mean(values)) if values else 0.0
            for rouge_type, values in per_prediction.items()
        }
