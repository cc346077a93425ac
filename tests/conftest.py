"""Shared fixtures: the real raw directory, editable copies of it, and one real build."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from reentry_services.pipeline import build

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
SHARED = REPO.parent / "shared"
VENDOR = SHARED / "vendor"
SNAPSHOT = RAW / "tokyo-saihan-boushi-page.2026-11-25.txt"

# Under CI the property tests draw their examples from each test's name, not at random, so a
# failure in CI's log is the same failure on every rerun; print_blob shows how to replay one.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


def curated_rows(name: str) -> int:
    """The rows of a curation file, read here with the csv module: the curation has one row
    per resource (services.csv), per addition (additions.csv) and per section
    (sections.csv)."""
    path = RAW / "curation" / name
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for row in csv.DictReader(f) if any(row.values()))


RESOURCES = curated_rows("services.csv")  # one published row each
ADDED = curated_rows("additions.csv")  # the resources the page does not list
ENTRIES = RESOURCES - ADDED  # the page's entries
SECTION_ROWS = curated_rows("sections.csv")


def snapshot_lines() -> list[str]:
    """The real snapshot's lines, read here independently of the package."""
    return SNAPSHOT.read_text(encoding="utf-8").split("\n")


def write_snapshot(raw: Path, data: bytes) -> None:
    """Replace the snapshot in a raw copy and acknowledge it in the sidecar, as a
    maintainer does after reviewing a re-capture."""
    (raw / SNAPSHOT.name).write_bytes(data)
    sidecar = raw / "source.toml"
    digest = hashlib.sha256(data).hexdigest()
    sidecar.write_text(
        re.sub(r'^sha256 = ".*"$', f'sha256 = "{digest}"', sidecar.read_text(), flags=re.M),
        encoding="utf-8",
    )


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A copy of raw/ that a test may edit."""
    copy = tmp_path / "raw"
    shutil.copytree(RAW, copy)
    return copy


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output root of one build of the real raw input."""
    out = tmp_path_factory.mktemp("built")
    build(RAW, out)
    return out


def vendored(relative: str) -> Path:
    """A vendored standard file from ../shared/vendor; skipped outside CI when absent."""
    path = VENDOR / relative
    if not path.exists():
        message = (
            f"{path} is missing: these tests need ../shared/vendor beside the clone "
            "(see the SOURCE.md of each vendored standard for where to get it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
