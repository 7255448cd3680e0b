"""A simulated Hugging Face hub cache: FLAN-T5-shaped models and a DialogSum stand-in, offline.

The real course path loads ``google/flan-t5-small`` (or ``-base``) and ``knkarthick/dialogsum``
by hub id. This module writes a hub cache in huggingface_hub's own on-disk layout::

    HUB/models--google--flan-t5-small/
        blobs/<sha>                       file contents (sha256 for LFS files, git sha1 otherwise)
        refs/main                         the commit hash, no newline
        snapshots/<commit>/config.json -> ../../blobs/<sha>   (one link per file)
    HUB/datasets--knkarthick--dialogsum/  the same: train.csv, validation.csv, test.csv, README.md

so that with ``HF_HUB_OFFLINE=1`` and ``HF_HUB_CACHE=HUB`` the unchanged learner code,
``from_pretrained("google/flan-t5-small")``, finds the files exactly where a download would have
put them. The models are randomly initialised ``T5ForConditionalGeneration`` with FLAN-T5's
configuration traits (untied ``lm_head``, gated-gelu feed-forward, ``vocab_size`` 32,128,
relative attention 32 buckets / 128 distance, FLAN-T5's layer and head counts) but narrow hidden
sizes, so they run in seconds on a CPU. The tokenizer is a T5-convention Unigram tokenizer of
32,100 entries (``<pad>`` 0, ``</s>`` 1, ``<unk>`` 2, ``<extra_id_99>``..``<extra_id_0>`` at
32,000..32,099, ``model_max_length`` 512) trained on the bundled corpus and padded with unused
pieces; like T5's it drops newlines.

The DialogSum stand-in is written twice, as a first online ``load_dataset("knkarthick/dialogsum")``
leaves it: the repository files in the hub cache, and the prepared Arrow files in the
``datasets`` cache (``HF_DATASETS_CACHE/knkarthick___dialogsum/default/0.0.0/<commit>``), which is
what ``datasets`` reads offline. So ``lab.load_dialogsum()`` loads it by hub id through
``datasets.load_dataset``, the learner's own path. The snapshot folder also works as a local
copy in the hub's layout, through ``LAB_DIALOGSUM`` (``SimulatedHub.environ(dataset_folder=True)``).
Its dialogues are built from the bundled corpus, cut or extended turn by turn to lengths
that follow DialogSum's: median about 120 words, over 10% above 250 words, a few above 600,
2 to 30+ turns. The test split has one row per reference (``test_N_1``..``test_N_3``).

Command line (prints the environment variables to use)::

    python tests/simulated_hub.py OUT_DIR [--models small base] [--dialogues test=24 ...]
    env $(python tests/simulated_hub.py OUT_DIR --print-env) pytest --nbval-lax masters/...

Everything is deterministic: the same OUT_DIR contents on every run.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: make labsupport importable
    sys.path.insert(0, str(REPO_ROOT))

DATASET_ID = "knkarthick/dialogsum"
VOCAB_SIZE = 32128          # FLAN-T5's embedding rows
TOKENIZER_SIZE = 32100      # FLAN-T5's tokenizer entries (the last 28 rows are never produced)
EXTRA_IDS = 100
MODEL_MAX_LENGTH = 512
SEED = 20240613

# FLAN-T5's layer and head counts, with narrow widths (the real ones: small d_model 512,
# d_ff 1024, d_kv 64; base d_model 768, d_ff 2048, d_kv 64).
MODEL_SHAPES = {
    "small": dict(d_model=64, d_ff=128, d_kv=16, num_heads=6, num_layers=8, num_decoder_layers=8),
    "base": dict(d_model=96, d_ff=192, d_kv=16, num_heads=12, num_layers=12,
                 num_decoder_layers=12),
}

# Dialogues per split (the test split has three rows per dialogue, one per reference).
SPLIT_DIALOGUES = {"train": 400, "validation": 60, "test": 100}
SPLIT_SOURCES = {"train": "dialogsum.train.jsonl", "validation": "dialogsum.dev.jsonl",
                 "test": "dialogsum.test.jsonl"}
ID_PREFIX = {"train": "train", "validation": "dev", "test": "test"}
MEDIAN_WORDS = 120
LOG_SPREAD = 0.62           # lognormal sigma: P(> 250 words) about 12%
LONG_SHARE = 0.03           # share of each split pushed beyond 600 words
LONG_WORDS = (620, 1100)

_TEMPLATE_TEXT = [  # prompt words the labs use, so that the tokenizer knows them
    "Summarize the following conversation.", "Summary:", "Dialogue:", "What was going on?",
    "Briefly summarize that dialogue.", "Write a short summary for this dialogue.",
    "Example", "Answer", "Question", "Translate English to German:", "The capital of France is",
]


@dataclass
class SimulatedHub:
    """Where the simulated caches lie and the environment that points the labs at them."""

    root: Path
    hub_cache: Path
    datasets_cache: Path
    dataset_dir: Path                                      # the dataset's snapshot folder
    models: dict[str, Path] = field(default_factory=dict)  # profile name -> snapshot folder

    def environ(self, profile: str = "small", dataset_folder: bool = False) -> dict[str, str]:
        """The variables that simulate a learner's online run: offline, these caches.

        The dataset is loaded by hub id from the caches; with `dataset_folder` through
        LAB_DIALOGSUM, as a local folder in the hub's layout.
        """
        variables = {
            "HF_HUB_OFFLINE": "1",
            "HF_DATASETS_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "HF_HUB_CACHE": str(self.hub_cache),
            "HF_DATASETS_CACHE": str(self.datasets_cache),
            "LAB_PROFILE": profile,
        }
        if dataset_folder:
            variables["LAB_DIALOGSUM"] = str(self.dataset_dir)
        return variables


# --- hub cache layout ----------------------------------------------------------------------

def git_blob_sha1(content: bytes) -> str:
    """The git object id of a file: what the hub names the blob of a non-LFS file."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def write_repo(hub_cache: Path, repo_id: str, files: dict[str, bytes], repo_type: str = "model",
               lfs_suffixes: tuple[str, ...] = (".safetensors",)) -> Path:
    """Write `files` as one cached revision of `repo_id`; return its snapshot folder.

    Blobs are named as huggingface_hub names them (sha256 for LFS files, git sha1 for the
    rest); snapshot entries are relative symbolic links to them (copies where the file system
    has no links, as huggingface_hub does on Windows). The commit hash is derived from the
    contents, so an unchanged repository keeps its commit.
    """
    folder = hub_cache / f"{repo_type}s--{repo_id.replace('/', '--')}"
    if folder.exists():
        shutil.rmtree(folder)
    names = {}
    for name, content in sorted(files.items()):
        lfs = name.endswith(lfs_suffixes)
        names[name] = hashlib.sha256(content).hexdigest() if lfs else git_blob_sha1(content)
    commit = hashlib.sha1(json.dumps(names, sort_keys=True).encode()).hexdigest()
    (folder / "blobs").mkdir(parents=True)
    (folder / "refs").mkdir()
    (folder / "refs" / "main").write_text(commit)
    snapshot = folder / "snapshots" / commit
    for name, content in files.items():
        blob = folder / "blobs" / names[name]
        blob.write_bytes(content)
        link = snapshot / name
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            link.symlink_to(os.path.relpath(blob, link.parent))
        except OSError:
            shutil.copyfile(blob, link)
    return snapshot


# --- tokenizer -----------------------------------------------------------------------------

def _read_jsonl(file: Path) -> list[dict]:
    """The scenario dialogues of a bundled split (its long tail is left out: this stand-in
    makes its own long dialogues, to DialogSum's length profile)."""
    from labassets.corpus import scenario_records

    with open(file, encoding="utf-8") as handle:
        return scenario_records([json.loads(line) for line in handle if line.strip()])


def corpus_texts(corpus_dir: Path) -> list[str]:
    texts = list(_TEMPLATE_TEXT)
    for name in SPLIT_SOURCES.values():
        for record in _read_jsonl(corpus_dir / name):
            texts.append(record["dialogue"])
            texts.extend(value for key, value in record.items() if key.startswith("summary"))
    return texts


def _filler_pieces(n: int, taken: set[str]) -> list[str]:
    """`n` pronounceable, unused word pieces (what a random model's output decodes to)."""
    onsets = "b c d f g h j k l m n p r s t v w z bl br ch cr dr fl gr kr pl sh st th tr".split()
    vowels = "a e i o u ai ea ie oo ou".split()
    codas = ["", "n", "r", "s", "t", "l", "m", "k", "nd", "st"]
    syllables = [o + v + c for o in onsets for v in vowels for c in codas]
    rng = Random(SEED)
    pieces, seen = [], set(taken)
    while len(pieces) < n:
        word = "".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3))))
        piece = ("▁" if rng.random() < 0.7 else "") + word
        if piece not in seen:
            seen.add(piece)
            pieces.append(piece)
    return pieces


_PIECE = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def learned_pieces(texts: list[str]) -> list[tuple[str, float]]:
    """Word pieces and their Unigram log-probabilities, counted in `texts`.

    A 32k-piece vocabulary learned on web text holds every common English word as one piece,
    digits and punctuation apart: `#Person1#:` is `▁#`, `Person`, `1`, `#`, `:` in FLAN-T5's.
    A Unigram model trained on the small corpus learns other things (`▁#Person1#` whole), so
    the pieces here are counted the web-vocabulary way: each word, number or punctuation mark,
    with `▁` where a space precedes it, plus every printable ASCII character as a fallback.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        for match in _PIECE.finditer(text):
            start = match.start()
            spaced = start == 0 or text[start - 1].isspace()
            counts[("▁" if spaced else "") + match.group()] += 1
    for code in range(33, 127):
        for piece in (chr(code), "▁" + chr(code)):
            counts[piece] += 1
    counts["▁"] += 1
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(piece, math.log(count / total)) for piece, count in ranked]


def build_tokenizer(corpus_dir: Path | None = None):
    """A T5Tokenizer with T5's conventions and size, built offline from the bundled corpus."""
    from transformers import T5Tokenizer

    from labsupport import paths

    specials = ["<pad>", "</s>", "<unk>"]
    learned = learned_pieces(corpus_texts(corpus_dir or paths.CORPUS_DIR))
    n_regular = TOKENIZER_SIZE - EXTRA_IDS - len(specials)
    floor = min(score for _, score in learned) - 10.0
    fillers = _filler_pieces(n_regular - len(learned), {piece for piece, _ in learned})
    vocab = [(piece, 0.0) for piece in specials] + learned + [(piece, floor) for piece in fillers]
    vocab += [(f"<extra_id_{i}>", 0.0) for i in range(EXTRA_IDS - 1, -1, -1)]
    tokenizer = T5Tokenizer(vocab=vocab, extra_ids=EXTRA_IDS, model_max_length=MODEL_MAX_LENGTH)
    assert len(tokenizer) == TOKENIZER_SIZE, len(tokenizer)
    return tokenizer


# --- models --------------------------------------------------------------------------------

def flan_t5_config(size: str):
    """A T5Config with FLAN-T5's traits and the narrow widths of MODEL_SHAPES[size]."""
    from transformers import T5Config

    return T5Config(
        vocab_size=VOCAB_SIZE, feed_forward_proj="gated-gelu", tie_word_embeddings=False,
        relative_attention_num_buckets=32, relative_attention_max_distance=128,
        dropout_rate=0.1, layer_norm_epsilon=1e-6, initializer_factor=1.0,
        decoder_start_token_id=0, pad_token_id=0, eos_token_id=1, n_positions=MODEL_MAX_LENGTH,
        architectures=["T5ForConditionalGeneration"],
        task_specific_params={"summarization": {
            "early_stopping": True, "length_penalty": 2.0, "max_length": 200, "min_length": 30,
            "no_repeat_ngram_size": 3, "num_beams": 4, "prefix": "summarize: "}},
        **MODEL_SHAPES[size],
    )


def model_files(size: str, tokenizer) -> dict[str, bytes]:
    """The files of the simulated google/flan-t5-<size> repository, by name.

    transformers 5 ties T5's `lm_head` to the embeddings whatever the config says, and unties
    them on loading only when the checkpoint holds both with different values, as FLAN-T5's
    does. So the weights are written here with a separately initialised `lm_head`, and
    config.json says `tie_word_embeddings: false`, as FLAN-T5's does (which also turns off
    the decoder-output scaling of the original T5).
    """
    import torch
    from safetensors.torch import save_file
    from transformers import T5ForConditionalGeneration

    torch.manual_seed(SEED + len(size))
    config = flan_t5_config(size)
    model = T5ForConditionalGeneration(config)
    lm_head = torch.empty_like(model.lm_head.weight).normal_(0.0, config.initializer_factor)
    state = {name: tensor.detach().clone().contiguous()
             for name, tensor in model.state_dict().items()
             if not name.endswith("embed_tokens.weight")}
    state["lm_head.weight"] = lm_head
    with tempfile.TemporaryDirectory() as tmp:
        model.generation_config.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        save_file(state, str(Path(tmp) / "model.safetensors"), metadata={"format": "pt"})
        files = {path.name: path.read_bytes() for path in Path(tmp).iterdir() if path.is_file()}
    settings = config.to_dict()
    for name in ("scale_decoder_outputs", "transformers_version"):
        settings.pop(name, None)
    settings["tie_word_embeddings"] = False
    files["config.json"] = (json.dumps(settings, indent=2, sort_keys=True) + "\n").encode()
    return files


# --- DialogSum stand-in --------------------------------------------------------------------

def _speaker_free(turn: str) -> str:
    head, sep, rest = turn.partition(": ")
    return rest if sep and head.startswith("#") else turn


def _render(turns: list[str]) -> str:
    """Turns with alternating speakers (extending a dialogue must not break the alternation)."""
    return "\n".join(f"#Person{1 + index % 2}#: {text}" for index, text in enumerate(turns))


def target_lengths(n: int, rng: Random) -> list[int]:
    """Word counts for `n` dialogues: lognormal quantiles around MEDIAN_WORDS with a long tail.

    Quantiles rather than draws, so that every split, however small, meets the targets.
    """
    normal = statistics.NormalDist(0.0, LOG_SPREAD)
    lengths = [round(MEDIAN_WORDS * pow(2.718281828459045, normal.inv_cdf((i + 0.5) / n)))
               for i in range(n)]
    n_long = max(2, round(LONG_SHARE * n))
    step = (LONG_WORDS[1] - LONG_WORDS[0]) / max(1, n_long - 1)
    for k in range(n_long):
        lengths[n - 1 - k] = round(LONG_WORDS[1] - k * step)
    rng.shuffle(lengths)
    return lengths


def _dialogue_of_length(pool: list[dict], start: int, words: int, rng: Random) -> list[str]:
    """Turns of pool[start], cut (keeping at least 2 turns) or extended with turns of other
    dialogues of the pool until the text has at least `words` words."""
    turns: list[str] = []
    count = 0
    index = start
    while True:
        for turn in pool[index % len(pool)]["dialogue"].split("\n"):
            text = _speaker_free(turn)
            turns.append(text)
            count += len(text.split()) + 1  # the speaker tag counts as a word
            if count >= words and len(turns) >= 2:
                return turns
        index += 1 + rng.randrange(len(pool) - 1)


def dialogsum_rows(corpus_dir: Path | None = None,
                   dialogues: dict[str, int] | None = None) -> dict[str, list[dict[str, str]]]:
    """Rows of train/validation/test in the hub's CSV layout (id, dialogue, summary, topic).

    `dialogues` overrides SPLIT_DIALOGUES for some splits (fewer dialogues, the same length
    profile): the notebook runs use a smaller test split to stay quick.
    """
    from labsupport import paths

    corpus_dir = corpus_dir or paths.CORPUS_DIR
    counts = {**SPLIT_DIALOGUES, **(dialogues or {})}
    if set(counts) != set(SPLIT_DIALOGUES) or min(counts.values()) < 3:
        raise ValueError(f"dialogues per split: at least 3 for each of {list(SPLIT_DIALOGUES)}, "
                         f"got {dialogues}")
    splits = {}
    for offset, (split, n) in enumerate(counts.items()):
        rng = Random(SEED + offset)
        pool = _read_jsonl(corpus_dir / SPLIT_SOURCES[split])
        rows, seen = [], set()
        targets = target_lengths(n, rng)
        shortest = targets.index(min(targets))
        for number, words in enumerate(targets):
            base = pool[number % len(pool)]
            turns = _dialogue_of_length(pool, number % len(pool), words, rng)
            if number == shortest:  # DialogSum has two-turn dialogues; every split gets one
                turns = turns[:2]
            dialogue = _render(turns)
            while dialogue in seen:  # the test split is grouped by dialogue text: keep them apart
                turns.append(_speaker_free(rng.choice(pool)["dialogue"].split("\n")[-1]))
                dialogue = _render(turns)
            seen.add(dialogue)
            if split == "test":
                for k in (1, 2, 3):
                    rows.append({"id": f"test_{number}_{k}", "dialogue": dialogue,
                                 "summary": base[f"summary{k}"], "topic": base[f"topic{k}"]})
            else:
                rows.append({"id": f"{ID_PREFIX[split]}_{number}", "dialogue": dialogue,
                             "summary": base["summary"], "topic": base["topic"]})
        splits[split] = rows
    return splits


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["id", "dialogue", "summary", "topic"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


_DATASET_CARD = """\
---
license: cc-by-nc-sa-4.0
task_categories:
- summarization
language:
- en
---
# DialogSum stand-in (simulated hub)

Written by tests/simulated_hub.py from the bundled corpus: DialogSum's hub layout and
length profile, none of its text.
"""


def dialogue_lengths(rows: list[dict[str, str]]) -> list[int]:
    """Word counts of the distinct dialogues of a split."""
    return [len(dialogue.split()) for dialogue in dict.fromkeys(row["dialogue"] for row in rows)]


# --- the whole cache -----------------------------------------------------------------------

def prepare_datasets_cache(datasets_cache: Path, dataset_dir: Path) -> Path:
    """Write the Arrow files a first online `load_dataset(DATASET_ID)` leaves behind.

    Offline, `datasets` never opens the hub-cache snapshot; it loads the newest prepared
    copy under HF_DATASETS_CACHE/knkarthick___dialogsum/<config>/<version>/<commit>.
    """
    from datasets.packaged_modules.csv.csv import Csv

    commit = dataset_dir.name
    namespace, name = DATASET_ID.split("/")
    final = datasets_cache / f"{namespace}___{name}" / "default" / "0.0.0" / commit
    if final.parent.parent.parent.exists():
        shutil.rmtree(final.parent.parent.parent)
    with tempfile.TemporaryDirectory(dir=datasets_cache.parent) as tmp:
        files = {split: str(dataset_dir / f"{split}.csv") for split in SPLIT_DIALOGUES}
        builder = Csv(cache_dir=tmp, dataset_name=name, hash=commit, data_files=files)
        builder.download_and_prepare()
        final.parent.mkdir(parents=True)
        shutil.move(builder.cache_dir, final)
    return final


def build(out_dir: str | os.PathLike, sizes: tuple[str, ...] = ("small", "base"),
          corpus_dir: Path | None = None, dialogues: dict[str, int] | None = None
          ) -> SimulatedHub:
    """Write the simulated caches under out_dir (hub/ and datasets/); say where they are.
    `dialogues`: dialogues per split where they differ from SPLIT_DIALOGUES."""
    import datasets

    root = Path(out_dir).resolve()
    hub_cache, datasets_cache = root / "hub", root / "datasets"
    hub_cache.mkdir(parents=True, exist_ok=True)
    datasets_cache.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer(corpus_dir)
    models = {}
    for size in sizes:
        models[size] = write_repo(hub_cache, f"google/flan-t5-{size}", model_files(size, tokenizer))
    files = {f"{split}.csv": _csv_bytes(rows)
             for split, rows in dialogsum_rows(corpus_dir, dialogues).items()}
    files["README.md"] = _DATASET_CARD.encode()
    files[".gitattributes"] = b"*.csv filter=lfs diff=lfs merge=lfs -text\n"
    dataset_dir = write_repo(hub_cache, DATASET_ID, files, repo_type="dataset",
                             lfs_suffixes=(".csv",))
    progress = datasets.utils.logging.is_progress_bar_enabled()
    datasets.utils.logging.disable_progress_bar()
    try:
        prepare_datasets_cache(datasets_cache, dataset_dir)
    finally:
        if progress:
            datasets.utils.logging.enable_progress_bar()
    return SimulatedHub(root=root, hub_cache=hub_cache, datasets_cache=datasets_cache,
                        dataset_dir=dataset_dir, models=models)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", help="folder to write the cache into (its hub/ subfolder)")
    parser.add_argument("--models", nargs="+", default=["small", "base"],
                        choices=sorted(MODEL_SHAPES))
    parser.add_argument("--print-env", action="store_true",
                        help="print only NAME=VALUE lines, for `env $(...) pytest ...`")
    parser.add_argument("--dataset-folder", action="store_true",
                        help="load the dataset through LAB_DIALOGSUM instead of by hub id")
    parser.add_argument("--dialogues", nargs="+", default=[], metavar="SPLIT=N",
                        help="dialogues per split where they differ from "
                             f"{SPLIT_DIALOGUES}, e.g. test=24 (the notebook tests' sizes)")
    args = parser.parse_args(argv)
    try:
        dialogues = {split: int(n) for split, n in (item.split("=") for item in args.dialogues)}
    except ValueError:
        parser.error(f"--dialogues takes SPLIT=N items, got {args.dialogues}")
    import torch

    torch.set_num_threads(1)
    hub = build(args.out_dir, tuple(args.models), dialogues=dialogues)
    if args.print_env:
        for name, value in hub.environ(dataset_folder=args.dataset_folder).items():
            print(f"{name}={value}")
        return 0
    for split, rows in dialogsum_rows(dialogues=dialogues).items():
        lengths = dialogue_lengths(rows)
        print(f"# {split}: {len(lengths)} dialogues, {len(rows)} rows, median "
              f"{statistics.median(lengths):.0f} words, "
              f"{sum(n > 250 for n in lengths) / len(lengths):.0%} above 250, "
              f"{sum(n > 600 for n in lengths)} above 600, longest {max(lengths)}")
    print("# a learner's online run, offline (the dataset by hub id from the datasets cache):")
    for name, value in hub.environ().items():
        print(f"export {name}={value}")
    print("# or the dataset as a local folder in the hub's layout:")
    print(f"export LAB_DIALOGSUM={hub.dataset_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
