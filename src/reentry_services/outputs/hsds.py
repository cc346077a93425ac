"""Writer of the Open Referral HSDS 3.0 export: tabular CSVs and a JSON list of services.

File and column names come from HSDS's own tabular datapackage.json, through
`hsds_tables.json`, which `derive_tables` derives from it (a test re-derives it from the
vendored copy). Ids are the project's stable UUIDs: a service's id is the UUID of its
JSON-LD @id. The page's sections, the national plan's priority issues, the GIF vocabularies
and the resource types are HSDS taxonomies; each service is linked to its terms by
attributes. A relative or missing link is left out.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.csv as pacsv

from ..model import metadata
from ..model.records import Tables, contacts_by_service
from ..model.schema import (
    GIF_CONCERNS,
    GIF_SERVICE_TYPES,
    LIST_SEPARATOR,
    NATIONAL_PRIORITIES,
    PROVIDER_TYPES,
    RESOURCE_TYPES,
    Code,
    CodeList,
)
from ..standards.giflayout import phone_numbers
from ..standards.hsdsspec import (
    HSDS_DAYS,
    JSON_NAME,
    PUBLISHED,
    SERVICE_STATUS,
    files_written,
    load_tables,
)
from . import batches

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
    (
        "listing",
        "掲載の別",
        "Whether Tokyo's page lists the resource, or the curation adds it from official "
        "pages (the services table's listed_on_page).",
    ),
)

# The listing taxonomy's terms: listed_on_page true, false.
LISTINGS = CodeList(
    "listing",
    (
        Code("page", "東京都のページに掲載", "Listed on Tokyo's page"),
        Code("addition", "ページ未掲載（追加）", "Not on the page: added from official pages"),
    ),
)


def _id(kind: str, key: str) -> str:
    return metadata.stable_uuid(kind, key)


def write_hsds(tables: Tables, folder: Path) -> list[str]:
    """Write the CSVs (HSDS column order, strings quoted, empty for no value) and the JSON
    list of service objects (one per line), a batch of services at a time; return the file
    names written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = load_tables()["tables"]
    services = tables.services
    fixed_tables, context = _fixed_tables_and_context(tables)
    with contextlib.ExitStack() as files:
        writers = {
            name: files.enter_context(
                pacsv.CSVWriter(
                    folder / spec[name]["path"],
                    _schema(spec[name]),
                    write_options=pacsv.WriteOptions(quoting_style="needed"),
                )
            )
            for name in PUBLISHED
        }

        def write_rows(name: str, rows: list[dict]) -> None:
            writers[name].write_table(pa.Table.from_pylist(rows, schema=_schema(spec[name])))

        for name, rows in fixed_tables.items():
            write_rows(name, rows)
        out = files.enter_context((folder / JSON_NAME).open("wb"))
        out.write(b"[\n")
        separator = b""
        for batch in services.to_batches(max_chunksize=batches.ROWS):
            records: dict[str, list[dict]] = {name: [] for name in PER_SERVICE}
            for row in batch.to_pylist():
                service = _service_records(row, context)
                for name in PER_SERVICE:
                    records[name] += service[name]
                out.write(separator + orjson.dumps(_service_object(service, row, context)))
                separator = b",\n"
            for name, rows in records.items():
                write_rows(name, rows)
        out.write(b"\n]\n")
    return files_written()


# the tables of each service
PER_SERVICE = (
    "service",
    "service_area",
    "language",
    "attribute",
    "phone",
    "schedule",
    "location",
    "service_at_location",
)


@dataclass
class _Context:
    """What every service needs: each section's national priority, the taxonomy terms by
    "taxonomy key/code", and the organizations by name."""

    priorities: dict[str, str]
    terms: dict[str, dict]
    organizations: dict[str, dict]
    contacts: dict[str, list[dict]]  # each service's contact points, in order

    @cached_property
    def terms_by_id(self) -> dict[str, dict]:
        return {term["id"]: term for term in self.terms.values()}


def _fixed_tables_and_context(tables: Tables) -> tuple[dict[str, list[dict]], _Context]:
    """The tables that do not grow with the services (organizations, taxonomies, terms),
    and what every service needs."""
    services, section_rows = tables.services, tables.sections.to_pylist()
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
        terms=terms,
        organizations={o["name"]: o for o in organizations},
        contacts=contacts_by_service(tables.contact_points),
    )


def _phones(sid: str, service_id: str, contacts: list[dict]) -> list[dict]:
    """A row per telephone number of the service's contact points."""
    return [
        {
            "id": _id("phone", f"{sid}/{c['contact_order']}/{number}"),
            "service_id": service_id,
            "number": number,
            "type": "voice",
            "description": c["name_ja"] + (f"（{c['purpose_ja']}）" if c["purpose_ja"] else ""),
        }
        for c in contacts
        for number in phone_numbers(c["phone"])
    ]


def _time(hh_mm: str | None) -> str | None:
    """HH:MM as HSDS's tables type a time (Table Schema's HH:MM:SS)."""
    return f"{hh_mm}:00" if hh_mm else None


def _schedules(sid: str, service_id: str, contacts: list[dict]) -> list[dict]:
    """A weekly schedule (RFC 5545) per contact point with days or times."""
    return [
        {
            "id": _id("schedule", f"{sid}/{c['contact_order']}"),
            "service_id": service_id,
            "freq": "WEEKLY",
            "byday": ",".join(HSDS_DAYS[d] for d in c["days"].split(LIST_SEPARATOR))
            if c["days"]
            else None,
            "opens_at": _time(c["opens"]),
            "closes_at": _time(c["closes"]),
            "description": f"{c['name_ja']}: {c['hours_ja']}" if c["hours_ja"] else None,
            "notes": c["hours_note_ja"],
        }
        for c in contacts
        if c["days"] or c["opens"]
    ]


def _locations(sid: str, service_id: str, contacts: list[dict]) -> dict[str, list[dict]]:
    """A physical location and its service_at_location per contact point with an address.
    The address is the location's description: HSDS's address table wants postal code,
    city and prefecture apart, which the curated address does not give."""
    with_address = [c for c in contacts if c["address_ja"]]
    keys = [f"{sid}/{c['contact_order']}" for c in with_address]
    return {
        "location": [
            {
                "id": _id("location", key),
                "location_type": "physical",
                "name": c["name_ja"],
                "description": f"所在地: {c['address_ja']}",
            }
            for key, c in zip(keys, with_address, strict=True)
        ],
        "service_at_location": [
            {
                "id": _id("service_at_location", key),
                "service_id": service_id,
                "location_id": _id("location", key),
                "description": c["purpose_ja"],
            }
            for key, c in zip(keys, with_address, strict=True)
        ],
    }


def _service_records(row: dict, context: _Context) -> dict[str, list[dict]]:
    """A service's rows of each per-service table (PER_SERVICE)."""
    sid = row["service_id"]
    service_id = _id("service", sid)
    attributes = []
    for taxonomy, code in _term_links(row, context.priorities):
        term = context.terms.get(f"{taxonomy}/{code}")
        if term is None:
            raise ValueError(f"service {sid} is linked to a term that does not exist: {code}")
        attributes.append(
            {
                "id": _id("attribute", f"{sid}/{taxonomy}/{code}"),
                "link_id": service_id,
                "taxonomy_term_id": term["id"],
                "link_type": taxonomy,
                "link_entity": "service",
            }
        )
    return {
        "service": [
            {
                "id": service_id,
                "organization_id": _id("organization", row["provider_ja"]),
                "name": row["name_ja"],
                "alternate_name": row["name_en"],
                "description": row["description_ja"],
                "status": SERVICE_STATUS[row["status"]],
                "url": row["link_url"],
                "eligibility_description": row["target_people_ja"],
                "alert": _alert(row),
            }
        ],
        "service_area": [
            {
                "id": _id("service_area", sid),
                "service_id": service_id,
                "name": row["jurisdiction_name"],
                "description": f"{row['jurisdiction_name']}（全国地方公共団体コード "
                f"{row['jurisdiction_code']}）",
            }
        ],
        "language": [
            {
                "id": _id("language", f"{sid}/ja"),
                "service_id": service_id,
                "name": "日本語",
                "code": "ja",
                "note": "ページの記載は日本語。サービスで使える言語はページに記載がない。",
            }
        ],
        "attribute": attributes,
        "phone": _phones(sid, service_id, context.contacts.get(sid, [])),
        "schedule": _schedules(sid, service_id, context.contacts.get(sid, [])),
        **_locations(sid, service_id, context.contacts.get(sid, [])),
    }


def _alert(row: dict) -> str | None:
    """What HSDS's alert tells a reader: a resource no longer offered as listed, a link that
    a reorganisation may have moved, no official contact found."""
    notes = []
    if row["status"] == "superseded":
        notes.append(f"{row['successor_name_ja']}に引き継がれています: {row['successor_url']}")
    elif row["status"] == "closed":
        notes.append("終了しています。")
    if row["link_may_have_moved_since"]:
        moved = row["link_may_have_moved_since"]
        notes.append(f"リンク先は{moved}の組織再編で移転した可能性があります。")
    if row["contact_searched_on"]:
        searched = row["contact_searched_on"]
        notes.append(f"連絡先は公式の情報で確認できていません（{searched}時点）。")
    return " ".join(notes) or None


def _service_object(records: dict[str, list[dict]], row: dict, context: _Context) -> dict:
    """The service's object in services.json: its row, with its organization, service
    area, language and attributes (each with its taxonomy term) nested; a member without a
    value is left out."""
    (service,) = records["service"]
    return {
        **_present(service),
        "organization": context.organizations[row["provider_ja"]],
        "service_areas": [_present(area) for area in records["service_area"]],
        "languages": [_present(language) for language in records["language"]],
        "phones": [_present(phone) for phone in records["phone"]],
        "schedules": [_present(schedule) for schedule in records["schedule"]],
        "service_at_locations": [
            {**_present(at), "location": _present(location)}
            for at, location in zip(
                records["service_at_location"], records["location"], strict=True
            )
        ],
        "attributes": [
            {**_present(a), "taxonomy_term": context.terms_by_id[a["taxonomy_term_id"]]}
            for a in records["attribute"]
        ],
    }


def _present(record: dict) -> dict:
    return {name: value for name, value in record.items() if value is not None}


def _term_links(row: dict, priorities: dict[str, str]) -> list[tuple[str, str]]:
    """Every (taxonomy, code) a service is linked to, in order: its section, GIF service
    type, GIF concerns, resource type, national priority (if its section has one) and
    whether the page lists it."""
    concerns = row["gif_concerns"].split(LIST_SEPARATOR) if row["gif_concerns"] else []
    priority = priorities.get(row["section_code"])
    return [
        ("section", row["section_code"]),
        ("gif_service_type", row["gif_service_type"]),
        *(("gif_concern", code) for code in concerns),
        ("resource_type", row["resource_type"]),
        *([("national_priority", priority)] if priority else []),
        ("listing", "page" if row["listed_on_page"] else "addition"),
    ]


def _schema(table: dict) -> pa.Schema:
    return pa.schema([(field, pa.string()) for field in table["fields"]])


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
            "description": f"{PROVIDER_TYPES[row['provider_type']].ja}。"
            f"東京都の再犯防止推進計画に関する支援資源の一覧のうち{row['service_id_count']}件の"
            "提供主体。",
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
    "listing": LISTINGS,
}
