"""The benchmark harness runs end to end on a small size, so it cannot rot. The numbers it
prints here mean nothing; the real runs are in the README."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, RESOURCES

sys.path.insert(0, str(REPO / "benchmarks"))

import run
from generate import generate

from reentry_services.pipeline import build

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook


def test_generated_snapshot_builds_with_every_layout_case(tmp_path):
    generate(120, tmp_path / "raw")
    text = next((tmp_path / "raw").glob("synthetic-*.txt")).read_text(encoding="utf-8")
    assert "/path25/" in text  # a relative link
    assert build(tmp_path / "raw", tmp_path / "out").startswith("built 120 services")
    services = (tmp_path / "out" / "dist" / "services.csv").read_text(encoding="utf-8")
    assert '"missing"' in services and '"relative"' in services


def test_runner_reports_every_ratio(tmp_path):
    report = run.main(
        ["--repeat", "1", "--naive-max", "1000", "--out", str(tmp_path / "r.json"), "real", "60"]
    )
    real, small = report["results"]
    assert real["rows"] == RESOURCES and small["rows"] == 60
    assert {
        "build / F",
        "(build + validate) / F",
        "build / O",
        "build / import pandas",
        "validate / import pandas",
        "naive / build",
    } <= set(real["ratios"])
    assert set(small["stages"]) == {"ingest", "normalize", "publish", "validate"}
    assert all(v > 0 for v in small["naive"].values())
    assert (tmp_path / "r.json").exists()


def test_a_command_reports_its_own_peak_memory_not_its_parents():
    """The benchmark starts commands from a process that may hold gigabytes (the naive peer);
    the command's --timings must not count them."""
    held = b"x" * (600 << 20)  # resident in this process while the command runs
    code = "from reentry_services.timing import peak_rss_kib; print(peak_rss_kib())"
    peak_kib = int(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    assert len(held) and peak_kib < 300 << 10
