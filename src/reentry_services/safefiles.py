"""Opening files a command reads but does not own: regular files only, never through a
symbolic link, never waiting on a FIFO or a device.

A curation file that links to a secret would be read and quoted in an error; a FIFO named
datapackage.json would hang the command before it says anything. Each file is opened
without following a final symbolic link and without blocking, then refused unless it is a
regular file; folders the caller names may be links (that is the user's choice), entries
inside them may not.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import InputError

_FIX = (
    "put the file itself there: the commands read only regular files, and never follow a "
    "symbolic link or open a FIFO, socket or device"
)


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words."""
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def not_regular(path: Path) -> str | None:
    """Why `path` is not a regular file of its own (seen with lstat, nothing opened), or
    None; a missing path is not this function's concern (None)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    return None if stat.S_ISREG(mode) else kind_of(mode)


def open_regular(path: Path, create: bool = False) -> BinaryIO:
    """`path` opened in binary, if it is a regular file and not a link: for reading, or,
    with `create`, for update and made if missing (never through a link, which would
    write into the file it points to)."""
    flags = os.O_RDWR | os.O_CREAT if create else os.O_RDONLY
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "is a symbolic link", _FIX) from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(path, f"is {kind_of(mode)}, not a regular file", _FIX)
    return os.fdopen(fd, "r+b" if create else "rb")


def read_regular(path: Path) -> bytes:
    """The bytes of `path`, if it is a regular file and not a link."""
    with open_regular(path) as f:
        return f.read()


def resource_path_problems(root: Path, resources: dict) -> list[str]:
    """Resource paths that are absolute, climb out of the root, lead through a symbolic
    link or end in a special file (a FIFO, a device): found from the path's text and lstat
    of the root's own entries only, so nothing is opened."""
    problems = []
    for name, r in resources.items():
        path = r.get("path")
        parts = PurePosixPath(path).parts if isinstance(path, str) else ()
        if (
            not parts
            or path.startswith("/")
            or "\\" in path
            or ".." in parts
            or (len(parts[0]) > 1 and parts[0][1] == ":")
        ):
            problems.append(f"{name}: path {path!r} is not a relative path inside the package")
            continue
        for depth in range(1, len(parts) + 1):
            if (root.joinpath(*parts[:depth])).is_symlink():
                problems.append(
                    f"{name}: {'/'.join(parts[:depth])} is a symbolic link; a "
                    "package holds its files itself"
                )
                break
        else:
            kind = not_regular(root / path)
            if kind:
                problems.append(f"{name}: {path} is {kind}; a package holds regular files")
    return problems


# --- from outputs.files


def sha256_of(path: Path) -> str:
    """The file's SHA-256 (hex)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
