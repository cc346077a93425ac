"""The output folder: who owns it, one build at a time, and a swap that survives a crash.

A release is `dist/` plus `datapackage.json` under the output root. A build:

1. refuses, before touching anything, a `dist/` or `datapackage.json` that is not a release
   of this project, or a `dist/` holding files the release did not write (unless forced);
2. takes an advisory lock on the root (`.reentry-services.lock`), waiting for a build that
   holds it;
3. finishes the swap of a build that crashed midway, and removes the temporary folders
   that crashed builds left;
4. writes the new release into a temporary folder beside the old one, then swaps it in: a
   journal names the new release's files, each name is exchanged atomically, and the
   journal is removed. A crash during the swap leaves the journal, and the next build
   (or a rerun of this one) rolls the swap forward.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PipelineError, listing
from .model import metadata
from .model.release import (
    DATAPACKAGE,
    DIST,
    JOURNAL,
    LOCK,
    NAMES,
    PACKAGING_FIX,
    STAGING_PREFIX,
    files_under,
    packaging_output,
)
from .safefiles import not_regular, open_regular, read_regular

RELEASE_ID = metadata.iri("dataset", metadata.NAME)


@dataclass
class Output:
    """An output root this process holds the lock of; `notes` say what was recovered;
    `staged` the inodes of the new release's names once it is about to be swapped in."""

    root: Path
    notes: list[str] = field(default_factory=list)
    staged: dict[str, int] | None = None

    def where_it_stands(self) -> str:
        """Which release the usual paths show now, for a build stopped at any point."""
        if self.staged is None:
            return "the previous release is untouched"
        in_place = [_inode(self.root / name) == inode for name, inode in self.staged.items()]
        if (self.root / JOURNAL).exists():
            return (
                "the new release was being put in place: run build again (or the next build "
                "will) to finish the swap; until then validate reports the swap under way"
            )
        if all(in_place):
            return "the new release is in place; the next build removes the previous one"
        return "the previous release is untouched"


@contextlib.contextmanager
def locked_output(root: Path, raw: Path, force: bool = False) -> Iterator[Output]:
    """Check that the release under `root` may be replaced, then hold the root's lock,
    with any crashed build's swap finished and its temporary folders removed."""
    check_replaceable(root, raw, force)  # read-only: a refusal touches nothing
    root.mkdir(parents=True, exist_ok=True)
    with _lock(root):
        output = Output(root)
        _recover(output)
        check_replaceable(root, raw, force)  # again: the folder may have changed meanwhile
        yield output


def check_replaceable(root: Path, raw: Path, force: bool) -> None:
    """Refuse to replace what is not a release this project wrote."""
    if root.exists() and not root.is_dir():
        raise PipelineError(
            f"--out {root} is a file, not a folder; give the folder that "
            "holds (or will hold) dist/ and datapackage.json"
        )
    dist = root / DIST
    if _inside(raw, dist) or _inside(raw, root / DATAPACKAGE):
        raise PipelineError(
            f"--raw {raw} lies inside {dist}, which the build replaces; keep "
            "the raw folder outside the release"
        )
    for name in NAMES:
        kind = not_regular(root / name)
        if kind and kind != ("a folder" if name == DIST else None):
            raise PipelineError(
                f"{root / name} is {kind}, which a release never holds; the build neither "
                "follows nor opens it. Move it away, or build into another folder (--out)"
            )
    if (root / JOURNAL).exists() or force:
        return  # a crashed swap: checked once it is finished; --force: replaced regardless
    descriptor = _descriptor(root / DATAPACKAGE)
    if descriptor is None and not dist.exists():
        return
    if descriptor is None:
        raise PipelineError(
            f"{dist} exists but has no {DATAPACKAGE} beside it, so it is not "
            "a release of reentry-services; the build would replace it. Build "
            "into another folder (--out), or pass --force to replace it"
        )
    if descriptor.get("id") != RELEASE_ID:
        raise PipelineError(
            f"{root / DATAPACKAGE} is not a release of reentry-services (its "
            f"id is {descriptor.get('id')!r}); build into another folder "
            "(--out), or pass --force to replace it"
        )
    foreign = _foreign_files(root, descriptor)
    packages = packaging_output(foreign)
    if packages:
        raise PipelineError(f"{dist} holds {packages}\n{PACKAGING_FIX}")
    if foreign:
        raise PipelineError(
            f"{dist} holds {len(foreign)} file(s) the previous release did not write, which "
            f"the build would delete:\n{listing(foreign)}\nmove them out of {dist}, or pass "
            "--force to delete them with the old release"
        )


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _descriptor(path: Path) -> dict | None:
    """The parsed datapackage.json, None when there is none; a file that is not a JSON
    object counts as foreign (an empty dict)."""
    if not os.path.lexists(path):
        return None
    try:
        data = json.loads(read_regular(path))
    except (OSError, ValueError, PipelineError):
        return {}
    return data if isinstance(data, dict) else {}


def _foreign_files(root: Path, descriptor: dict) -> list[str]:
    """Paths under dist/ that no resource of the descriptor lists (symlinks included)."""
    resources = descriptor.get("resources")
    listed = (
        {r.get("path") for r in resources if isinstance(r, dict)}
        if isinstance(resources, list)
        else set()
    )
    return [p for p in files_under(root, DIST) if p not in listed or (root / p).is_symlink()]


@contextlib.contextmanager
def _lock(root: Path) -> Iterator[None]:
    """Hold the root's advisory lock; say who holds it while waiting for it."""
    import fcntl

    path = root / LOCK
    with io.TextIOWrapper(open_regular(path, create=True), "ascii", "replace") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            print(
                f"waiting: another build (process {holder}) is writing {root}; this one "
                f"goes on when it ends (lock: {path})",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


@contextlib.contextmanager
def staged_release(output: Output) -> Iterator[Path]:
    """A temporary folder under the root to write the release into. When the block ends
    normally, its dist/ and datapackage.json replace the published ones; when it raises,
    they are discarded and the previous release stays as it was."""
    root = output.root
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    except OSError as exc:
        raise PipelineError(
            f"cannot write under {root}: {exc.strerror}; the previous release is untouched"
        ) from None
    try:
        yield staging
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PipelineError(
            f"could not write the release under {root}: {exc}; the previous release is untouched"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    output.staged = staged_inodes(staging)
    try:
        swap_in(staging, root)
    except OSError as exc:  # the journal (if written) lets the next build finish the swap
        raise PipelineError(
            f"could not put the new release in place under {root}: {exc}; "
            "run the build again: it finishes or discards the swap"
        ) from None
    shutil.rmtree(staging, ignore_errors=True)  # now the old release


def swap_in(staging: Path, root: Path) -> None:
    """Put the staged release in place: journal, exchange each name, drop the journal."""
    journal = {"staging": staging.name, "inodes": staged_inodes(staging)}
    _write_journal(root, journal)
    _roll_forward(root, journal)
    _remove_journal(root)


def staged_inodes(staging: Path) -> dict[str, int]:
    """The inode of each name of the release staged in `staging`."""
    return {name: (staging / name).stat().st_ino for name in NAMES}


def _write_journal(root: Path, journal: dict) -> None:
    part = root / f"{JOURNAL}.part"
    with open(part, "w", encoding="utf-8") as f:
        json.dump(journal, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, root / JOURNAL)
    _sync_folder(root)


def _remove_journal(root: Path) -> None:
    (root / JOURNAL).unlink()
    _sync_folder(root)


def _roll_forward(root: Path, journal: dict) -> None:
    """Put each staged name in place that is not there yet (by its inode); the old one
    goes to the staging folder, to be removed with it."""
    staging = root / journal["staging"]
    for name in NAMES:
        target, new = root / name, staging / name
        if _inode(target) == journal["inodes"][name]:
            continue
        if _inode(new) != journal["inodes"][name]:
            raise PipelineError(
                f"{root / JOURNAL} names a new {name} that is neither in "
                f"place nor in {staging}; remove the journal and rebuild"
            )
        put_in_place(new, target)
    _sync_folder(root)


def put_in_place(new: Path, target: Path) -> None:
    """Move `new` to `target`; an existing target is exchanged with it in one step, so
    the name always shows the old or the new, never nothing."""
    if not os.path.lexists(target):
        os.rename(new, target)
    elif not _exchange(new, target):  # the file system cannot exchange: two renames
        os.rename(target, new.with_name(f"previous-{new.name}"))
        os.rename(new, target)


def _recover(output: Output) -> None:
    """Finish a swap a crashed build left half-done; remove crashed builds' folders."""
    root = output.root
    journal_path = root / JOURNAL
    if journal_path.exists():
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            journal = {"staging": journal["staging"], "inodes": dict(journal["inodes"])}
            staging = journal["staging"]
            if not (
                isinstance(staging, str)
                and staging.startswith(STAGING_PREFIX)
                and "/" not in staging
                and "\\" not in staging
                and ".." not in staging
            ):
                raise ValueError("the journal names no staging folder of this root")
        except (OSError, ValueError, KeyError, TypeError):
            raise PipelineError(
                f"{journal_path} is unreadable; it is written only while a "
                "release is swapped in. Check that dist/ and datapackage.json "
                "are whole (reentry-services validate), then delete it"
            ) from None
        _roll_forward(root, journal)
        _remove_journal(root)
        output.notes.append(
            f"finished putting in place the release of a build that stopped "
            f"while swapping it in ({journal['staging']})"
        )
    stale = sorted(root.glob(f"{STAGING_PREFIX}*"))
    for entry in stale:
        kind = not_regular(entry)
        if kind != "a folder":
            raise PipelineError(
                f"{entry} is {kind or 'a file'}, named like a build's temporary folder; the "
                "build neither follows nor removes what it did not make: remove it yourself"
            )
    for folder in stale:
        shutil.rmtree(folder)
    if stale:
        output.notes.append(
            f"removed {len(stale)} temporary folder(s) left by builds that "
            f"did not finish: {', '.join(p.name for p in stale)}"
        )
    (root / f"{JOURNAL}.part").unlink(missing_ok=True)


def _inode(path: Path) -> int | None:
    try:
        return path.lstat().st_ino
    except FileNotFoundError:
        return None


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (Linux renameat2); False where it is not supported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
