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

from ..model import metadata
from ..model.records import UNPUBLISHED, Publication, PublishedFile, Source
from ..version import VERSION
from .registry import output

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


class _Nodes:
    """The nodes the catalog's statements link, named once."""

    catalog = URIRef(metadata.iri("catalog", metadata.NAME))
    dataset = URIRef(metadata.iri("dataset", metadata.NAME))
    publisher = URIRef(metadata.iri("agent", metadata.MAINTAINERS))
    contact = URIRef(metadata.iri("contact", metadata.MAINTAINERS))
    rights = URIRef(metadata.iri("rights", metadata.NAME))
    licence = URIRef(metadata.DATA_LICENSE["path"])
    themes = URIRef(f"{EU}data-theme")
    languages = tuple(URIRef(f"{EU}language/{code}") for code in LANGUAGES)

    def __init__(self, source: Source) -> None:
        self.source = source

    @property
    def area(self) -> URIRef:
        return URIRef(metadata.iri("area", self.source.jurisdiction_code))

    @property
    def date(self) -> Literal:
        return Literal(self.source.received.isoformat(), datatype=XSD.date)


def catalog_graph(
    source: Source, files: list[PublishedFile], publication: Publication = UNPUBLISHED
) -> Graph:
    """The catalog, its dataset, a distribution per file, and the classes of the values
    it links to."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    nodes = _Nodes(source)
    _catalog(graph, nodes)
    _dataset(graph, nodes, publication)
    for f in files:
        distribution = URIRef(metadata.iri("distribution", f.path))
        graph.add((nodes.dataset, DCAT.distribution, distribution))
        _distribution(graph, f, distribution, nodes.rights, nodes.licence, publication)
    _agents_and_rights(graph, nodes, publication)
    _vocabularies(graph, nodes, files)
    return graph


def _catalog(graph: Graph, n: _Nodes) -> None:
    _add(
        graph,
        n.catalog,
        DCAT.Catalog,
        [
            *_texts(DCTERMS.title, metadata.TITLE_JA, metadata.TITLE_EN),
            *_texts(DCTERMS.description, metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN),
            (DCTERMS.publisher, n.publisher),
            (DCTERMS.license, n.licence),
            *((DCTERMS.language, language) for language in n.languages),
            (DCTERMS.spatial, n.area),
            (DCTERMS.issued, n.date),
            (DCTERMS.modified, n.date),
            (DCAT.themeTaxonomy, n.themes),
            (DCAT.dataset, n.dataset),
        ],
    )


def _dataset(graph: Graph, n: _Nodes, publication: Publication) -> None:
    """The dataset, its period and provenance, and its landing page where it has one."""
    period, provenance = BNode(), BNode()
    _add(graph, period, DCTERMS.PeriodOfTime, [(DCAT.startDate, n.date), (DCAT.endDate, n.date)])
    _add(
        graph,
        provenance,
        DCTERMS.ProvenanceStatement,
        [(RDFS.label, Literal(metadata.provenance_statement(n.source), lang="en"))],
    )
    _add(
        graph,
        n.dataset,
        DCAT.Dataset,
        [
            (DCTERMS.identifier, Literal(metadata.NAME)),
            *_texts(DCTERMS.title, metadata.TITLE_JA, metadata.TITLE_EN),
            *_texts(DCTERMS.description, metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN),
            (DCTERMS.publisher, n.publisher),
            (DCAT.contactPoint, n.contact),
            *((DCAT.keyword, Literal(k)) for k in metadata.KEYWORDS),
            *((DCAT.theme, URIRef(f"{EU}data-theme/{t}")) for t in THEMES),
            *((DCTERMS.language, language) for language in n.languages),
            (DCTERMS.spatial, n.area),
            (DCTERMS.temporal, period),
            (DCTERMS.issued, n.date),
            (DCTERMS.modified, n.date),
            (DCAT3.version, Literal(VERSION)),
            (DCTERMS.provenance, provenance),
        ],
    )
    landing_page = publication.url(output("landing-page").path)
    if landing_page:  # only an absolute address: a portal resolves against nothing
        graph.add((n.dataset, DCAT.landingPage, URIRef(landing_page)))
        _add(graph, URIRef(landing_page), FOAF.Document, [])


def _agents_and_rights(graph: Graph, n: _Nodes, publication: Publication) -> None:
    """The publisher, the contact point, the area, the rights statement and the licence."""
    _add(graph, n.publisher, FOAF.Agent, [(FOAF.name, Literal(metadata.MAINTAINERS))])
    address = [(_address_kind(publication), URIRef(publication.contact))]
    _add(
        graph,
        n.contact,
        VCARD.Kind,
        [
            (RDF.type, VCARD.Organization),
            (VCARD.fn, Literal(metadata.MAINTAINERS)),
            *(address if publication.contact else []),
        ],
    )
    _add(
        graph,
        n.area,
        DCTERMS.Location,
        [
            (SKOS.prefLabel, Literal(n.source.jurisdiction_name, lang="ja")),
            (DCTERMS.identifier, Literal(n.source.jurisdiction_code)),
        ],
    )
    _add(
        graph,
        n.rights,
        DCTERMS.RightsStatement,
        [(RDFS.label, Literal(metadata.rights_statement(n.source), lang="en"))],
    )
    _add(
        graph,
        n.licence,
        DCTERMS.LicenseDocument,
        [
            (RDFS.label, Literal(metadata.DATA_LICENSE["name"])),
            # the licence's name as CKAN's licence register knows it (the URI says 4.0)
            (DCTERMS.title, Literal("Creative Commons Attribution")),
        ],
    )


def _vocabularies(graph: Graph, n: _Nodes, files: list[PublishedFile]) -> None:
    """The themes, languages, media types, file types and checksum algorithm, each with
    its class and label: a harvester that fetches nothing (CKAN's ckanext-dcat) takes the
    media type and the format name from them."""
    for code, label in THEMES.items():
        _add(
            graph,
            URIRef(f"{EU}data-theme/{code}"),
            SKOS.Concept,
            [(SKOS.prefLabel, Literal(label, lang="en")), (SKOS.inScheme, n.themes)],
        )
    _add(graph, n.themes, SKOS.ConceptScheme, [(DCTERMS.title, Literal("Data theme", lang="en"))])
    for language in n.languages:
        _add(graph, language, DCTERMS.LinguisticSystem, [])
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
