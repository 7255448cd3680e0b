"""data/MANIFEST.sha256: format, verification, and messages naming the rebuild command.

Every test works on a temporary copy of data/ (fixture `fake_data_dir`).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess

import pytest

from labsupport import manifest, paths
from labsupport.errors import CorruptAssetError

LINE = re.compile(r"^[0-9a-f]{64}  [^ /][^\n]*$")


def test_manifest_is_in_sha256sum_format_and_covers_every_file(fake_data_dir):
    (fake_data_dir / "metrics" / "rouge" / "__pycache__").mkdir(exist_ok=True)
    (fake_data_dir / "metrics" / "rouge" / "__pycache__" / "rouge.cpython.pyc").write_bytes(b"x")
    manifest.write_manifest()
    lines = paths.MANIFEST_FILE.read_text().splitlines()
    assert all(LINE.match(line) for line in lines)
    listed = [line.split("  ", 1)[1] for line in lines]
    on_disk = sorted(
        path.relative_to(fake_data_dir).as_posix()
        for path in fake_data_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path != paths.MANIFEST_FILE
    )
    assert listed == on_disk
    assert "dialogsum-mini/dialogsum.test.jsonl" in listed
    assert "tiny-t5/model.safetensors" in listed
    assert "metrics/rouge/rouge.py" in listed
    digest = hashlib.sha256((fake_data_dir / "tiny-t5" / "config.json").read_bytes()).hexdigest()
    assert f"{digest}  tiny-t5/config.json" in lines


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
def test_sha256sum_accepts_the_manifest(fake_data_dir):
    result = subprocess.run(
        ["sha256sum", "--check", "--quiet", paths.MANIFEST_FILE.name],
        cwd=fake_data_dir, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_verify_checks_everything_or_one_subfolder(fake_data_dir):
    everything = manifest.verify()
    tiny = manifest.verify("tiny-t5")
    assert set(tiny) < set(everything)
    assert tiny and all(name.startswith("tiny-t5/") for name in tiny)


def test_corrupt_file_is_named_with_its_rebuild_command(fake_data_dir, corrupt):
    corrupt(fake_data_dir / "tiny-t5" / "model.safetensors")
    with pytest.raises(CorruptAssetError) as raised:
        manifest.verify()
    message = str(raised.value)
    assert isinstance(raised.value, RuntimeError)
    assert "data/tiny-t5/model.safetensors: checksum mismatch" in message
    assert "python -m labassets model" in message
    assert "dialogsum-mini" not in message
    manifest.verify("dialogsum-mini")  # other folders are still fine


def test_missing_file_is_named(fake_data_dir):
    (fake_data_dir / "dialogsum-mini" / "dialogsum.train.jsonl").unlink()
    with pytest.raises(CorruptAssetError) as raised:
        manifest.verify("dialogsum-mini")
    message = str(raised.value)
    assert "data/dialogsum-mini/dialogsum.train.jsonl: missing" in message
    assert "python -m labassets corpus" in message


def test_file_without_a_rebuild_command_falls_back_to_git(fake_data_dir, corrupt):
    corrupt(fake_data_dir / "metrics" / "rouge" / "rouge.py")
    restore = re.escape("git checkout -- data/metrics/rouge/rouge.py")
    with pytest.raises(CorruptAssetError, match=restore):
        manifest.verify()


def test_missing_or_malformed_manifest(fake_data_dir):
    paths.MANIFEST_FILE.write_text("not a checksum line\n")
    with pytest.raises(CorruptAssetError, match="line 1"):
        manifest.verify()
    paths.MANIFEST_FILE.unlink()
    with pytest.raises(CorruptAssetError, match="python -m labassets manifest"):
        manifest.verify()
    assert manifest.verify_if_present("tiny-t5") is False


def test_stale_manifest_without_a_subfolder_fails(fake_data_dir):
    lines = paths.MANIFEST_FILE.read_text().splitlines(keepends=True)
    paths.MANIFEST_FILE.write_text("".join(line for line in lines if "tiny-t5/" not in line))
    with pytest.raises(CorruptAssetError, match="lists no file.*labassets manifest"):
        manifest.verify("tiny-t5")


def test_verify_main_reports_ok_and_fail(fake_data_dir, corrupt, capsys):
    assert manifest.verify_main([]) == 0
    assert capsys.readouterr().out.startswith("OK ")
    corrupt(fake_data_dir / "dialogsum-mini" / "dialogsum.dev.jsonl")
    assert manifest.verify_main([]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL data/dialogsum-mini/dialogsum.dev.jsonl")
    assert manifest.write_main([]) == 0
    assert manifest.verify_main([]) == 0


def test_verify_main_fails_on_files_missing_from_the_manifest(fake_data_dir, capsys):
    (fake_data_dir / "tiny-t5" / "extra.txt").write_text("new")
    assert manifest.verify_main([]) == 1
    assert "data/tiny-t5/extra.txt: not in data/MANIFEST.sha256" in capsys.readouterr().out


def test_assets_command_line_dispatches_to_manifest(fake_data_dir, corrupt, capsys):
    from labassets.__main__ import main

    assert main(["verify"]) == 0
    corrupt(fake_data_dir / "tiny-t5" / "config.json")
    assert main(["verify"]) == 1
    assert main(["manifest"]) == 0
    assert main(["verify"]) == 0
    assert "FAIL data/tiny-t5/config.json" in capsys.readouterr().out
