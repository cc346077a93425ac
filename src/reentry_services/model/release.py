"""What a release is on disk: its names (dist/, datapackage.json, the lock, the swap's
journal, the temporary folders), the files under it, and whether a build holds it now."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import listing
from ..safefiles import not_regular, open_regular

DIST = "dist"
DATAPACKAGE = "datapackage.json"
NAMES = (DIST, DATAPACKAGE)  # swapped in this order
LOCK = ".reentry-services.lock"
JOURNAL = ".reentry-services-swap.json"
STAGING_PREFIX = ".reentry-services-build-"

# What `python -m build` leaves in dist/ (its default output folder, which is this project's
# release folder) when it is run without --outdir.
PACKAGING_SUFFIXES = (".whl", ".tar.gz")
PACKAGING_FIX = (
    "  fix: they are not part of the release: a plain `python -m build` writes into dist/, "
    "the release folder. Delete them and build packages with `make package` (into "
    "wheelhouse/)"
)


def packaging_output(paths: list[str]) -> str:
    """The wheels and sdists among `paths` (a listing), or "" where there are none."""
    found = [p for p in paths if p.endswith(PACKAGING_SUFFIXES)]
    return f"{len(found)} wheel(s) or sdist(s):\n{listing(found)}" if found else ""


def files_under(root: Path, folder: str) -> list[str]:
    """Every file (and symbolic link) under root/folder, as POSIX paths from root; links
    are not followed."""
    found = []
    for current, dirs, names in os.walk(root / folder):
        links = [d for d in dirs if Path(current, d).is_symlink()]
        found += [Path(current, n).relative_to(root).as_posix() for n in names + links]
    return sorted(found)


def build_in_progress(root: Path) -> bool:
    """Whether a build holds the lock of `root` now (the lock is not taken, only tried)."""
    import fcntl

    path = root / LOCK
    if not_regular(path) or not path.exists():
        return False
    with open_regular(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
