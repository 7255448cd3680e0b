"""`python -m labsupport doctor`: can the labs run on this machine?

One line per check, each OK, WARN (worth knowing, not blocking) or FAIL.
The exit status is 0 when nothing FAILs. An unreachable hub is only a WARN:
the `tiny` profile runs the labs offline. Each check imports what it needs
itself, so that a broken package becomes that check's FAIL line instead of a
traceback before any line is printed.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

OK, WARN, FAIL = "OK", "WARN", "FAIL"
MIN_PYTHON = (3, 10)
KEY_PACKAGES = ("torch", "transformers", "safetensors", "tokenizers", "datasets", "evaluate",
                "peft", "accelerate")


@dataclass(frozen=True)
class Check:
    status: str  # OK, WARN or FAIL
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name}: {self.detail}"


def check_python() -> Check:
    version = platform.python_version()
    if sys.version_info[:2] < MIN_PYTHON:
        return Check(FAIL, "python", f"{version}; the labs need {'.'.join(map(str, MIN_PYTHON))}+")
    return Check(OK, "python", version)


def check_packages() -> Check:
    """Each key package is installed *and imports*: an installed but broken package (a file
    deleted, a wrong binary) has metadata but fails on import."""
    versions, missing, broken = [], [], []
    for name in KEY_PACKAGES:
        try:
            version = metadata.version(name)
            importlib.import_module(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
        except Exception as error:  # whatever a broken install raises on import
            broken.append(f"{name} ({type(error).__name__}: {str(error)[:120]})")
        else:
            versions.append(f"{name} {version}")
    problems = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"cannot import {'; '.join(broken)}"] if broken else [])
    if problems:
        return Check(FAIL, "packages",
                     f"{'; '.join(problems)} (run: pip install --force-reinstall -e .)")
    return Check(OK, "packages", ", ".join(versions))


def check_safetensors() -> Check:
    """Weights are loaded from safetensors only: save and load a tensor to prove it works."""
    import tempfile

    import torch
    from safetensors.torch import load_file, save_file

    tensor = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    with tempfile.TemporaryDirectory() as folder:
        file = f"{folder}/check.safetensors"
        save_file({"weight": tensor}, file)
        loaded = load_file(file)["weight"]
    if not torch.equal(loaded, tensor):
        return Check(FAIL, "safetensors", "a saved tensor came back different")
    return Check(OK, "safetensors", "saves and loads weights")


def check_device() -> Check:
    from labsupport.session import pick_device

    device = pick_device()
    note = "" if device != "cpu" else " (no GPU: the tiny and small profiles suit a CPU)"
    return Check(OK, "device", device + note)


def check_assets() -> Check:
    from labsupport import manifest, paths

    found = manifest.problems()
    listed_dirs = {name.split("/", 1)[0] for name in manifest.read_manifest()}
    found += [
        manifest.Problem(name, "not built (the manifest lists no file in it)")
        for name in paths.REBUILD_COMMANDS
        if name not in listed_dirs
    ]
    if found:
        return Check(FAIL, "bundled assets", "; ".join(problem.describe() for problem in found))
    listed = len(manifest.read_manifest())
    unlisted = manifest.unlisted_files()
    if unlisted:
        return Check(
            WARN, "bundled assets",
            f"{listed} files match; not in the manifest: {', '.join(unlisted)}",
        )
    return Check(OK, "bundled assets", f"{listed} files match data/MANIFEST.sha256")


def check_metric() -> Check:
    from labsupport.metrics import rouge

    scores = rouge(["the cat sat on the mat"], ["the cat sat on the mat"])
    if abs(scores["rouge1"] - 1.0) > 1e-9:
        return Check(FAIL, "rouge metric", f"identical texts score {scores}")
    return Check(OK, "rouge metric", "bundled module loads and scores")


def check_profile() -> Check:
    from labsupport.profiles import profile_choice

    _, line = profile_choice()
    return Check(OK, "profile", line)


def check_hub() -> Check:
    from labsupport.profiles import hub_endpoint, hub_offline, hub_reachable

    if hub_offline():
        return Check(WARN, "hub", "not checked (HF_HUB_OFFLINE=1); the tiny profile works offline")
    if hub_reachable():
        return Check(OK, "hub", f"{hub_endpoint()} reachable")
    return Check(
        WARN, "hub", f"{hub_endpoint()} unreachable; the tiny profile works offline"
    )


CHECKS: tuple[tuple[str, Callable[[], Check]], ...] = (
    ("python", check_python),
    ("packages", check_packages),
    ("safetensors", check_safetensors),
    ("device", check_device),
    ("bundled assets", check_assets),
    ("rouge metric", check_metric),
    ("profile", check_profile),
    ("hub", check_hub),
)


def run_checks() -> list[Check]:
    """Run every check; a check that raises is reported as FAIL with its error."""
    results = []
    for name, check in CHECKS:
        try:
            result = check()
        except Exception as error:  # a doctor reports what breaks, whatever it is
            result = Check(FAIL, name, f"{type(error).__name__}: {error}")
        print(result.line(), flush=True)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="python -m labsupport doctor",
        description="Check that the labs can run here (exit status 0 when they can).",
    ).parse_args(argv or [])
    results = run_checks()
    failed = [result.name for result in results if result.status == FAIL]
    if failed:
        print(f"FAIL the labs cannot run yet: fix {', '.join(failed)} (see above)")
        return 1
    print("OK the labs can run here")
    return 0
