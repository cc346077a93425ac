"""The maintainers' guides in docs/architecture.md, followed step by step."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from conftest import RAW, REPO
from rdflib import Graph, Namespace

from reentry_services import outputs
from reentry_services.model.records import PublishedFile
from reentry_services.outputs import registry
from reentry_services.pipeline import build, validate

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")


def test_adding_a_format_is_one_registry_entry_and_one_writer(tmp_path, monkeypatch):
    """ "Add a format": declare the output in registry.OUTPUTS, register its writer."""
    tsv = PublishedFile(
        "services-tsv",
        "dist/services.tsv",
        "tsv",
        "text/tab-separated-values",
        "Support resources (TSV)",
        eu_file_type="TSV",
        format_label="TSV",
        writer="tsv",
        of="services",
    )

    def write_tsv(release, files):
        for f in files:
            options = pacsv.WriteOptions(delimiter="\t", quoting_style="none")
            pacsv.write_csv(
                release.table(f).select(["service_id", "name_ja"]), release.path(f), options
            )

    data = [o for o in registry.OUTPUTS if o.role == "data"]
    metadata = [o for o in registry.OUTPUTS if o.role == "metadata"]
    monkeypatch.setattr(registry, "OUTPUTS", (*data, tsv, *metadata))
    monkeypatch.setitem(outputs.DATA_WRITERS, "tsv", write_tsv)
    build(RAW, tmp_path)

    dist = tmp_path / "dist"
    assert (
        (dist / "services.tsv").read_text(encoding="utf-8").startswith('"service_id"\t"name_ja"\n')
    )
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "services-tsv"]
    assert resource["mediatype"] == "text/tab-separated-values" and resource["bytes"] > 0
    catalog = Graph().parse(
        dist / "catalog.ttl", format="turtle", publicID=(dist / "catalog.ttl").resolve().as_uri()
    )
    (distribution,) = [
        d
        for d in catalog.subjects(DCAT.downloadURL, None)
        if str(catalog.value(d, DCAT.downloadURL)).endswith("/services.tsv")
    ]
    assert str(catalog.value(distribution, DCT["format"])).endswith("/file-type/TSV")
    jsonld = json.loads((dist / "services.jsonld").read_text(encoding="utf-8"))
    assert "services.tsv" in [d["contentUrl"] for d in jsonld["@graph"][0]["distribution"]]
    assert 'href="services.tsv"' in (dist / "index.html").read_text(encoding="utf-8")
    valid, report = validate(tmp_path)
    assert valid, report


def test_the_registry_declares_every_published_file_once(built: Path):
    published = sorted(
        p.relative_to(built).as_posix() for p in (built / "dist").rglob("*") if p.is_file()
    )
    declared = [o.path for o in registry.OUTPUTS]
    assert sorted(declared) == published and len(set(declared)) == len(declared)
    assert {o.writer for o in registry.OUTPUTS if o.role == "data"} == set(outputs.DATA_WRITERS)
    assert {o.writer for o in registry.OUTPUTS if o.role == "metadata"} == set(
        outputs.METADATA_WRITERS
    )


def guide_field() -> str:
    """The Field the "Add a column" guide of docs/architecture.md shows, as it shows it."""
    guide = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = guide.split("## Add a column", 1)[1].split("\n## ", 1)[0]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    lines = [line.removeprefix("   ") for line in block.strip().splitlines()]
    assert lines[0] == "(" and lines[-1] == ")"  # a tuple's item, as the guide shows it
    return "".join(f"    {line}\n" for line in lines[1:-1])


def test_adding_a_curated_column_is_one_field_and_one_csv_column(tmp_path, raw_copy):
    """ "Add a column": a Field in schema.py, a column in the curation CSV; nothing else."""
    import csv
    import shutil
    import subprocess
    import sys

    import reentry_services

    package = tmp_path / "src" / "reentry_services"
    shutil.copytree(
        Path(reentry_services.__file__).parent,
        package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    schema = package / "model" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    anchor = '        Field(\n            name="description_ja",'
    assert text.count(anchor) == 1
    schema.write_text(text.replace(anchor, guide_field() + anchor), encoding="utf-8")

    curation = raw_copy / "curation" / "services.csv"
    with curation.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("audience") + 1  # where the field stands among the curated ones
    for number, row in enumerate(rows):
        row.insert(at, "phone_ja" if number == 0 else ("03-5211-2851" if number == 7 else ""))
    with curation.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)

    def run(*args: object) -> subprocess.CompletedProcess:
        code = "import sys; from reentry_services.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run(
            [sys.executable, "-c", code, *map(str, args)],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin"},
        )

    out = tmp_path / "out"
    built = run("build", "--raw", raw_copy, "--out", out)
    assert built.returncode == 0, built.stderr
    with (out / "dist" / "services.csv").open(encoding="utf-8", newline="") as f:
        published = list(csv.DictReader(f))
    assert [r["phone_ja"] for r in published].count("03-5211-2851") == 1
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    (services,) = [r for r in descriptor["resources"] if r["name"] == "services"]
    assert "phone_ja" in [f["name"] for f in services["schema"]["fields"]]
    assert "phone_ja" in (out / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    checked = run("validate", "--root", out)
    assert checked.returncode == 0, checked.stdout
