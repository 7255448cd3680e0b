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


def test_pairwise_and_dpo_losses():
    import math

    import torch

    from labsupport.alignment import dpo_loss, pairwise_loss

    chosen, rejected = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 0.0])
    expected = (math.log1p(math.exp(-1.0)) + math.log(2)) / 2
    assert pairwise_loss(chosen, rejected).item() == pytest.approx(expected)
    assert pairwise_loss(chosen + 3, rejected + 3).item() == pytest.approx(expected)
    logps = [torch.tensor([-5.0, -7.0]) for _ in range(4)]
    assert dpo_loss(*logps, beta=0.1).item() == pytest.approx(math.log(2))
    # chosen 2 nats more likely than under the reference, rejected unchanged: margin 2
    got = dpo_loss(torch.tensor([-3.0]), torch.tensor([-7.0]), torch.tensor([-5.0]),
                   torch.tensor([-7.0]), beta=0.5)
    assert got.item() == pytest.approx(math.log1p(math.exp(-1.0)))


def test_reward_model_penalises_an_unsupported_name():
    import torch

    from labsupport.alignment import RewardModel, score
    from labsupport.models import load_encoder

    encoder, tokenizer = load_encoder("cpu")
    model = RewardModel(encoder, tokenizer, layers=2, seed=0)
    assert len(model.encoder.encoder.layer) == 2
    assert [n for n, p in model.named_parameters() if p.requires_grad] == [
        "importance.weight", "importance.bias", "quality.weight", "quality.bias"]
    with torch.no_grad():
        model.importance.bias.fill_(5.0)   # every token must be supported
    rewards = score(model, ["#Person1# pays Maria Kim.", "#Person1# pays Lucy Young."],
                    [DIALOGUE, DIALOGUE])
    assert rewards[0] > rewards[1]
    assert score(model, ["#Person1# pays Maria Kim."], [DIALOGUE]) == rewards[:1]
