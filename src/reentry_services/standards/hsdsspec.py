"""Open Referral HSDS 3.0 as this package uses it: the extracts of HSDS's own files that the
package carries (`hsds_tables.json`, `hsds_service_schema.json`), how they are derived
from the vendored standard (`reentry-services derive`; a test re-derives them), and the
names of the files the export holds. The writer fills them; the checks read them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import cast

TABLES_PATH = Path(__file__).parent / "hsds_tables.json"
SERVICE_SCHEMA_PATH = Path(__file__).parent / "hsds_service_schema.json"
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
    "phone",
    "schedule",
    "location",
    "service_at_location",
)
JSON_NAME = "services.json"

# HSDS 3.0's service status (its enum: active, inactive, defunct, temporarily closed) for
# each of ours (schema.STATUSES): a superseded resource is no longer offered, but what
# replaced it is, so it is inactive rather than defunct.
SERVICE_STATUS = {"active": "active", "superseded": "inactive", "closed": "defunct"}

# RFC 5545's day codes (HSDS schedule.byday) for each of ours (schema.DAYS).
HSDS_DAYS = {
    "mon": "MO",
    "tue": "TU",
    "wed": "WE",
    "thu": "TH",
    "fri": "FR",
    "sat": "SA",
    "sun": "SU",
}


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
        "reentry_services.standards.hsdsspec.derive_tables",
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
        "validation keywords only; derived by "
        "reentry_services.standards.hsdsspec.derive_service_schema",
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
