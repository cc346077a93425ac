"""For portals and spreadsheet users: the DCAT catalog, the Excel copy, the data dictionary."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pyshacl
import pytest
import rdflib
from conftest import REPO, vendored

from reentry_services.publish.dictionary import build_dictionary
from reentry_services.publish.tables import write_excel_csv
from reentry_services.schema import SERVICES, TABLES

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
    assert data.count(b"\r\n") >= 23 and b"\n" not in data.replace(b"\r\n", b"").replace(
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


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_excel_copy_neutralizes_formulas(tmp_path, text):
    import pyarrow as pa

    table = pa.table({"a": [text], "b": ["plain"]})
    write_excel_csv(table, tmp_path / "x.csv")
    text_read = (tmp_path / "x.csv").read_bytes().decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text_read, newline="")))[1]
    assert row == ["'" + text, "plain"]


def test_dictionary_is_generated_from_the_schema():
    committed = (REPO / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == build_dictionary(), "run `make` to regenerate dist/data-dictionary.md"
    for table in TABLES:
        for f in table.fields:
            assert f"| `{f.name}` | {f.type} |" in committed
            assert f.title_ja in committed and f.description_en in committed
    assert SERVICES.field_names[0] in committed
