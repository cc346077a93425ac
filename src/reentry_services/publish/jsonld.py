"""Writer of the schema.org JSON-LD: the services, their providers, Tokyo, and the Dataset.

Literal properties come from each field's `schemaorg` term in the schema module; a term
"provider/name@ja" fills the linked provider node, "availableChannel/serviceUrl" the channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa

from .. import metadata
from ..ingest import Source
from ..schema import GOVERNMENT_PROVIDER_TYPES, RESOURCE_TYPES, SERVICES
from .files import PublishedFile
from .tables import iter_rows, write_json_lines_array

CONTEXT = "https://schema.org"
# Resources that are works rather than services take a CreativeWork type.
CREATIVE_WORK_TYPES = {"plan": "CreativeWork", "guidebook": "Book", "portal": "WebSite",
                       "information": "WebPage"}
RESOURCE_NODE_TYPES = frozenset({"GovernmentService", "Service", *CREATIVE_WORK_TYPES.values()})


def node_type(row: dict) -> str:
    """GovernmentService where a government body runs it, Service otherwise, or a work type."""
    if row["resource_type"] in CREATIVE_WORK_TYPES:
        return CREATIVE_WORK_TYPES[row["resource_type"]]
    return "GovernmentService" if row["provider_type"] in GOVERNMENT_PROVIDER_TYPES else "Service"


def iter_nodes(services: pa.Table, source: Source, files: Iterable[PublishedFile]
               ) -> Iterator[dict]:
    """The @graph's nodes in a fixed order: the Dataset, Tokyo, the providers, the
    resources; produced one at a time."""
    area = _area(source)
    tokyo = _organization(source.publisher_ja, source.publisher_en, "prefecture")
    organizations = {tokyo["@id"]: tokyo}
    providers = services.select(["provider_ja", "provider_en", "provider_type"])
    for row in iter_rows(providers):
        provider = _organization(row["provider_ja"], row["provider_en"], row["provider_type"])
        organizations.setdefault(provider["@id"], provider)
    yield _dataset(source, files, area["@id"], tokyo["@id"])
    yield area
    yield from organizations.values()
    for row in iter_rows(services):
        organization_id = f"urn:uuid:{metadata.shared_uuid('organization', row['provider_ja'])}"
        yield _service(row, organization_id, area["@id"])


def build_document(services: pa.Table, source: Source, files: Iterable[PublishedFile]) -> dict:
    """The whole JSON-LD document in memory (for a page that embeds it)."""
    return {"@context": CONTEXT, "@graph": list(iter_nodes(services, source, files))}


def write_jsonld(nodes: Iterable[dict], path: Path) -> None:
    """One document, "@context" first, then the @graph with one node per line."""
    write_json_lines_array(nodes, path, head=b'{"@context": "%s", "@graph": [' % CONTEXT.encode(),
                           tail=b"]}")


def _service(row: dict, provider_id: str, area_id: str) -> dict:
    kind = node_type(row)
    node = {"@id": metadata.iri("service", row["service_id"]), "@type": kind}
    node.update(literal_properties(row))
    node["provider"] = {"@id": provider_id}
    resource = RESOURCE_TYPES[row["resource_type"]]
    if kind in CREATIVE_WORK_TYPES.values():
        node["genre"] = _texts(ja=resource.ja, en=resource.en)
        node["spatialCoverage"] = {"@id": area_id}
        if row["url"]:
            node["url"] = row["url"]
        return node
    node["serviceType"] = _texts(ja=resource.ja, en=resource.en)
    node["areaServed"] = {"@id": area_id}
    if kind == "GovernmentService":
        node["jurisdiction"] = {"@id": area_id}
    if row["url"]:
        node["availableChannel"] = {"@type": "ServiceChannel", **_linked(row, "availableChannel")}
    return node


def literal_properties(row: dict) -> dict:
    """Properties of the resource's own node, from the fields' schemaorg terms."""
    return _properties((f.schemaorg, row[f.name]) for f in SERVICES.fields
                       if f.schemaorg and "/" not in f.schemaorg and row[f.name] is not None)


def _linked(row: dict, link: str) -> dict:
    """Properties of a linked node: fields whose term is "<link>/<property>"."""
    return _properties((f.schemaorg.removeprefix(f"{link}/"), row[f.name])
                       for f in SERVICES.fields
                       if f.schemaorg and f.schemaorg.startswith(f"{link}/"))


def _properties(terms: Iterable[tuple[str, object]]) -> dict:
    """A node's properties from (term, value) pairs; a term "name@ja" gives a value tagged
    ja, and a property given twice (name@ja, name@en) a list."""
    node: dict[str, list] = {}
    for term, value in terms:
        name, _, language = term.partition("@")
        node.setdefault(name, []).append(_value(value, language))
    return {k: v[0] if len(v) == 1 else v for k, v in node.items()}


def _value(value, language: str):
    return {"@value": value, "@language": language} if language else value


def _texts(ja: str, en: str) -> list[dict]:
    return [_value(ja, "ja"), _value(en, "en")]


def _area(source: Source) -> dict:
    """Tokyo as the AdministrativeArea, from the fields mapped to areaServed."""
    row = {"jurisdiction_code": source.jurisdiction_code,
           "jurisdiction_name": source.jurisdiction_name}
    return {"@id": metadata.iri("area", source.jurisdiction_code), "@type": "AdministrativeArea",
            **_linked(row, "areaServed")}


def _organization(name_ja: str, name_en: str, provider_type: str) -> dict:
    kind = ("GovernmentOrganization" if provider_type in GOVERNMENT_PROVIDER_TYPES
            else "Organization")
    return {"@id": metadata.iri("organization", name_ja), "@type": kind,
            "name": _texts(name_ja, name_en)}


def _dataset(source: Source, files: Iterable[PublishedFile], area_id: str, tokyo_id: str) -> dict:
    page = {"@type": "WebPage", "name": _value(source.title_ja, "ja"),
            "publisher": {"@id": tokyo_id}, "dateModified": source.received.isoformat()}
    if source.page_url:
        page["url"] = source.page_url
    return {
        "@id": metadata.iri("dataset", metadata.NAME),
        "@type": "Dataset",
        "identifier": metadata.NAME,
        "name": _texts(metadata.TITLE_JA, metadata.TITLE_EN),
        "description": _texts(metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN),
        "version": metadata.VERSION,
        "keywords": list(metadata.KEYWORDS),
        "inLanguage": ["ja", "en"],
        "dateModified": source.received.isoformat(),
        "spatialCoverage": {"@id": area_id},
        "license": metadata.DATA_LICENSE["path"],
        "creditText": source.attribution,
        "copyrightNotice": metadata.rights_statement(source),
        "isBasedOn": page,
        "distribution": [_download(f) for f in files],
    }


def _download(f: PublishedFile) -> dict:
    """A DataDownload; contentUrl is relative to this JSON-LD file, which sits in dist/."""
    node = {"@type": "DataDownload", "name": f.title, "contentUrl": f.path.removeprefix("dist/"),
            "encodingFormat": f.mediatype}
    if f.bytes:
        node["contentSize"] = f"{f.bytes} B"
        node["sha256"] = f.sha256
    return node
