"""Checksums of the bundled assets: data/MANIFEST.sha256.

The manifest is in `sha256sum` format (`<hex>  <path relative to data/>`), so
`cd data && sha256sum -c MANIFEST.sha256` checks it without Python. Loaders
call `verify(subdir)` before reading a bundled asset, so that a truncated or
hand-edited file fails with a message naming it and the command that rebuilds
it, instead of as a puzzling error deep inside a library.
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass
from pathlib import Path

from labsupport import paths
from labsupport.errors import CorruptAssetError

_SKIPPED_DIRS = {"__pycache__"}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Problem:
    """One bundled file that is missing or does not match its checksum."""

    path: str  # relative to data/
    reason: str
    hint: str | None = None  # how to fix it; default: rebuild_hint(path)

    def describe(self) -> str:
        return f"data/{self.path}: {self.reason}. {self.hint or rebuild_hint(self.path)}"


def data_dir() -> Path:
    return paths.DATA_DIR


def manifest_file() -> Path:
    return paths.MANIFEST_FILE


def rebuild_hint(relative_path: str) -> str:
    """How to get a good copy of data/<relative_path> back."""
    restore = f"git checkout -- data/{relative_path}"
    command = paths.REBUILD_COMMANDS.get(relative_path.split("/", 1)[0])
    if command is None:
        return f"Restore it with: {restore}"
    return (
        f"Rebuild it with: {command} (then: python -m labassets manifest), "
        f"or restore the committed copy with: {restore}"
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundled_files() -> list[str]:
    """Every file under data/ that the manifest covers, as sorted posix paths."""
    root, manifest = data_dir(), manifest_file()
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or path == manifest or _is_skipped(relative):
            continue
        found.append(relative.as_posix())
    return sorted(found)


def _is_skipped(relative: Path) -> bool:
    return any(part in _SKIPPED_DIRS or part.startswith(".") for part in relative.parts)


def write_manifest() -> Path:
    """Write data/MANIFEST.sha256 for every bundled file; return its path."""
    root = data_dir()
    lines = [f"{sha256_of(root / name)}  {name}\n" for name in bundled_files()]
    manifest_file().write_text("".join(lines), encoding="utf-8")
    return manifest_file()


def read_manifest() -> dict[str, str]:
    """{relative path: expected sha256} from data/MANIFEST.sha256."""
    manifest = manifest_file()
    if not manifest.is_file():
        raise CorruptAssetError(
            f"{manifest} is missing. Write it with: python -m labassets manifest"
        )
    expected = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64 or not name:
            raise CorruptAssetError(
                f"{manifest} line {number} is not '<sha256>  <path>': {line!r}. "
                "Rewrite it with: python -m labassets manifest"
            )
        expected[name.strip()] = digest.lower()
    return expected


def _select(entries: dict[str, str], subdir: str | None) -> dict[str, str]:
    if subdir is None:
        return entries
    prefix = subdir.strip("/").replace("\\", "/") + "/"
    return {name: digest for name, digest in entries.items() if name.startswith(prefix)}


def problems(subdir: str | None = None) -> list[Problem]:
    """The listed files (optionally only those under data/<subdir>/) that are missing or differ."""
    selected = _select(read_manifest(), subdir)
    if not selected:
        return [Problem(
            subdir or ".", "data/MANIFEST.sha256 lists no file here",
            "Build it if needed, then rewrite the manifest: python -m labassets manifest",
        )]
    found = []
    for name, expected in sorted(selected.items()):
        problem = _check_file(name, expected)
        if problem is not None:
            found.append(problem)
    return found


def _check_file(name: str, expected: str) -> Problem | None:
    path = data_dir() / name
    if not path.is_file():
        return Problem(name, "missing")
    actual = sha256_of(path)
    if actual != expected:
        return Problem(name, f"checksum mismatch (expected {expected[:12]}…, found {actual[:12]}…)")
    return None


def verify(subdir: str | None = None) -> list[str]:
    """Check the bundled files against the manifest; return the names checked.

    Raises CorruptAssetError naming every missing or altered file and how to
    get a good copy back.
    """
    found = problems(subdir)
    if found:
        details = "\n".join(f"  - {problem.describe()}" for problem in found)
        raise CorruptAssetError(f"Bundled asset check failed:\n{details}")
    return sorted(_select(read_manifest(), subdir))


def verify_if_present(subdir: str) -> bool:
    """verify(subdir) when the manifest exists (a fresh checkout has one); False otherwise."""
    if not manifest_file().is_file():
        return False
    verify(subdir)
    return True


def unlisted_files() -> list[str]:
    """Files under data/ that the manifest does not list (it needs rewriting)."""
    listed = read_manifest()
    return [name for name in bundled_files() if name not in listed]


def write_main(argv: list[str]) -> int:
    argparse.ArgumentParser(
        prog="python -m labassets manifest",
        description="Rewrite data/MANIFEST.sha256 from the files under data/.",
    ).parse_args(argv)
    path = write_manifest()
    print(f"OK wrote {path} ({len(read_manifest())} files)")
    return 0


def verify_main(argv: list[str]) -> int:
    argparse.ArgumentParser(
        prog="python -m labassets verify",
        description="Check every bundled file against data/MANIFEST.sha256.",
    ).parse_args(argv)
    try:
        found = problems()
        unlisted = unlisted_files()
    except CorruptAssetError as error:
        print(f"FAIL {error}")
        return 1
    for problem in found:
        print(f"FAIL {problem.describe()}")
    for name in unlisted:
        print(f"FAIL data/{name}: not in data/MANIFEST.sha256. "
              "Rewrite it with: python -m labassets manifest")
    if found or unlisted:
        return 1
    print(f"OK {len(read_manifest())} bundled files match {manifest_file().name}")
    return 0
