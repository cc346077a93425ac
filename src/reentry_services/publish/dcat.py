"""Writer of the DCAT-AP 3.0 catalog (Turtle) for portals such as CKAN with ckanext-dcat.

Built from the same facts as datapackage.json (metadata, the source sidecar, the measured
files) as an rdflib graph, serialized as longturtle, whose order does not depend on the
hash seed (a test builds it under several). Download URLs are
relative IRIs, resolved against wherever catalog.ttl is published (the files sit beside
it), unless the publication's address is known (raw/publication.toml, build --base-url):
then they are absolute.
Every linked value carries its class, since a SHACL check fetches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .. import metadata
from ..ingest import UNPUBLISHED, Publication, Source
from ..version import VERSION
from .files import PublishedFile
from .outputs import output

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
DCAT3 = Namespace(PREFIXES["dcat"])  # DCAT 3 terms rdflib's DCAT does not list (version)
SPDX = Namespace(PREFIXES["spdx"])
VCARD = Namespace(PREFIXES["vcard"])
EU = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
# EU data themes, with their labels in the EU vocabulary.
THEMES = {"JUST": "Justice, legal system and public safety", "SOCI": "Population and society"}
LANGUAGES = ("JPN", "ENG")


def write_catalog(
    source: Source,
    files: Iterable[PublishedFile],
    path: Path,
    publication: Publication = UNPUBLISHED,
) -> None:
    path.write_text(build_catalog(source, files, publication), encoding="utf-8")


def build_catalog(
    source: Source, files: Iterable[PublishedFile], publication: Publication = UNPUBLISHED
) -> str:
    """The catalog as Turtle, serialized by rdflib (longturtle: a stable order)."""
    return catalog_graph(source, list(files), publication).serialize(format="longturtle")


def catalog_graph(
    source: Source, files: list[PublishedFile], publication: Publication = UNPUBLISHED
) -> Graph:
    """The catalog, its dataset, a distribution per file, and the classes of the values
    it links to."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    date = Literal(source.received.isoformat(), datatype=XSD.date)
    dataset = URIRef(metadata.iri("dataset", metadata.NAME))
    publisher = URIRef(metadata.iri("agent", metadata.MAINTAINERS))
    contact = URIRef(metadata.iri("contact", metadata.MAINTAINERS))
    area = URIRef(metadata.iri("area", source.jurisdiction_code))
    rights = URIRef(metadata.iri("rights", metadata.NAME))
    licence = URIRef(metadata.DATA_LICENSE["path"])
    languages = [URIRef(f"{EU}language/{code}") for code in LANGUAGES]
    themes = URIRef(f"{EU}data-theme")

    catalog = URIRef(metadata.iri("catalog", metadata.NAME))
    _add(
        graph,
        catalog,
        DCAT.Catalog,
        [
            *_texts(DCTERMS.title, metadata.TITLE_JA, metadata.TITLE_EN),
            *_texts(DCTERMS.description, metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN),
            (DCTERMS.publisher, publisher),
            (DCTERMS.license, licence),
            *((DCTERMS.language, language) for language in languages),
            (DCTERMS.spatial, area),
            (DCTERMS.issued, date),
            (DCTERMS.modified, date),
            (DCAT.themeTaxonomy, themes),
            (DCAT.dataset, dataset),
        ],
    )
    period, provenance = BNode(), BNode()
    _add(graph, period, DCTERMS.PeriodOfTime, [(DCAT.startDate, date), (DCAT.endDate, date)])
    _add(
        graph,
        provenance,
        DCTERMS.ProvenanceStatement,
        [(RDFS.label, Literal(metadata.provenance_statement(source), lang="en"))],
    )
    _add(
        graph,
        dataset,
        DCAT.Dataset,
        [
            (DCTERMS.identifier, Literal(metadata.NAME)),
            *_texts(DCTERMS.title, metadata.TITLE_JA, metadata.TITLE_EN),
            *_texts(DCTERMS.description, metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN),
            (DCTERMS.publisher, publisher),
            (DCAT.contactPoint, contact),
            *((DCAT.keyword, Literal(k)) for k in metadata.KEYWORDS),
            *((DCAT.theme, URIRef(f"{EU}data-theme/{t}")) for t in THEMES),
            *((DCTERMS.language, language) for language in languages),
            (DCTERMS.spatial, area),
            (DCTERMS.temporal, period),
            (DCTERMS.issued, date),
            (DCTERMS.modified, date),
            (DCAT3.version, Literal(VERSION)),
            (DCTERMS.provenance, provenance),
        ],
    )
    landing_page = publication.url(output("landing-page").path)
    if landing_page:  # only an absolute address: a portal resolves against nothing
        graph.add((dataset, DCAT.landingPage, URIRef(landing_page)))
        _add(graph, URIRef(landing_page), FOAF.Document, [])
    for f in files:
        distribution = URIRef(metadata.iri("distribution", f.path))
        graph.add((dataset, DCAT.distribution, distribution))
        _distribution(graph, f, distribution, rights, licence, publication)
    _add(graph, publisher, FOAF.Agent, [(FOAF.name, Literal(metadata.MAINTAINERS))])
    _add(
        graph,
        contact,
        VCARD.Kind,
        [
            (RDF.type, VCARD.Organization),
            (VCARD.fn, Literal(metadata.MAINTAINERS)),
            *(
                [(_address_kind(publication), URIRef(publication.contact))]
                if (publication.contact)
                else []
            ),
        ],
    )
    _add(
        graph,
        area,
        DCTERMS.Location,
        [
            (SKOS.prefLabel, Literal(source.jurisdiction_name, lang="ja")),
            (DCTERMS.identifier, Literal(source.jurisdiction_code)),
        ],
    )
    _add(
        graph,
        rights,
        DCTERMS.RightsStatement,
        [(RDFS.label, Literal(metadata.rights_statement(source), lang="en"))],
    )
    _add(
        graph,
        licence,
        DCTERMS.LicenseDocument,
        [
            (RDFS.label, Literal(metadata.DATA_LICENSE["name"])),
            # the licence's name as CKAN's licence register knows it (the URI says 4.0)
            (DCTERMS.title, Literal("Creative Commons Attribution")),
        ],
    )
    for code, label in THEMES.items():
        _add(
            graph,
            URIRef(f"{EU}data-theme/{code}"),
            SKOS.Concept,
            [(SKOS.prefLabel, Literal(label, lang="en")), (SKOS.inScheme, themes)],
        )
    _add(graph, themes, SKOS.ConceptScheme, [(DCTERMS.title, Literal("Data theme", lang="en"))])
    for language in languages:
        _add(graph, language, DCTERMS.LinguisticSystem, [])
    # Labels on the format nodes: a harvester that fetches nothing (CKAN's ckanext-dcat)
    # takes the media type and the format name from them.
    for mediatype in {f.mediatype for f in files}:
        _add(
            graph,
            URIRef(IANA_MEDIA_TYPES + mediatype),
            DCTERMS.MediaType,
            [(RDFS.label, Literal(mediatype))],
        )
    # ckanext-dcat takes a format's name from its label only on a node typed dct:IMT, so the
    # file-type nodes carry that type beside dct:MediaTypeOrExtent.
    for file_type, label in {(f.eu_file_type, f.format_label or f.eu_file_type) for f in files}:
        _add(
            graph,
            URIRef(f"{EU}file-type/{file_type}"),
            DCTERMS.MediaTypeOrExtent,
            [(RDF.type, DCTERMS.IMT), (RDFS.label, Literal(label))],
        )
    _add(graph, SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm, [])
    return graph


def _address_kind(publication: Publication) -> URIRef:
    return VCARD.hasEmail if publication.contact.startswith("mailto:") else VCARD.hasURL


def _distribution(
    graph: Graph,
    f: PublishedFile,
    distribution: URIRef,
    rights: URIRef,
    licence: URIRef,
    publication: Publication,
) -> None:
    # absolute where the release's address is known, else relative to catalog.ttl in dist/
    address = URIRef(publication.url(f.path) or f.path.removeprefix("dist/"))
    checksum = BNode()
    _add(
        graph,
        checksum,
        SPDX.Checksum,
        [
            (SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            (SPDX.checksumValue, Literal(f.sha256, datatype=XSD.hexBinary)),
        ],
    )
    _add(
        graph,
        distribution,
        DCAT.Distribution,
        [
            (DCTERMS.title, Literal(f.title, lang="en")),
            (DCTERMS.description, Literal(f"{f.title}: {f.path.removeprefix('dist/')}", lang="en")),
            (DCAT.accessURL, address),
            (DCAT.downloadURL, address),
            (DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + f.mediatype)),
            (DCTERMS["format"], URIRef(f"{EU}file-type/{f.eu_file_type}")),
            (DCAT.byteSize, Literal(str(f.bytes), datatype=XSD.nonNegativeInteger)),
            (SPDX.checksum, checksum),
            (DCTERMS.license, licence),
            (DCTERMS.rights, rights),
        ],
    )


def _add(
    graph: Graph, subject: Node, kind: URIRef, properties: Iterable[tuple[URIRef, Node]]
) -> None:
    graph.add((subject, RDF.type, kind))
    for predicate, value in properties:
        graph.add((subject, predicate, value))


def _texts(predicate: URIRef, ja: str, en: str) -> list[tuple[URIRef, Node]]:
    return [(predicate, Literal(ja, lang="ja")), (predicate, Literal(en, lang="en"))]
