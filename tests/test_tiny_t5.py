"""The bundled tiny T5: its builder (smoke mode) and the committed model folder."""

import json

import pytest
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from labassets import tasks, tiny_t5
from labsupport import paths

MODEL = paths.TINY_MODEL_DIR


@pytest.fixture(scope="module")
def smoke_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("smoke") / "model"
    report = tiny_t5.build(out, tiny_t5.SMOKE)
    return out, report


def test_smoke_build_writes_a_loadable_hugging_face_folder(smoke_build):
    out, report = smoke_build
    names = {p.name for p in out.iterdir()}
    assert {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "README.md"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pth")) for n in names)
    model = AutoModelForSeq2SeqLM.from_pretrained(out)
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert type(model).__name__ == "T5ForConditionalGeneration"
    assert sum(p.numel() for p in model.parameters()) == report["parameters"]
    assert set(report["zero_shot_test"]) == set(tasks.SUMMARY_TEMPLATES)
    assert tokenizer.pad_token_id == 0 and tokenizer.eos_token_id == 1


def test_smoke_build_is_seeded(smoke_build, tmp_path):
    first_out, first = smoke_build
    second = tiny_t5.build(tmp_path / "again", tiny_t5.SMOKE)
    assert second["validation_loss"] == first["validation_loss"]
    assert (tmp_path / "again" / "tokenizer.json").read_bytes() == (
        first_out / "tokenizer.json").read_bytes()


def test_bundled_model_is_small_and_safetensors_only():
    files = list(MODEL.iterdir())
    assert sum(f.stat().st_size for f in files) <= 20 * 1024 * 1024
    assert not any(f.suffix in {".bin", ".pt", ".pth", ".pkl"} for f in files)


def test_bundled_tokenizer_follows_t5_conventions():
    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    ids = tokenizer("#Person1#: Hello!")["input_ids"]
    assert (tokenizer.pad_token_id, tokenizer.eos_token_id, tokenizer.unk_token_id) == (0, 1, 2)
    assert ids[-1] == 1 and ids.count(1) == 1  # </s> appended once
    assert tokenizer.unk_token_id not in ids  # plain ASCII never becomes <unk>
    assert tokenizer.decode(ids, skip_special_tokens=True) == "#Person1#: Hello!"
    assert tokenizer.model_max_length == 512


def test_model_card_reports_the_measured_scores():
    report = json.loads((MODEL / "build_report.json").read_text())
    card = (MODEL / "README.md").read_text()
    assert f"{report['parameters']:,} parameters" in card
    assert f"{report['zero_shot_test']['summarize']['rouge1']:.3f}" in card
    assert report["zero_shot_test"]["summarize"]["eos_rate"] >= 0.95


def test_bundled_build_report_meets_the_targets():
    """The committed model was measured by its build: EOS, loops and fine-tuning headroom."""
    report = json.loads((MODEL / "build_report.json").read_text())
    for name, scores in report["zero_shot_test"].items():
        assert scores["eos_rate"] >= 0.95, name
        assert scores["trigram_loops"] == 0, name
    assert report["headroom"]["rouge1_gain"] >= 0.15
    assert report["headroom"]["train_dialogues"] >= 4000  # the whole train split, as in lab 07


RECORD = {"dialogue": "#Person1#: Hi.\n#Person2#: Hello.",
          "summary": "#Person1# greets #Person2#. They talk. #Person2# leaves at 5 pm.",
          "topic": "greeting"}


def test_summary_prompts_ask_for_the_gist_and_other_tasks_for_the_rest():
    import random

    rng = random.Random(0)
    assert tasks.summary_example(RECORD, rng).target == "#Person1# greets #Person2#."
    assert tasks.outcome_example(RECORD, rng).target == "They talk. #Person2# leaves at 5 pm."
    report = tasks.report_example(RECORD, rng)
    assert report.target == RECORD["summary"]
    # The labs' summary prompts must never be the prompts of the full-report task.
    assert not set(tasks.REPORT_TEMPLATES) & set(tasks.SUMMARY_TEMPLATES.values())
    assert abs(sum(weight for _, weight in tasks.MIXTURE.values()) - 1) < 1e-9


def test_unlikelihood_loss_penalises_earlier_tokens_only():
    """Equal to the formula written out token by token, padding ignored."""
    import torch

    torch.manual_seed(0)
    logits = torch.randn(2, 5, 7)
    labels = torch.tensor([[3, 4, 3, 5, -100], [2, 2, 6, 1, -100]])
    probs = logits.softmax(-1)
    expected, n_tokens = 0.0, int((labels != -100).sum())
    for b in range(2):
        for t in range(5):
            if labels[b, t] == -100:
                continue
            for token in set(labels[b, :t].tolist()) - {int(labels[b, t])}:
                expected += -torch.log(1 - probs[b, t, token])
    assert torch.isclose(tiny_t5.unlikelihood_loss(logits, labels), expected / n_tokens)
    # Nothing to penalise where the reference itself repeats the earlier token.
    assert tiny_t5.unlikelihood_loss(logits, torch.tensor([[4, 4, 4, -100, -100]] * 2)) == 0


def test_split_summary_handles_one_sentence():
    assert tasks.split_summary("Just one") == ("Just one.", "")
    assert tasks.outcome("Just one.") == "Just one."


def test_release_file_reader_names_the_file_and_the_fix(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"fname": "a"}\n\n{"fname": "b"}\n', encoding="utf-8")
    assert tasks.read_release_file(good) == [{"fname": "a"}, {"fname": "b"}]
    for name, text, problem in (("broken.jsonl", '{"fname": "a"}\n{"fname": \n', "line 2"),
                                ("list.jsonl", "[1, 2]\n", "not a JSON object"),
                                ("empty.jsonl", "\n", "no records")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=problem) as error:
            tasks.read_release_file(path)
        assert name in str(error.value) and "python -m labassets corpus" in str(error.value)
