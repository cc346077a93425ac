"""The maintainers' guides in docs/architecture.md, followed step by step."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
from conftest import RAW
from rdflib import Graph, Namespace

from reentry_services import publish
from reentry_services.cli import build, validate
from reentry_services.publish import outputs
from reentry_services.publish.files import PublishedFile

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")


def test_adding_a_format_is_one_registry_entry_and_one_writer(tmp_path, monkeypatch):
    """ "Add a format": declare the output in outputs.OUTPUTS, register its writer."""
    tsv = PublishedFile(
        "services-tsv",
        "dist/services.tsv",
        "tsv",
        "text/tab-separated-values",
        "Support resources (TSV)",
        eu_file_type="TSV",
        writer="tsv",
        of="services",
    )

    def write_tsv(release, files):
        for f in files:
            options = pacsv.WriteOptions(delimiter="\t", quoting_style="none")
            pacsv.write_csv(
                release.table(f).select(["service_id", "name_ja"]), release.path(f), options
            )

    data = [o for o in outputs.OUTPUTS if o.role == "data"]
    metadata = [o for o in outputs.OUTPUTS if o.role == "metadata"]
    monkeypatch.setattr(outputs, "OUTPUTS", (*data, tsv, *metadata))
    monkeypatch.setitem(publish.DATA_WRITERS, "tsv", write_tsv)
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
    declared = [o.path for o in outputs.OUTPUTS]
    assert sorted(declared) == published and len(set(declared)) == len(declared)
    assert {o.writer for o in outputs.OUTPUTS if o.role == "data"} == set(publish.DATA_WRITERS)
    assert {o.writer for o in outputs.OUTPUTS if o.role == "metadata"} == set(
        publish.METADATA_WRITERS
    )
