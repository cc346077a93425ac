"""Reproducibility: the same raw input gives the same bytes, and the committed outputs match."""

from __future__ import annotations

from pathlib import Path

from conftest import RAW, REPO

from reentry_services.cli import build


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "dist").rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(built, tmp_path):
    build(RAW, tmp_path)
    assert files(tmp_path) == files(built)


def test_committed_outputs_match_a_fresh_build(built):
    committed, fresh = files(REPO), files(built)
    assert sorted(committed) == sorted(fresh), "run `make` and commit dist/"
    drifted = [name for name in fresh if committed[name] != fresh[name]]
    assert not drifted, f"committed files differ from a fresh build: {drifted}; run `make`"
