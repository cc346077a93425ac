"""Publish: every format carries the same rows with the types and metadata users rely on."""

from __future__ import annotations

import json
import uuid

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import rdflib
from conftest import RAW, REPO, RESOURCES, vendored
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from rdflib.namespace import RDF, RDFS

from reentry_services.model import metadata
from reentry_services.model.readers import read_csv, read_parquet
from reentry_services.model.schema import SECTIONS, SERVICES, TABLES
from reentry_services.standards.schemaorg import derive_terms, load_terms

SCHEMA_HTTP = "http://schema.org/"
SCHEMA_HTTPS = "https://schema.org/"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_parquet_types_come_from_the_schema(built, table):
    schema = pq.read_schema(built / "dist" / f"{table.name}.parquet")
    for f in table.fields:
        field = schema.field(f.name)
        assert field.nullable == (not f.required)
        assert field.metadata[b"description"].decode() == f.description_en
        expected = {
            "string": pa.string(),
            "integer": pa.int32(),
            "boolean": pa.bool_(),
            "date": pa.date32(),
        }[f.type]
        if f.codes is not None and f.separator is None:
            assert field.type == pa.dictionary(pa.int32(), expected)
        else:
            assert field.type == expected


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_parquet_reads_back_as_the_csv(built, table):
    csv_rows = read_csv(table, built / "dist" / f"{table.name}.csv").to_pylist()
    assert read_parquet(built / "dist" / f"{table.name}.parquet").to_pylist() == csv_rows


def test_pandas_reads_both_with_no_options(built):
    csv = pd.read_csv(built / "dist" / "services.csv")
    parquet = pd.read_parquet(built / "dist" / "services.parquet")
    assert list(csv.columns) == list(parquet.columns) == SERVICES.field_names
    assert len(csv) == len(parquet) == RESOURCES
    assert (csv["service_id"] == parquet["service_id"]).all()
    assert csv["jurisdiction_code"].iloc[0] == 130001  # pandas guesses; Parquet keeps the code
    assert parquet["jurisdiction_code"].iloc[0] == "130001"
    assert str(parquet["snapshot_date"].iloc[0]) == "2026-11-25"


# --- JSON-LD -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(built) -> dict:
    return json.loads((built / "dist" / "services.jsonld").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph(document) -> rdflib.Graph:
    """The JSON-LD parsed by rdflib offline, with the vendored schema.org context."""
    context = json.loads(vendored("schemaorg/jsonldcontext.jsonld").read_text())["@context"]
    offline = {**document, "@context": context}
    return rdflib.Graph().parse(data=json.dumps(offline), format="json-ld")


@pytest.fixture(scope="module")
def vocabulary() -> rdflib.Graph:
    return rdflib.Graph().parse(vendored("schemaorg/schemaorg-current-https.ttl"))


def _https(term) -> rdflib.URIRef:
    return rdflib.URIRef(str(term).replace(SCHEMA_HTTP, SCHEMA_HTTPS))


def test_every_type_and_property_exists_and_applies(graph, vocabulary):
    problems = []
    for subject, predicate, _ in graph:
        if not str(predicate).startswith(SCHEMA_HTTP):
            continue
        prop = _https(predicate)
        if (prop, RDF.type, RDF.Property) not in vocabulary:
            problems.append(f"unknown property {prop}")
            continue
        types = {_https(t) for t in graph.objects(subject, RDF.type)}
        ancestors = {a for t in types for a in vocabulary.transitive_objects(t, RDFS.subClassOf)}
        domains = set(vocabulary.objects(prop, _https(SCHEMA_HTTP + "domainIncludes")))
        if not ancestors & domains:
            problems.append(f"{prop} on {sorted(types)}")
    for kind in set(graph.objects(None, RDF.type)):
        if (_https(kind), RDF.type, RDFS.Class) not in vocabulary:
            problems.append(f"unknown type {kind}")
    assert not problems, sorted(set(problems))


def test_packaged_terms_match_the_vocabulary():
    from reentry_services.pipeline import jsonld_terms_document

    derived = derive_terms(
        vendored("schemaorg/schemaorg-current-https.ttl"), jsonld_terms_document(RAW)
    )
    assert derived == load_terms(), "run: reentry-services derive"


def test_one_node_per_resource_with_its_type(built, graph, document):
    rows = read_csv(SERVICES, built / "dist" / "services.csv").to_pylist()
    nodes = {n["@id"]: n for n in document["@graph"]}
    for row in rows:
        node = nodes[metadata.iri("service", row["service_id"])]
        assert node["identifier"] == row["service_id"]
        assert {"@value": row["description_ja"], "@language": "ja"} == node["description"]
        assert {"@value": row["name_en"], "@language": "en"} in node["name"]
        if row["resource_type"] == "plan":
            assert node["@type"] == "CreativeWork"
        elif row["provider_type"] == "public_interest_corporation":
            assert node["@type"] == "Service"
            assert "jurisdiction" not in node
        elif row["resource_type"] not in {"guidebook", "portal", "information"}:
            assert node["@type"] == "GovernmentService"
            assert node["jurisdiction"] == node["areaServed"]
        if row["link_url"] is None:
            assert "availableChannel" not in node and "url" not in node
        elif "availableChannel" in node:  # the link the release presents, nothing else
            assert node["availableChannel"]["serviceUrl"] == row["link_url"]
        else:
            assert node["url"] == row["link_url"]
        audiences = node["audience"] if isinstance(node["audience"], list) else [node["audience"]]
        assert [a["audienceType"][0]["@value"] for a in audiences] == row["audience_ja"].split(";")
        assert all(a["@type"] == "Audience" for a in audiences)
        if row["alternate_names_ja"]:
            assert node["alternateName"] == {"@value": row["alternate_names_ja"], "@language": "ja"}
        else:
            assert "alternateName" not in node
    services = set(graph.subjects(RDF.type, rdflib.URIRef(SCHEMA_HTTP + "GovernmentService")))
    assert len(services) == sum(
        1
        for r in rows
        if r["provider_type"] != "public_interest_corporation"
        and r["resource_type"] not in {"plan", "guidebook", "portal", "information"}
    )


def test_tokyo_is_the_area_and_providers_are_organizations(document):
    nodes = {n["@id"]: n for n in document["@graph"]}
    area = nodes[metadata.iri("area", "130001")]
    assert area["@type"] == "AdministrativeArea" and area["identifier"] == "130001"
    tokyo = nodes[metadata.iri("organization", "東京都")]
    assert tokyo["@type"] == "GovernmentOrganization"
    maintainers = metadata.iri("agent", metadata.MAINTAINERS)
    foundation = [
        n for n in nodes.values() if n["@type"] == "Organization" and (n["@id"] != maintainers)
    ]
    names = [n["name"][0]["@value"] for n in foundation]
    assert names == ["公益財団法人暴力団追放運動推進都民センター"]


def test_the_dataset_names_its_creator_and_publisher_and_is_relative_without_an_address(document):
    dataset, nodes = document["@graph"][0], {n["@id"]: n for n in document["@graph"]}
    maintainers = nodes[dataset["creator"]["@id"]]
    assert dataset["publisher"] == dataset["creator"]
    assert maintainers == {
        "@id": metadata.iri("agent", metadata.MAINTAINERS),
        "@type": "Organization",
        "name": metadata.MAINTAINERS,
    }
    assert dataset["inLanguage"] == ["ja", "en"] and "url" not in dataset
    assert not any("://" in d["contentUrl"] for d in dataset["distribution"])


def test_with_an_address_the_dataset_has_its_url_and_absolute_downloads(tmp_path):
    from reentry_services.pipeline import build

    build(RAW, tmp_path, base_url="https://data.example.jp/reentry/")
    document = json.loads((tmp_path / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    dataset = document["@graph"][0]
    assert dataset["url"] == "https://data.example.jp/reentry/dist/index.html"
    assert {d["contentUrl"] for d in dataset["distribution"]} >= {
        "https://data.example.jp/reentry/dist/services.csv",
        "https://data.example.jp/reentry/dist/hsds/services.json",
    }


def test_dataset_lists_every_file_with_size_and_hash(built, document):
    dataset = document["@graph"][0]
    assert dataset["@type"] == "Dataset"
    assert "出典: 東京都" in dataset["creditText"]
    assert "not confirmed" in dataset["copyrightNotice"]
    downloads = {d["contentUrl"]: d for d in dataset["distribution"]}
    # Every file but the catalog and the page, written after the JSON-LD to describe it.
    assert sorted(downloads) == sorted(
        p.relative_to(built / "dist").as_posix()
        for p in (built / "dist").rglob("*")
        if p.is_file() and p.name not in ("catalog.ttl", "index.html")
    )
    for name, d in downloads.items():
        if name != "services.jsonld":
            data = (built / "dist" / name).read_bytes()
            assert d["contentSize"] == f"{len(data)} B"
            assert d["sha256"] == __import__("hashlib").sha256(data).hexdigest()


# --- data package --------------------------------------------------------------------


def test_datapackage_describes_every_file(built):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    for key in (
        "$schema",
        "name",
        "id",
        "title",
        "description",
        "version",
        "created",
        "licenses",
        "sources",
        "contributors",
        "keywords",
    ):
        assert descriptor[key], key
    assert "not confirmed" in descriptor["description"]
    paths = {r["path"] for r in descriptor["resources"]}
    assert paths == {
        p.relative_to(built).as_posix() for p in (built / "dist").rglob("*") if p.is_file()
    }
    for r in descriptor["resources"]:
        assert {"path", "format", "mediatype", "encoding", "bytes", "hash"} <= set(r)
        assert r["hash"].startswith("sha256:")
    services = next(r for r in descriptor["resources"] if r["name"] == "services")
    assert services["schema"] == SERVICES.to_table_schema()
    assert services["schema"]["foreignKeys"] == [
        {
            "fields": ["section_code"],
            "reference": {"resource": "sections", "fields": ["section_code"]},
        }
    ]
    assert next(r for r in descriptor["resources"] if r["name"] == "sections")["schema"][
        "primaryKey"
    ] == list(SECTIONS.primary_key)


def test_frictionless_validates_the_committed_package():
    import frictionless
    from conftest import REPO

    report = frictionless.validate(str(REPO / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_the_pages_age_is_said_wherever_its_rights_are(built):
    """raw/source.toml's [age] statement, with its evidence, beside the rights statement:
    datapackage.json, the catalog, the JSON-LD, the page (and the README)."""
    from reentry_services.stages.source import read_source

    source = read_source(RAW)
    assert source.age_statement.startswith("The page's content predates 2024")
    assert len(source.age_evidence) == 3
    statement = metadata.age_statement(source)
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    assert statement in descriptor["description"]
    assert descriptor["sources"][0]["path"] == "https://restanet-tokyo.metro.tokyo.lg.jp/?p=48"
    catalog = rdflib.Graph().parse(built / "dist" / "catalog.ttl", format="turtle")
    assert any(statement in str(o) for o in catalog.objects())
    document = json.loads((built / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    page_node = document["@graph"][0]["isBasedOn"]
    assert page_node["description"] == {"@value": statement, "@language": "en"}
    assert page_node["url"] == "https://restanet-tokyo.metro.tokyo.lg.jp/?p=48"
    page = (built / "dist" / "index.html").read_text(encoding="utf-8")
    assert source.age_statement_ja in page and str(escape(source.age_statement)) in page
    assert "predates 2024" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_page_lists_the_first_entries_of_each_section_in_published_order(monkeypatch):
    """A section with more than PER_SECTION_LIMIT entries lists its first ones on the page
    (by their line in the snapshot), and the entries listed keep the published order."""
    from reentry_services.outputs.pages import html

    services = read_parquet(REPO / "dist" / "services.parquet")
    monkeypatch.setattr(html, "PER_SECTION_LIMIT", 2)
    rows = services.to_pylist()
    expected = []
    for code in {r["section_code"] for r in rows}:
        in_section = [r for r in rows if r["section_code"] == code]
        in_section.sort(key=lambda r: r["source_line_start"])
        expected += [r["service_id"] for r in in_section[:2]]
    assert html._listed(services)["service_id"].to_pylist() == sorted(expected)
    assert len(expected) < services.num_rows  # some section has more than two entries


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["service", "organization", "attribute"]),
    st.text(st.characters(codec="utf-8")),
)
def test_a_stable_uuid_is_the_uuid5_of_its_kind_and_key(kind, key):
    """The ids are name-based UUIDs in the project's namespace, as the docs say."""
    expected = uuid.uuid5(metadata.ID_NAMESPACE, f"{kind}/{key}")
    assert metadata.stable_uuid(kind, key) == str(expected)
