"""Where the bundled offline assets live, in one place."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"

CORPUS_DIR = DATA_DIR / "dialogsum-mini"      # dialogsum.{train,dev,test}.jsonl + README.md
TINY_MODEL_DIR = DATA_DIR / "tiny-t5"         # Hugging Face folder layout + README.md
TINY_DECODER_DIR = DATA_DIR / "tiny-gpt"      # decoder-only LM of lab 04, same layout
ROUGE_METRIC_DIR = DATA_DIR / "metrics" / "rouge"  # evaluate metric module (rouge.py)
MANIFEST_FILE = DATA_DIR / "MANIFEST.sha256"  # sha256sum lines for every bundled file

REBUILD_COMMANDS = {
    CORPUS_DIR.name: "python -m labassets corpus",
    TINY_MODEL_DIR.name: "python -m labassets model",
    TINY_DECODER_DIR.name: "python -m labassets decoder",
    "dialogsum-preferences": "python -m labassets preferences",
}
