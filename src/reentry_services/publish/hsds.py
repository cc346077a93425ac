"""Writer of the Open Referral HSDS 3.0 export: tabular CSVs and a JSON list of services.

File and column names come from HSDS's own tabular datapackage.json, through
`hsds_tables.json`, which `derive_tables` derives from it (a test re-derives it from the
vendored copy). Ids are the project's stable UUIDs: a service's id is the UUID of its
JSON-LD @id. The page's sections, the national plan's priority issues, the GIF vocabularies
and the resource types are HSDS taxonomies; each service is linked to its terms by
attributes. A relative or missing link is left out.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

import orjson
import pyarrow as pa

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

TABLES_PATH = Path(__file__).parents[1] / "hsds_tables.json"
PUBLISHED = ("organization", "service", "service_area", "language", "taxonomy",
             "taxonomy_term", "attribute")
JSON_NAME = "services.json"

# (taxonomy key, name, description); the key is also the attributes' link_type.
TAXONOMIES = (
    ("section", "東京都再犯防止推進計画ページの区分",
     "Sections of the Tokyo Metropolitan Government's recidivism-prevention page "
     "(chapters of the Tokyo plan)."),
    ("national_priority", "再犯防止推進計画の重点課題",
     "The seven priority issues of Japan's national Recidivism Prevention Plan."),
    ("gif_service_type", "サービス種別（GIF DS-491-1）",
     "Kinds of administrative service in the Digital Agency's service catalogue."),
    ("gif_concern", "お困りごと（GIF DS-491-1）",
     "Troubles people look for help with, in the Digital Agency's service catalogue."),
    ("resource_type", "支援資源の種類",
     "Kinds of resource, as classified by this project's curation."),
)


def load_tables(path: Path = TABLES_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def derive_tables(descriptor: dict) -> dict:
    """Per published HSDS table: its file, its columns in order, the required ones and its
    foreign keys, read from HSDS's tabular datapackage.json."""
    tables = {}
    for resource in descriptor["resources"]:
        if resource["name"] not in PUBLISHED:
            continue
        fields = resource["schema"]["fields"]
        tables[resource["name"]] = {
            "path": resource["path"],
            "fields": [f["name"] for f in fields],
            "required": [f["name"] for f in fields if f.get("constraints", {}).get("required")],
            "foreign_keys": {k["fields"]: k["reference"]["resource"]
                             for k in resource["schema"].get("foreignKeys", [])},
        }
    return {"source": "Open Referral HSDS 3.0 datapackage.json, derived by "
            "reentry_services.publish.hsds.derive_tables", "tables": tables}


def _id(kind: str, key: str) -> str:
    return metadata.stable_uuid(kind, key)


def build_rows(services: pa.Table, sections: pa.Table) -> dict[str, list[dict]]:
    """The rows of each published HSDS table, sorted by id."""
    rows = services.to_pylist()
    section_rows = sections.to_pylist()
    terms = _terms(section_rows)
    tables: dict[str, list[dict]] = {
        "organization": _organizations(rows),
        "service": [_service(row) for row in rows],
        "service_area": [_service_area(row) for row in rows],
        "language": [_language(row) for row in rows],
        "taxonomy": [{"id": _id("taxonomy", key), "name": name, "description": description}
                     for key, name, description in TAXONOMIES],
        "taxonomy_term": list(terms.values()),
        "attribute": [a for row in rows for a in _attributes(row, section_rows, terms)],
    }
    return {name: sorted(table, key=lambda r: r["id"]) for name, table in tables.items()}


def service_objects(tables: dict[str, list[dict]]) -> list[dict]:
    """The HSDS JSON service objects: each service with its organization, service area,
    languages and attributes (with their taxonomy terms) nested."""
    organizations = {o["id"]: o for o in tables["organization"]}
    terms = {t["id"]: t for t in tables["taxonomy_term"]}
    areas, languages, attributes = (_by(tables[name], key) for name, key in (
        ("service_area", "service_id"), ("language", "service_id"), ("attribute", "link_id")))
    return [
        {**service,
         "organization": organizations[service["organization_id"]],
         "service_areas": areas.get(service["id"], []),
         "languages": languages.get(service["id"], []),
         "attributes": [{**a, "taxonomy_term": terms[a["taxonomy_term_id"]]}
                        for a in attributes.get(service["id"], [])]}
        for service in tables["service"]
    ]


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def write_hsds(tables: dict[str, list[dict]], folder: Path) -> list[str]:
    """Write the CSVs (HSDS column order, empty for no value) and the JSON; return the
    file names written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = load_tables()["tables"]
    names = []
    for name in PUBLISHED:
        path = folder / spec[name]["path"]
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=spec[name]["fields"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables[name])
        names.append(path.name)
    (folder / JSON_NAME).write_bytes(orjson.dumps(service_objects(tables),
                                                 option=orjson.OPT_INDENT_2) + b"\n")
    return [*names, JSON_NAME]


def _organizations(rows: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["provider_ja"]] = counts.get(row["provider_ja"], 0) + 1
    first = {row["provider_ja"]: row for row in reversed(rows)}
    return [
        {"id": _id("organization", name), "name": name,
         "alternate_name": row["provider_en"],
         "description": f"{PROVIDER_TYPES[row['provider_type']].ja}。東京都の再犯防止推進計画の"
                        f"ページに掲載された支援資源{counts[name]}件の提供主体。"}
        for name, row in sorted(first.items())
    ]


def _service(row: dict) -> dict:
    service = {
        "id": _id("service", row["service_id"]),
        "organization_id": _id("organization", row["provider_ja"]),
        "name": row["name_ja"],
        "alternate_name": row["name_en"],
        "description": row["description_ja"],
        "status": "active",
    }
    if row["url"]:
        service["url"] = row["url"]
    if row["target_people_ja"]:
        service["eligibility_description"] = row["target_people_ja"]
    return service


def _service_area(row: dict) -> dict:
    return {"id": _id("service_area", row["service_id"]),
            "service_id": _id("service", row["service_id"]),
            "name": row["jurisdiction_name"],
            "description": f"{row['jurisdiction_name']}（全国地方公共団体コード "
                           f"{row['jurisdiction_code']}）"}


def _language(row: dict) -> dict:
    return {"id": _id("language", f"{row['service_id']}/ja"),
            "service_id": _id("service", row["service_id"]),
            "name": "日本語", "code": "ja",
            "note": "ページの記載は日本語。サービスで使える言語はページに記載がない。"}


def _terms(sections: list[dict]) -> dict[tuple[str, str], dict]:
    """Every taxonomy term, by (taxonomy key, code). HSDS wants term codes unique across
    taxonomies, so each is prefixed with its taxonomy: "gif_concern:housing"."""
    lists: dict[str, Iterable[tuple[str, str, str]]] = {
        "section": [(s["section_code"], s["section_ja"] or s["section_en"], s["section_en"])
                    for s in sections],
        **{key: [(c.code, c.ja, c.en) for c in codes.codes] for key, codes in _CODE_LISTS.items()},
    }
    return {
        (key, code): {"id": _id("taxonomy_term", f"{key}/{code}"), "code": f"{key}:{code}",
                      "name": name,
                      "description": description, "taxonomy": key, "language": "ja",
                      "taxonomy_id": _id("taxonomy", key)}
        for key, terms in lists.items() for code, name, description in terms
    }


_CODE_LISTS: dict[str, CodeList] = {
    "national_priority": NATIONAL_PRIORITIES,
    "gif_service_type": GIF_SERVICE_TYPES,
    "gif_concern": GIF_CONCERNS,
    "resource_type": RESOURCE_TYPES,
}


def _attributes(row: dict, sections: list[dict], terms: dict) -> list[dict]:
    section = next(s for s in sections if s["section_code"] == row["section_code"])
    codes = [("section", row["section_code"]), ("gif_service_type", row["gif_service_type"]),
             *[("gif_concern", c) for c in row["gif_concerns"].split(LIST_SEPARATOR)],
             ("resource_type", row["resource_type"])]
    if section["national_priority_code"]:
        codes.append(("national_priority", section["national_priority_code"]))
    service_id = _id("service", row["service_id"])
    return [{"id": _id("attribute", f"{row['service_id']}/{key}/{code}"),
             "link_id": service_id, "taxonomy_term_id": terms[key, code]["id"],
             "link_type": key, "link_entity": "service"} for key, code in codes]
