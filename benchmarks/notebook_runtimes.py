"""Time every learner notebook top to bottom, offline, as CI runs it; print a Markdown table.

    LAB_PROFILE=tiny HF_HUB_OFFLINE=1 python benchmarks/notebook_runtimes.py [NOTEBOOK ...]

Each notebook runs in a fresh kernel of this environment, from its own folder.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            allow_errors=False)
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    profile = os.environ.get("LAB_PROFILE", "auto")
    print(f"| notebook | seconds ({profile} profile, {os.cpu_count()} CPUs) |")
    print("|---|---|")
    total = 0.0
    for path in notebooks:
        seconds = run(path)
        total += seconds
        print(f"| `{path.name}` | {seconds:.0f} |", flush=True)
    print(f"| total, one after the other | {total:.0f} |")


if __name__ == "__main__":
    main()
