"""The command line: a build writes the CSVs; bad input exits non-zero with one message."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADDED, RAW, RESOURCES, SECTION_ROWS, SNAPSHOT, write_snapshot

from reentry_services.model.schema import TABLES

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook

COMMAND = Path(sys.executable).parent / "reentry-services"


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([COMMAND, *map(str, args)], capture_output=True, text=True)


def test_build_writes_sorted_csvs(tmp_path):
    result = run("build", "--raw", RAW, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    built = f"built {RESOURCES} services ({ADDED} added to the page's) in {SECTION_ROWS} sections"
    assert built in result.stdout
    for table in TABLES:
        data = (tmp_path / "dist" / f"{table.name}.csv").read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
        rows = list(csv.reader(data.decode("utf-8").splitlines(keepends=False)))
        header, body = rows[0], rows[1:]
        assert header == table.field_names
        keys = [[r[header.index(k)] for k in table.primary_key] for r in body]
        assert keys == sorted(keys)
    assert not list(tmp_path.glob(".build-*"))


def test_bad_input_exits_nonzero_with_file_line_and_fix(tmp_path, raw_copy):
    text = SNAPSHOT.read_text(encoding="utf-8").replace(
        "https://www.tokyoshigoto.jp/", "javascript:alert(1)"
    )
    write_snapshot(raw_copy, text.encode())
    result = run("build", "--raw", raw_copy, "--out", tmp_path)
    assert result.returncode == 1
    assert f"{SNAPSHOT.name}:12: the link 'javascript:alert(1)' is not an http(s) URL" in (
        result.stderr
    )
    assert "fix:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()
