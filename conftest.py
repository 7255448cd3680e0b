"""Test-run order (the Makefile's test targets, serial or with `-n N --dist loadscope`).

With xdist, a worker gets a whole scope at a time: a notebook (nbval runs its cells in order,
in one kernel) or a test class; `--dist loadgroup` must not be used (it ran a notebook's cells
out of order, each in a fresh kernel). Lab 07, the lab that trains and the longest test, goes
first, so that parallel workers share the rest while it runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TRAINING_LAB = "07"


def _rank(item: pytest.Item) -> int:
    path = Path(str(item.fspath))
    if path.suffix == ".ipynb" and path.name.startswith(TRAINING_LAB):
        return 0
    if path.name == "test_masters_graded.py" and item.cls.__name__.endswith(TRAINING_LAB):
        return 0
    return 1


def pytest_collection_modifyitems(config, items):
    items.sort(key=_rank)
