"""Writer of the Open Referral HSDS 3.0 export: tabular CSVs and a JSON list of services.

File and column names come from HSDS's own tabular datapackage.json, through
`hsds_tables.json`, which `derive_tables` derives from it (a test re-derives it from the
vendored copy). Ids are the project's stable UUIDs: a service's id is the UUID of its
JSON-LD @id. The page's sections, the national plan's priority issues, the GIF vocabularies
and the resource types are HSDS taxonomies; each service is linked to its terms by
attributes. A relative or missing link is left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import cast

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import metadata
from ..schema import (
    GIF_CONCERNS,
    GIF_SERVICE_TYPES,
    LIST_SEPARATOR,
    NATIONAL_PRIORITIES,
    PROVIDER_TYPES,
    RESOURCE_TYPES,
    CodeList,
)
from . import batches, jsontext

TABLES_PATH = Path(__file__).parents[1] / "hsds_tables.json"
SERVICE_SCHEMA_PATH = Path(__file__).parents[1] / "hsds_service_schema.json"
# The JSON Schema keywords that decide validity; every other key of HSDS's schema files
# (name, title, description, example, constraints, datapackage_metadata, …) is
# documentation, which JSON Schema ignores.
_VALIDATION_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "required",
        "items",
        "enum",
        "const",
        "format",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "additionalProperties",
        "anyOf",
        "allOf",
        "oneOf",
        "not",
        "definitions",
        "$defs",
        "multipleOf",
        "patternProperties",
    }
)
_SCHEMA_MAPS = frozenset({"properties", "definitions", "$defs", "patternProperties"})
PUBLISHED = (
    "organization",
    "service",
    "service_area",
    "language",
    "taxonomy",
    "taxonomy_term",
    "attribute",
)
JSON_NAME = "services.json"

# (taxonomy key, name, description); the key is also the attributes' link_type.
TAXONOMIES = (
    (
        "section",
        "東京都再犯防止推進計画ページの区分",
        "Sections of the Tokyo Metropolitan Government's recidivism-prevention page "
        "(chapters of the Tokyo plan).",
    ),
    (
        "national_priority",
        "再犯防止推進計画の重点課題",
        "The seven priority issues of Japan's national Recidivism Prevention Plan.",
    ),
    (
        "gif_service_type",
        "サービス種別（GIF DS-491-1）",
        "Kinds of administrative service in the Digital Agency's service catalogue.",
    ),
    (
        "gif_concern",
        "お困りごと（GIF DS-491-1）",
        "Troubles people look for help with, in the Digital Agency's service catalogue.",
    ),
    (
        "resource_type",
        "支援資源の種類",
        "Kinds of resource, as classified by this project's curation.",
    ),
)


def files_written() -> list[str]:
    """The names of the files write_hsds writes, in the order it writes them."""
    spec = load_tables()["tables"]
    return [*(spec[name]["path"] for name in PUBLISHED), JSON_NAME]


@cache
def load_tables(path: Path = TABLES_PATH) -> dict:
    """HSDS's tables as derived (read once; callers do not change it)."""
    return json.loads(path.read_text(encoding="utf-8"))


def derive_tables(descriptor: dict) -> dict:
    """Per published HSDS table, read from HSDS's tabular datapackage.json: its file, its
    columns in order, the required ones, its foreign keys, and its Table Schema as this
    package declares it (Data Package v2 form: keys as lists, references by this package's
    resource names; foreign keys to tables this package does not publish are left out,
    since it leaves their columns empty)."""
    tables = {}
    for resource in descriptor["resources"]:
        if resource["name"] not in PUBLISHED:
            continue
        schema = resource["schema"]
        fields = schema["fields"]
        keys = [k for k in schema.get("foreignKeys", []) if k["reference"]["resource"] in PUBLISHED]
        tables[resource["name"]] = {
            "path": resource["path"],
            "fields": [f["name"] for f in fields],
            "required": [f["name"] for f in fields if f.get("constraints", {}).get("required")],
            "foreign_keys": {k["fields"]: k["reference"]["resource"] for k in keys},
            "schema": {
                "fields": [_field(f) for f in fields],
                "primaryKey": _as_list(schema["primaryKey"]),
                "foreignKeys": [
                    {
                        "fields": _as_list(k["fields"]),
                        "reference": {
                            "resource": resource_name(
                                _path_of(descriptor, k["reference"]["resource"])
                            ),
                            "fields": _as_list(k["reference"]["fields"]),
                        },
                    }
                    for k in keys
                ],
                "missingValues": [""],
            },
        }
    return {
        "source": "Open Referral HSDS 3.0 datapackage.json, derived by "
        "reentry_services.publish.hsds.derive_tables",
        "tables": tables,
    }


def derive_service_schema(compiled: dict) -> dict:
    """HSDS's service JSON Schema (compiled/service_with_definitions.json) with only the
    keywords that decide validity: it accepts and refuses exactly what the full one does."""

    def keep(node: object) -> object:
        if isinstance(node, list):
            return [keep(n) for n in node]
        if not isinstance(node, dict):
            return node
        return {
            key: (
                {name: keep(sub) for name, sub in value.items()}
                if key in _SCHEMA_MAPS
                else keep(value)
            )
            for key, value in node.items()
            if key in _VALIDATION_KEYWORDS
        }

    return {
        "$comment": "Open Referral HSDS 3.0 schema/compiled/service_with_definitions.json, "
        "validation keywords only; derived by reentry_services.publish.hsds."
        "derive_service_schema",
        **cast(dict, keep(compiled)),
    }


@cache
def load_service_schema(path: Path = SERVICE_SCHEMA_PATH) -> dict:
    """HSDS's service JSON Schema as derived (read once; callers do not change it)."""
    return json.loads(path.read_text(encoding="utf-8"))


def resource_name(path: str) -> str:
    """This package's resource name for an HSDS file: hsds-services, hsds-services-json."""
    stem, _, extension = path.partition(".")
    return f"hsds-{stem}" + ("" if extension == "csv" else f"-{extension}")


def _field(field: dict) -> dict:
    """An HSDS field as declared: name, type, format, description, constraints that hold."""
    kept = {
        key: field[key]
        for key in ("name", "type", "format", "description")
        if field.get(key) not in (None, "", "default")
    }
    constraints = {k: v for k, v in field.get("constraints", {}).items() if v is not False}
    return kept | ({"constraints": constraints} if constraints else {})


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _path_of(descriptor: dict, name: str) -> str:
    return next(r["path"] for r in descriptor["resources"] if r["name"] == name)


def _id(kind: str, key: str) -> str:
    return metadata.stable_uuid(kind, key)


def write_hsds(services: pa.Table, sections: pa.Table, folder: Path) -> list[str]:
    """Write the CSVs (HSDS column order, strings quoted, empty for no value) and the JSON
    list of service objects (one per line), a batch of services at a time; return the file
    names written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = load_tables()["tables"]
    writers = {
        name: pacsv.CSVWriter(
            folder / spec[name]["path"],
            _schema(spec[name]),
            write_options=pacsv.WriteOptions(quoting_style="needed"),
        )
        for name in PUBLISHED
    }
    try:
        fixed_tables, context = _fixed_tables_and_context(services, sections)
        for name, rows in fixed_tables.items():
            writers[name].write_table(pa.Table.from_pylist(rows, schema=_schema(spec[name])))

        def service_objects() -> Iterator[pa.Array]:
            for records, objects in batches.rendered(partial(_batch, context=context), services):
                for name, record in records.items():
                    writers[name].write_table(_csv_table(record, spec[name]))
                yield objects

        with (folder / JSON_NAME).open("wb") as out:
            jsontext.write_array(out, service_objects())
    finally:
        for writer in writers.values():
            writer.close()
    return files_written()


Columns = dict[str, pa.Array | str]  # an HSDS record: column → values, or one value for all


@dataclass(frozen=True)
class _Context:
    """What every batch needs: each section's national priority, and the taxonomy terms'
    and organizations' ids and JSON."""

    priorities: dict[str, str]
    term_ids: dict[str, str]  # "taxonomy/code" → term id
    term_json: dict[str, str]
    organization_json: dict[str, str]  # provider name → organization object


def _fixed_tables_and_context(
    services: pa.Table, sections: pa.Table
) -> tuple[dict[str, list[dict]], _Context]:
    """The tables that do not grow with the services (organizations, taxonomies, terms),
    and what every batch of services needs."""
    section_rows = sections.to_pylist()
    terms = _terms(section_rows)
    organizations = _organizations(services)
    fixed_tables = {
        "organization": organizations,
        "taxonomy_term": list(terms.values()),
        "taxonomy": [
            {"id": _id("taxonomy", key), "name": name, "description": text}
            for key, name, text in TAXONOMIES
        ],
    }
    return fixed_tables, _Context(
        priorities={
            s["section_code"]: s["national_priority_code"]
            for s in section_rows
            if s["national_priority_code"]
        },
        term_ids={key: term["id"] for key, term in terms.items()},
        term_json={key: orjson.dumps(term).decode() for key, term in terms.items()},
        organization_json={o["name"]: orjson.dumps(o).decode() for o in organizations},
    )


def _batch(rows: pa.RecordBatch, context: _Context) -> tuple[dict[str, Columns], pa.Array]:
    """The batch's rows of each per-service table, and its services.json objects."""
    service_ids = rows["service_id"]
    service_uuid = metadata.stable_uuids("service", service_ids)
    records: dict[str, Columns] = {
        "service": _service(rows, service_uuid),
        "service_area": {
            "id": metadata.stable_uuids("service_area", service_ids),
            "service_id": service_uuid,
            "name": rows["jurisdiction_name"],
            "description": jsontext.concat(
                rows["jurisdiction_name"],
                "（全国地方公共団体コード ",
                rows["jurisdiction_code"],
                "）",
            ),
        },
        "language": {
            "id": metadata.stable_uuids("language", jsontext.concat(service_ids, "/ja")),
            "service_id": service_uuid,
            "name": "日本語",
            "code": "ja",
            "note": "ページの記載は日本語。サービスで使える言語はページに記載がない。",
        },
    }
    links, owner = _term_links(rows, context.priorities)
    term = jsontext.concat(links["taxonomy"], "/", links["code"])
    if pc.any(pc.invert(pc.is_in(term, pa.array(list(context.term_ids))))).as_py():
        raise ValueError("a service is linked to a taxonomy term that does not exist")
    records["attribute"] = {
        "id": metadata.stable_uuids(
            "attribute", jsontext.concat(pc.take(service_ids, owner), "/", term)
        ),
        "link_id": pc.take(service_uuid, owner),
        "taxonomy_term_id": jsontext.lookup(term, context.term_ids),
        "link_type": links["taxonomy"],
        "link_entity": "service",
    }
    attributes = jsontext.obj(
        [
            *_members(records["attribute"]),
            ("taxonomy_term", jsontext.lookup(term, context.term_json)),
        ]
    )
    offsets = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=rows.num_rows))])
    objects = jsontext.obj(
        [
            *_members(records["service"]),
            ("organization", jsontext.lookup(rows["provider_ja"], context.organization_json)),
            (
                "service_areas",
                jsontext.concat("[", jsontext.obj(_members(records["service_area"])), "]"),
            ),
            ("languages", jsontext.concat("[", jsontext.obj(_members(records["language"])), "]")),
            ("attributes", jsontext.array_by_offsets(attributes, pa.array(offsets, pa.int32()))),
        ]
    )
    return records, objects


def _service(rows: pa.RecordBatch, service_uuid: pa.Array) -> Columns:
    return {
        "id": service_uuid,
        "organization_id": metadata.stable_uuids_of("organization", rows["provider_ja"]),
        "name": rows["name_ja"],
        "alternate_name": rows["name_en"],
        "description": rows["description_ja"],
        "status": "active",
        "url": rows["link_url"],
        "eligibility_description": rows["target_people_ja"],
    }


def _term_links(
    rows: pa.RecordBatch, priorities: dict[str, str]
) -> tuple[dict[str, pa.Array], np.ndarray]:
    """Every (taxonomy, code) each service is linked to, in order: its section, GIF service
    type, GIF concerns, resource type and national priority (if its section has one); and
    the row of the service each link belongs to."""
    count = rows.num_rows
    concerns = pc.split_pattern(rows["gif_concerns"], LIST_SEPARATOR)
    priority = jsontext.lookup(rows["section_code"], priorities)
    has_priority = pc.is_valid(priority)
    parts = [  # (taxonomy, codes, owner rows)
        ("section", rows["section_code"], np.arange(count)),
        ("gif_service_type", rows["gif_service_type"], np.arange(count)),
        ("gif_concern", pc.list_flatten(concerns), pc.list_parent_indices(concerns).to_numpy()),
        ("resource_type", rows["resource_type"], np.arange(count)),
        (
            "national_priority",
            pc.filter(priority, has_priority),
            np.flatnonzero(has_priority.to_numpy(zero_copy_only=False)),
        ),
    ]
    owner = np.concatenate([p[2] for p in parts])
    order = np.argsort(owner, kind="stable")  # by service, keeping the order of the parts
    taxonomy = pa.array([p[0] for p in parts], pa.string()).take(
        np.repeat(np.arange(len(parts)), [len(p[2]) for p in parts])
    )
    code = pa.concat_arrays([pc.cast(p[1], pa.string()) for p in parts])
    return {"taxonomy": taxonomy.take(order), "code": code.take(order)}, owner[order]


def _members(record: Columns) -> list[tuple[str, pa.Array | str]]:
    return [
        (name, jsontext.constant(value) if isinstance(value, str) else jsontext.strings(value))
        for name, value in record.items()
    ]


def _schema(table: dict) -> pa.Schema:
    return pa.schema([(field, pa.string()) for field in table["fields"]])


def _csv_table(record: Columns, table: dict) -> pa.Table:
    """The record in the HSDS table's column order; a column it lacks is empty."""
    rows = len(record["id"])
    columns = [record.get(name) for name in table["fields"]]
    return pa.table(
        [
            pa.nulls(rows, pa.string())
            if value is None
            else pa.repeat(value, rows)
            if isinstance(value, str)
            else pc.cast(value, pa.string())
            for value in columns
        ],
        schema=_schema(table),
    )


def _organizations(services: pa.Table) -> list[dict]:
    grouped = (
        services.group_by(["provider_ja", "provider_en", "provider_type"])
        .aggregate([("service_id", "count")])
        .sort_by("provider_ja")
    )
    return [
        {
            "id": _id("organization", row["provider_ja"]),
            "name": row["provider_ja"],
            "alternate_name": row["provider_en"],
            "description": f"{PROVIDER_TYPES[row['provider_type']].ja}。東京都の再犯防止推進計画の"
            f"ページに掲載された支援資源{row['service_id_count']}件の提供主体。",
        }
        for row in grouped.to_pylist()
    ]


def _terms(sections: list[dict]) -> dict[str, dict]:
    """Every taxonomy term, by "taxonomy key/code". HSDS wants term codes unique across
    taxonomies, so each is prefixed with its taxonomy: "gif_concern:housing"."""
    lists: dict[str, Iterable[tuple[str, str, str]]] = {
        "section": [
            (s["section_code"], s["section_ja"] or s["section_en"], s["section_en"])
            for s in sections
        ],
        **{key: [(c.code, c.ja, c.en) for c in codes.codes] for key, codes in _CODE_LISTS.items()},
    }
    return {
        f"{key}/{code}": {
            "id": _id("taxonomy_term", f"{key}/{code}"),
            "code": f"{key}:{code}",
            "name": name,
            "description": description,
            "taxonomy": key,
            "language": "ja",
            "taxonomy_id": _id("taxonomy", key),
        }
        for key, terms in lists.items()
        for code, name, description in terms
    }


_CODE_LISTS: dict[str, CodeList] = {
    "national_priority": NATIONAL_PRIORITIES,
    "gif_service_type": GIF_SERVICE_TYPES,
    "gif_concern": GIF_CONCERNS,
    "resource_type": RESOURCE_TYPES,
}
