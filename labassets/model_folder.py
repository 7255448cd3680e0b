"""What the model builders (`tiny_t5`, `tiny_gpt`) share: writing a finished model folder in
one swap, the licence lines of its card, and the command line around a build."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from labsupport import manifest, paths

LICENCE_LINES = [
    "## Licence",
    "Apache-2.0, like the rest of this repository. Trained from scratch here; no weights "
    "or text from other models or datasets.",
    "",
]


def save(model, tokenizer, report: dict, out_dir: Path,
         write_card: Callable[[Path, dict], None]) -> None:
    """Write model, tokenizer, build report and card into a temporary folder first, then swap
    it in whole: an interrupted build never leaves half a model folder behind."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    model.save_pretrained(staging, safe_serialization=True)
    tokenizer.save_pretrained(staging)
    (staging / "build_report.json").write_text(json.dumps(report, indent=2) + "\n")
    write_card(staging / "README.md", report)
    staging.chmod(0o755)  # mkdtemp makes it private; the bundled folder is for everyone
    for file in staging.iterdir():
        file.chmod(0o644)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    staging.rename(out_dir)


def run_builder(argv: list[str] | None, command: str, description: str, bundled_dir: Path,
                build: Callable, settings, smoke_settings) -> int:
    """`python -m labassets <command> [--smoke] [--out DIR] [--corpus DIR]`: build the model;
    a smoke build writes to a temporary folder unless --out is given; a build into the bundled
    folder rewrites the checksums."""
    parser = argparse.ArgumentParser(prog=f"python -m labassets {command}",
                                     description=description)
    parser.add_argument("--out", type=Path, default=bundled_dir)
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, same code path; writes to a temporary folder "
                             "unless --out is given")
    parser.add_argument("--corpus", type=Path, default=paths.CORPUS_DIR)
    args = parser.parse_args(argv)
    if not (args.corpus / "dialogsum.train.jsonl").exists():
        parser.error(f"no corpus at {args.corpus}: run `python -m labassets corpus` first")
    out = args.out
    if args.smoke and out == bundled_dir:
        out = Path(tempfile.mkdtemp(prefix=f"{bundled_dir.name}-smoke-")) / "model"
    report = build(out, smoke_settings if args.smoke else settings, corpus_dir=args.corpus)
    if out == bundled_dir:
        manifest.write_manifest()
    print(json.dumps({k: report[k] for k in ("parameters", "train_steps", "validation_loss",
                                             "build_seconds")}))
    print(f"model written to {out}")
    return 0
