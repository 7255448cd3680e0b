"""`python -m labsupport doctor`: one OK/WARN/FAIL line per check, exit 0 when labs can run."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata

import pytest

from labsupport import doctor, paths

STATUS_LINE = re.compile(r"^(OK|WARN|FAIL) ")


def lines_by_check(output: str) -> dict[str, str]:
    """{check name: status} from the doctor's output."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"^(OK|WARN|FAIL)\s+([a-z ]+):", line)
        if match:
            found[match.group(2)] = match.group(1)
    return found


def test_healthy_offline_setup_passes_with_a_hub_warning(fake_data_dir, capsys):
    assert doctor.main([]) == 0
    output = capsys.readouterr().out
    assert all(STATUS_LINE.match(line) for line in output.splitlines())
    statuses = lines_by_check(output)
    assert statuses == {
        "python": "OK", "packages": "OK", "safetensors": "OK", "device": "OK",
        "bundled assets": "OK",
        "rouge metric": "OK", "profile": "OK", "hub": "WARN",
    }
    assert "HF_HUB_OFFLINE" in output
    for package in doctor.KEY_PACKAGES:
        assert f"{package} {metadata.version(package)}" in output
    assert output.splitlines()[-1] == "OK the labs can run here"


def test_corrupt_asset_fails_and_names_the_file(fake_data_dir, corrupt, capsys):
    corrupt(paths.TINY_MODEL_DIR / "model.safetensors")
    assert doctor.main([]) == 1
    output = capsys.readouterr().out
    assert lines_by_check(output)["bundled assets"] == "FAIL"
    assert "data/tiny-t5/model.safetensors" in output
    assert "python -m labassets model" in output


def test_unbuilt_asset_folder_fails(fake_data_dir, capsys):
    lines = paths.MANIFEST_FILE.read_text().splitlines(keepends=True)
    paths.MANIFEST_FILE.write_text("".join(line for line in lines if "dialogsum-mini/" not in line))
    assert doctor.main([]) == 1
    assert "python -m labassets corpus" in capsys.readouterr().out


def test_unreachable_hub_is_only_a_warning(fake_data_dir, monkeypatch, capsys):
    from labsupport import profiles

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(profiles, "hub_can_serve", lambda *args, **kwargs: False)
    assert doctor.main([]) == 0
    output = capsys.readouterr().out
    assert lines_by_check(output)["hub"] == "WARN" and "unreachable" in output


def test_missing_package_fails(fake_data_dir, monkeypatch, capsys):
    real_version = metadata.version

    def version(name):
        if name == "peft":
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(metadata, "version", version)
    assert doctor.main([]) == 1
    output = capsys.readouterr().out
    assert lines_by_check(output)["packages"] == "FAIL" and "missing peft" in output


@pytest.mark.slow  # a subprocess that loads the model stack
def test_module_command_line(monkeypatch):
    usage = subprocess.run(
        [sys.executable, "-m", "labsupport"], capture_output=True, text=True, timeout=60
    )
    assert usage.returncode == 2 and "doctor" in usage.stderr
    run = subprocess.run(
        [sys.executable, "-m", "labsupport", "doctor"],
        capture_output=True, text=True, timeout=120, cwd=paths.REPO_ROOT,
    )
    lines = run.stdout.splitlines()
    assert lines and all(STATUS_LINE.match(line) for line in lines), run.stdout + run.stderr
    assert run.returncode == 0, run.stdout + run.stderr  # this checkout can run the labs
    assert not any(line.startswith("FAIL") for line in lines)


def test_broken_safetensors_install_fails(fake_data_dir, monkeypatch, capsys):
    """Installed (metadata present) but unimportable, e.g. its compiled module deleted."""
    import importlib

    real_import = importlib.import_module

    def import_module(name, *args):
        if name.split(".")[0] == "safetensors":
            raise ImportError("cannot import name '_safetensors_rust'")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", import_module)
    monkeypatch.setitem(sys.modules, "safetensors.torch", None)  # `from ... import` fails too
    assert doctor.main([]) == 1
    output = capsys.readouterr().out
    statuses = lines_by_check(output)
    assert statuses["packages"] == "FAIL" and statuses["safetensors"] == "FAIL"
    assert "cannot import safetensors" in output
    assert output.splitlines()[-1].startswith("FAIL the labs cannot run yet")


def test_a_check_that_raises_is_a_named_failure(fake_data_dir, capsys):
    paths.MANIFEST_FILE.unlink()
    assert doctor.main([]) == 1
    output = capsys.readouterr().out
    assert lines_by_check(output)["bundled assets"] == "FAIL"
    assert "python -m labassets manifest" in output
