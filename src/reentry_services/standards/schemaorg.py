"""The schema.org terms the JSON-LD uses, and the check of JSON-LD nodes against them.

The package carries only `schemaorg_terms.json`: for each type it uses, the type and its
ancestors; for each property, the types it applies to (domainIncludes). The file is derived
from the full vocabulary by `derive_terms` (`reentry-services derive`), and a test
re-derives it from the vendored vocabulary so it cannot drift.
"""

from __future__ import annotations

import json
from pathlib import Path

from .giflayout import phone_numbers

TERMS_PATH = Path(__file__).with_name("schemaorg_terms.json")
SCHEMA = "https://schema.org/"


# schema.org's DayOfWeek for each of our day codes (schema.DAYS).
SCHEMAORG_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def channel_contacts(contacts: list[dict]) -> dict:
    """What a service's ServiceChannel says of its contact points (rows of the
    contact_points table, in order): each telephone number a ContactPoint (with the
    contact point's name, purpose and hours), each address a Place; nothing without."""
    phones = [
        _present(
            {
                "@type": "ContactPoint",
                "name": {"@value": c["name_ja"], "@language": "ja"},
                "contactType": {"@value": c["purpose_ja"], "@language": "ja"}
                if c["purpose_ja"]
                else None,
                "telephone": number,
                "hoursAvailable": _hours(c),
            }
        )
        for c in contacts
        for number in phone_numbers(c["phone"])
    ]
    places = [
        {
            "@type": "Place",
            "name": {"@value": c["name_ja"], "@language": "ja"},
            "address": {"@value": c["address_ja"], "@language": "ja"},
        }
        for c in contacts
        if c["address_ja"]
    ]
    return _present({"servicePhone": phones or None, "serviceLocation": places or None})


def _hours(contact: dict) -> dict | None:
    """A contact point's days and times as an OpeningHoursSpecification."""
    if not contact["days"]:
        return None
    days = [f"{SCHEMA}{SCHEMAORG_DAYS[d]}" for d in contact["days"].split(";")]
    return _present(
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": contact["opens"],
            "closes": contact["closes"],
        }
    )


def _present(node: dict) -> dict:
    return {name: value for name, value in node.items() if value is not None}


def status_properties(status: str, work: bool) -> dict:
    """How a resource's node states its status (schema.STATUSES): a work by its
    creativeWorkStatus (the code); a service no longer offered as listed by an Offer that
    is Discontinued; an active service says nothing."""
    if work:
        return {"creativeWorkStatus": status}
    if status == "active":
        return {}
    return {"offers": {"@type": "Offer", "availability": f"{SCHEMA}Discontinued"}}


def listing_properties(listed_on_page: bool, page_id: str) -> dict:
    """How a resource's node says that Tokyo's page lists it: the page (`page_id`, the node
    the dataset is based on) is subjectOf it; an addition says nothing."""
    return {"subjectOf": {"@id": page_id}} if listed_on_page else {}


def load_terms(path: Path = TERMS_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def nodes(value) -> list[dict]:
    """Every node object (a dict with @type) in a JSON-LD value, depth first."""
    found: list[dict] = []
    _collect(value, found)
    return found


def _collect(value, found: list[dict]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect(item, found)
    elif isinstance(value, dict) and "@value" not in value:
        if "@type" in value:
            found.append(value)
        for key, item in value.items():
            if isinstance(item, dict | list) and (key == "@graph" or key[0] != "@"):
                _collect(item, found)


def _types(node: dict) -> list[str]:
    kind = node["@type"]
    return kind if isinstance(kind, list) else [kind]


def used_terms(document: dict) -> tuple[set[str], set[str]]:
    """The types and properties a document uses."""
    types: set[str] = set()
    properties: set[str] = set()
    for node in nodes(document):
        types.update(_types(node))
        properties.update(k for k in node if not k.startswith("@"))
    return types, properties


class NodeCheck:
    """Checks the nodes (nested ones too) of the items added to it, for a writer or reader
    that never holds the whole graph. Nodes of one shape (types and properties) share a
    verdict, so each shape is checked once, whatever the number of nodes."""

    def __init__(self, terms: dict) -> None:
        self.terms = terms
        self.problems: list[str] = []
        self._seen: set[tuple] = set()

    def add(self, item: dict) -> None:
        """Check the nodes of one item (of a shape not seen before)."""
        for node in nodes(item):
            shape = _shape(node)
            if shape not in self._seen:
                self._seen.add(shape)
                self.problems += _shape_problems(node, self.terms)


def _shape(node: dict) -> tuple:
    kind = node["@type"]
    return (kind if isinstance(kind, str) else tuple(kind), *node)


def _shape_problems(node: dict, terms: dict) -> list[str]:
    problems = []
    label = node.get("@id", node["@type"])
    ancestors: set[str] = set()
    for kind in _types(node):
        if kind not in terms["types"]:
            problems.append(f"{label}: type {kind!r} is not a schema.org type this package uses")
        ancestors.update(terms["types"].get(kind, []))
    for key in node:
        if key.startswith("@"):
            continue
        domains = terms["properties"].get(key)
        if domains is None:
            problems.append(
                f"{label}: property {key!r} is not a schema.org property this package uses"
            )
        elif not ancestors & set(domains):
            problems.append(f"{label}: property {key!r} does not apply to {'/'.join(_types(node))}")
    return problems


def derive_terms(vocabulary: Path, document: dict) -> dict:
    """The terms `document` uses, with ancestors and domains read from the vocabulary
    (schema.org's Turtle release, https IRIs). Raises KeyError for an unknown term."""
    import rdflib
    from rdflib.namespace import RDF, RDFS

    graph = rdflib.Graph().parse(vocabulary, format="turtle")
    schema = rdflib.Namespace(SCHEMA)
    types, properties = used_terms(document)

    def ancestors(name: str) -> list[str]:
        if (schema[name], RDF.type, RDFS.Class) not in graph:
            raise KeyError(f"type {name!r} is not in {vocabulary}")
        found = graph.transitive_objects(schema[name], RDFS.subClassOf)
        return sorted(str(c).removeprefix(SCHEMA) for c in found)

    def domains(name: str) -> list[str]:
        if (schema[name], RDF.type, RDF.Property) not in graph:
            raise KeyError(f"property {name!r} is not in {vocabulary}")
        found = graph.objects(schema[name], schema.domainIncludes)
        return sorted(str(c).removeprefix(SCHEMA) for c in found)

    return {
        "source": "schema.org vocabulary, derived by "
        "reentry_services.standards.schemaorg.derive_terms",
        "types": {name: ancestors(name) for name in sorted(types)},
        "properties": {name: domains(name) for name in sorted(properties)},
    }
