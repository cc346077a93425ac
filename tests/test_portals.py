"""For portals and spreadsheet users: the DCAT catalog, the Excel copy, the data dictionary."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess

import pyarrow.parquet as pq
import pyshacl
import pytest
import rdflib
from conftest import REPO, RESOURCES, vendored

from reentry_services.model.schema import SERVICES, TABLES
from reentry_services.outputs import registry
from reentry_services.outputs.pages.dictionary import build_dictionary
from reentry_services.outputs.tables import write_excel_csv
from reentry_services.pipeline import build

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def catalog(built) -> rdflib.Graph:
    return rdflib.Graph().parse(built / "dist" / "catalog.ttl", format="turtle")


@pytest.mark.parametrize("shapes", ["dcat-ap-SHACL.ttl", "shapes_recommended.ttl"])
def test_catalog_has_no_dcat_ap_violation(catalog, shapes):
    graph = rdflib.Graph().parse(vendored(f"dcat-ap/{shapes}"))
    _, results, text = pyshacl.validate(catalog, shacl_graph=graph, inference="rdfs")
    violations = list(results.subjects(SH.resultSeverity, SH.Violation))
    assert not violations, text


def test_catalog_distributions_match_the_data_package(built, catalog):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    # The catalog describes every file written before it: all but itself and the page.
    expected = {
        r["path"].removeprefix("dist/"): r
        for r in descriptor["resources"]
        if r["path"] not in ("dist/catalog.ttl", "dist/index.html")
    }
    found = {}
    for dist in catalog.subjects(rdflib.RDF.type, DCAT.Distribution):
        url = str(catalog.value(dist, DCAT.downloadURL)).split("/dist/", 1)[1]
        checksum = catalog.value(dist, SPDX.checksum)
        found[url] = (
            int(catalog.value(dist, DCAT.byteSize)),
            str(catalog.value(checksum, SPDX.checksumValue)),
        )
    assert found == {
        name: (r["bytes"], r["hash"].removeprefix("sha256:")) for name, r in expected.items()
    }
    for name, (size, digest) in found.items():
        data = (built / "dist" / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, digest)


def test_catalog_speaks_japanese_and_english(catalog):
    titles = {t.language for t in catalog.objects(None, rdflib.DCTERMS.title)}
    assert {"ja", "en"} <= titles


def test_excel_copy_has_bom_crlf_and_the_same_rows(built):
    data = (built / "dist" / "services.excel.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") >= RESOURCES + 1 and b"\n" not in data.replace(b"\r\n", b"").replace(
        "。\n".encode(), b""
    )
    excel = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    canonical = list(
        csv.DictReader(
            io.StringIO((built / "dist" / "services.csv").read_text(encoding="utf-8"), newline="")
        )
    )
    assert [r["service_id"] for r in excel] == [r["service_id"] for r in canonical]
    assert [r["description_ja"] for r in excel] == [r["description_ja"] for r in canonical]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x")',
        "+1",
        "-1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "＝2+2",
        "＋1",
        "－1",
        "＠SUM(A1)",
    ],
)
def test_excel_copy_neutralizes_formulas(tmp_path, text):
    import pyarrow as pa

    table = pa.table({"a": [text], "b": ["plain"]})
    write_excel_csv(table, tmp_path / "x.csv")
    text_read = (tmp_path / "x.csv").read_bytes().decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text_read, newline="")))[1]
    assert row == ["'" + text, "plain"]


def test_excel_copy_leaves_other_cells_alone(tmp_path):
    import pyarrow as pa

    cells = ["a=1", "", "a＝1", " =1", "'=x", None, "日本語-1", "−1"]
    write_excel_csv(pa.table({"a": cells, "b": ["b"] * len(cells)}), tmp_path / "x.csv")
    text_read = (tmp_path / "x.csv").read_bytes().decode("utf-8-sig")
    column = [row[0] for row in csv.reader(io.StringIO(text_read, newline=""))][1:]
    assert column == [cell or "" for cell in cells]


@pytest.mark.parametrize("rows", [0, 1, 5])
def test_excel_copy_is_the_same_in_batches(tmp_path, monkeypatch, rows):
    """Batches of 2 rows (some with a formula cell, some without, a dictionary column)
    give the bytes of one batch: header once, every row, each cell neutralized alike."""
    import pyarrow as pa

    from reentry_services.outputs import batches

    cells = ["=1", "a", "b", "+2", "c"][:rows]
    table = pa.table(
        {
            "a": pa.array(cells, pa.string()),
            "b": pa.array(["x", "-y", "x", "z", "x"][:rows]).dictionary_encode(),
            "n": pa.array(range(rows), pa.int64()),
        }
    )
    write_excel_csv(table, tmp_path / "whole.csv")
    monkeypatch.setattr(batches, "ROWS", 2)
    write_excel_csv(table, tmp_path / "batches.csv")
    whole = (tmp_path / "whole.csv").read_bytes()
    assert (tmp_path / "batches.csv").read_bytes() == whole
    assert whole.count(b"\r\n") == rows + 1
    read = list(csv.reader(io.StringIO(whole.decode("utf-8-sig"), newline="")))
    seconds = ["x", "'-y", "x", "z", "x"][:rows]
    expected = [
        ["'" + a if a[0] in "=+" else a, b, str(n)]
        for n, (a, b) in enumerate(zip(cells, seconds, strict=True))
    ]
    assert read == [["a", "b", "n"], *expected]


def test_dictionary_is_generated_from_the_schema(built):
    committed = (REPO / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    services = pq.read_table(built / "dist" / "services.parquet")
    assert committed == build_dictionary(services), "run `make` to regenerate the dictionary"
    added = (~services.to_pandas()["listed_on_page"]).sum()
    assert f"{services.num_rows - added} listed on the page and {added} added" in committed
    for table in TABLES:
        for f in table.fields:
            assert f"| `{f.name}` | {f.type} |" in committed
            assert f.title_ja in committed and f.description_en in committed
    assert SERVICES.field_names[0] in committed


CKAN_PYTHON = REPO / ".venv-ckan" / "bin" / "python"
BASE = "https://data.example.jp/reentry/"


def test_ckan_harvester_reads_every_resource_with_its_address_format_size_and_hash(
    raw_copy, tmp_path
):
    """CKAN 2.12's DCAT harvester (ckanext-dcat 2.4.4, euro_dcat_ap_3), in its own
    environment (.ci/run makes .venv-ckan), parses the catalog of a build with a base URL."""
    if not CKAN_PYTHON.exists():
        message = f"{CKAN_PYTHON} is missing: .ci/run installs CKAN and ckanext-dcat there"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    settings = raw_copy / "publication.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            'contact = ""', 'contact = "mailto:maintainers@example.org"'
        ),
        encoding="utf-8",
    )
    build(raw_copy, tmp_path, base_url=BASE)
    harvested = subprocess.run(
        [
            CKAN_PYTHON,
            REPO / "tests" / "clients" / "ckan_harvest.py",
            tmp_path / "dist" / "catalog.ttl",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert harvested.returncode == 0, harvested.stderr[-2000:]
    (dataset,) = json.loads(harvested.stdout)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    before = [o.name for o in registry.OUTPUTS][
        : [o.name for o in registry.OUTPUTS].index("catalog")
    ]
    files = {BASE + r["path"]: r for r in descriptor["resources"] if r["name"] in before}
    assert {r["url"] for r in dataset["resources"]} == set(files)
    # CKAN names a format from its own register of media types (CSV, JSON, HTML, …); for
    # the media types it does not list (Parquet, JSON-LD, Markdown) it takes the label of
    # dct:format: a plain name, never a URI.
    known = {"text/csv": "CSV", "application/json": "JSON", "text/html": "HTML"}
    labels = {"application/vnd.apache.parquet": "Parquet", "application/ld+json": "JSON-LD"}
    labels["text/markdown"] = "Markdown"
    for resource in dataset["resources"]:
        published = files[resource["url"]]
        assert resource["download_url"] == resource["url"]
        assert resource["format"] == (known | labels)[published["mediatype"]], resource["url"]
        assert resource["mimetype"] == published["mediatype"]
        assert resource["size"] == published["bytes"]
        assert f"sha256:{resource['hash']}" == published["hash"]
    assert dataset["license_id"] == "cc-by"
    assert dataset["url"] == BASE + registry.output("landing-page").path  # dcat:landingPage
    extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
    assert extras["contact_email"] == "maintainers@example.org"
