"""Test-run scheduling for `pytest -n 2 --dist loadgroup` (the Makefile's test targets).

nbval runs a notebook's cells in one kernel, so all of a notebook's items must go to one
worker: each notebook is its own xdist group. Both versions of a lab that trains (the master
and the learner notebook) share a group, so they run one after the other on one worker and
the second loads the first one's trained weights from the training cache (see
labsupport.finetune.TRAINING_CACHE_ENV) instead of waiting for them or training again.
Those groups go first, as the longest jobs, so that the other worker takes everything else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TRAINING_LABS = ("07_",)


def _group(item: pytest.Item) -> str | None:
    path = Path(str(item.fspath))
    if path.suffix != ".ipynb":
        return None
    if path.name.startswith(TRAINING_LABS):
        return f"train-{path.stem}"
    return f"{path.parent.name}/{path.stem}"


def pytest_collection_modifyitems(config, items):
    for item in items:
        group = _group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: not (_group(item) or "").startswith("train-"))
