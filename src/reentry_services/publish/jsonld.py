"""Writer of the schema.org JSON-LD: the services, their providers, Tokyo, and the Dataset.

Literal properties come from each field's `schemaorg` term in the schema module; a term
"provider/name@ja" fills the linked provider node, "availableChannel/serviceUrl" the channel.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from .. import metadata
from ..ingest import UNPUBLISHED, Publication, Source
from ..schema import AUDIENCES, GOVERNMENT_PROVIDER_TYPES, LIST_SEPARATOR, RESOURCE_TYPES, SERVICES
from ..schemaorg import NodeCheck
from ..version import VERSION
from . import batches, jsontext
from .files import PublishedFile

CONTEXT = "https://schema.org"
# Resources that are works rather than services take a CreativeWork type.
CREATIVE_WORK_TYPES = {
    "plan": "CreativeWork",
    "guidebook": "Book",
    "portal": "WebSite",
    "information": "WebPage",
}
RESOURCE_NODE_TYPES = frozenset({"GovernmentService", "Service", *CREATIVE_WORK_TYPES.values()})


def graph_head(
    services: pa.Table,
    source: Source,
    files: Iterable[PublishedFile],
    check: NodeCheck | None = None,
    publication: Publication = UNPUBLISHED,
) -> list[bytes]:
    """The nodes before the resources, as JSON text: the Dataset, Tokyo, and the providers
    (each once, in order of first appearance). `check`, if given, sees each."""
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
    if check:
        for node in nodes:
            check.add(node)
    return [orjson.dumps(node) for node in nodes]


def resource_nodes(
    services: pa.Table, source: Source, check: NodeCheck | None = None
) -> Iterator[pa.Array]:
    """The resources' nodes as JSON text, a batch of rows at a time. `check`, if given,
    sees a node of every shape among them."""
    area_id = _area(source)["@id"]
    for lines, samples in batches.rendered(partial(service_nodes, area_id=area_id), services):
        if check:
            for line in lines.take(samples).to_pylist():
                check.add(orjson.loads(line))
        yield lines


HEAD = b'{"@context": "%s", "@graph": [' % CONTEXT.encode()
TAIL = b"]}"


def document_text(
    services: pa.Table,
    source: Source,
    files: Iterable[PublishedFile],
    publication: Publication = UNPUBLISHED,
) -> bytes:
    """The whole JSON-LD document, as written to the file (for a page that embeds it)."""
    out = io.BytesIO()
    nodes = [
        *graph_head(services, source, files, publication=publication),
        *resource_nodes(services, source),
    ]
    jsontext.write_array(out, nodes, head=HEAD, tail=TAIL)
    return out.getvalue()


def write_resources(services: pa.Table, source: Source, check: NodeCheck, path: Path) -> None:
    """The resources' nodes, one per line, for write_jsonld to put after the head (they do
    not depend on the other files, so they can be written before those are measured)."""
    with path.open("wb") as out:
        jsontext.write_items(out, resource_nodes(services, source, check))


def write_jsonld(head: list[bytes], resources: Path, path: Path) -> None:
    """One document, "@context" first, then the @graph with one node per line: the head
    nodes, then the resources written by write_resources."""
    with path.open("wb") as out, resources.open("rb") as lines:
        out.write(HEAD + b"\n")
        wrote = jsontext.write_items(out, head)
        if resources.stat().st_size:
            out.write(b",\n" if wrote else b"")
            shutil.copyfileobj(lines, out, 1 << 20)
        out.write(b"\n" + TAIL + b"\n")


def service_nodes(rows: pa.RecordBatch | pa.Table, area_id: str) -> tuple[pa.Array, list[int]]:
    """The resources' nodes, one JSON object per row, and the rows that show every shape
    among them (see jsontext.first_of_each_shape). A node is a GovernmentService where a
    government body runs it, a Service otherwise, or a work type (CREATIVE_WORK_TYPES);
    literal properties come from the fields' schemaorg terms."""
    resource_type = rows["resource_type"]
    work_type = jsontext.lookup(resource_type, CREATIVE_WORK_TYPES)
    work = pc.is_valid(work_type)
    service = pc.invert(work)
    government = pc.and_(
        service,
        pc.is_in(
            pc.cast(rows["provider_type"], pa.string()), pa.array(sorted(GOVERNMENT_PROVIDER_TYPES))
        ),
    )
    kind = pc.coalesce(work_type, pc.if_else(government, "GovernmentService", "Service"))
    labels = jsontext.lookup(
        resource_type, {c.code: jsontext.constant(_texts(c.ja, c.en)) for c in RESOURCE_TYPES.codes}
    )
    area = jsontext.constant({"@id": area_id})
    channel = jsontext.obj(
        [("@type", '"ServiceChannel"'), *_linked_members(rows, "availableChannel")]
    )
    ids = metadata.stable_uuids("service", rows["service_id"])
    providers = metadata.stable_uuids_of("organization", rows["provider_ja"])
    pairs = [
        ("@id", jsontext.concat('"urn:uuid:', ids, '"')),
        ("@type", jsontext.strings(kind)),
        *_literal_members(rows),
        ("provider", jsontext.concat('{"@id":"urn:uuid:', providers, '"}')),
        ("genre", jsontext.when(work, labels)),
        ("spatialCoverage", jsontext.when(work, area)),
        ("url", jsontext.when(work, jsontext.strings(rows["link_url"]))),
        ("serviceType", jsontext.when(service, labels)),
        ("areaServed", jsontext.when(service, area)),
        ("jurisdiction", jsontext.when(government, area)),
        (
            "availableChannel",
            jsontext.when(pc.and_(service, pc.is_valid(rows["link_url"])), channel),
        ),
        ("audience", _audiences(rows["audience"])),
    ]
    return jsontext.obj(pairs), jsontext.first_of_each_shape(pairs, kind)


def _audiences(codes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Who each resource is for, as schema.org Audience nodes (one per code, labelled in
    Japanese and English), from the distinct lists of codes."""
    nodes = {
        value: [
            {"@type": "Audience", "audienceType": _texts(AUDIENCES[c].ja, AUDIENCES[c].en)}
            for c in value.split(LIST_SEPARATOR)
        ]
        for value in pc.unique(codes).to_pylist()
    }
    return jsontext.lookup(
        codes, {value: jsontext.constant(n[0] if len(n) == 1 else n) for value, n in nodes.items()}
    )


def _literal_members(rows: pa.RecordBatch | pa.Table) -> list[tuple[str, pa.Array]]:
    """The resource's own literal properties, column-wise: fields whose term has no "/"."""
    return _members(
        rows,
        [(f.schemaorg, f.name) for f in SERVICES.fields if f.schemaorg and "/" not in f.schemaorg],
    )


def _linked_members(rows: pa.RecordBatch | pa.Table, link: str) -> list[tuple[str, pa.Array]]:
    """A linked node's properties, column-wise: fields whose term is "<link>/<property>"."""
    return _members(
        rows,
        [
            (f.schemaorg.removeprefix(f"{link}/"), f.name)
            for f in SERVICES.fields
            if f.schemaorg and f.schemaorg.startswith(f"{link}/")
        ],
    )


def _members(
    rows: pa.RecordBatch | pa.Table, terms: list[tuple[str, str]]
) -> list[tuple[str, pa.Array]]:
    """(property, JSON text) from (term, column) pairs, as _properties does it row by row."""
    values: dict[str, list[pa.Array]] = {}
    for term, column in terms:
        name, _, language = term.partition("@")
        text = jsontext.literals(rows[column])
        if language:
            text = jsontext.concat('{"@value":', text, f',"@language":"{language}"}}')
        values.setdefault(name, []).append(text)
    return [(name, jsontext.one_or_list(texts)) for name, texts in values.items()]


def _linked(row: dict, link: str) -> dict:
    """Properties of a linked node: fields whose term is "<link>/<property>"."""
    return _properties(
        (f.schemaorg.removeprefix(f"{link}/"), row[f.name])
        for f in SERVICES.fields
        if f.schemaorg and f.schemaorg.startswith(f"{link}/")
    )


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
