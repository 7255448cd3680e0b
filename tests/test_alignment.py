"""labsupport.alignment: invented details, and the lab 08 helpers."""

import json

import pytest

from labsupport import paths
from labsupport.alignment import detail_candidates, invented_details, invented_rate

DIALOGUE = ("#Person1#: Hello, I'd like to book a table for four on Friday at 7:30 pm.\n"
            "#Person2#: Of course. Under which name?\n"
            "#Person1#: Maria Kim. Is the table by the window free? We spend about $80.\n"
            "#Person2#: Yes. See you at Luigi's on Park Road.")


@pytest.mark.parametrize("summary, expected", [
    ("#Person1# books a table for four at Luigi's on Friday at 7:30 pm.", []),
    ("#Person1#, Maria Kim, books a table on Park Road.", []),
    ("#Person1#, Lucy Young, books a table.", ["Lucy Young"]),
    ("#Person1# books a table for six on Friday.", ["six"]),
    ("#Person1# books a table on Saturday at 8 pm.", ["Saturday", "8"]),
    ("#Person1# will spend about $95.", ["95"]),
    ("#Person1# will spend about $80.", []),
    ("#Person1# books a table in Boston, Boston, Boston.", ["Boston"]),
    ("The table is on Queen Street.", ["Queen Street"]),
    # A capitalised word that starts a sentence is not treated as a name (a known limit).
    ("#Person1# calls. Because it is Friday, #Person2# agrees.", []),
    ("", []),
])
def test_invented_details(summary, expected):
    assert invented_details(summary, DIALOGUE) == expected


def test_case_matters_for_names_not_for_number_words():
    assert invented_details("#Person1# meets Rose.", "#Person1#: I like the rose.") == ["Rose"]
    assert invented_details("#Person1# wants Four tickets.", "#Person1#: four, please") == []


def test_candidates_ignore_speaker_tags_and_sentence_starts():
    assert detail_candidates("#Person1# asks #Person2#. They meet Tom at 5 pm.") == [
        ("name", "Tom"), ("number", "5")]


def test_no_reference_summary_of_the_corpus_invents_a_detail():
    for split in ("train", "dev", "test"):
        with open(paths.CORPUS_DIR / f"dialogsum.{split}.jsonl", encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                for key in record:
                    if key.startswith("summary"):
                        assert invented_details(record[key], record["dialogue"]) == [], record


def test_invented_rate():
    summaries = ["#Person1# meets Tom.", "#Person1# meets Maria Kim.", "#Person1# pays $5."]
    assert invented_rate(summaries, [DIALOGUE] * 3) == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        invented_rate(summaries, [DIALOGUE])
    with pytest.raises(ValueError):
        invented_rate([], [])
