"""Writer of the DCAT-AP 3.0 catalog (Turtle) for portals such as CKAN with ckanext-dcat.

Built from the same facts as datapackage.json (metadata, the source sidecar, the measured
files). Written as text in a fixed order so the bytes are reproducible. Download URLs are
relative IRIs, resolved against wherever catalog.ttl is published: the files sit beside it.
Every linked value carries its class, since a SHACL check fetches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .. import metadata
from ..ingest import Source
from .files import PublishedFile

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
EU = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
# EU data themes, with their labels in the EU vocabulary.
THEMES = {"JUST": "Justice, legal system and public safety", "SOCI": "Population and society"}
LANGUAGES = ("JPN", "ENG")


def write_catalog(source: Source, files: Iterable[PublishedFile], path: Path) -> None:
    path.write_text(build_catalog(source, files), encoding="utf-8")


def build_catalog(source: Source, files: Iterable[PublishedFile]) -> str:
    """The catalog as Turtle text."""
    files = list(files)
    date = _typed(source.received.isoformat(), "xsd:date")
    dataset = _iri(metadata.iri("dataset", metadata.NAME))
    publisher = _iri(metadata.iri("agent", metadata.MAINTAINERS))
    area = _iri(metadata.iri("area", source.jurisdiction_code))
    rights = _iri(metadata.iri("rights", metadata.NAME))
    licence = _iri(metadata.DATA_LICENSE["path"])
    distributions = [_iri(metadata.iri("distribution", f.path)) for f in files]
    languages = [_iri(f"{EU}language/{code}") for code in LANGUAGES]
    blocks = [
        "\n".join(f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES.items()),
        _node(
            _iri(metadata.iri("catalog", metadata.NAME)),
            "dcat:Catalog",
            [
                ("dct:title", _texts(metadata.TITLE_JA, metadata.TITLE_EN)),
                ("dct:description", _texts(metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN)),
                ("dct:publisher", [publisher]),
                ("dct:license", [licence]),
                ("dct:language", languages),
                ("dct:spatial", [area]),
                ("dct:issued", [date]),
                ("dct:modified", [date]),
                ("dcat:themeTaxonomy", [_iri(f"{EU}data-theme")]),
                ("dcat:dataset", [dataset]),
            ],
        ),
        _node(
            dataset,
            "dcat:Dataset",
            [
                ("dct:identifier", [_literal(metadata.NAME)]),
                ("dct:title", _texts(metadata.TITLE_JA, metadata.TITLE_EN)),
                ("dct:description", _texts(metadata.DESCRIPTION_JA, metadata.DESCRIPTION_EN)),
                ("dct:publisher", [publisher]),
                ("dcat:contactPoint", [_iri(metadata.iri("contact", metadata.MAINTAINERS))]),
                ("dcat:keyword", [_literal(k) for k in metadata.KEYWORDS]),
                ("dcat:theme", [_iri(f"{EU}data-theme/{t}") for t in THEMES]),
                ("dct:language", languages),
                ("dct:spatial", [area]),
                (
                    "dct:temporal",
                    [f"[ a dct:PeriodOfTime ; dcat:startDate {date} ; dcat:endDate {date} ]"],
                ),
                ("dct:issued", [date]),
                ("dct:modified", [date]),
                ("dcat:version", [_literal(metadata.VERSION)]),
                (
                    "dct:provenance",
                    [
                        f"[ a dct:ProvenanceStatement ; rdfs:label "
                        f"{_literal(metadata.provenance_statement(source), 'en')} ]"
                    ],
                ),
                ("dcat:distribution", distributions),
            ],
        ),
        *(_distribution(f, iri, rights) for f, iri in zip(files, distributions, strict=True)),
        _node(publisher, "foaf:Agent", [("foaf:name", [_literal(metadata.MAINTAINERS)])]),
        _node(
            _iri(metadata.iri("contact", metadata.MAINTAINERS)),
            "vcard:Kind, vcard:Organization",
            [("vcard:fn", [_literal(metadata.MAINTAINERS)])],
        ),
        _node(
            area,
            "dct:Location",
            [
                ("skos:prefLabel", [_literal(source.jurisdiction_name, "ja")]),
                ("dct:identifier", [_literal(source.jurisdiction_code)]),
            ],
        ),
        _node(
            rights,
            "dct:RightsStatement",
            [("rdfs:label", [_literal(metadata.rights_statement(source), "en")])],
        ),
        _node(
            licence,
            "dct:LicenseDocument",
            [("rdfs:label", [_literal(metadata.DATA_LICENSE["name"])])],
        ),
        *(
            _node(
                _iri(f"{EU}data-theme/{code}"),
                "skos:Concept",
                [
                    ("skos:prefLabel", [_literal(label, "en")]),
                    ("skos:inScheme", [_iri(f"{EU}data-theme")]),
                ],
            )
            for code, label in THEMES.items()
        ),
        _node(
            _iri(f"{EU}data-theme"),
            "skos:ConceptScheme",
            [("dct:title", [_literal("Data theme", "en")])],
        ),
        *(_node(_iri(f"{EU}language/{code}"), "dct:LinguisticSystem", []) for code in LANGUAGES),
        *(
            _node(_iri(IANA_MEDIA_TYPES + m), "dct:MediaType", [])
            for m in sorted({f.mediatype for f in files})
        ),
        *(
            _node(_iri(f"{EU}file-type/{t}"), "dct:MediaTypeOrExtent", [])
            for t in sorted({f.eu_file_type for f in files})
        ),
        _node("spdx:checksumAlgorithm_sha256", "spdx:ChecksumAlgorithm", []),
    ]
    return "\n\n".join(blocks) + "\n"


def _distribution(f: PublishedFile, iri: str, rights: str) -> str:
    relative = _iri(f.path.removeprefix("dist/"))  # relative to catalog.ttl in dist/
    return _node(
        iri,
        "dcat:Distribution",
        [
            ("dct:title", [_literal(f.title, "en")]),
            ("dct:description", [_literal(f"{f.title}: {f.path.removeprefix('dist/')}", "en")]),
            ("dcat:accessURL", [relative]),
            ("dcat:downloadURL", [relative]),
            ("dcat:mediaType", [_iri(IANA_MEDIA_TYPES + f.mediatype)]),
            ("dct:format", [_iri(f"{EU}file-type/{f.eu_file_type}")]),
            ("dcat:byteSize", [_typed(str(f.bytes), "xsd:nonNegativeInteger")]),
            (
                "spdx:checksum",
                [
                    f"[ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
                    f"spdx:checksumValue {_typed(f.sha256, 'xsd:hexBinary')} ]"
                ],
            ),
            ("dct:rights", [rights]),
        ],
    )


def _node(subject: str, kind: str, properties: list[tuple[str, list[str]]]) -> str:
    lines = [f"{subject} a {kind}"]
    lines += [f"    {name} {', '.join(values)}" for name, values in properties if values]
    return " ;\n".join(lines) + " ."


def _iri(value: str) -> str:
    if any(ch in value for ch in '<>"{}|^`\\ '):
        raise ValueError(f"not usable as an IRI: {value!r}")
    return f"<{value}>"


def _literal(text: str, language: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"' + (f"@{language}" if language else "")


def _typed(text: str, datatype: str) -> str:
    return f"{_literal(text)}^^{datatype}"


def _texts(ja: str, en: str) -> list[str]:
    return [_literal(ja, "ja"), _literal(en, "en")]
