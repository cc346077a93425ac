"""Publish: write every output format into a fresh directory, then swap it in at once.

The previous release stays untouched until every file of the new one is written; a failure
at any point leaves it as it was and removes the temporary files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..normalize import Tables
from .tables import write_csv, write_parquet

DIST = "dist"


def write_dist(tables: Tables, dist: Path) -> None:
    """Write every published file of the tables into `dist`."""
    dist.mkdir(parents=True)
    for name in ("sections", "services"):
        table = getattr(tables, name)
        write_csv(table, dist / f"{name}.csv")
        write_parquet(table, dist / f"{name}.parquet")


def publish(tables: Tables, out_root: Path) -> None:
    """Build the release in a temporary directory under `out_root`, then replace `dist/`."""
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_root))
    try:
        write_dist(tables, staging / DIST)
        _swap_in(staging, out_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, out_root: Path) -> None:
    """Move the staged dist/ into place, keeping the old one until the new one is there."""
    target = out_root / DIST
    retired = staging / "previous"
    if target.exists():
        os.replace(target, retired)
    try:
        os.replace(staging / DIST, target)
    except OSError:
        if retired.exists():
            os.replace(retired, target)
        raise
