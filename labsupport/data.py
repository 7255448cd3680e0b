"""DialogSum, from wherever it is, as one normalised `datasets.DatasetDict`.

Sources, chosen by `load_dialogsum(source=...)`, else the LAB_DIALOGSUM
environment variable, else the profile:

- a hub id such as `knkarthick/dialogsum`;
- a local folder in the hub's layout: `train`, `validation` and `test` files
  (`.csv`, `.jsonl`, `.json` or `.parquet`, also `data/<split>-*.parquet`),
  or a folder written by `DatasetDict.save_to_disk`;
- a local folder with the original release files `dialogsum.train.jsonl`,
  `dialogsum.dev.jsonl` and `dialogsum.test.jsonl` (the test file carries three
  reference summaries per dialogue: `summary1`..`summary3`);
- the bundled corpus, which is the release layout at data/dialogsum-mini and
  is checked against data/MANIFEST.sha256 before it is read.

Every split comes back with the columns `id`, `dialogue`, `summary` (the
first reference), `topic` and `references` (all reference summaries). The
hub's test split repeats each dialogue once per reference; those rows are
merged into one row per dialogue, so that ROUGE can score a prediction
against all its references.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Any

from labsupport import manifest, paths
from labsupport.errors import DialogSumFormatError, DialogSumNotFoundError
from labsupport.session import active_config

SPLITS = ("train", "validation", "test")
COLUMNS = ("id", "dialogue", "summary", "topic", "references")
RELEASE_FILES = {
    "train": "dialogsum.train.jsonl",
    "validation": "dialogsum.dev.jsonl",
    "test": "dialogsum.test.jsonl",
}
HUB_EXTENSIONS = (".csv", ".jsonl", ".json", ".parquet")

EXPECTED_LAYOUT = """\
Expected one of these layouts in the folder:
  - original DialogSum release: dialogsum.train.jsonl, dialogsum.dev.jsonl, dialogsum.test.jsonl
    (one JSON object per line; train/dev: fname, dialogue, summary, topic;
     test: fname, dialogue, summary1, topic1, summary2, topic2, summary3, topic3)
  - Hugging Face hub layout: train, validation and test files (.csv, .jsonl, .json or .parquet,
    or data/<split>-*.parquet) with the columns id, dialogue, summary, topic
  - a folder written by datasets.DatasetDict.save_to_disk"""

Columns = dict[str, list[Any]]


# --- choosing the source -----------------------------------------------------

def load_dialogsum(source: str | os.PathLike | None = None, profile: Any = None):
    """Load DialogSum as a DatasetDict with splits train, validation and test.

    `source` is a hub id, a local folder, or the LabConfig/Profile itself
    (`lab.load_dialogsum(cfg)`); `profile` a profile name, Profile or LabConfig
    whose dataset to use. Without either: LAB_DIALOGSUM, then the profile of the
    last `lab.setup()`, then the resolved profile.
    """
    if hasattr(source, "dataset"):  # a LabConfig or Profile passed positionally
        source, profile = None, source
    location = dialogsum_source(source, profile)
    if _is_local(location):
        return load_local_dialogsum(Path(location).expanduser())
    return load_hub_dialogsum(str(location))


def dialogsum_source(source: str | os.PathLike | None = None, profile: Any = None) -> str:
    """Where load_dialogsum will read from (a hub id or a local folder): `source` if given,
    else the dataset of `profile` (see session.active_config: LAB_DIALOGSUM, when set,
    replaces every profile's dataset)."""
    if source is not None:
        return os.fspath(source)
    return active_config(profile).dataset


def _is_local(location: str | os.PathLike) -> bool:
    """A path that exists, or looks like a path rather than an `owner/name` hub id."""
    text = os.fspath(location)
    if Path(text).expanduser().exists() or os.path.isabs(text):
        return True
    return text.startswith((".", "~")) or "\\" in text or text.count("/") != 1


# --- hub ---------------------------------------------------------------------

def load_hub_dialogsum(dataset_id: str):
    """`datasets.load_dataset(dataset_id)`, normalised."""
    import datasets

    try:
        raw = datasets.load_dataset(dataset_id)
    except (ConnectionError, OSError) as error:
        raise RuntimeError(
            f"Could not load {dataset_id!r} from the Hugging Face hub or its cache ({error}). "
            'Offline? Use the bundled corpus: LAB_PROFILE=tiny or lab.setup(profile="tiny").'
        ) from error
    return _normalise_dict({split: raw[split].to_dict() for split in _hub_splits(raw, dataset_id)})


def _hub_splits(raw, origin: str) -> tuple[str, ...]:
    missing = [split for split in SPLITS if split not in raw]
    if missing:
        raise DialogSumFormatError(f"{origin} has no split(s) {missing}; found {list(raw)}.")
    return SPLITS


# --- local folders -----------------------------------------------------------

def load_local_dialogsum(folder: Path):
    """Load a local folder in any layout listed in EXPECTED_LAYOUT."""
    if folder.exists() and not folder.is_dir():
        raise DialogSumNotFoundError(
            f"{folder} is a file; DialogSum is read from the folder that holds its split files "
            f"(set LAB_DIALOGSUM or source= to that folder).\n{EXPECTED_LAYOUT}"
        )
    if not folder.is_dir():
        raise DialogSumNotFoundError(f"DialogSum folder not found: {folder}\n{EXPECTED_LAYOUT}")
    if folder.resolve() == paths.CORPUS_DIR.resolve():
        manifest.verify_if_present(paths.CORPUS_DIR.name)
    if any((folder / name).exists() for name in RELEASE_FILES.values()):
        return _normalise_dict(_read_release_layout(folder))
    if (folder / "dataset_dict.json").is_file():
        return _load_saved_to_disk(folder)
    split_files = {split: _find_hub_layout_file(folder, split) for split in SPLITS}
    if not any(split_files.values()):
        raise DialogSumNotFoundError(f"No DialogSum files in {folder}\n{EXPECTED_LAYOUT}")
    columns = {}
    for split, file in split_files.items():
        if file is None:
            raise DialogSumNotFoundError(
                f"No {split} file in {folder} (looked for {split}{{{','.join(HUB_EXTENSIONS)}}})"
                f"\n{EXPECTED_LAYOUT}"
            )
        columns[split] = _hub_layout_columns(file, _read_records(file))
    return _normalise_dict(columns)


def _load_saved_to_disk(folder: Path):
    import datasets

    raw = datasets.load_from_disk(str(folder))
    return _normalise_dict({split: raw[split].to_dict() for split in _hub_splits(raw, str(folder))})


def _find_hub_layout_file(folder: Path, split: str) -> Path | None:
    for extension in HUB_EXTENSIONS:
        if (folder / f"{split}{extension}").is_file():
            return folder / f"{split}{extension}"
    shards = sorted((folder / "data").glob(f"{split}-*.parquet")) + sorted(
        folder.glob(f"{split}-*.parquet")
    )
    return shards[0] if shards else None


def _read_release_layout(folder: Path) -> dict[str, Columns]:
    columns = {}
    for split, name in RELEASE_FILES.items():
        file = folder / name
        if not file.is_file():
            raise DialogSumNotFoundError(f"Missing {file}\n{EXPECTED_LAYOUT}")
        records = read_jsonl(file)
        columns[split] = _release_columns(file, records, numbered=split == "test")
    return columns


# --- reading files -----------------------------------------------------------

def _read_records(file: Path) -> list[dict[str, Any]]:
    if file.suffix == ".csv":
        return _read_csv(file)
    if file.suffix == ".parquet":
        return _read_parquet(file)
    if file.suffix == ".json" and file.read_text(encoding="utf-8").lstrip().startswith("["):
        return _read_json_array(file)
    return read_jsonl(file)


def _format_error(file: Path, problem: str) -> DialogSumFormatError:
    return DialogSumFormatError(f"{file}: {problem}\n{EXPECTED_LAYOUT}")


def read_jsonl(file: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file, each with its line number as `_line`."""
    records = []
    with open(file, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                problem = f"line {number} is not valid JSON ({error.msg})"
                raise _format_error(file, problem) from None
            if not isinstance(record, dict):
                raise _format_error(file, f"line {number} is not a JSON object")
            record["_line"] = number
            records.append(record)
    return _non_empty(file, records)


def _read_json_array(file: Path) -> list[dict[str, Any]]:
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise _format_error(file, f"not valid JSON ({error.msg}, line {error.lineno})") from None
    if not all(isinstance(record, dict) for record in records):
        raise _format_error(file, "expected a JSON array of objects")
    return _non_empty(file, [{**record, "_line": index} for index, record in enumerate(records)])


def _read_csv(file: Path) -> list[dict[str, Any]]:
    try:
        with open(file, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (csv.Error, UnicodeDecodeError) as error:
        raise _format_error(file, f"not a readable CSV file ({error})") from None
    # line numbers count the header as line 1 (multi-line fields make them approximate)
    return _non_empty(file, [{**row, "_line": index + 2} for index, row in enumerate(rows)])


def _read_parquet(file: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        rows = pq.read_table(file).to_pylist()
    except Exception as error:  # pyarrow raises several unrelated types for a bad file
        raise _format_error(file, f"not a readable Parquet file ({error})") from None
    return _non_empty(file, [{**row, "_line": index + 1} for index, row in enumerate(rows)])


def _non_empty(file: Path, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not records:
        raise _format_error(file, "contains no records")
    return records


def _text_field(file: Path, record: dict[str, Any], field: str) -> str:
    value = record.get(field)
    where = f"record at line {record['_line']}"
    if value is None:
        raise _format_error(file, f"{where} has no field {field!r} (fields: {_fields(record)})")
    if not isinstance(value, str) or not value.strip():
        raise _format_error(file, f"{where}: field {field!r} must be a non-empty string")
    return value


def _fields(record: dict[str, Any]) -> list[str]:
    return [key for key in record if key != "_line"]


# --- turning records into columns --------------------------------------------

def _release_columns(file: Path, records: list[dict[str, Any]], numbered: bool) -> Columns:
    """Columns from release records; the test file numbers its references summary1, summary2..."""
    columns: Columns = {name: [] for name in COLUMNS}
    for record in records:
        if numbered:
            count = max(1, len(numbered_references(record)))  # summary1 is required
            references = [_text_field(file, record, f"summary{k}") for k in range(1, count + 1)]
            topic = _text_field(file, record, "topic1")
        else:
            references = [_text_field(file, record, "summary")]
            topic = _text_field(file, record, "topic")
        columns["id"].append(_text_field(file, record, "fname"))
        columns["dialogue"].append(_text_field(file, record, "dialogue"))
        columns["summary"].append(references[0])
        columns["topic"].append(topic)
        columns["references"].append(references)
    return columns


def numbered_references(record: dict[str, Any]) -> list[str]:
    """A release-layout test record's references, in order: summary1, summary2, ..."""
    references = []
    while record.get(f"summary{len(references) + 1}") is not None:
        references.append(record[f"summary{len(references) + 1}"])
    return references


def _hub_layout_columns(file: Path, records: list[dict[str, Any]]) -> Columns:
    columns: Columns = {name: [] for name in ("id", "dialogue", "summary", "topic")}
    for record in records:
        for name in columns:
            columns[name].append(_text_field(file, record, name))
    return columns


def _normalise_dict(splits: dict[str, Columns]):
    import datasets

    return datasets.DatasetDict(
        {split: _to_dataset(_normalise_split(splits[split], split)) for split in SPLITS}
    )


def _normalise_split(columns: Columns, split: str) -> Columns:
    """Add `references` where missing and merge the test split's repeated dialogues."""
    missing = [name for name in COLUMNS[:4] if name not in columns]
    if missing:
        raise DialogSumFormatError(
            f"The {split} split has no column(s) {missing}; found {sorted(columns)}.\n"
            f"{EXPECTED_LAYOUT}"
        )
    if "references" not in columns:
        columns = {**columns, "references": [[summary] for summary in columns["summary"]]}
    columns = {name: list(columns[name]) for name in COLUMNS}
    if not columns["id"]:
        raise DialogSumFormatError(f"The {split} split of DialogSum is empty.\n{EXPECTED_LAYOUT}")
    check_rows(columns, split)
    return group_references(columns) if split == "test" else columns


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_rows(columns: Columns, split: str) -> None:
    """Every row has a non-empty dialogue and at least one non-empty reference summary.

    The local readers check this field by field; this check also covers a dataset loaded by
    hub id, where an empty CSV field arrives as None, so that a bad row is named here and not
    met later as an empty prompt or a ROUGE score against nothing.
    """
    for row, (identifier, dialogue) in enumerate(zip(columns["id"], columns["dialogue"])):
        where = f"The {split} split, row {row} (id {identifier!r})"
        if not _is_text(dialogue):
            raise DialogSumFormatError(
                f"{where}: the dialogue is empty ({dialogue!r:.40}). Every row needs a dialogue;"
                " remove the row or fill it in.")
        references = columns["references"][row]
        if not references or not all(_is_text(ref) for ref in references):
            raise DialogSumFormatError(
                f"{where}: no reference summary ({references!r:.60}). Every dialogue needs at "
                "least one human summary to train on or score against; remove the row or add "
                "its summary.")


def check_references(split, name: str = "test") -> int:
    """The number of reference summaries per dialogue, the same for every row of `split`
    (a Dataset or its columns); else DialogSumFormatError saying which rows differ.

    ROUGE scores a summary against its best-matching reference, so a dialogue with three
    references scores higher than the same summary against one: scores over dialogues with
    different numbers of references are not comparable. Labs 06 and 07 call this before they
    evaluate.
    """
    counts = [len(refs or []) for refs in split["references"]]
    if not counts:
        raise DialogSumFormatError(f"The {name} split has no dialogues to evaluate on.")
    by_count: dict[int, list[str]] = {}
    for identifier, count in zip(split["id"], counts):
        by_count.setdefault(count, []).append(identifier)
    if 0 in by_count:
        raise DialogSumFormatError(
            f"The {name} split has {len(by_count[0])} dialogue(s) without any reference summary "
            f"(e.g. {by_count[0][:3]}); remove them or add their summaries.")
    if len(by_count) == 1:
        return counts[0]
    usual = max(by_count, key=lambda count: len(by_count[count]))
    found = ", ".join(f"{len(ids)} with {count}" for count, ids in sorted(by_count.items()))
    odd = [identifier for count, ids in by_count.items() if count != usual for identifier in ids]
    raise DialogSumFormatError(
        f"The {name} split has different numbers of reference summaries per dialogue ({found}; "
        f"e.g. {odd[:3]}). ROUGE takes each summary's best-matching reference, so scores over "
        "dialogues with more references come out higher and the averages mean nothing. Give "
        "every dialogue the same number (DialogSum's test split has three: rows test_N_1 to "
        "test_N_3 on the hub, summary1 to summary3 in the release files), or keep one each: "
        f"{name} = {name}.map(lambda row: {{\"references\": row[\"references\"][:1]}})")


def group_references(columns: Columns) -> Columns:
    """Merge rows with the same dialogue into one row that keeps every reference summary.

    Order is kept (first appearance); the merged id drops the `_<n>` suffix
    the hub adds per annotator (`test_0_1`, `test_0_2` -> `test_0`).
    """
    groups: dict[str, list[int]] = {}
    for row, dialogue in enumerate(columns["dialogue"]):
        groups.setdefault(dialogue.strip(), []).append(row)
    merged: Columns = {name: [] for name in COLUMNS}
    for rows in groups.values():
        first = rows[0]
        references = [ref for row in rows for ref in columns["references"][row]]
        merged["id"].append(_group_id([columns["id"][row] for row in rows]))
        merged["dialogue"].append(columns["dialogue"][first])
        merged["summary"].append(references[0])
        merged["topic"].append(columns["topic"][first])
        merged["references"].append(references)
    return merged


def _group_id(ids: list[str]) -> str:
    if len(ids) == 1:
        return ids[0]
    stems = {re.sub(r"_\d+$", "", identifier) for identifier in ids}
    return stems.pop() if len(stems) == 1 else ids[0]


def _to_dataset(columns: Columns):
    import datasets

    string = datasets.Value("string")
    features = datasets.Features(
        {
            "id": string,
            "dialogue": string,
            "summary": string,
            "topic": string,
            "references": datasets.Sequence(string),
        }
    )
    return datasets.Dataset.from_dict(columns, features=features)
