"""Files the root grader touches: submissions in (regular files only), grades out (private).

Nothing here follows a symbolic link: submissions are listed and opened through a descriptor of
their folder with O_NOFOLLOW and O_NONBLOCK (a FIFO cannot block the open), checked with fstat
before a byte is read, and read up to a size limit. Grades are written through a descriptor of
a folder this process created 0700 (or checked), each file created 0600 with O_EXCL|O_NOFOLLOW
after removing whatever had the name.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".ipynb"


@dataclass
class Submission:
    name: str  # the file name, as found
    text: str | None = None  # its content, when it could be read
    refused: str = ""  # why not, when it could not


def list_submissions(folder: Path, max_bytes: int) -> tuple[list[Submission], list[str]]:
    """Every entry named *.ipynb (any case), read or refused; and the names skipped."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise FileNotFoundError(f"cannot open the folder {folder}: {error.strerror}") from error
    try:
        found, skipped = [], []
        for name in sorted(os.listdir(dir_fd)):
            if name.lower().endswith(SUFFIX):
                found.append(read_submission(dir_fd, name, max_bytes))
            else:
                skipped.append(name)
        return found, skipped
    finally:
        os.close(dir_fd)


def read_submission(dir_fd: int, name: str, max_bytes: int) -> Submission:
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            return Submission(name, refused="a symbolic link, not a file: not read")
        if not stat.S_ISREG(info.st_mode):
            return Submission(name, refused=f"not a regular file ({kind(info.st_mode)}): not read")
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY,
                     dir_fd=dir_fd)
    except OSError as error:
        return Submission(name, refused=f"cannot be opened ({error.strerror}): not read")
    try:
        info = os.fstat(fd)  # what was opened, not what the name meant a moment ago
        if not stat.S_ISREG(info.st_mode):
            return Submission(name, refused=f"not a regular file ({kind(info.st_mode)}): not read")
        if info.st_size > max_bytes:
            return Submission(name, refused=f"larger than {max_bytes >> 20} MiB: not read")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                return Submission(name, refused=f"larger than {max_bytes >> 20} MiB: not read")
    finally:
        os.close(fd)
    try:
        return Submission(name, text=b"".join(chunks).decode("utf-8"))
    except UnicodeDecodeError:
        return Submission(name, refused="not UTF-8 text, so not a notebook: not read")


def kind(mode: int) -> str:
    for test, word in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return word
    return "not a file"


class PrivateFolder:
    """A folder only we can enter, written through its descriptor, never through a link."""

    def __init__(self, path: Path):
        if not path.parent.exists():
            os.makedirs(path.parent, 0o700)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        info = os.fstat(self.fd)
        if info.st_uid != os.geteuid():
            os.close(self.fd)
            raise PermissionError(f"{path} belongs to someone else: choose another folder")
        os.fchmod(self.fd, 0o700)
        self.path = path

    def write(self, name: str, text: str) -> Path:
        try:
            os.unlink(name, dir_fd=self.fd)
        except FileNotFoundError:
            pass
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                     dir_fd=self.fd)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return self.path / name

    def close(self) -> None:
        os.close(self.fd)


def write_private_file(path: Path, text: str) -> None:
    """Write ``path`` 0600, not through a link; its folder is created 0700 if missing."""
    if not path.parent.exists():
        os.makedirs(path.parent, 0o700)
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            os.unlink(path.name, dir_fd=dir_fd)
        except FileNotFoundError:
            pass
        fd = os.open(path.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                     dir_fd=dir_fd)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    finally:
        os.close(dir_fd)
