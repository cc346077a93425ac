"""Checks: read a release back and check it with the standards' own definitions and the
declarations, one check after another, and report every problem found.

Each check is a function of the release read back (`Release`) that returns a summary and
its problems; `CHECKS` lists them in the order they run. A check never calls a writer: it
reads the files, and compares them with the Table Schemas, HSDS's JSON Schema, the
schema.org terms, the GIF layout and the field declarations. A check that cannot run
(a file missing or unreadable) is a failure with its reason, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..errors import PipelineError, clip, listing
from ..model.readers import read_csv
from ..model.release import JOURNAL, LOCK, build_in_progress
from ..model.schema import Table
from ..safefiles import read_regular, resource_path_problems, sha256_of

DATAPACKAGE = "datapackage.json"


@dataclass(frozen=True)
class Check:
    name: str
    summary: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Release:
    """A release as read back: its root, its descriptor and its resources by name. With
    `thorough`, files are hashed (a build has just hashed what it wrote, so it is not)."""

    root: Path
    descriptor: dict
    thorough: bool = True
    _tables: dict[str, pa.Table] = field(default_factory=dict)
    _digests: dict[Path, tuple[int, str]] = field(default_factory=dict)
    found: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # a pass's findings

    @property
    def resources(self) -> dict[str, dict]:
        return {r["name"]: r for r in self.descriptor["resources"]}

    def path(self, name: str) -> Path:
        """The file of the resource `name`."""
        return self.root / self.resources[name]["path"]

    def path_of_format(self, format_: str) -> Path:
        """The file of the one resource in `format_` (jsonld, ttl, …)."""
        (resource,) = [r for r in self.descriptor["resources"] if r.get("format") == format_]
        return self.root / resource["path"]

    def table(self, declared: Table) -> pa.Table:
        """A published CSV table with its declared types, read once for every check."""
        if declared.name not in self._tables:
            self._tables[declared.name] = read_csv(declared, self.path(declared.name))
        return self._tables[declared.name]

    def digest(self, path: Path) -> tuple[int, str]:
        """(size, sha256) of a file, computed once for every check that asks."""
        if path not in self._digests:
            self._digests[path] = (path.stat().st_size, sha256_of(path))
        return self._digests[path]


CheckFunction = Callable[[Release], tuple[str, list[str]]]


def validate(root: Path, thorough: bool = True) -> list[Check]:
    """Run every check on the release at `root`, in order. A release being written by a
    build, or one whose swap a crashed build left half-done, is reported as that alone."""
    refused = _refused(root)
    if refused:
        return [refused]
    try:
        descriptor = json.loads(read_regular(root / DATAPACKAGE))
        if not all(isinstance(r, dict) and "name" in r for r in descriptor["resources"]):
            raise ValueError("resources is not a list of named resources")
    except (OSError, ValueError, KeyError, TypeError, PipelineError) as exc:
        return [Check("datapackage", f"cannot read {root / DATAPACKAGE}", (clip(str(exc), 300),))]
    release = Release(root, descriptor, thorough)
    unsafe = resource_path_problems(root, release.resources)
    if unsafe:  # refused before anything under them is opened
        return [
            Check("paths", "resource paths stay inside the package, without links", tuple(unsafe))
        ]
    from . import exports, jsonld, package, tables

    checks: list[tuple[str, CheckFunction, bool]] = [  # (name, check, only when thorough)
        ("files", package.check_files, False),
        ("quoted", package.check_quoted, True),
        ("descriptor", package.check_descriptor, False),
        ("rows", tables.check_rows, False),
        ("tables", tables.check_csv_equals_parquet, False),
        ("schema.org", jsonld.check_terms, False),
        ("jsonld", jsonld.check_values, False),
        ("hsds", exports.check_hsds, False),
        ("gif", exports.check_gif, False),
    ]
    return [_run(name, check, release) for name, check, deep in checks if thorough or not deep]


def _refused(root: Path) -> Check | None:
    """A release that cannot be checked now: a build holds it, or a swap is half-done."""
    if build_in_progress(root):
        return Check(
            "release",
            "a build is writing this folder now",
            (
                f"{root / LOCK} is held by a build in progress: the files may change "
                "while they are read; run validate again when the build has ended",
            ),
        )
    if (root / JOURNAL).exists():
        return Check(
            "release",
            "a build stopped while swapping in a new release",
            (
                f"{root / JOURNAL} is there: dist/ and datapackage.json may be from two "
                "releases; run build again to finish the swap",
            ),
        )
    return None


def _run(name: str, check: CheckFunction, release: Release) -> Check:
    try:
        summary, problems = check(release)
    except Exception as exc:  # a broken file must give a report line, not a traceback
        summary, problems = "could not run", [clip(f"{type(exc).__name__}: {exc}", 300)]
    return Check(name, summary, tuple(problems))


def render(root: Path, checks: list[Check]) -> str:
    """The readable report: one line per check, its problems indented under it."""
    lines = [f"validate {root}"]
    for check in checks:
        lines.append(f"  {'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.summary}")
        lines += [f"        {line}" for line in listing(list(check.problems)).splitlines()]
    failed = sum(not c.ok for c in checks)
    lines.append("valid" if not failed else f"INVALID: {failed} check(s) failed")
    return "\n".join(lines)
