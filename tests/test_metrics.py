"""ROUGE: the bundled evaluate module agrees with rouge_score, offline, with several references."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import evaluate
import pytest
from rouge_score import rouge_scorer

import labsupport as lab
from labsupport import paths

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
PREDICTIONS = [
    "Ms. Dawson takes a dictation about a new memo for all employees.",
    "The cats were sitting on the mats.",
    "Ann leaves and thanks everyone for the party",
]
SINGLE = [
    "Ms. Dawson helps #Person1# to write a memo.",
    "A cat sits on the mat.",
    "Ann is leaving and thanks #Person1# for the party.",
]
MULTI = [
    ["Ms. Dawson helps #Person1# to write a memo.",
     "#Person1# asks Ms. Dawson to take a dictation of a memo to all employees."],
    ["A cat sits on the mat.", "The dog barked."],
    ["#Person1# is sorry that Ann leaves.", "Ann says goodbye and thanks everyone for the party."],
]


def direct_mean(predictions, references, use_stemmer=True) -> dict[str, float]:
    scorer = rouge_scorer.RougeScorer(TYPES, use_stemmer=use_stemmer)
    totals = dict.fromkeys(TYPES, 0.0)
    for prediction, refs in zip(predictions, references):
        refs = [refs] if isinstance(refs, str) else refs
        scores = scorer.score_multi(refs, prediction)
        for rouge_type in TYPES:
            totals[rouge_type] += scores[rouge_type].fmeasure
    return {rouge_type: total / len(predictions) for rouge_type, total in totals.items()}


def assert_scores_equal(actual: dict, expected: dict) -> None:
    assert sorted(actual) == sorted(expected)
    for rouge_type, value in expected.items():
        assert actual[rouge_type] == pytest.approx(value, abs=1e-9), rouge_type


def test_single_reference_matches_rouge_score_with_stemming():
    assert_scores_equal(lab.rouge(PREDICTIONS, SINGLE), direct_mean(PREDICTIONS, SINGLE))


def test_several_references_take_the_best_one():
    scores = lab.rouge(PREDICTIONS, MULTI)
    assert_scores_equal(scores, direct_mean(PREDICTIONS, MULTI))
    first_only = lab.rouge(PREDICTIONS, [refs[0] for refs in MULTI])
    assert scores["rouge1"] > first_only["rouge1"]  # later references matched better


def test_stemming_is_on_by_default_and_can_be_switched_off():
    stemmed = lab.rouge(["The cats were sitting"], ["a cat sits"])
    plain = lab.rouge(["The cats were sitting"], ["a cat sits"], use_stemmer=False)
    assert stemmed["rouge1"] > plain["rouge1"] == 0.0
    assert_scores_equal(plain, direct_mean(["The cats were sitting"], ["a cat sits"], False))


def test_metric_module_loads_through_evaluate_with_string_or_list_references():
    metric = evaluate.load(str(paths.ROUGE_METRIC_DIR))
    with_strings = metric.compute(predictions=PREDICTIONS, references=SINGLE)
    with_lists = metric.compute(predictions=PREDICTIONS, references=[[ref] for ref in SINGLE])
    assert_scores_equal(with_strings, direct_mean(PREDICTIONS, SINGLE))
    assert_scores_equal(with_lists, with_strings)


def test_per_prediction_scores_and_selected_types():
    metric = evaluate.load(str(paths.ROUGE_METRIC_DIR))
    per_prediction = metric.compute(
        predictions=PREDICTIONS, references=MULTI, use_aggregator=False, rouge_types=["rouge2"]
    )
    assert list(per_prediction) == ["rouge2"] and len(per_prediction["rouge2"]) == 3
    mean = sum(per_prediction["rouge2"]) / 3
    assert mean == pytest.approx(direct_mean(PREDICTIONS, MULTI)["rouge2"], abs=1e-9)


def test_identical_texts_score_one_and_disjoint_texts_zero():
    assert lab.rouge(["the cat sat"], ["the cat sat"]) == dict.fromkeys(TYPES, 1.0)
    assert lab.rouge(["the cat sat"], ["stock markets fell"]) == dict.fromkeys(TYPES, 0.0)


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match="2 predictions but 1 references"):
        lab.rouge(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="at least one reference"):
        lab.rouge(["a"], [[]])
    with pytest.raises(ValueError, match="No predictions"):
        lab.rouge([], [])


@pytest.mark.slow  # a fresh Python process
def test_works_in_a_fully_offline_process(tmp_path):
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_EVALUATE_OFFLINE": "1",
        "HF_MODULES_CACHE": str(tmp_path / "modules"),  # a cold module cache
    }
    code = (
        "import json, labsupport as lab; "
        f"print(json.dumps(lab.rouge({PREDICTIONS!r}, {MULTI!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert_scores_equal(json.loads(result.stdout.splitlines()[-1]), direct_mean(PREDICTIONS, MULTI))
