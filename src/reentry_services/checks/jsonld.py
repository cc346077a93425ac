"""The JSON-LD: every node's types and properties against schema.org's, and each resource
node's values against its CSV row, read through the fields' schema.org terms.

One pass over the file serves both checks; its nodes are read a line at a time as this
package writes them (one per line), or parsed whole from a file laid out otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson

from ..model import metadata
from ..model.records import contacts_by_service
from ..model.schema import (
    CONTACT_POINTS,
    SCHEMAORG_WORK_PROPERTIES,
    SCHEMAORG_WORK_TYPES,
    SERVICES,
    Field,
)
from ..standards.schemaorg import (
    NodeCheck,
    channel_contacts,
    listing_properties,
    load_terms,
    status_properties,
)
from .context import Release

JSONLD_HEAD = b'{"@context": "https://schema.org", "@graph": ['
_WORKS = frozenset(SCHEMAORG_WORK_TYPES.values())


def check_terms(release: Release) -> tuple[str, list[str]]:
    """Every node's types, and every property on the types it applies to, are schema.org's
    (the vendored vocabulary's, as derived into schemaorg_terms.json)."""
    return "types and properties against schema.org", _problems(release)["schema.org"]


def check_values(release: Release) -> tuple[str, list[str]]:
    """One resource node per service, in service_id order, each holding its CSV row's value
    of every field that has a schema.org term."""
    return "the resources' nodes hold their CSV rows' values", _problems(release)["jsonld"]


def _problems(release: Release) -> dict[str, list[str]]:
    """Both checks' problems, from one pass over the JSON-LD (kept on the release)."""
    if "jsonld" not in release.found:
        release.found["jsonld"] = _read(release)
    return release.found["jsonld"]


def _read(release: Release) -> dict[str, list[str]]:
    terms = NodeCheck(load_terms())
    values: list[str] = []
    rows = (row for batch in release.table(SERVICES).to_batches() for row in batch.to_pylist())
    contacts = contacts_by_service(release.table(CONTACT_POINTS))
    expected = next(rows, None)
    head: dict[str, dict] = {}  # the nodes before the resources, by @id
    started = False
    for node in graph_nodes(release.path_of_format("jsonld")):
        terms.add(node)
        if expected is not None and node.get("@id") == metadata.iri(
            "service", expected["service_id"]
        ):
            started = True
            values += _node_problems(expected, node, head)
            values += _channel_problems(expected, node, contacts.get(expected["service_id"], []))
            expected = next(rows, None)
        elif not started:
            head[str(node.get("@id"))] = node
        else:
            values.append(f"JSON-LD node {node.get('@id')} is not the node of the next CSV row")
    while expected is not None:
        values.append(f"{expected['service_id']} has no JSON-LD node")
        expected = next(rows, None)
    return {"schema.org": terms.problems, "jsonld": values}


def graph_nodes(path: Path) -> Iterator[dict]:
    """The nodes of the document's @graph, in order."""
    for text in json_items(path, JSONLD_HEAD):
        yield orjson.loads(text)


def json_items(path: Path, head: bytes) -> Iterator[bytes]:
    """The items of a JSON array as compact JSON text: as this package writes it, one per
    line after `head`, read a line at a time; a file laid out otherwise is parsed whole and
    each item written compactly again (so an unchanged item reads the same either way)."""
    with path.open("rb") as lines:
        if lines.readline().rstrip(b"\n") == head:
            for line in lines:
                line = line.rstrip(b"\n").removesuffix(b",")
                if line.startswith(b"]"):
                    return
                yield line
            return
    data = orjson.loads(path.read_bytes())
    if head == JSONLD_HEAD:
        if data.get("@context") != "https://schema.org":
            raise ValueError(f"@context is {data.get('@context')!r}, not 'https://schema.org'")
        data = data.get("@graph", [])
    yield from map(orjson.dumps, data)


@dataclass(frozen=True)
class _Term:
    """Where a field's value stands in a resource's node, as its schema.org term says:
    (linked node or "", property) in a service's node and in a work's, and the language."""

    field: Field
    service: tuple[str, str]
    work: tuple[str, str]
    language: str


def _term(field: Field) -> _Term:
    term, _, language = str(field.schemaorg).partition("@")
    work = term
    for service_term, work_term in SCHEMAORG_WORK_PROPERTIES.items():
        if term == service_term or term.startswith(f"{service_term}/"):
            work = work_term + term.removeprefix(service_term)
    service_link, _, service_name = term.rpartition("/")
    work_link, _, work_name = work.rpartition("/")
    return _Term(field, (service_link, service_name), (work_link, work_name), language)


_TERMS = [_term(f) for f in SERVICES.fields if f.schemaorg]


def _node_problems(row: dict, node: dict, head: dict[str, dict]) -> list[str]:
    """The fields whose value the resource's node does not hold where its term says."""
    work = node.get("@type") in _WORKS
    problems = [
        f"{row['service_id']}: JSON-LD {t.field.schemaorg} does not hold the CSV's {t.field.name}"
        for t in _TERMS
        if not _holds(t, row[t.field.name], t.work if work else t.service, node, head)
    ]
    stated = status_properties(row["status"], work)
    if any(node.get(name) != value for name, value in stated.items()) or (
        not stated and "offers" in node
    ):
        problems.append(f"{row['service_id']}: JSON-LD does not state the CSV's status")
    listing = listing_properties(row["listed_on_page"], metadata.source_page_iri())
    if node.get("subjectOf") != listing.get("subjectOf"):
        problems.append(f"{row['service_id']}: JSON-LD does not state the CSV's listed_on_page")
    return problems


def _channel_problems(row: dict, node: dict, contacts: list[dict]) -> list[str]:
    """A service's ServiceChannel holds its contact points' phones and places."""
    if node.get("@type") in _WORKS:
        return []
    channel = node.get("availableChannel") or {}
    stated = {k: channel.get(k) for k in ("servicePhone", "serviceLocation") if k in channel}
    if stated != channel_contacts(contacts):
        return [f"{row['service_id']}: JSON-LD availableChannel does not hold its contact points"]
    return []


def _holds(
    term: _Term, value: object, where: tuple[str, str], node: dict, head: dict[str, dict]
) -> bool:
    """Whether the node says `value` where the term puts it: "name@ja" a value tagged ja
    among the node's names, "provider/name@ja" the same in the linked node (inline, or a
    node of the graph's head by its @id); no value, nothing there."""
    link, name = where
    target = node.get(link) if link else node
    if isinstance(target, dict) and len(target) == 1 and "@id" in target:
        target = head.get(target["@id"])
    found = target.get(name) if isinstance(target, dict) else None
    items = found if isinstance(found, list) else [] if found is None else [found]
    if isinstance(value, date):
        value = value.isoformat()
    if value is None:
        return not any(_language(item) == term.language for item in items)
    return ({"@value": value, "@language": term.language} if term.language else value) in items


def _language(item: object) -> str:
    return str(item.get("@language", "")) if isinstance(item, dict) else ""
