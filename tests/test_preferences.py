"""The simulated preference pairs of lab 08: reproducible, and each flaw what it says."""

import filecmp
import json

import pytest

from labassets import corpus
from labsupport.alignment import FLAWS, PREFERENCE_SPLITS, PREFERENCES_DIR, invented_details


def _pairs(split):
    with open(PREFERENCES_DIR / PREFERENCE_SPLITS[split], encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.slow
def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    from labassets.preferences import build

    build(tmp_path)
    for name in [*PREFERENCE_SPLITS.values(), "README.md"]:
        assert filecmp.cmp(tmp_path / name, PREFERENCES_DIR / name, shallow=False), name


@pytest.mark.parametrize("split", PREFERENCE_SPLITS)
def test_every_pair_has_one_known_flaw(split):
    pairs = _pairs(split)
    corpus_split = {"train": "train", "validation": "dev"}[split]
    with open(PREFERENCES_DIR.parent / "dialogsum-mini" / f"dialogsum.{corpus_split}.jsonl",
              encoding="utf-8") as f:
        records = corpus.scenario_records([json.loads(line) for line in f])
    assert [p["dialogue"] for p in pairs] == [record["dialogue"] for record in records]
    assert {p["flaw"] for p in pairs} == set(FLAWS)
    for p in pairs:
        assert p["chosen"] != p["rejected"]
        assert invented_details(p["chosen"], p["dialogue"]) == []
        assert invented_details(p["rejected"], p["dialogue"]) == p["invented"]
        assert bool(p["invented"]) == (p["flaw"] == "invented detail")


def test_flaws_look_like_their_names():
    pairs = _pairs("validation")
    for p in pairs:
        if p["flaw"] == "dropped main point":
            assert p["rejected"].split(". ")[0] != p["chosen"].split(". ")[0]
        elif p["flaw"] == "repetition":
            assert p["rejected"].startswith(p["chosen"].rstrip("."))
            assert len(p["rejected"]) > len(p["chosen"])
        else:
            assert set(p["rejected"].split()) - set(p["chosen"].split())


def test_loads_with_datasets():
    from labsupport.alignment import load_preferences

    data = load_preferences()
    assert set(data) == {"train", "validation"}
    assert len(data["train"]) == 4500 and len(data["validation"]) == 250
    assert {"dialogue", "chosen", "rejected", "flaw", "invented"} <= set(data["train"].column_names)


def test_data_card_says_the_judgements_are_simulated():
    card = (PREFERENCES_DIR / "README.md").read_text(encoding="utf-8")
    assert "simulated" in card and "No person" in card
