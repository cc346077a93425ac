"""Hostile input and faults: links where files should be, special files, secrets and
deceptive addresses, control characters, interrupts, concurrent runs, limits. Each ends in
one short, true message, with nothing of the user's read, written or lost."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import subprocess
import threading
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import RAW
from test_cli import COMMAND
from test_faults import edit_curation
from test_reproducible import files

from reentry_services import cli, linkcheck, release

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook

SECRET = "TOKEN=s3cr3t-do-not-print"
CURATED_URL = "https://restanet-tokyo.metro.tokyo.lg.jp/soudan"  # a url_current in services.csv


def command(*args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [COMMAND, *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def assert_one_clear_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "This is a bug" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def release_root(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "out"
    shutil.copytree(built, root)
    return root


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A user's file outside everything the commands own."""
    path = tmp_path / "users-file.txt"
    path.write_text(f"{SECRET}\nthe user's own words\n", encoding="utf-8")
    return path


# --- symbolic links and special files -------------------------------------------------


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(release_root, victim):
    (release_root / release.LOCK).unlink(missing_ok=True)
    (release_root / release.LOCK).symlink_to(victim)
    before = victim.read_bytes()
    result = command("build", "--raw", RAW, "--out", release_root)
    assert_one_clear_error(result, release.LOCK, "symbolic link")
    assert victim.read_bytes() == before


@pytest.mark.parametrize("name", ["services.csv", "paragraphs.csv", "evidence.csv"])
def test_a_curation_file_that_is_a_link_is_refused_unread(raw_copy, tmp_path, victim, name):
    path = raw_copy / "curation" / name
    path.unlink()
    path.symlink_to(victim)
    result = command("build", "--raw", raw_copy, "--out", tmp_path / "out")
    assert_one_clear_error(result, f"{name}: is a symbolic link")
    assert SECRET not in result.stderr


def test_a_sidecar_that_is_a_link_is_refused_unread(raw_copy, tmp_path, victim):
    (raw_copy / "source.toml").unlink()
    (raw_copy / "source.toml").symlink_to(victim)
    result = command("build", "--raw", raw_copy, "--out", tmp_path / "out")
    assert_one_clear_error(result, "source.toml: is a symbolic link")
    assert SECRET not in result.stderr


def test_a_fifo_in_the_curation_is_refused_without_waiting(raw_copy, tmp_path):
    path = raw_copy / "curation" / "sections.csv"
    path.unlink()
    os.mkfifo(path)
    result = command("build", "--raw", raw_copy, "--out", tmp_path / "out", timeout=60)
    assert_one_clear_error(result, "sections.csv: is a FIFO")


def test_a_fifo_named_datapackage_json_is_refused_before_the_lock(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    os.mkfifo(root / "datapackage.json")
    result = command("build", "--raw", RAW, "--out", root, timeout=60)
    assert_one_clear_error(result, "datapackage.json is a FIFO")
    assert sorted(p.name for p in root.iterdir()) == ["datapackage.json"]  # not even a lock


@pytest.mark.parametrize(
    "where", ["datapackage.json", "dist/services.csv", "dist/hsds/services.json"]
)
def test_validate_refuses_a_fifo_without_waiting(release_root, where):
    (release_root / where).unlink()
    os.mkfifo(release_root / where)
    result = command("validate", release_root, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "FIFO" in result.stdout + result.stderr


def test_a_link_named_like_a_temporary_folder_is_named_and_left(release_root, tmp_path):
    elsewhere = tmp_path / "keep-me"
    elsewhere.mkdir()
    (elsewhere / "file").write_text("mine")
    link = release_root / f"{release.STAGING_PREFIX}abc"
    link.symlink_to(elsewhere)
    before = files(release_root)
    result = command("build", "--raw", RAW, "--out", release_root)
    assert_one_clear_error(result, link.name, "symbolic link")
    assert (elsewhere / "file").read_text() == "mine"
    assert files(release_root) == before


def diff_package(built: Path, tmp_path: Path, edit) -> Path:
    """A copy of the built package's descriptor and services table, with `edit` applied to
    the descriptor's resources."""
    root = tmp_path / "package"
    (root / "dist").mkdir(parents=True)
    shutil.copy(built / "dist" / "services.csv", root / "dist" / "services.csv")
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] == "services"]
    edit(descriptor["resources"][0], root)
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


@pytest.mark.parametrize("kind", ["absolute", "climbing", "link"])
def test_diff_refuses_a_resource_path_outside_the_package(built, tmp_path, victim, kind):
    rows = f"service_id,name_ja\n{SECRET},x\n"
    victim.write_text(rows, encoding="utf-8")

    def point_outside(resource: dict, root: Path) -> None:
        if kind == "absolute":
            resource["path"] = str(victim)
        elif kind == "climbing":
            resource["path"] = f"../{victim.name}"
        else:
            (root / "dist" / "services.csv").unlink()
            (root / "dist" / "services.csv").symlink_to(victim)

    package = diff_package(built, tmp_path, point_outside)
    result = command("diff", built, package)
    assert_one_clear_error(result, "refused")
    assert SECRET not in result.stdout + result.stderr


def test_diff_of_a_foreign_services_table_says_what_it_is(built, tmp_path):
    def foreign(resource: dict, root: Path) -> None:
        (root / "dist" / "services.csv").write_text("id,name\n1,x\n", encoding="utf-8")

    result = command("diff", built, diff_package(built, tmp_path, foreign))
    assert_one_clear_error(result, "no service_id column")


def test_diff_reads_a_schema_given_as_a_path(built, tmp_path):
    def schema_by_path(resource: dict, root: Path) -> None:
        (root / "services.schema.json").write_text(json.dumps(resource["schema"]))
        resource["schema"] = "services.schema.json"

    result = command("diff", built, diff_package(built, tmp_path, schema_by_path))
    assert result.returncode == 0, result.stderr
    assert "- changed (0)" in result.stdout
    assert "field" not in result.stdout.split("### Schema")[1].split("###")[0]


# --- secrets and deceptive addresses ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://restanet-tokyo.metro.tokyo.lg.jp@evil.example/soudan",
        "https://user:password@restanet-tokyo.metro.tokyo.lg.jp/soudan",
    ],
)
def test_a_curated_link_with_user_information_is_refused(raw_copy, tmp_path, url):
    edit_curation(raw_copy, "services.csv", f",{CURATED_URL},", f",{url},")
    result = command("build", "--raw", raw_copy, "--out", tmp_path / "out")
    assert_one_clear_error(result, "services.csv", "user information")
    assert "password" not in result.stderr


@pytest.mark.parametrize(
    ("base_url", "problem"),
    [
        ("https://user:password@example.org/release/", "user information"),
        ("https://example.org/?q=/", "query or a fragment"),
        ("https://example.org/release/#/", "query or a fragment"),
        ("https://example.org/release", "does not end in /"),
    ],
)
def test_a_base_url_that_would_mislead_is_refused(tmp_path, base_url, problem):
    out = tmp_path / "out"
    result = command("build", "--raw", RAW, "--out", out, "--base-url", base_url)
    assert_one_clear_error(result, "--base-url", problem)
    assert not (out / "dist").exists()
    assert "password" not in result.stderr  # a secret is not repeated either


@pytest.mark.parametrize(
    ("given", "published"),
    [
        ("HTTPS://EXAMPLE.ORG/Release/", "https://example.org/Release/"),
        ("https://Example.org:8443/open%20data/", "https://example.org:8443/open%20data/"),
    ],
)
def test_a_base_url_is_published_in_one_form_that_validate_accepts(tmp_path, given, published):
    out = tmp_path / "out"
    built = command("build", "--raw", RAW, "--out", out, "--base-url", given)
    assert built.returncode == 0, built.stderr
    catalog = (out / "dist" / "catalog.ttl").read_text(encoding="utf-8")
    assert f"<{published}dist/services.csv>" in catalog
    assert given not in catalog or given == published
    checked = command("validate", out)
    assert checked.returncode == 0, checked.stdout


# --- values that reach people -----------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\x9b"],
    ids=["NUL", "ESC", "BEL", "DEL", "NEL", "CSI"],
)
def test_a_control_character_in_the_curation_is_refused_with_line_and_column(
    raw_copy, tmp_path, char
):
    edit_curation(
        raw_copy, "services.csv", "Tokyo Recidivism Prevention Plan", f"Tokyo{char}[2J Plan"
    )
    lines = (raw_copy / "curation" / "services.csv").read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if char in text)
    column = lines[line - 1].index(char) + 1
    result = command("build", "--raw", raw_copy, "--out", tmp_path / "out")
    assert_one_clear_error(
        result, f"services.csv:{line}:{column}: the text contains the control character"
    )
    assert char not in result.stderr


def test_tab_and_line_breaks_stay_allowed_in_the_curation(raw_copy, tmp_path):
    edit_curation(raw_copy, "services.csv", ",Name quoted from", ',"Name\tquoted\r\nfrom')
    edit_curation(raw_copy, "services.csv", "を策定しました).", 'を策定しました)."')
    result = command("build", "--raw", raw_copy, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr


# --- interrupts: what is in place is what the message says ------------------------------


def interrupt_at(monkeypatch, module, name: str, call: int) -> None:
    """Make the `call`-th call of module.name raise KeyboardInterrupt after it ran."""
    real = getattr(module, name)
    calls = []

    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == call:
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(module, name, wrapped)


@pytest.mark.parametrize(
    ("module", "name", "call", "words", "new_in_place"),
    [
        ("release", "staged_inodes", 1, "the previous release is untouched", False),
        ("release", "put_in_place", 1, "run build again", None),
        ("release", "put_in_place", 2, "run build again", None),
        ("release", "_remove_journal", 1, "the new release is in place", True),
    ],
    ids=["before the swap", "between the exchanges", "after both exchanges", "after the swap"],
)
def test_an_interrupt_says_which_release_is_in_place(
    release_root, raw_copy, monkeypatch, capsys, module, name, call, words, new_in_place
):
    edit_curation(raw_copy, "services.csv", "Tokyo Recidivism Prevention Plan", "Renamed Plan")
    interrupt_at(monkeypatch, release, name, call)
    status = cli.main(["build", "--raw", str(raw_copy), "--out", str(release_root)])
    message = capsys.readouterr().err
    assert status == 130 and message.startswith("interrupted; ") and words in message, message
    services = (release_root / "dist" / "services.csv").read_text(encoding="utf-8")
    if new_in_place is not None:
        assert ("Renamed Plan" in services) == new_in_place
    monkeypatch.undo()
    finished = command("build", "--raw", raw_copy, "--out", release_root)
    assert finished.returncode == 0, finished.stderr
    assert "Renamed Plan" in (release_root / "dist" / "services.csv").read_text(encoding="utf-8")


def test_validate_during_a_build_says_a_build_is_under_way(release_root):
    with open(release_root / release.LOCK, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = command("validate", release_root)
    assert result.returncode == 1
    assert "a build is writing this folder now" in result.stdout
    assert result.stdout.count("FAIL") == 1  # no size or hash mismatches besides
    assert command("validate", release_root).returncode == 0


# --- limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exhausted",
    [
        MemoryError(),
        RuntimeError("can't start new thread"),
        OSError(12, "Cannot allocate memory"),
        pa.ArrowException("Unknown error: Failed to launch worker thread: Resource temporarily"),
        pa.ArrowMemoryError("malloc of size 67108864 failed"),
    ],
    ids=["MemoryError", "thread", "ENOMEM", "Arrow thread", "Arrow malloc"],
)
def test_out_of_memory_is_one_clear_line(release_root, monkeypatch, capsys, exhausted):
    """What Python and Arrow raise when memory or threads run out (seen under ulimit -v at
    380-550 MB on the real page; below that the interpreter or the C libraries abort before
    any Python code can answer), raised where the build normalizes."""

    def exhaust(*args: object) -> None:
        raise exhausted

    monkeypatch.setattr("reentry_services.stages.normalize.normalize", exhaust)
    before = files(release_root)
    status = cli.main(["build", "--raw", str(RAW), "--out", str(release_root)])
    message = capsys.readouterr().err
    assert status == 1 and message.startswith("error: out of memory"), message
    assert len(message.splitlines()) == 1 and "bug" not in message
    assert files(release_root) == before


def test_a_header_of_many_columns_gives_a_short_message_once(raw_copy, tmp_path):
    path = raw_copy / "curation" / "services.csv"
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    extra = ",".join(f"column_{i}" for i in range(100_000))
    path.write_text(f"{header},{extra}\n{rest}", encoding="utf-8")
    result = command("build", "--raw", raw_copy, "--out", tmp_path / "out")
    columns = len(header.split(",")) + 100_000
    assert_one_clear_error(result, f"services.csv:1: the header has {columns} column(s)")
    assert len(result.stderr) < 2_000
    assert result.stderr.count("column_0") == 1


def test_two_link_checks_at_once_each_write_the_file_whole(raw_copy):
    fields = ("url", "checked_on", "http_status", "final_url", "outcome")
    runs = [
        [
            linkcheck.LinkCheck(
                f"https://example.org/{run}/{i}", date(2026, 12, 6), 200, None, "ok"
            )
            for i in range(50)
        ]
        for run in range(2)
    ]
    errors: list[BaseException] = []

    def write_many(checks) -> None:
        try:
            for _ in range(40):
                linkcheck.write_checks(checks, raw_copy)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write_many, args=(checks,)) for checks in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    path = raw_copy / "curation" / linkcheck.CHECKS_FILE
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == fields
    assert [r["url"] for r in rows] in ([c.url for c in checks] for checks in runs)
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".part")]


# --- a newcomer's first hour ------------------------------------------------------------


def test_build_without_a_raw_folder_says_what_it_needs(tmp_path):
    result = subprocess.run(
        [COMMAND, "build", "--out", tmp_path / "out"], capture_output=True, text=True, cwd=tmp_path
    )
    assert_one_clear_error(result, "raw: no raw folder here", "clone of the project's repository")
    assert "restore it from git" not in result.stderr


def test_diff_reports_download_addresses_that_changed(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for root, base in ((old, "https://example.org/a/"), (new, "https://example.org/b/")):
        built = command("build", "--raw", RAW, "--out", root, "--base-url", base)
        assert built.returncode == 0, built.stderr
    result = command("diff", old, new)
    assert result.returncode == 0, result.stderr
    assert "- changed (0)" in result.stdout
    assert "- download addresses changed (" in result.stdout
    assert "https://example.org/a/dist/services.csv → https://example.org/b/dist/services.csv" in (
        result.stdout
    )
