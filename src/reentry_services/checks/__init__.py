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
from pathlib import Path

from ..errors import PipelineError, clip, listing
from ..model.release import DATAPACKAGE, JOURNAL, LOCK, build_in_progress
from ..safefiles import read_regular, resource_path_problems
from . import exports, jsonld, package, tables
from .context import Check, Release

CheckFunction = Callable[[Release], tuple[str, list[str]]]

# The checks in the order they run: (name, check, whether only a thorough run makes it: the
# build, which has just measured what it wrote, leaves those to validate).
CHECKS: list[tuple[str, CheckFunction, bool]] = [
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
    return [_run(name, check, release) for name, check, deep in CHECKS if thorough or not deep]


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
