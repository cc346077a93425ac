"""The package as released: `python -m build` makes an sdist and a wheel, each installs
with pip into a clean folder, and load() and `validate` work from either (all offline)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, RESOURCES, SECTION_ROWS

from reentry_services.model.schema import SECTIONS, SERVICES

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
        "reentry_services/py.typed",
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
    expected = f"({RESOURCES}, {len(SERVICES.fields)}) ({SECTION_ROWS}, {len(SECTIONS.fields)})"
    assert where.startswith(str(target)) and shapes == expected
    checked = subprocess.run(
        [sys.executable, "-m", "reentry_services.cli", "validate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith(f"validate {target}") and "valid" in checked.stdout


def test_a_package_left_in_the_release_folder_is_never_packed(tmp_path):
    """A plain `python -m build` writes into dist/; the next package carries the release as
    datapackage.json lists it, not that wheel."""
    clone = tmp_path / "clone"
    shutil.copytree(
        REPO,
        clone,
        ignore=shutil.ignore_patterns(".git", ".venv*", ".node", "wheelhouse", "test-artifacts"),
    )
    (clone / "dist" / "reentry_services-0.0.1-py3-none-any.whl").write_bytes(b"an old wheel")
    (clone / "dist" / "reentry_services-0.0.1.tar.gz").write_bytes(b"an old sdist")
    out = tmp_path / "wheelhouse"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", out, clone],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as packed:
        data = {n for n in packed.namelist() if n.startswith("reentry_services/_data/")}
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    listed = {"datapackage.json", *(r["path"] for r in descriptor["resources"])}
    assert data == {f"reentry_services/_data/{path}" for path in listed}
    (sdist,) = out.glob("*.tar.gz")
    with tarfile.open(sdist) as packed:
        names = {Path(*Path(n).parts[1:]).as_posix() for n in packed.getnames()}
    assert {n for n in names if n.startswith("dist/")} == {
        p for p in listed if p.startswith("dist/")
    }


def test_build_and_validate_name_a_package_left_in_the_release_folder(built, tmp_path):
    root = tmp_path / "release"
    shutil.copytree(built, root)
    (root / "dist" / "reentry_services-0.2.0-py3-none-any.whl").write_bytes(b"a wheel")
    for args in (["build", "--raw", REPO / "raw", "--out", root], ["validate", root]):
        result = subprocess.run(
            [Path(sys.executable).parent / "reentry-services", *map(str, args)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1
        assert "make package" in result.stdout + result.stderr, args
