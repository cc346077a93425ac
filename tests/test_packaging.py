"""The package as released: `python -m build` makes an sdist and a wheel, each installs
with pip into a clean folder, and load() and `validate` work from either (all offline)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from reentry_services.schema import SERVICES

pytestmark = pytest.mark.slow  # builds and installs the package


@pytest.fixture(scope="module")
def built_package(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", out, REPO],
        check=True,
        capture_output=True,
    )
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def test_both_carry_the_licences_and_the_wheel_the_release(built_package):
    with tarfile.open(built_package["sdist"]) as sdist:
        names = {Path(*Path(n).parts[1:]).as_posix() for n in sdist.getnames()}
    assert {
        "LICENSE",
        "LICENSES/CC-BY-4.0.txt",
        "datapackage.json",
        "dist/services.parquet",
        "raw/source.toml",
    } <= names
    with zipfile.ZipFile(built_package["wheel"]) as wheel:
        names = set(wheel.namelist())
    licences = {n.split("/licenses/", 1)[1] for n in names if "/licenses/" in n}
    assert {"LICENSE", "LICENSES/CC-BY-4.0.txt"} <= licences
    assert {
        "reentry_services/_data/datapackage.json",
        "reentry_services/_data/dist/services.parquet",
        "reentry_services/_data/dist/hsds/services.json",
    } <= names


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installed_from_either_it_loads_and_validates(built_package, kind, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--target",
            target,
            built_package[kind],
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import reentry_services as r; print(r.__file__); "
        "print(r.load('services').shape, r.load('sections').shape)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    where, shapes = loaded.stdout.splitlines()
    assert where.startswith(str(target)) and shapes == f"(22, {len(SERVICES.fields)}) (7, 10)"
    checked = subprocess.run(
        [sys.executable, "-m", "reentry_services.cli", "validate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith(f"validate {target}") and "valid" in checked.stdout
