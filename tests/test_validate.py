"""Validate: a good package passes; each kind of damage is caught and reported readably."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import COMMAND

from reentry_services.checks import validate
from reentry_services.checks.tables import same_rows
from reentry_services.standards.tableschema import CANONICAL, CANONICAL_UUID


@pytest.fixture
def package(built, tmp_path) -> Path:
    root = tmp_path / "package"
    shutil.copytree(built, root)
    return root


def failed(root: Path) -> dict[str, tuple[str, ...]]:
    return {c.name: c.problems for c in validate(root) if not c.ok}


# Which metadata files quote each file's size and hash (and so change when it does).
QUOTED_BY = ["dist/services.jsonld", "dist/catalog.ttl", "dist/index.html"]


def rehash(root: Path, relative: str, requote: bool = True) -> None:
    """Record a file's new size and hash wherever the release quotes them (datapackage.json,
    and the JSON-LD, the catalog and the page), so only the check under test can object;
    with requote=False in datapackage.json alone, as a careless forger would."""
    descriptor_path = root / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    data = (root / relative).read_bytes()
    size, sha256 = len(data), hashlib.sha256(data).hexdigest()
    for r in descriptor["resources"]:
        if r["path"] == relative:
            old_size, old_sha256 = r["bytes"], r["hash"].removeprefix("sha256:")
            r["bytes"], r["hash"] = size, f"sha256:{sha256}"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    if old_sha256 == sha256 or not requote:
        return
    for quoting in (
        QUOTED_BY[QUOTED_BY.index(relative) + 1 :] if relative in QUOTED_BY else QUOTED_BY
    ):
        path = root / quoting
        text = path.read_text(encoding="utf-8")
        for old, new in [
            (old_sha256, sha256),
            (f'"{old_size} B"', f'"{size} B"'),
            (f'"{old_size}"^^xsd', f'"{size}"^^xsd'),
            (f">{old_size:,} B<", f">{size:,} B<"),
        ]:
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        rehash(root, quoting)


def edit_jsonld(root: Path, change) -> None:
    path = root / "dist" / "services.jsonld"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["@graph"])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    rehash(root, "dist/services.jsonld")


def test_the_built_package_is_valid(built):
    assert failed(built) == {}


def test_a_changed_byte_is_caught(package):
    path = package / "dist" / "services.csv"
    data = bytearray(path.read_bytes())
    data[-3] = ord("9") if data[-3] != ord("9") else ord("8")
    path.write_bytes(bytes(data))
    problems = failed(package)
    assert any("services.csv has hash" in p for p in problems["files"])
    assert "rows" in problems


def test_a_missing_file_is_caught_without_a_traceback(package):
    (package / "dist" / "services.parquet").unlink()
    result = subprocess.run(
        [COMMAND, "validate", "--root", package], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "dist/services.parquet is missing" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_property_schema_org_does_not_define_is_caught(package):
    edit_jsonld(package, lambda graph: graph[-1].update(telephoneNumberX="03-0000-0000"))
    problems = failed(package)
    assert list(problems) == ["schema.org"]
    assert "property 'telephoneNumberX' is not a schema.org property" in problems["schema.org"][0]


def test_a_property_on_the_wrong_type_is_caught(package):
    edit_jsonld(package, lambda graph: graph[0].update(serviceUrl="https://example.org/"))
    assert "does not apply to Dataset" in failed(package)["schema.org"][0]


def test_a_jsonld_value_that_differs_from_the_csv_is_caught(package):
    def rename(graph):
        graph[-1]["identifier"] = "130001-ffffffffffffffff"

    edit_jsonld(package, rename)
    (problem,) = failed(package)["jsonld"]
    assert problem.endswith("JSON-LD identifier does not hold the CSV's service_id")


def test_csv_and_parquet_that_differ_are_caught(package):
    path = package / "dist" / "sections.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Securing housing", "Housing"), encoding="utf-8"
    )
    rehash(package, "dist/sections.csv")
    assert failed(package)["tables"] == ("sections: the CSV and the Parquet file differ",)


def _batched(values: list[int], cuts: list[int], name: str = "a") -> pa.RecordBatchReader:
    """`values` as a stream of batches cut at `cuts` (empty batches where cuts repeat)."""
    schema = pa.schema([(name, pa.int64())])
    bounds = [0, *sorted(min(c, len(values)) for c in cuts), len(values)]
    batches = [
        pa.record_batch([pa.array(values[i:j], pa.int64())], schema=schema)
        for i, j in itertools.pairwise(bounds)
    ]
    return pa.RecordBatchReader.from_batches(schema, batches)


_VALUES = st.lists(st.integers(0, 2), max_size=10)
_CUTS = st.lists(st.integers(0, 10), max_size=4)


@settings(max_examples=300, deadline=None)
@given(_VALUES, _CUTS, st.one_of(st.none(), _VALUES), _CUTS)
def test_csv_and_parquet_rows_compare_however_they_are_batched(left, left_cuts, other, cuts):
    right = left if other is None else other
    found = same_rows(_batched(left, left_cuts), _batched(right, cuts))
    assert found == (len(left), left == right)


def test_csv_and_parquet_with_other_column_names_differ():
    assert same_rows(_batched([1], []), _batched([1], [], name="b")) == (1, False)


def test_a_broken_foreign_key_is_caught_with_its_rows(package):
    path = package / "dist" / "services.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"housing"', '"housin"'), encoding="utf-8"
    )
    rehash(package, "dist/services.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = [
            n for n, row in enumerate(csv.DictReader(f), start=2) if row["section_code"] == "housin"
        ]
    assert len(rows) == 2
    assert (
        f"services: section_code matches no sections section_code in row {rows[0]}, {rows[1]}"
    ) in failed(package)["rows"]


def test_an_invalid_descriptor_is_caught_by_frictionless(package):
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"][0]["bytes"] = "many"
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert any("'many' is not of type 'integer'" in p for p in failed(package)["descriptor"])


def test_a_broken_hsds_export_is_caught(package):
    path = package / "dist" / "hsds" / "services.csv"
    text = path.read_text(encoding="utf-8")
    first_id = text.splitlines()[1].split(",")[0]
    path.write_text(text.replace(first_id, "not-a-uuid", 1), encoding="utf-8")
    rehash(package, "dist/hsds/services.csv")
    problems = failed(package)
    assert "hsds-services: id is not of type string in row 2" in problems["rows"]
    assert any("ids, names or statuses differ" in p for p in problems["hsds"])


def test_two_hsds_organizations_with_one_id_break_hsds_own_primary_key(package):
    """The bug frictionless with HSDS's datapackage.json found and validate missed: two
    organizations.csv rows with one id."""
    path = package / "dist" / "hsds" / "organizations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1].replace(",", ",別名", 1)]), encoding="utf-8")
    rehash(package, "dist/hsds/organizations.csv")
    rows = len(lines) + 1  # the added row, counting the header as row 1
    # HSDS declares id unique and the primary key (frictionless says it twice; once here)
    assert failed(package) == {
        "rows": (f"hsds-organizations: id repeats a value in row 2, {rows}",)
    }


def test_a_gif_row_that_differs_from_the_services_is_caught(package):
    path = package / "dist" / "gif" / "services.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("相談", "相 談", 1), encoding="utf-8")
    rehash(package, "dist/gif/services.csv")
    assert failed(package)["gif"] == ("gif: 内容 made by 説明文全文 differs from the description",)


def test_a_gif_file_that_cannot_be_read_is_named(package):
    path = package / "dist" / "gif" / "services.csv"
    path.write_text(path.read_text(encoding="utf-8") + "a,b\n", encoding="utf-8")
    rehash(package, "dist/gif/services.csv")
    (problem,) = failed(package)["gif"]
    assert problem.startswith("ArrowInvalid: ") and "CSV parse error" in problem


def test_a_changed_name_in_the_hsds_json_is_caught(package):
    path = package / "dist" / "hsds" / "services.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace('"name":"', '"name":"X', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    rehash(package, "dist/hsds/services.json")
    assert failed(package)["hsds"] == (
        "hsds services.json: ids or names differ from the services table",
    )


uuid_like = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.builds(
        lambda u, place, char: u[:place] + char + u[place + 1 :],
        st.uuids().map(str),
        st.integers(0, 35),
        st.characters(codec="utf-8"),
    ),  # no lone surrogates
    st.text(alphabet="0123456789abcdefA-", min_size=35, max_size=37),
)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(CANONICAL["uri"], fullmatch=True))
def test_a_canonical_uri_is_one_frictionless_accepts(value):
    """rowcheck takes a value matching CANONICAL["uri"] as a uri without asking frictionless."""
    import frictionless

    read = frictionless.Field.from_descriptor(
        {"name": "url", "type": "string", "format": "uri"}
    ).create_value_reader()
    assert read(value) == value


@settings(max_examples=300, deadline=None)
@given(uuid_like)
def test_a_canonical_uuid_is_one_frictionless_accepts(value):
    """rowcheck takes a value matching CANONICAL_UUID as a uuid without asking frictionless;
    frictionless's own reader must agree."""
    import frictionless

    read = frictionless.Field.from_descriptor(
        {"name": "id", "type": "string", "format": "uuid"}
    ).create_value_reader()
    if re.fullmatch(CANONICAL_UUID, value):
        assert read(value) == value


# --- what the release repeats, and paths ------------------------------------------------


def test_an_edit_hidden_by_rehashing_datapackage_json_alone_is_caught(package):
    path = package / "dist" / "data-dictionary.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    rehash(package, "dist/data-dictionary.md", requote=False)
    problems = failed(package)
    assert list(problems) == ["quoted"]
    wheres = {p.split(" says ")[0].split(" gives ")[0] for p in problems["quoted"]}
    assert wheres == {
        "catalog.ttl",
        "services.jsonld (DataDownload)",
        "index.html (embedded JSON-LD) (DataDownload)",
        "index.html (downloads table)",
    }


def test_a_file_no_resource_lists_is_caught(package):
    (package / "dist" / "hsds" / "extra.csv").write_text("id\n")
    assert failed(package) == {
        "files": ("dist/hsds/extra.csv is in the package's folder but no resource lists it",)
    }


def test_a_file_that_is_a_link_to_a_copy_outside_is_refused(package, tmp_path):
    outside = tmp_path / "services.csv"
    shutil.copy(package / "dist" / "services.csv", outside)
    (package / "dist" / "services.csv").unlink()
    (package / "dist" / "services.csv").symlink_to(outside)
    assert failed(package) == {
        "paths": (
            "services: dist/services.csv is a symbolic link; a package holds its files itself",
        )
    }


@pytest.mark.parametrize(
    "path",
    [
        "../../etc/passwd",
        "/etc/hostname",
        "dist/../../x",
        "C:/Windows/win.ini",
        "dist\\services.csv",
    ],
)
def test_a_path_outside_the_package_is_refused_before_it_is_touched(package, path, monkeypatch):
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = path
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    touched = []
    for name in ("stat", "lstat", "open"):
        real = getattr(os, name)
        monkeypatch.setattr(
            os, name, lambda p, *a, _real=real, **k: (touched.append(str(p)), _real(p, *a, **k))[1]
        )
    problems = failed(package)
    monkeypatch.undo()
    assert problems == {
        "paths": (f"sections: path {path!r} is not a relative path inside the package",)
    }
    assert not [t for t in touched if "etc" in t or "win" in t or t.endswith("/x")]


def test_markup_in_the_embedded_json_ld_is_caught(package):
    page = package / "dist" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            '"name": "Sections of the page (CSV)"', '"name": "Sections <!--<script>"', 1
        ),
        encoding="utf-8",
    )
    rehash(package, "dist/index.html")
    assert failed(package) == {
        "quoted": (
            "index.html: the embedded JSON-LD holds '<!--', which ends or escapes a script element",
            "index.html: the embedded JSON-LD holds '<script', which ends or escapes a script "
            "element",
        )
    }


def test_a_gif_summary_longer_than_gif_allows_is_caught(package):
    path = package / "dist" / "gif" / "services.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index("概要")] = "長" * 101  # GIF allows 100 characters
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    rehash(package, "dist/gif/services.csv")
    problems = failed(package)
    assert problems["rows"] == ("gif-services: 概要 is beyond its maxLength 100 in row 2",)
    assert problems["gif"] == ("gif: 概要 made by 説明文全文 differs from the description",)
