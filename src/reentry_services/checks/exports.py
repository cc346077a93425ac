"""The exports in other standards' layouts: HSDS's service objects against HSDS's JSON
Schema, and, as a corruption check, each export's ids and names against the services
table. (Their CSV tables meet their Table Schemas in the `rows` check.)"""

from __future__ import annotations

import itertools

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ..model import metadata
from ..model.records import contacts_by_service
from ..model.schema import CONTACT_POINTS, SERVICES
from ..standards import tableschema
from ..standards.giflayout import (
    COLUMNS,
    EMPTY,
    HEADER,
    WHOLE,
    contact_columns,
    keywords,
    phone_numbers,
)
from ..standards.hsdsspec import JSON_NAME, SERVICE_STATUS, load_service_schema
from .context import Release
from .jsonld import json_items


def check_hsds(release: Release) -> tuple[str, list[str]]:
    """services.json: every object valid against HSDS's service JSON Schema (by
    jsonschema-rs, formats checked); the services' ids and names in services.csv and
    services.json, and their statuses in services.csv, are the services table's, in order;
    phones.csv holds the contact points' numbers."""
    services = release.table(SERVICES)
    ids = [metadata.stable_uuid("service", sid) for sid in services["service_id"].to_pylist()]
    names = services["name_ja"].to_pylist()
    statuses = [SERVICE_STATUS[s] for s in services["status"].to_pylist()]
    columns = ["id", "name", "status"]
    found = tableschema.read_strings(release.path("hsds-services"), columns=columns)
    problems = []
    if found.column_names != columns or [found[c].to_pylist() for c in columns] != [
        ids,
        names,
        statuses,
    ]:
        problems.append("hsds services.csv: ids, names or statuses differ from the services table")
    if _phone_pairs(release.path("hsds-phones")) != _contact_phones(release):
        problems.append("hsds phones.csv: the numbers differ from the contact points'")
    json_path = release.path("hsds-services").with_name(JSON_NAME)
    schema_problems, json_ids, json_names = _check_service_objects(json_path)
    if json_ids != ids or json_names != names:
        problems.append(f"hsds {JSON_NAME}: ids or names differ from the services table")
    return "the HSDS 3.0 export meets HSDS's JSON Schema and agrees with the services table", [
        *schema_problems,
        *problems,
    ]


def _phone_pairs(path) -> list[tuple[str, str]]:
    """(service id, number) of each row of HSDS's phones.csv, sorted."""
    found = tableschema.read_strings(path, columns=["service_id", "number"])
    return sorted(zip(*(found[c].to_pylist() for c in found.column_names), strict=True))


def _contact_phones(release: Release) -> list[tuple[str, str]]:
    """(service's HSDS id, number) of each phone number of the contact points, sorted."""
    contacts = release.table(CONTACT_POINTS).to_pylist()
    return sorted(
        (metadata.stable_uuid("service", c["service_id"]), number)
        for c in contacts
        for number in phone_numbers(c["phone"])
    )


def _check_service_objects(path) -> tuple[list[str], list[object], list[object]]:
    """(problems against HSDS's JSON Schema, the objects' ids, their names)."""
    import jsonschema_rs

    validator = jsonschema_rs.Draft202012Validator(load_service_schema(), validate_formats=True)
    problems: list[str] = []
    ids, names = [], []
    for number, text in enumerate(json_items(path, b"["), start=1):
        service = orjson.loads(text)
        errors = () if validator.is_valid(service) else validator.iter_errors(service)
        for error in itertools.islice(errors, 3):
            where = "/".join(map(str, error.instance_path)) or "the object"
            problems.append(
                f"hsds {JSON_NAME}: service {number} ({service.get('id')}), {where}: "
                f"{error.message}"
            )
        ids.append(service.get("id"))
        names.append(service.get("name"))
    return problems, ids, names


def check_gif(release: Release) -> tuple[str, list[str]]:
    """The GIF export has the declared columns; each column copied from a services column
    holds that column's values, in order, the items the data has nothing for are empty,
    キーワード holds the section, status and listing, and 概要 and 内容 hold the whole
    description where their rule says they do."""
    published = tableschema.read_strings(release.path("gif-services"))
    if published.column_names != HEADER:
        return "the GIF export has the declared columns", [
            f"gif: columns are {published.column_names}, expected {HEADER}"
        ]
    services = release.table(SERVICES)
    problems = [
        f"gif: {column.name} differs from the services table's {column.source}"
        for column in COLUMNS
        if column.source
        and not published[column.name].equals(services[column.source].cast(pa.string()))
    ]
    problems += [
        f"gif: {name} holds values, though the data has none for it"
        for name in EMPTY
        if published[name].null_count != published.num_rows
    ]
    contacts = contact_columns(
        services["service_id"],
        services["link_url"],
        services["contact_searched_on"],
        contacts_by_service(release.table(CONTACT_POINTS)),
    )
    problems += [
        f"gif: {name} differs from the contact points"
        for name, values in contacts.items()
        if not published[name].equals(values)
    ]
    expected = keywords(services["section_ja"], services["status"], services["listed_on_page"])
    if not published["キーワード"].equals(expected):
        problems.append("gif: キーワード differs from the section's heading, status and listing")
    description = services["description_ja"]
    for column in ("概要", "内容"):
        whole = pc.equal(published[f"{column}の作成方法"], WHOLE)
        if not pc.filter(published[column], whole).equals(pc.filter(description, whole)):
            problems.append(f"gif: {column} made by {WHOLE} differs from the description")
    return "the GIF export agrees with the services table", problems
