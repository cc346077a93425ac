"""Reproducibility: the same raw input gives the same bytes, whatever the clock or locale,
and the committed outputs are what a fresh build makes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import RAW, REPO
from test_cli import COMMAND

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook


def files(root: Path) -> dict[str, bytes]:
    """Every published file under root: datapackage.json and all of dist/."""
    published = [root / "datapackage.json", *sorted((root / "dist").rglob("*"))]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in published if p.is_file()}


def test_builds_in_other_time_zones_and_locales_are_byte_identical(built, tmp_path):
    for zone, locale in [("Asia/Tokyo", "ja_JP.UTF-8"), ("America/Los_Angeles", "C")]:
        out = tmp_path / zone.replace("/", "-")
        env = {**os.environ, "TZ": zone, "LC_ALL": locale, "LANG": locale}
        subprocess.run(
            [COMMAND, "build", "--raw", RAW, "--out", out], env=env, check=True, capture_output=True
        )
        assert files(out) == files(built)


def test_builds_under_other_hash_seeds_are_byte_identical(built, tmp_path):
    """rdflib serializes the catalog, and sets iterate in hash order: the bytes must not
    depend on the seed."""
    for seed in ("1", "4242"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [COMMAND, "build", "--raw", RAW, "--out", out], env=env, check=True, capture_output=True
        )
        assert files(out) == files(built)


def test_committed_outputs_match_a_fresh_build(built):
    committed, fresh = files(REPO), files(built)
    assert sorted(committed) == sorted(fresh), "run `make` and commit dist/ and datapackage.json"
    drifted = [name for name in fresh if committed[name] != fresh[name]]
    assert not drifted, f"committed files differ from a fresh build: {drifted}; run `make`"
