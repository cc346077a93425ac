"""The output folder: build replaces only a release it wrote, one build at a time, and a
crash at any step of the swap leaves a whole release that the next build finishes."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RAW
from test_cli import COMMAND
from test_faults import edit_curation
from test_reproducible import files

from reentry_services import release
from reentry_services.errors import PipelineError
from reentry_services.pipeline import build
from reentry_services.pipeline import validate as run_validate

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook

NEW_NAME = "Tokyo Shigoto Center (renamed in a test)"


def tree(root: Path) -> dict[str, bytes | str]:
    """Every path under root with its bytes (or "dir"/"link"), hidden files included."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        found[key] = "link" if path.is_symlink() else "dir" if path.is_dir() else path.read_bytes()
    return found


def command(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([COMMAND, *map(str, args)], capture_output=True, text=True)


@pytest.fixture
def other_raw(raw_copy: Path) -> Path:
    """A raw folder whose release differs from the real one in one English name."""
    edit_curation(
        raw_copy,
        "services.csv",
        ",Tokyo Metropolitan Shigoto Center (one-stop employment service centre),",
        f",{NEW_NAME},",
    )
    return raw_copy


@pytest.fixture
def release_root(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "out"
    shutil.copytree(built, root)
    return root


# --- the output folder belongs to the release --------------------------------------

FOREIGN = {
    "dist/ of another project": (
        lambda root: (
            (root / "dist").mkdir() or (root / "dist" / "pkg-1.0.whl").write_bytes(b"wheel")
        ),
        "has no datapackage.json",
    ),
    "another datapackage.json": (
        lambda root: (root / "datapackage.json").write_text('{"name": "other", "resources": []}'),
        "is not a release of reentry-services",
    ),
    "a file that is not JSON": (
        lambda root: (root / "datapackage.json").write_text("notes"),
        "is not a release of reentry-services",
    ),
}


@pytest.mark.parametrize("case", FOREIGN, ids=list(FOREIGN))
def test_a_folder_this_project_did_not_write_is_refused_untouched(tmp_path, case):
    make, words = FOREIGN[case]
    root = tmp_path / "repo"
    root.mkdir()
    make(root)
    before = tree(root)
    result = command("build", "--raw", RAW, "--out", root)
    assert result.returncode == 1 and words in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(root) == before  # not even a lock file


@pytest.mark.parametrize("extra", ["dist/notes.txt", "dist/hsds/mine/a.csv", "dist/raw"])
def test_files_the_release_did_not_write_are_named_and_kept(release_root, extra):
    path = release_root / extra
    path.parent.mkdir(parents=True, exist_ok=True)
    if extra == "dist/raw":
        path.symlink_to(RAW)
    else:
        path.write_text("mine")
    before = tree(release_root)
    result = command("build", "--raw", RAW, "--out", release_root)
    assert result.returncode == 1
    assert "1 file(s) the previous release did not write" in result.stderr
    assert f"  - {extra}\n" in result.stderr
    assert tree(release_root) == before


def test_force_replaces_them(release_root, built):
    (release_root / "dist" / "notes.txt").write_text("mine")
    result = command("build", "--raw", RAW, "--out", release_root, "--force")
    assert result.returncode == 0, result.stderr
    assert files(release_root) == files(built)


def test_a_long_list_of_foreign_files_is_cut_to_ten(release_root):
    for n in range(25):
        (release_root / "dist" / f"mine-{n:02}.txt").write_text("mine")
    result = command("build", "--raw", RAW, "--out", release_root)
    assert "25 file(s)" in result.stderr and "… and 15 more" in result.stderr
    assert result.stderr.count("  - dist/mine-") == 10


def test_a_raw_folder_inside_the_release_is_refused(release_root):
    raw = release_root / "dist" / "raw"
    shutil.copytree(RAW, raw)
    before = tree(release_root)
    result = command("build", "--raw", raw, "--out", release_root, "--force")
    assert result.returncode == 1 and "lies inside" in result.stderr
    assert tree(release_root) == before


@pytest.mark.parametrize("out", ["a file", "/proc/reentry-services-test"])
def test_an_output_folder_that_cannot_be_used_gives_a_message(tmp_path, out):
    if out == "a file":
        out = tmp_path / "out"
        out.write_text("x")
    result = command("build", "--raw", RAW, "--out", out)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert str(out) in result.stderr


# --- crash-safe swap ------------------------------------------------------------------

# Run in a child process: the build of OTHER_RAW into OUT, killed (os._exit, no clean-up
# runs) right after the named step of the swap.
CRASH = """
import os, sys
from pathlib import Path
from reentry_services import outputs
from reentry_services.pipeline import build
from reentry_services import release

point, raw, out, fallback = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
calls = []

def crash_after(module, name, when=lambda: True):
    real = module[name] if isinstance(module, dict) else getattr(module, name)
    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(name)
        if when():
            os._exit(9)
        return result
    if isinstance(module, dict):
        module[name] = wrapped
    else:
        setattr(module, name, wrapped)

if fallback == "yes":
    release._exchange = lambda a, b: False
if point == "writing":
    crash_after(outputs.DATA_WRITERS, "gif")
elif point == "journal written":
    crash_after(release, "_write_journal")
elif point == "dist swapped":
    crash_after(release, "put_in_place")
elif point == "old dist moved aside":  # the two-rename fallback, between its renames
    real_rename = os.rename
    def rename(src, dst):
        real_rename(src, dst)
        if Path(dst).name == "previous-dist":
            os._exit(9)
    release.os.rename = rename
elif point == "both swapped":
    crash_after(release, "put_in_place", lambda: len(calls) == 2)
elif point == "journal removed":
    crash_after(release, "_remove_journal")
build(raw, out)
"""

# The step after which the build stops, and whether the new release is then the one that
# the next build finds in place (rolled forward) or the old one.
CRASH_POINTS = {
    "writing": "old",
    "journal written": "new",
    "dist swapped": "new",
    "old dist moved aside": "new",
    "both swapped": "new",
    "journal removed": "new",
}


@pytest.mark.parametrize("point", CRASH_POINTS, ids=list(CRASH_POINTS))
def test_a_crash_at_each_step_of_the_swap_leaves_a_release_the_next_build_finishes(
    built, release_root, other_raw, point
):
    fallback = "yes" if point == "old dist moved aside" else "no"
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH, point, other_raw, release_root, fallback],
        capture_output=True,
        text=True,
    )
    assert crashed.returncode == 9, crashed.stderr
    names = {p.name for p in release_root.iterdir()}
    # Never neither where names are exchanged atomically: the usual paths show a release at
    # every step. Where they could show the new dist/ beside the old datapackage.json (or,
    # on a file system that cannot exchange, no dist/), the journal says a swap is under way.
    whole = (release_root / "dist").is_dir() and (release_root / "datapackage.json").is_file()
    assert whole or (fallback == "yes" and release.JOURNAL in names)
    if release.JOURNAL not in names:
        assert run_validate(release_root)[0]
    else:
        valid, report = run_validate(release_root)
        assert not valid and "run build again" in report

    with release.locked_output(release_root, other_raw) as output:
        notes = output.notes  # what the next build does first, before it builds anything
    assert not list(release_root.glob(".reentry-services-*"))  # nor the journal
    valid, report = run_validate(release_root)
    assert valid, report
    services = (release_root / "dist" / "services.csv").read_text(encoding="utf-8")
    assert (NEW_NAME in services) == (CRASH_POINTS[point] == "new")
    if CRASH_POINTS[point] == "old":
        assert files(release_root) == files(built)
    said = " ".join(notes)
    expect_journal = point not in ("writing", "journal removed")
    assert ("finished putting in place" in said) == expect_journal
    assert "removed 1 temporary folder(s)" in said or expect_journal


def test_the_next_build_says_what_it_recovered(release_root, other_raw):
    subprocess.run(
        [sys.executable, "-c", CRASH, "dist swapped", other_raw, release_root, "no"],
        capture_output=True,
        check=False,
    )
    result = command("build", "--raw", RAW, "--out", release_root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("finished putting in place the release of a build")
    assert run_validate(release_root)[0]


def test_a_failing_swap_step_is_finished_by_the_next_build(release_root, other_raw, monkeypatch):
    real = release.put_in_place

    def fail_on_datapackage(new, target):
        if target.name == "datapackage.json":
            raise OSError(5, "Input/output error")
        real(new, target)

    monkeypatch.setattr(release, "put_in_place", fail_on_datapackage)
    with pytest.raises(PipelineError, match=r"Input/output error.*run the build again"):
        build(other_raw, release_root)
    monkeypatch.undo()
    assert (release_root / release.JOURNAL).exists()
    build(RAW, release_root)
    assert run_validate(release_root)[0]
    assert not list(release_root.glob(".reentry-services-build-*"))


# --- one build at a time ----------------------------------------------------------------


def test_a_second_build_waits_for_the_lock_and_says_who_holds_it(release_root, other_raw):
    with open(release_root / release.LOCK, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.seek(0)
        held.truncate()
        held.write("4242\n")
        held.flush()
        before = files(release_root)
        waiting = subprocess.Popen(
            [COMMAND, "build", "--raw", other_raw, "--out", release_root],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiting.stderr is not None
        line = waiting.stderr.readline()  # blocks until the build says it waits
        assert "another build (process 4242)" in line
        time.sleep(0.5)
        assert waiting.poll() is None and files(release_root) == before
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert NEW_NAME in (release_root / "dist" / "services.csv").read_text(encoding="utf-8")


def test_two_builds_at_once_leave_one_whole_release(release_root, other_raw):
    runs = [
        subprocess.Popen(
            [COMMAND, "build", "--raw", raw, "--out", release_root],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for raw in (RAW, other_raw)
    ]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    valid, report = run_validate(release_root)
    assert valid, report
    assert not list(release_root.glob(".reentry-services-build-*"))
    assert sorted(p.name for p in release_root.iterdir()) == [
        release.LOCK,
        "datapackage.json",
        "dist",
    ]


def test_the_lock_holder_is_this_process_while_building(release_root):
    with release.locked_output(release_root, RAW):
        assert (release_root / release.LOCK).read_text() == f"{os.getpid()}\n"


def test_a_journal_naming_a_folder_outside_the_root_is_refused(release_root, tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "dist").mkdir(parents=True)
    (release_root / release.JOURNAL).write_text(
        json.dumps({"staging": "../elsewhere", "inodes": {"dist": 1, "datapackage.json": 2}})
    )
    before = tree(release_root)
    with (
        pytest.raises(PipelineError, match="is unreadable"),
        release.locked_output(release_root, RAW),
    ):
        pass
    assert (outside / "dist").is_dir()
    assert {k: v for k, v in tree(release_root).items() if k != release.LOCK} == {
        k: v for k, v in before.items() if k != release.LOCK
    }
