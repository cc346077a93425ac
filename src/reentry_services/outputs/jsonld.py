"""Writer of the schema.org JSON-LD: the services, their providers, Tokyo, and the Dataset.

Literal properties come from each field's `schemaorg` term in the schema module; a term
"provider/name@ja" fills the linked provider node, "availableChannel/serviceUrl" the channel.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ..model import metadata
from ..model.records import (
    UNPUBLISHED,
    Publication,
    PublishedFile,
    Source,
    contacts_by_service,
)
from ..model.schema import (
    AUDIENCES,
    GOVERNMENT_PROVIDER_TYPES,
    LIST_SEPARATOR,
    RESOURCE_TYPES,
    SCHEMAORG_WORK_PROPERTIES,
    SCHEMAORG_WORK_TYPES,
    SERVICES,
)
from ..standards.schemaorg import channel_contacts, listing_properties, status_properties
from ..version import VERSION
from . import batches

CONTEXT = "https://schema.org"


def graph_head(
    services: pa.Table,
    source: Source,
    files: Iterable[PublishedFile],
    publication: Publication = UNPUBLISHED,
) -> list[bytes]:
    """The nodes before the resources, as JSON text: the Dataset, Tokyo, and the providers
    (each once, in order of first appearance)."""
    area = _area(source)
    tokyo = _organization(source.publisher_ja, source.publisher_en, "prefecture")
    providers = services.select(["provider_ja", "provider_en", "provider_type"])
    first_rows = pc.index_in(pc.unique(providers["provider_ja"]), providers["provider_ja"])
    organizations = {tokyo["@id"]: tokyo}
    for row in providers.take(first_rows).to_pylist():
        provider = _organization(row["provider_ja"], row["provider_en"], row["provider_type"])
        organizations.setdefault(provider["@id"], provider)
    maintainers = _maintainers(publication)
    dataset = _dataset(source, files, area["@id"], tokyo["@id"], maintainers["@id"], publication)
    nodes = [dataset, area, maintainers, *organizations.values()]
    return [orjson.dumps(node) for node in nodes]


def resource_nodes(services: pa.Table, contacts: pa.Table, source: Source) -> Iterator[bytes]:
    """The resources' nodes as JSON text, one per resource, a batch of rows at a time."""
    area_id = _area(source)["@id"]
    by_service = contacts_by_service(contacts)
    for batch in services.to_batches(max_chunksize=batches.ROWS):
        for row in batch.to_pylist():
            node = service_node(row, area_id, by_service.get(row["service_id"], []))
            yield orjson.dumps(node)


HEAD = b'{"@context": "%s", "@graph": [' % CONTEXT.encode()
TAIL = b"]}"


def document_text(
    services: pa.Table,
    contacts: pa.Table,
    source: Source,
    files: Iterable[PublishedFile],
    publication: Publication = UNPUBLISHED,
) -> bytes:
    """The whole JSON-LD document, as written to the file (for a page that embeds it)."""
    out = io.BytesIO()
    head = graph_head(services, source, files, publication=publication)
    write_document(out, head, services, contacts, source)
    return out.getvalue()


def write_jsonld(
    head: list[bytes], services: pa.Table, contacts: pa.Table, source: Source, path: Path
) -> None:
    """The document written to `path` (see write_document)."""
    with path.open("wb") as out:
        write_document(out, head, services, contacts, source)


def write_document(
    out: BinaryIO, head: list[bytes], services: pa.Table, contacts: pa.Table, source: Source
) -> None:
    """One document, "@context" first, then the @graph with one node per line: the head
    nodes, then the resources'."""
    out.write(HEAD + b"\n")
    separator = b""
    for node in itertools.chain(head, resource_nodes(services, contacts, source)):
        out.write(separator + node)
        separator = b",\n"
    out.write(b"\n" + TAIL + b"\n")


def service_node(row: dict, area_id: str, contacts: list[dict]) -> dict:
    """A resource's node: a GovernmentService where a government body runs it, a Service
    otherwise, or a work type (SCHEMAORG_WORK_TYPES); literal properties come from the
    fields' schemaorg terms, a service's contact points go in its ServiceChannel, and a
    property without a value is left out."""
    work_type = SCHEMAORG_WORK_TYPES.get(row["resource_type"])
    service = work_type is None
    government = service and row["provider_type"] in GOVERNMENT_PROVIDER_TYPES
    code = RESOURCE_TYPES[row["resource_type"]]
    labels = _texts(code.ja, code.en)
    area = {"@id": area_id}
    link = row["link_url"]
    node = {
        "@id": metadata.iri("service", row["service_id"]),
        "@type": work_type or ("GovernmentService" if government else "Service"),
        **_properties((str(f.schemaorg), row[f.name]) for f in _LITERAL_FIELDS),
        "provider": {"@id": metadata.iri("organization", row["provider_ja"])},
        _WORK["serviceType"]: None if service else labels,
        _WORK["areaServed"]: None if service else area,
        _WORK["availableChannel/serviceUrl"]: None if service else link,
        "serviceType": labels if service else None,
        "areaServed": area if service else None,
        "jurisdiction": area if government else None,
        "availableChannel": _channel(row, contacts) if service else None,
        "audience": _audiences(row["audience"]),
        **status_properties(row["status"], work=not service),
        **listing_properties(row["listed_on_page"], metadata.source_page_iri()),
    }
    return {name: value for name, value in node.items() if value is not None}


_WORK = SCHEMAORG_WORK_PROPERTIES
# The fields whose schema.org term is a literal property of the resource itself.
_LITERAL_FIELDS = [f for f in SERVICES.fields if f.schemaorg and "/" not in f.schemaorg]


def _channel(row: dict, contacts: list[dict]) -> dict | None:
    """A service's ServiceChannel: its link and its contact points; none without either."""
    channel = {**_linked(row, "availableChannel"), **channel_contacts(contacts)}
    return {"@type": "ServiceChannel", **channel} if channel else None


def _audiences(codes: str | None) -> dict | list[dict] | None:
    """Who a resource is for, as schema.org Audience nodes (one per code, labelled in
    Japanese and English)."""
    if codes is None:
        return None
    nodes = [
        {"@type": "Audience", "audienceType": _texts(AUDIENCES[c].ja, AUDIENCES[c].en)}
        for c in codes.split(LIST_SEPARATOR)
    ]
    return nodes[0] if len(nodes) == 1 else nodes


def _linked(row: dict, link: str) -> dict:
    """Properties of a linked node: fields whose term is "<link>/<property>"."""
    return _properties(
        (f.schemaorg.removeprefix(f"{link}/"), row[f.name])
        for f in SERVICES.fields
        if f.schemaorg and f.schemaorg.startswith(f"{link}/")
    )


def _properties(terms: Iterable[tuple[str, object]]) -> dict:
    """A node's properties from (term, value) pairs; a term "name@ja" gives a value tagged
    ja, a property given twice (name@ja, name@en) a list, and one without a value (None)
    is left out."""
    node: dict[str, list] = {}
    for term, value in terms:
        name, _, language = term.partition("@")
        values = node.setdefault(name, [])
        if value is not None:
            values.append(_value(value, language))
    return {k: v[0] if len(v) == 1 else v for k, v in node.items() if v}


def _value(value, language: str):
    return {"@value": value, "@language": language} if language else value


def _texts(ja: str, en: str) -> list[dict]:
    return [_value(ja, "ja"), _value(en, "en")]


def _area(source: Source) -> dict:
    """Tokyo as the AdministrativeArea, from the fields mapped to areaServed."""
    row = {
        "jurisdiction_code": source.jurisdiction_code,
        "jurisdiction_name": source.jurisdiction_name,
    }
    return {
        "@id": metadata.iri("area", source.jurisdiction_code),
        "@type": "AdministrativeArea",
        **_linked(row, "areaServed"),
    }


def _organization(name_ja: str, name_en: str, provider_type: str) -> dict:
    kind = (
        "GovernmentOrganization" if provider_type in GOVERNMENT_PROVIDER_TYPES else "Organization"
    )
    return {
        "@id": metadata.iri("organization", name_ja),
        "@type": kind,
        "name": _texts(name_ja, name_en),
    }


def _maintainers(publication: Publication) -> dict:
    """The project's maintainers: the Dataset's creator and publisher."""
    node = {
        "@id": metadata.iri("agent", metadata.MAINTAINERS),
        "@type": "Organization",
        "name": metadata.MAINTAINERS,
    }
    if publication.contact.startswith("mailto:"):
        node["email"] = publication.contact.removeprefix("mailto:")
    elif publication.contact:
        node["url"] = publication.contact
    return node


def _dataset(
    source: Source,
    files: Iterable[PublishedFile],
    area_id: str,
    tokyo_id: str,
    maintainers_id: str,
    publication: Publication,
) -> dict:
    page = {
        "@id": metadata.source_page_iri(),
        "@type": "WebPage",
        "name": _value(source.title_ja, "ja"),
        "publisher": {"@id": tokyo_id},
        "dateModified": source.received.isoformat(),
    }
    if source.age_statement:
        page["description"] = _value(metadata.age_statement(source), "en")
    if source.page_url:
        page["url"] = source.page_url
    dataset = {
        "@id": metadata.iri("dataset", metadata.NAME),
        "@type": "Dataset",
        "identifier": metadata.NAME,
        "name": _texts(metadata.TITLE_JA, metadata.TITLE_EN),
        "description": _texts(metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN),
        "version": VERSION,
        "keywords": list(metadata.KEYWORDS),
        "inLanguage": ["ja", "en"],
        "dateModified": source.received.isoformat(),
        "spatialCoverage": {"@id": area_id},
        "license": metadata.DATA_LICENSE["path"],
        "creditText": source.attribution,
        "copyrightNotice": metadata.rights_statement(source),
        "isBasedOn": page,
        "creator": {"@id": maintainers_id},
        "publisher": {"@id": maintainers_id},
        "distribution": [_download(f, publication) for f in files],
    }
    page_url = publication.url("dist/index.html")
    return dataset | ({"url": page_url} if page_url else {})


def _download(f: PublishedFile, publication: Publication) -> dict:
    """A DataDownload; contentUrl is absolute where the publication's address is known,
    else relative to this JSON-LD file, which sits in dist/."""
    node = {
        "@type": "DataDownload",
        "name": f.title,
        "contentUrl": publication.url(f.path) or f.path.removeprefix("dist/"),
        "encodingFormat": f.mediatype,
    }
    if f.bytes:
        node["contentSize"] = f"{f.bytes} B"
        node["sha256"] = f.sha256
    return node
