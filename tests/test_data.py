"""DialogSum loading: every source layout, normalisation, and errors that explain themselves."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

import labsupport as lab
from conftest import HUB_LAYOUT_FIXTURE, RELEASE_FIXTURE
from labsupport import data, paths
from labsupport.errors import CorruptAssetError, DialogSumFormatError, DialogSumNotFoundError

COLUMNS = ["id", "dialogue", "summary", "topic", "references"]


def release_records(name: str) -> list[dict]:
    lines = (RELEASE_FIXTURE / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_release_layout_is_normalised(release_dir):
    ds = lab.load_dialogsum(release_dir)
    assert sorted(ds) == ["test", "train", "validation"]
    for split in ds.values():
        assert split.column_names == COLUMNS
    train = release_records("dialogsum.train.jsonl")
    assert ds["train"]["id"] == [record["fname"] for record in train]
    assert ds["train"]["summary"] == [record["summary"] for record in train]
    assert ds["train"]["references"] == [[record["summary"]] for record in train]
    assert ds["validation"].num_rows == len(release_records("dialogsum.dev.jsonl"))


def test_release_test_split_keeps_all_three_references(release_dir):
    test = lab.load_dialogsum(release_dir)["test"]
    records = release_records("dialogsum.test.jsonl")
    assert test.num_rows == len(records)
    for row, record in zip(test, records):
        assert row["references"] == [record["summary1"], record["summary2"], record["summary3"]]
        assert row["summary"] == record["summary1"]
        assert row["topic"] == record["topic1"]


def test_hub_layout_groups_repeated_test_dialogues(tmp_path):
    folder = shutil.copytree(HUB_LAYOUT_FIXTURE, tmp_path / "hub")
    ds = lab.load_dialogsum(folder)
    test = ds["test"]
    with open(HUB_LAYOUT_FIXTURE / "test.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6 and test.num_rows == 2
    assert test["id"] == ["test_0", "test_1"]
    assert test["references"][0] == [row["summary"] for row in rows[:3]]
    assert test["summary"][0] == rows[0]["summary"]
    assert test["topic"][0] == rows[0]["topic"]
    assert ds["train"].num_rows == 4  # train is never grouped
    assert ds["train"]["references"][0] == [ds["train"]["summary"][0]]


def test_hub_and_release_layouts_give_the_same_test_references(release_dir, tmp_path):
    from_release = lab.load_dialogsum(release_dir)["test"]
    from_hub = lab.load_dialogsum(shutil.copytree(HUB_LAYOUT_FIXTURE, tmp_path / "hub"))["test"]
    assert from_hub["dialogue"] == from_release["dialogue"]
    assert from_hub["references"] == from_release["references"]


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".json"])
def test_hub_layout_in_other_file_formats(tmp_path, suffix):
    import pandas as pd

    folder = tmp_path / "hub"
    folder.mkdir()
    for split in data.SPLITS:
        frame = pd.read_csv(HUB_LAYOUT_FIXTURE / f"{split}.csv", dtype=str)
        target = folder / f"{split}{suffix}"
        if suffix == ".parquet":
            frame.to_parquet(target)
        else:
            frame.to_json(target, orient="records", lines=suffix == ".jsonl")
    expected = lab.load_dialogsum(HUB_LAYOUT_FIXTURE)
    loaded = lab.load_dialogsum(folder)
    for split in data.SPLITS:
        assert loaded[split].to_dict() == expected[split].to_dict()


def test_folder_written_by_save_to_disk(tmp_path):
    expected = lab.load_dialogsum(HUB_LAYOUT_FIXTURE)
    expected.save_to_disk(str(tmp_path / "saved"))
    loaded = lab.load_dialogsum(tmp_path / "saved")
    assert loaded["test"]["references"] == expected["test"]["references"]


def test_source_argument_then_environment_then_setup(monkeypatch, release_dir, fake_data_dir,
                                                     tiny_profile_on):
    tiny_profile_on(fake_data_dir)
    monkeypatch.setenv("LAB_DIALOGSUM", str(HUB_LAYOUT_FIXTURE))
    assert data.dialogsum_source(release_dir) == str(release_dir)
    assert data.dialogsum_source() == str(HUB_LAYOUT_FIXTURE)
    assert lab.load_dialogsum()["test"].num_rows == 2
    assert data.dialogsum_source(profile="base") == str(HUB_LAYOUT_FIXTURE)  # every profile's
    monkeypatch.delenv("LAB_DIALOGSUM")
    assert data.dialogsum_source(profile="base") == "knkarthick/dialogsum"
    lab.setup(profile="tiny", verbose=False)
    assert data.dialogsum_source() == str(paths.CORPUS_DIR)
    assert lab.load_dialogsum()["train"].num_rows == 4


def test_hub_ids_and_paths_are_told_apart(tmp_path):
    assert not data._is_local("knkarthick/dialogsum")
    assert data._is_local(str(tmp_path))
    assert data._is_local("./dialogsum")
    assert data._is_local("dialogsum-copy")  # no owner/ prefix: a (missing) local folder


def test_bundled_corpus_is_verified_before_reading(fake_data_dir, corrupt):
    assert lab.load_dialogsum(paths.CORPUS_DIR)["train"].num_rows == 4
    corrupt(paths.CORPUS_DIR / "dialogsum.dev.jsonl")
    with pytest.raises(CorruptAssetError) as raised:
        lab.load_dialogsum(paths.CORPUS_DIR)
    message = str(raised.value)
    assert "dialogsum-mini/dialogsum.dev.jsonl" in message
    assert "python -m labassets corpus" in message


def test_missing_folder_names_it_and_the_expected_layout(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(DialogSumNotFoundError) as raised:
        lab.load_dialogsum(missing)
    assert str(missing) in str(raised.value)
    assert "dialogsum.train.jsonl" in str(raised.value)
    assert isinstance(raised.value, FileNotFoundError)


def test_empty_folder_names_the_expected_layout(tmp_path):
    with pytest.raises(DialogSumNotFoundError, match="dialogsum.dev.jsonl"):
        lab.load_dialogsum(tmp_path)


def test_missing_release_file_is_named(release_dir):
    (release_dir / "dialogsum.dev.jsonl").unlink()
    with pytest.raises(DialogSumNotFoundError, match=r"dialogsum\.dev\.jsonl"):
        lab.load_dialogsum(release_dir)


def test_missing_hub_layout_split_is_named(tmp_path):
    folder = shutil.copytree(HUB_LAYOUT_FIXTURE, tmp_path / "hub")
    (folder / "validation.csv").unlink()
    with pytest.raises(DialogSumNotFoundError, match="No validation file"):
        lab.load_dialogsum(folder)


def test_bad_json_line_names_file_and_line(release_dir):
    file = release_dir / "dialogsum.train.jsonl"
    lines = file.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:-5]  # cut off the end of the second record
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DialogSumFormatError) as raised:
        lab.load_dialogsum(release_dir)
    message = str(raised.value)
    assert str(file) in message and "line 2" in message and "not valid JSON" in message
    assert "Expected one of these layouts" in message


def test_missing_field_names_file_and_field(release_dir):
    file = release_dir / "dialogsum.test.jsonl"
    records = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    del records[1]["summary1"]
    file.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    with pytest.raises(DialogSumFormatError) as raised:
        lab.load_dialogsum(release_dir)
    assert str(file) in str(raised.value)
    assert "'summary1'" in str(raised.value) and "line 2" in str(raised.value)


def test_missing_column_in_csv_is_named(tmp_path):
    folder = shutil.copytree(HUB_LAYOUT_FIXTURE, tmp_path / "hub")
    (folder / "train.csv").write_text("id,dialogue,topic\ntrain_0,hello,greeting\n")
    with pytest.raises(DialogSumFormatError, match="'summary'") as raised:
        lab.load_dialogsum(folder)
    assert "train.csv" in str(raised.value)


def test_empty_split_file_is_an_error(release_dir):
    (release_dir / "dialogsum.dev.jsonl").write_text("\n")
    with pytest.raises(DialogSumFormatError, match="contains no records"):
        lab.load_dialogsum(release_dir)


def test_group_references_merges_by_dialogue_in_first_seen_order():
    columns = {
        "id": ["t_1_1", "t_0_1", "t_1_2", "x"],
        "dialogue": ["B", "A", "B", "C"],
        "summary": ["b1", "a1", "b2", "c1"],
        "topic": ["tb", "ta", "tb2", "tc"],
        "references": [["b1"], ["a1"], ["b2"], ["c1"]],
    }
    merged = data.group_references(columns)
    assert merged["id"] == ["t_1", "t_0_1", "x"]
    assert merged["references"] == [["b1", "b2"], ["a1"], ["c1"]]
    assert merged["topic"] == ["tb", "ta", "tc"]


@pytest.mark.hub
def test_hub_dialogsum_is_normalised_and_grouped(monkeypatch):
    ds = lab.load_dialogsum("knkarthick/dialogsum")
    assert ds["train"].column_names == COLUMNS
    assert ds["test"].num_rows == 500
    assert all(len(refs) == 3 for refs in ds["test"]["references"])
    assert len(set(ds["test"]["dialogue"])) == 500



def hub_like_dataset_dict():
    """What datasets.load_dataset("knkarthick/dialogsum") returns: the hub's CSV rows as is."""
    import datasets
    import pandas as pd

    return datasets.DatasetDict({
        split: datasets.Dataset.from_pandas(
            pd.read_csv(HUB_LAYOUT_FIXTURE / f"{split}.csv", dtype=str), preserve_index=False)
        for split in data.SPLITS
    })


def test_hub_id_goes_through_load_dataset_and_is_normalised(monkeypatch):
    import datasets

    requested = []

    def fake_load_dataset(name, *args, **kwargs):
        requested.append(name)
        return hub_like_dataset_dict()

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    ds = lab.load_dialogsum(profile="base")
    assert requested == ["knkarthick/dialogsum"]
    assert ds["test"]["id"] == ["test_0", "test_1"]
    assert [len(refs) for refs in ds["test"]["references"]] == [3, 3]
    assert ds["validation"].column_names == COLUMNS


def test_hub_failure_suggests_the_tiny_profile(monkeypatch):
    import datasets

    def offline(*args, **kwargs):
        raise ConnectionError("Couldn't reach the hub")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(RuntimeError, match="LAB_PROFILE=tiny"):
        lab.load_dialogsum("knkarthick/dialogsum")


def test_hub_dataset_without_expected_columns_is_explained(monkeypatch):
    import datasets

    raw = hub_like_dataset_dict()
    raw["train"] = raw["train"].remove_columns("topic")
    monkeypatch.setattr(datasets, "load_dataset", lambda *args, **kwargs: raw)
    with pytest.raises(DialogSumFormatError, match=r"train split has no column\(s\) \['topic'\]"):
        lab.load_dialogsum("someone/dialogsum-copy")


def _hub_rows_with(monkeypatch, split, row, **changes):
    """load_dialogsum by hub id, with one row of one split changed (None: an empty CSV field)."""
    import datasets

    raw = hub_like_dataset_dict()
    frame = raw[split].to_pandas()
    for column, value in changes.items():
        frame.loc[row, column] = value
    raw[split] = datasets.Dataset.from_pandas(frame, preserve_index=False)
    monkeypatch.setattr(datasets, "load_dataset", lambda *args, **kwargs: raw)
    return raw


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_dialogue_from_the_hub_is_named(monkeypatch, value):
    _hub_rows_with(monkeypatch, "train", 2, dialogue=value)
    with pytest.raises(DialogSumFormatError, match=r"train split, row 2 .*dialogue is empty"):
        lab.load_dialogsum("someone/dialogsum-copy")


def test_test_row_without_a_reference_is_named(monkeypatch):
    _hub_rows_with(monkeypatch, "test", 4, summary=None)
    with pytest.raises(DialogSumFormatError,
                       match=r"test split, row 4 \(id 'test_1_2'\): no reference summary"):
        lab.load_dialogsum("someone/dialogsum-copy")


def test_release_test_record_without_references_is_named(release_dir):
    file = release_dir / "dialogsum.test.jsonl"
    records = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    for key in ("summary1", "summary2", "summary3"):
        records[1].pop(key)
    file.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with pytest.raises(DialogSumFormatError, match="line 2 has no field 'summary1'"):
        lab.load_dialogsum(release_dir)


def test_check_references_returns_the_common_number(release_dir):
    test = lab.load_dialogsum(release_dir)["test"]
    assert data.check_references(test) == 3
    assert data.check_references({"id": ["a"], "references": [["x", "y"]]}) == 2


def test_different_numbers_of_references_are_explained(monkeypatch, tmp_path):
    import datasets

    raw = hub_like_dataset_dict()
    raw["test"] = raw["test"].select([0, 1, 2, 3])  # test_0 keeps 3 references, test_1 one
    monkeypatch.setattr(datasets, "load_dataset", lambda *args, **kwargs: raw)
    test = lab.load_dialogsum("someone/dialogsum-copy")["test"]  # loading is fine
    assert [len(refs) for refs in test["references"]] == [3, 1]
    with pytest.raises(DialogSumFormatError) as error:
        data.check_references(test)
    message = str(error.value)
    assert "different numbers of reference summaries" in message
    assert "1 with 1, 1 with 3" in message and "['test_1_1']" in message
    fix = message[message.index("test = ") + len("test = "):]  # the fix the message ends with
    fixed = eval(fix, {"test": test})
    assert data.check_references(fixed) == 1


def test_check_references_refuses_dialogues_without_any():
    with pytest.raises(DialogSumFormatError, match=r"1 dialogue\(s\) without any reference"):
        data.check_references({"id": ["a", "b"], "references": [["x"], []]})
    with pytest.raises(DialogSumFormatError, match="no dialogues"):
        data.check_references({"id": [], "references": []})
