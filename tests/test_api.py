"""The Python API: load() gives the published tables with their dtypes, in a clone and
from an installed wheel."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
import zipfile

import pandas as pd
import pyarrow as pa
import pytest
from conftest import REPO

import reentry_services
from reentry_services import api
from reentry_services.schema import SECTIONS, SERVICES


def test_docstring_examples_run():
    for module in (api, reentry_services):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("table", [SERVICES, SECTIONS], ids=lambda t: t.name)
def test_load_has_the_published_dtypes(table):
    frame = reentry_services.load(table.name)
    assert list(frame.columns) == table.field_names
    for f in table.fields:
        assert frame[f.name].dtype == pd.ArrowDtype(f.to_arrow().type), f.name


def test_load_rejects_unknown_names():
    with pytest.raises(ValueError, match="services, sections"):
        reentry_services.load("service")


def test_the_wheel_ships_the_data_and_load_reads_it(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            tmp_path,
            REPO,
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("reentry_services-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for table in ("services", "sections"):
        assert f"reentry_services/_data/{table}.parquet" in names
    code = (
        "import reentry_services as r, reentry_services.api as a; "
        "print(r.load('services').shape, a.data_dir())"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split()[:2] == ["(22,", f"{len(SERVICES.fields)})"]
    assert result.stdout.split()[2] == str(tmp_path / "site" / "reentry_services" / "_data")
    assert pa.__version__  # the same Arrow reads the shipped Parquet
