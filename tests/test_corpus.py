"""Tests of the bundled DialogSum-style corpus and of its generator."""

import itertools
import json
import re
import statistics

import pytest

from labassets import corpus
from labassets.scenarios import FAMILIES
from labassets.scenarios.base import Maybe, Turn, indefinite_article
from labassets.scenarios.long_talks import LONG_TALKS
from labsupport.paths import CORPUS_DIR

SPLITS = ("train", "dev", "test")
FILES = [f"dialogsum.{split}.jsonl" for split in SPLITS] + ["README.md"]
TRAIN_FIELDS = ["fname", "dialogue", "summary", "topic"]
TEST_FIELDS = ["fname", "dialogue", "summary1", "topic1", "summary2", "topic2", "summary3",
               "topic3"]
TURN = re.compile(r"#Person[12]#: \S.*")
# Facts that a summary may only state if the dialogue states them too.
AMOUNT = re.compile(r"\$\d{1,3}(?:,\d{3})*(?:\.\d\d)?")
CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)? [ap]m\b")
CAPITALISED = re.compile(r"(?<=[a-z,] )[A-Z][A-Za-z-]*")
# Summaries are told by an observer: no questions, no "I" or "you" ("thank you" aside).
FIRST_OR_SECOND_PERSON = re.compile(r"[?!]|\b(I|me|my|we|our|your)\b|(?<!thank )\byou\b")


@pytest.fixture(scope="module")
def records() -> dict[str, list[dict]]:
    """The committed split files, parsed."""
    out = {}
    for split in SPLITS:
        lines = (CORPUS_DIR / f"dialogsum.{split}.jsonl").read_text(encoding="utf-8").splitlines()
        out[split] = [json.loads(line) for line in lines]
    return out


@pytest.fixture(scope="module")
def generated() -> dict[str, list]:
    """The corpus as the generator sees it: (example, record) pairs per split."""
    return corpus.generate()


def summaries(record: dict) -> list[str]:
    return [value for key, value in record.items() if key.startswith("summary")]


def all_records(records: dict[str, list[dict]]) -> list[dict]:
    return [record for split in SPLITS for record in records[split]]


def scenario_part(records: dict[str, list[dict]]) -> list[dict]:
    """The scenario dialogues of every split (each split's first SPLIT_SIZES records)."""
    return [record for split in SPLITS
            for record in records[split][:corpus.SPLIT_SIZES[split]]]


def long_part(records: dict[str, list[dict]]) -> list[dict]:
    """The long tail of every split (what follows the scenario dialogues)."""
    return [record for split in SPLITS
            for record in records[split][corpus.SPLIT_SIZES[split]:]]


def test_regenerating_reproduces_the_committed_files(tmp_path):
    corpus.main(["--out", str(tmp_path)])
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (CORPUS_DIR / name).read_bytes(), name


def test_another_seed_gives_another_corpus(tmp_path):
    assert corpus.main(["--out", str(tmp_path), "--seed", "7"]) == 0
    for split in SPLITS:
        name = f"dialogsum.{split}.jsonl"
        assert (tmp_path / name).read_bytes() != (CORPUS_DIR / name).read_bytes()
    assert "--seed 7" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_files_are_utf8_jsonl_with_newline_endings():
    for split in SPLITS:
        data = (CORPUS_DIR / f"dialogsum.{split}.jsonl").read_bytes()
        assert b"\r" not in data and data.endswith(b"}\n")
        data.decode("utf-8")


def test_fields_in_dialogsum_order(records):
    for split in SPLITS:
        expected = TEST_FIELDS if split == "test" else TRAIN_FIELDS
        for index, record in enumerate(records[split]):
            assert list(record) == expected
            assert record["fname"] == f"{split}_{index}"
            assert all(isinstance(value, str) and value for value in record.values())


def test_split_sizes(records):
    sizes = {split: len(records[split]) for split in SPLITS}
    assert sizes == {split: corpus.SPLIT_SIZES[split] + corpus.LONG_COUNTS[split]
                     for split in SPLITS}
    assert sizes["train"] >= 4000 and sizes["dev"] >= 200 and sizes["test"] >= 200


def test_every_split_has_a_dialogsum_like_long_tail(records):
    """At least 10% of each split over 250 words, some over 600, all at the end."""
    for split in SPLITS:
        words = [corpus.dialogue_words(r["dialogue"]) for r in records[split]]
        assert sum(w > 250 for w in words) >= 0.10 * len(words), split
        assert sum(w > 600 for w in words) >= 2, split
        n_scenario = corpus.SPLIT_SIZES[split]
        assert max(words[:n_scenario]) <= corpus.SCENARIO_MAX_WORDS < min(words[n_scenario:])
        assert corpus.scenario_records(records[split]) == records[split][:n_scenario]


def test_the_long_tail_leaves_the_scenario_dialogues_unchanged():
    """The scenario dialogues do not depend on the long tail drawn after them."""
    counts = corpus.LONG_COUNTS
    try:
        corpus.LONG_COUNTS = {split: 0 for split in counts}
        without = corpus.generate()
    finally:
        corpus.LONG_COUNTS = counts
    with_tail = corpus.generate()
    for split in SPLITS:
        assert [r for _, r in without[split]] == \
            [r for _, r in with_tail[split][:corpus.SPLIT_SIZES[split]]]


def test_long_talks_alternate_and_summaries_name_every_matter(generated):
    for split in SPLITS:
        for example, record in generated[split][corpus.SPLIT_SIZES[split]:]:
            assert isinstance(example, corpus.LongExample)
            speakers = [turn[:9] for turn in record["dialogue"].split("\n")]
            assert all(a != b for a, b in itertools.pairwise(speakers))
            for summary in summaries(record):
                assert all(m.label in summary for m in example.matters[1:]), summary


def test_no_dialogue_twice_within_or_across_splits(records):
    dialogues = [record["dialogue"] for record in all_records(records)]
    assert len(set(dialogues)) == len(dialogues)


def test_dialogues_have_3_to_12_alternating_turns(records):
    same_speaker = 0
    for record in scenario_part(records):
        turns = record["dialogue"].split("\n")
        assert 3 <= len(turns) <= 12
        assert all(TURN.fullmatch(turn) for turn in turns), turns
        assert turns[0].startswith("#Person1#: ")
        speakers = [turn[:9] for turn in turns]
        same_speaker += sum(a == b for a, b in itertools.pairwise(speakers))
    assert same_speaker < 0.05 * len(scenario_part(records))


def test_scenario_dialogues_are_short_enough_for_few_shot_prompts(records):
    words = [len(record["dialogue"].split()) for record in scenario_part(records)]
    assert max(words) <= 160
    assert 40 <= statistics.mean(words) <= 120


def test_summaries_have_a_gist_sentence_and_details(records):
    long = {id(record) for record in long_part(records)}
    for record in all_records(records):
        for summary in summaries(record):
            sentences = summary.split(". ")
            assert len(sentences) == 4 if id(record) in long else 2 <= len(sentences) <= 3, \
                summary
            assert summary.endswith(".") and not summary.endswith("..")
            assert "#Person1#" in sentences[0] or "#Person2#" in sentences[0], summary
            assert all(s[0].isupper() or s[0] in "#0123456789" for s in sentences), summary
            assert not FIRST_OR_SECOND_PERSON.search(summary), summary


def test_summary_facts_are_copied_from_the_dialogue(records):
    for record in all_records(records):
        dialogue = record["dialogue"]
        for summary in summaries(record):
            for pattern in (AMOUNT, CLOCK, CAPITALISED):
                for fact in pattern.findall(summary):
                    assert fact in dialogue, (fact, summary, dialogue)


def test_summary_slot_values_occur_in_the_dialogue(generated):
    checked = 0
    for example, record in generated["dev"] + generated["test"][:50]:
        restated = set(example.family.restates)
        for key, value in example.slots.items():
            if key == "case" or key in restated:
                continue
            for summary in summaries(record):
                if re.search(rf"\b{re.escape(value)}\b", summary):
                    assert value.lower() in example.dialogue.lower(), (key, value, record)
                    checked += 1
    assert checked > 500


def test_test_references_are_three_different_paraphrases(records):
    for record in records["test"]:
        refs = summaries(record)
        assert len(refs) == 3 and len(set(refs)) == 3
        gists = {ref.split(". ")[0] for ref in refs}
        assert len(gists) == 3, refs


def test_topics_are_short_lowercase_labels(records):
    topics = set()
    for record in all_records(records):
        for key in ("topic", "topic1", "topic2", "topic3"):
            if key in record:
                topic = record[key]
                assert topic == topic.lower() and 1 <= len(topic.split()) <= 4, topic
                topics.add(topic)
    assert len(topics) >= 30


def test_at_least_30_families_and_every_long_talk_in_every_split(generated):
    names = [family.name for family in FAMILIES]
    assert len(names) >= 30 and len(set(names)) == len(names)
    talks = {talk.name for talk in LONG_TALKS}
    for split in SPLITS:
        assert {example.family.name for example, _ in generated[split]} == {*names, *talks}


def test_families_have_varied_phrasings():
    for family in FAMILIES:
        turns = [step for item in family.turns
                 for step in (item.turns if not isinstance(item, Turn) else (item,))]
        varied = sum(len(turn.phrasings) >= 2 for turn in turns)
        assert varied >= 0.8 * len(turns), family.name
        assert len(family.gist) >= 3, family.name
        assert any(isinstance(item, Maybe) for item in family.turns), family.name
        for sentence in (*family.gist, *(p for s in family.details for p in s.phrasings)):
            assert sentence.endswith(".") and ". " not in sentence, (family.name, sentence)


def test_long_talk_matters_have_varied_phrasings_and_keep_turns_alternating():
    """Every path through a matter has an even number of turns, asked by #Person1#."""
    for talk in LONG_TALKS:
        assert len(talk.gist) >= 3 and len(talk.outcome) >= 2, talk.name
        for matter in talk.matters:
            required = [step for step in matter.turns if isinstance(step, Turn)]
            optional = [step for step in matter.turns if isinstance(step, Maybe)]
            assert len(required) % 2 == 0 and required[0].speaker == 1, matter.label
            assert all(len(group.turns) % 2 == 0 for group in optional), matter.label
            turns = required + [turn for group in optional for turn in group.turns]
            assert all(len(turn.phrasings) >= 2 for turn in turns), matter.label
            assert len(matter.facts) >= 3, matter.label
            for sentence in (*matter.facts, *talk.gist, *talk.outcome):
                assert sentence.endswith(".") and ". " not in sentence, sentence


def test_no_long_dialogue_fits_the_tiny_models_window(records):
    """What the data card says: the labs meet the window on the long tail."""
    from transformers import AutoTokenizer

    from labsupport import paths
    from labsupport.prompts import fits_window

    tokenizer = AutoTokenizer.from_pretrained(paths.TINY_MODEL_DIR)
    long = long_part(records)
    assert not any(fits_window(record["dialogue"], tokenizer) for record in long)
    assert all(fits_window(record["dialogue"], tokenizer) for record in records["test"][:250])


def test_family_topics_are_near_synonyms_of_a_main_topic():
    for family in FAMILIES:
        assert family.topics and all(t == t.lower() for t in family.topics), family.name


@pytest.mark.parametrize("phrase, article", [
    ("umbrella", "an"), ("kettle", "a"), ("university", "a"), ("one-way ticket", "a"),
    ("hour", "an"), ("estate car", "an"), ("European trip", "a"),
])
def test_indefinite_article(phrase, article):
    assert indefinite_article(phrase) == article


def test_data_card_states_sizes_statistics_and_licence(records):
    card = (CORPUS_DIR / "README.md").read_text(encoding="utf-8")
    assert "python -m labassets corpus" in card
    assert str(corpus.DEFAULT_SEED) in card
    assert f"{len(FAMILIES)} scenario families" in card
    assert "Apache-2.0" in card and "no text from DialogSum" in card
    for split in SPLITS:
        turns = [len(r["dialogue"].split("\n")) for r in records[split]]
        assert f"| {split} | {len(records[split]):,} | {min(turns)} / " in card
        assert f"| {split} | {corpus.LONG_COUNTS[split]:,} | " in card
