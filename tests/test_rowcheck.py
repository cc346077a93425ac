"""The column-wise row checks against frictionless, the engine they replace in `validate`:
both accept the built package, and both reject each broken one."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import frictionless
import pytest
from test_validate import rehash

from reentry_services.checks import validate
from reentry_services.outputs import DATAPACKAGE
from reentry_services.standards import tableschema

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook


def edit_rows(root: Path, table: str, change) -> None:
    """Apply `change` to the table's rows (header first, as lists of cells) and record the
    file's new size and hash, so that only the row checks can object."""
    path = root / "dist" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    rehash(root, f"dist/{table}.csv")


def cell(table_rows: list[list[str]], row: int, column: str, value: str) -> None:
    table_rows[row][table_rows[0].index(column)] = value


BROKEN = {
    "not an integer": ("services", lambda r: cell(r, 1, "source_line_start", "x")),
    "below the minimum": ("services", lambda r: cell(r, 2, "source_line_end", "0")),
    "not a boolean": ("services", lambda r: cell(r, 3, "name_ja_in_description", "maybe")),
    "not a date": ("services", lambda r: cell(r, 4, "snapshot_date", "2026-02-30")),
    "a required value missing": ("services", lambda r: cell(r, 5, "name_ja", "")),
    "a repeated primary key": ("services", lambda r: cell(r, 6, "service_id", r[7][0])),
    "a pattern broken": ("services", lambda r: cell(r, 8, "service_id", "abc")),
    "an unknown code": ("services", lambda r: cell(r, 9, "resource_type", "castle")),
    "a foreign key to nothing": ("services", lambda r: cell(r, 10, "section_code", "nowhere")),
    "an extra cell": ("services", lambda r: r[11].append("x")),
    "a missing cell": ("services", lambda r: r[12].pop()),
    "a renamed column": ("services", lambda r: cell(r, 0, "url", "link")),
    "a blank row": ("services", lambda r: r.insert(13, [""] * len(r[0]))),
    "a repeated section": ("sections", lambda r: r.append(list(r[1]))),
    "a section order that is not a number": (
        "sections",
        lambda r: cell(r, 2, "section_order", "two"),
    ),
}


@pytest.fixture
def package(built, tmp_path) -> Path:
    root = tmp_path / "package"
    shutil.copytree(built, root)
    return root


def frictionless_row_errors(root: Path) -> list[str]:
    report = frictionless.validate(str(root / DATAPACKAGE))
    return [e.type for task in report.tasks for e in task.errors] + [e.type for e in report.errors]


def test_both_engines_accept_the_built_package(built):
    assert frictionless_row_errors(built) == []
    assert tableschema.check_tables(built, _descriptor(built))[1] == []


@pytest.mark.parametrize("damage", BROKEN)
def test_both_engines_reject_a_broken_package(package, damage):
    table, change = BROKEN[damage]
    edit_rows(package, table, change)
    errors = frictionless_row_errors(package)
    assert errors, f"frictionless accepts {damage}"
    assert not {"hash-count", "byte-count"} & set(errors), "only the rows may differ"
    problems = tableschema.check_tables(package, _descriptor(package))[1]
    assert problems, f"the row checks accept {damage}"
    assert [c.name for c in validate(package) if not c.ok][:1] == ["rows"]


def test_a_problem_names_the_rows_as_frictionless_numbers_them(package):
    edit_rows(package, "services", lambda r: cell(r, 3, "source_line_start", "x"))
    report = frictionless.validate(str(package / DATAPACKAGE))
    (error,) = [e for task in report.tasks for e in task.errors]
    problems = tableschema.check_tables(package, _descriptor(package))[1]
    assert problems == [
        f"services: source_line_start is not of type integer in row {error.row_number}"
    ]


def _descriptor(root: Path) -> dict:
    return json.loads((root / DATAPACKAGE).read_text(encoding="utf-8"))


def test_bounds_lengths_and_composite_keys_are_checked(tmp_path):
    (tmp_path / "t.csv").write_text("a,b,n\nx,1,5\nx,1,50\nlonger,2,\n", encoding="utf-8")
    schema = {
        "fields": [
            {"name": "a", "type": "string", "constraints": {"maxLength": 3}},
            {"name": "b", "type": "integer"},
            {"name": "n", "type": "integer", "constraints": {"maximum": 10}},
        ],
        "primaryKey": ["a", "b"],
    }
    descriptor = {"resources": [{"name": "t", "type": "table", "path": "t.csv", "schema": schema}]}
    rows, problems = tableschema.check_tables(tmp_path, descriptor)
    assert rows == 3
    assert problems == [
        "t: a is beyond its maxLength 3 in row 4",
        "t: n is beyond its maximum 10 in row 3",
        "t: a+b repeats a value in row 2, 3",
    ]


@pytest.mark.parametrize(
    ("kind", "fmt", "good", "bad"),
    [
        ("number", None, "1.5", "1.5.0"),
        ("datetime", None, "2026-11-25T10:00:00", "2026-11-25"),
        ("string", "uuid", "{12345678-1234-5678-1234-567812345678}", "1234"),
        ("string", "email", "a@example.org", "a@@example"),
        ("string", "uri", "https://example.org/a", "example.org/a"),
    ],
)
def test_other_types_and_formats_are_checked_as_frictionless_checks_them(
    tmp_path, kind, fmt, good, bad
):
    import frictionless

    field = {"name": "x", "type": kind} | ({"format": fmt} if fmt else {})
    (tmp_path / "t.csv").write_text(f"x\n{good}\n{bad}\n", encoding="utf-8")
    descriptor = {
        "name": "p",
        "resources": [
            {"name": "t", "type": "table", "path": "t.csv", "schema": {"fields": [field]}}
        ],
    }
    assert tableschema.check_tables(tmp_path, descriptor)[1] == [
        f"t: x is not of type {kind} in row 3"
    ]
    report = frictionless.Package(descriptor, basepath=str(tmp_path)).validate()
    assert [e.row_number for e in report.tasks[0].errors] == [3]
