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
from pathlib import Path

import pyarrow as pa
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
from .tables import write_json_lines_array

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


def write_hsds(services: pa.Table, sections: pa.Table, folder: Path) -> list[str]:
    """Write the CSVs (HSDS column order, strings quoted, empty for no value) and the JSON
    list of service objects (one per line), a batch of services at a time; return the file
    names written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = load_tables()["tables"]
    section_rows = sections.to_pylist()
    priorities = {s["section_code"]: s["national_priority_code"] for s in section_rows}
    terms = _terms(section_rows)
    organizations = _organizations(services)
    by_id = {o["id"]: o for o in organizations}
    writers = {name: pacsv.CSVWriter(folder / spec[name]["path"], _schema(spec[name]),
                                     write_options=pacsv.WriteOptions(quoting_style="needed"))
               for name in PUBLISHED}
    fixed = {"organization": organizations, "taxonomy_term": list(terms.values()),
             "taxonomy": [{"id": _id("taxonomy", key), "name": name, "description": text}
                          for key, name, text in TAXONOMIES]}
    for name, rows in fixed.items():
        writers[name].write_table(pa.Table.from_pylist(rows, schema=_schema(spec[name])))

    def service_objects() -> Iterator[dict]:
        for batch in services.to_batches(max_chunksize=10_000):
            tables: dict[str, list[dict]] = {name: [] for name in PER_SERVICE}
            for row in batch.to_pylist():
                records = _records(row, priorities, terms)
                for name in PER_SERVICE:
                    tables[name].extend(records[name])
                service = records["service"][0]
                yield {**service, "organization": by_id[service["organization_id"]],
                       "service_areas": records["service_area"],
                       "languages": records["language"],
                       "attributes": [{**a, "taxonomy_term": terms[a["link_type"],
                                                                   a["_code"]]}
                                      for a in records["attribute"]]}
            for name, rows in tables.items():
                writers[name].write_table(pa.Table.from_pylist(rows, schema=_schema(spec[name])))

    try:
        write_json_lines_array(_without_codes(service_objects()), folder / JSON_NAME)
    finally:
        for writer in writers.values():
            writer.close()
    return [*(spec[name]["path"] for name in PUBLISHED), JSON_NAME]


PER_SERVICE = ("service", "service_area", "language", "attribute")


def _schema(table: dict) -> pa.Schema:
    return pa.schema([(field, pa.string()) for field in table["fields"]])


def _records(row: dict, priorities: dict, terms: dict) -> dict[str, list[dict]]:
    """The rows one service gives each per-service HSDS table."""
    service_id = _id("service", row["service_id"])
    codes = [("section", row["section_code"]), ("gif_service_type", row["gif_service_type"]),
             *[("gif_concern", c) for c in row["gif_concerns"].split(LIST_SEPARATOR)],
             ("resource_type", row["resource_type"])]
    if priorities[row["section_code"]]:
        codes.append(("national_priority", priorities[row["section_code"]]))
    return {
        "service": [_service(row, service_id)],
        "service_area": [{"id": _id("service_area", row["service_id"]), "service_id": service_id,
                          "name": row["jurisdiction_name"],
                          "description": f"{row['jurisdiction_name']}（全国地方公共団体コード "
                                         f"{row['jurisdiction_code']}）"}],
        "language": [{"id": _id("language", f"{row['service_id']}/ja"),
                      "service_id": service_id, "name": "日本語", "code": "ja",
                      "note": "ページの記載は日本語。サービスで使える言語はページに記載がない。"}],
        "attribute": [{"id": _id("attribute", f"{row['service_id']}/{key}/{code}"),
                       "link_id": service_id, "taxonomy_term_id": terms[key, code]["id"],
                       "link_type": key, "link_entity": "service", "_code": code}
                      for key, code in codes],
    }


def _without_codes(objects: Iterator[dict]) -> Iterator[dict]:
    """Drop the helper key that pairs an attribute with its term before it is written."""
    for obj in objects:
        for attribute in obj["attributes"]:
            attribute.pop("_code", None)
        yield obj


def _organizations(services: pa.Table) -> list[dict]:
    grouped = services.group_by(["provider_ja", "provider_en", "provider_type"]).aggregate(
        [("service_id", "count")]).sort_by("provider_ja")
    return [
        {"id": _id("organization", row["provider_ja"]), "name": row["provider_ja"],
         "alternate_name": row["provider_en"],
         "description": f"{PROVIDER_TYPES[row['provider_type']].ja}。東京都の再犯防止推進計画の"
                        f"ページに掲載された支援資源{row['service_id_count']}件の提供主体。"}
        for row in grouped.to_pylist()
    ]


def _service(row: dict, service_id: str) -> dict:
    service = {
        "id": service_id,
        "organization_id": metadata.shared_uuid("organization", row["provider_ja"]),
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


