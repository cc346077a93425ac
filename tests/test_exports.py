"""The HSDS 3.0 and GIF exports, checked against their standards offline."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import frictionless
import pyarrow as pa
import pytest
from conftest import RESOURCES, vendored
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from reentry_services.model import metadata
from reentry_services.model.readers import read_csv
from reentry_services.model.records import contacts_by_service
from reentry_services.model.schema import SERVICES
from reentry_services.outputs import gif
from reentry_services.pipeline import build
from reentry_services.standards import giflayout, hsdsspec

BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@pytest.fixture(scope="module")
def registry() -> Registry:
    """The vendored HSDS schemas under their upstream base URI, so $refs resolve offline."""
    schema_dir = vendored("hsds/schema")
    resources = [
        (
            BASE + p.relative_to(schema_dir).as_posix(),
            Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT202012),
        )
        for p in schema_dir.rglob("*.json")
    ]
    return Registry().with_resources(resources)


def validator(registry: Registry, schema: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": BASE + schema}, registry=registry, format_checker=FormatChecker()
    )


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_hsds_service_object_is_valid(built, registry):
    services = json.loads((built / "dist" / "hsds" / "services.json").read_text("utf-8"))
    assert len(services) == RESOURCES
    check = validator(registry, "service.json")
    for service in services:
        errors = [e.message for e in check.iter_errors(service)]
        assert not errors, (service["name"], errors)


def test_the_validator_does_check_uuids_and_required_fields(registry):
    check = validator(registry, "service.json")
    assert not list(
        check.iter_errors(
            {"id": metadata.stable_uuid("service", "x"), "name": "n", "status": "active"}
        )
    )
    assert list(check.iter_errors({"id": "130001-0123", "name": "n", "status": "active"}))
    assert list(check.iter_errors({"id": metadata.stable_uuid("service", "x"), "status": "open"}))


@pytest.mark.parametrize("table", hsdsspec.PUBLISHED)
def test_every_hsds_csv_row_is_a_valid_object(built, registry, table):
    spec = hsdsspec.load_tables()["tables"][table]
    check = validator(registry, f"{table}.json")
    for row in rows(built / "dist" / "hsds" / spec["path"]):
        obj = {k: v for k, v in row.items() if v}
        assert not [e.message for e in check.iter_errors(obj)], obj


def test_hsds_csvs_pass_frictionless_with_hsds_descriptor(built):
    assert_valid_by_hsds_descriptor(built / "dist" / "hsds")


def assert_valid_by_hsds_descriptor(folder: Path) -> None:
    """HSDS's own tabular descriptor, limited to the tables published. A foreign key to a
    table not published (program, contact, …) must then be empty in every row."""
    descriptor = json.loads(vendored("hsds/datapackage.json").read_text(encoding="utf-8"))
    published = [r for r in descriptor["resources"] if (folder / r["path"]).exists()]
    names = {r["name"] for r in published}
    assert names == set(hsdsspec.PUBLISHED)
    for resource in published:
        keys = resource["schema"].get("foreignKeys", [])
        for key in keys:
            if key["reference"]["resource"] not in names:
                assert all(not r[key["fields"]] for r in rows(folder / resource["path"]))
        resource["schema"]["foreignKeys"] = [k for k in keys if k["reference"]["resource"] in names]
    package = frictionless.Package({**descriptor, "resources": published}, basepath=str(folder))
    report = package.validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])
    checked = [k for r in published for k in r["schema"]["foreignKeys"]]
    assert len(checked) >= 4  # service→organization, service_area→service, language→service,
    #                           attribute→taxonomy_term, taxonomy_term→taxonomy


def test_a_contact_address_becomes_an_hsds_location(raw_copy, tmp_path, registry):
    """An address curated for a contact point reaches HSDS as a physical location of the
    service, valid by HSDS's schemas. No address is published yet: a copy gets one."""
    path = raw_copy / "curation" / "contact-points.csv"
    with path.open(encoding="utf-8", newline="") as f:
        contacts = list(csv.DictReader(f))
    address = "東京都新宿区西新宿二丁目8番1号"
    contacts[0]["address_ja"] = address
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(contacts[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(contacts)
    build(raw_copy, tmp_path)
    folder = tmp_path / "dist" / "hsds"
    spec = hsdsspec.load_tables()["tables"]
    (location,) = rows(folder / spec["location"]["path"])
    (at,) = rows(folder / spec["service_at_location"]["path"])
    service_id = metadata.stable_uuid("service", contacts[0]["service_id"])
    assert (at["service_id"], at["location_id"]) == (service_id, location["id"])
    assert location["location_type"] == "physical" and address in location["description"]
    services = json.loads((folder / "services.json").read_text("utf-8"))
    (service,) = [s for s in services if s["id"] == service_id]
    assert service["service_at_locations"][0]["location"]["id"] == location["id"]
    assert not [e.message for e in validator(registry, "service.json").iter_errors(service)]
    assert_valid_by_hsds_descriptor(folder)


def test_packaged_hsds_tables_match_the_vendored_descriptor():
    descriptor = json.loads(vendored("hsds/datapackage.json").read_text(encoding="utf-8"))
    assert hsdsspec.derive_tables(descriptor) == hsdsspec.load_tables(), (
        "run: reentry-services derive"
    )


def test_hsds_ids_are_the_stable_ids(built):
    services = read_csv(SERVICES, built / "dist" / "services.csv").to_pylist()
    hsds_services = {r["id"]: r for r in rows(built / "dist" / "hsds" / "services.csv")}
    for s in services:
        row = hsds_services[metadata.stable_uuid("service", s["service_id"])]
        assert metadata.iri("service", s["service_id"]) == f"urn:uuid:{row['id']}"
        assert row["url"] == (s["link_url"] or "")  # the link the release presents
        assert row["name"] == s["name_ja"]
        # HSDS says active only of a resource offered as listed; of a superseded one, its
        # alert names the successor and its address
        assert (row["status"] == "active") == (s["status"] == "active")
        if s["status"] == "superseded":
            assert s["successor_name_ja"] in row["alert"] and s["successor_url"] in row["alert"]


def test_taxonomies_hold_sections_priorities_and_gif_vocabularies(built):
    taxonomies = {r["name"] for r in rows(built / "dist" / "hsds" / "taxonomies.csv")}
    assert {
        "東京都再犯防止推進計画ページの区分",
        "再犯防止推進計画の重点課題",
        "サービス種別（GIF DS-491-1）",
        "お困りごと（GIF DS-491-1）",
    } <= taxonomies
    terms = rows(built / "dist" / "hsds" / "taxonomy_terms.csv")
    assert {t["name"] for t in terms if t["taxonomy"] == "gif_concern"} == {
        "住まい",
        "仕事",
        "医療福祉",
        "子育て・教育",
        "お金",
        "その他暮らしに関すること",
    }
    assert len([t for t in terms if t["taxonomy"] == "national_priority"]) == 7


# --- GIF -----------------------------------------------------------------------------


def test_gif_layout_leads_with_code_id_and_name(built):
    table = rows(built / "dist" / "gif" / "services.csv")
    assert list(table[0])[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
    assert {r["全国地方公共団体コード"] for r in table} == {"130001"}
    services = read_csv(SERVICES, built / "dist" / "services.csv").to_pylist()
    assert [r["ID"] for r in table] == [s["service_id"] for s in services]


def test_gif_length_limits_are_kept_and_marked(built):
    services = {
        s["service_id"]: s for s in read_csv(SERVICES, built / "dist" / "services.csv").to_pylist()
    }
    methods = set()
    for row in rows(built / "dist" / "gif" / "services.csv"):
        description = services[row["ID"]]["description_ja"]
        assert (
            len(row["概要"]) <= giflayout.SUMMARY_LIMIT
            and len(row["内容"]) <= giflayout.CONTENT_LIMIT
        )
        methods.add(row["概要の作成方法"])
        if row["概要の作成方法"] == gif.WHOLE:
            assert row["概要"] == description
        elif row["概要の作成方法"] == gif.FIRST_SENTENCE:
            assert description.startswith(row["概要"]) and row["概要"].endswith("。")
        else:
            assert row["概要"].endswith(gif.ELLIPSIS)
            assert description.startswith(row["概要"][:-1])
        assert row["内容の作成方法"] == gif.WHOLE and row["内容"] == description
    assert len(methods) == 3  # the real data uses all three rules


def test_gif_rules_for_short_long_and_very_long_text():
    texts = ["短い。", "あ" * 60 + "。" + "い" * 60 + "。", "う" * 150 + "。", "え" * 600 + "。"]
    found = gif.summary_and_content(pa.chunked_array([texts]))
    assert found["概要の作成方法"].to_pylist() == [
        gif.WHOLE,
        gif.FIRST_SENTENCE,
        gif.shortened(100),
        gif.shortened(100),
    ]
    assert found["概要"].to_pylist()[:2] == ["短い。", "あ" * 60 + "。"]
    assert found["概要"].to_pylist()[2] == "う" * 99 + gif.ELLIPSIS
    assert found["内容の作成方法"].to_pylist() == [gif.WHOLE] * 3 + [gif.shortened(500)]
    assert found["内容"].to_pylist()[3] == "え" * 499 + gif.ELLIPSIS


def _gif_rules_one_by_one(text: str) -> tuple[str, str, str, str]:
    """GIF's 概要 and 内容 and their rules for one text, as docs/formats.md states them."""
    if len(text) <= giflayout.SUMMARY_LIMIT:
        summary = (text, gif.WHOLE)
    else:
        first = re.split("[\n。]", text, maxsplit=1)[0] + "。"
        summary = (
            (first, gif.FIRST_SENTENCE)
            if len(first) <= giflayout.SUMMARY_LIMIT
            else (
                text[: giflayout.SUMMARY_LIMIT - 1] + gif.ELLIPSIS,
                gif.shortened(giflayout.SUMMARY_LIMIT),
            )
        )
    content = (
        (text, gif.WHOLE)
        if len(text) <= giflayout.CONTENT_LIMIT
        else (
            text[: giflayout.CONTENT_LIMIT - 1] + gif.ELLIPSIS,
            gif.shortened(giflayout.CONTENT_LIMIT),
        )
    )
    return (*summary, *content)


# Texts of runs of characters (a surrogate pair among them) ended by 「。」, a line break,
# both or nothing: first sentences of every length around GIF's limits.
_TEXTS = st.lists(
    st.tuples(
        st.integers(0, 160),
        st.sampled_from(["あ", "𠮷", "a"]),
        st.sampled_from(["。", "\n", "。\n", ""]),
    ),
    min_size=1,
    max_size=6,
).map(lambda runs: "".join(char * n + end for n, char, end in runs).strip() or "x")


@given(st.lists(st.lists(_TEXTS, max_size=6), min_size=1, max_size=3))
@settings(max_examples=200, deadline=None)
def test_gif_rules_column_wise_agree_with_the_rules_text_by_text(chunks):
    found = gif.summary_and_content(pa.chunked_array(chunks, pa.string()))
    columns = [
        found[name].to_pylist() for name in ("概要", "概要の作成方法", "内容", "内容の作成方法")
    ]
    texts = [text for chunk in chunks for text in chunk]
    assert list(zip(*columns, strict=True)) == [_gif_rules_one_by_one(t) for t in texts]


def test_packaged_service_schema_matches_the_vendored_schema():
    compiled = vendored("hsds/schema/compiled/service_with_definitions.json")
    derived = hsdsspec.derive_service_schema(json.loads(compiled.read_text(encoding="utf-8")))
    assert derived == hsdsspec.load_service_schema(), "run: reentry-services derive"


def _broken(service: dict) -> list[dict]:
    """Copies of a service, each broken in one way HSDS's schema forbids."""
    first_attribute = {**service["attributes"][0], "taxonomy_term_id": "not-a-uuid"}
    return [
        {k: v for k, v in service.items() if k != "name"},
        {**service, "status": "open"},
        {**service, "id": "130001-0123"},
        {**service, "organization": {"id": service["organization"]["id"]}},
        {**service, "attributes": [first_attribute, *service["attributes"][1:]]},
        {**service, "service_areas": "東京都"},
        {**service, "languages": [{"id": service["languages"][0]["id"], "name": 5}]},
    ]


def test_the_packaged_schema_and_jsonschema_rs_judge_as_hsds_full_schema_does(built, registry):
    """The extract validated by jsonschema-rs (what validate runs) accepts and refuses the
    same objects as the full vendored schema validated by jsonschema (the reference)."""
    import jsonschema_rs

    services = json.loads((built / "dist" / "hsds" / "services.json").read_text("utf-8"))
    examples = json.loads(vendored("hsds/examples/service_full.json").read_text("utf-8"))
    cases = [*services, examples, *_broken(services[0]), *_broken(services[-1])]
    full = validator(registry, "service.json")
    extract = hsdsspec.load_service_schema()
    reference = Draft202012Validator(extract, format_checker=FormatChecker())
    fast = jsonschema_rs.Draft202012Validator(extract, validate_formats=True)
    verdicts = [(full.is_valid(c), reference.is_valid(c), fast.is_valid(c)) for c in cases]
    assert verdicts == [(True, True, True)] * (len(services) + 1) + [(False, False, False)] * 14


def test_validate_refuses_a_service_object_hsds_forbids(built, tmp_path):
    import shutil

    from test_validate import failed, rehash

    shutil.copytree(built, tmp_path / "p")
    path = tmp_path / "p" / "dist" / "hsds" / "services.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"status":"active"', '"status":"open"', 1)
    )
    rehash(tmp_path / "p", "dist/hsds/services.json")
    (problem,) = failed(tmp_path / "p")["hsds"]
    assert problem.startswith("hsds services.json: service 1 (") and problem.endswith(
        'status: "open" is not one of "active", "inactive" or 2 other candidates'
    )


def test_the_gif_layout_has_a_copy_for_excel(built):
    """BOM (Excel in a Japanese locale reads UTF-8 only with one), CRLF, the same cells."""
    gif_dir = built / "dist" / "gif"
    data = (gif_dir / "services.excel.csv").read_bytes()
    assert data.startswith("\ufeff".encode())
    with (gif_dir / "services.excel.csv").open(encoding="utf-8-sig", newline="") as f:
        excel = list(csv.reader(f))
    with (gif_dir / "services.csv").open(encoding="utf-8", newline="") as f:
        canonical = list(csv.reader(f))
    assert excel == canonical and excel[0] == giflayout.HEADER
    assert data.count(b"\r\n") == len(excel)  # each row ends in CRLF (cells keep their LF)


def test_packaged_gif_items_match_the_vendored_item_tables():
    items = giflayout.derive_items(
        vendored("gif/451-4_items.csv"), vendored("gif/432_contact_items.csv")
    )
    assert items == giflayout.load_items(), "run: reentry-services derive"


def test_the_gif_header_is_every_item_in_the_documents_order(built):
    """Read here from the full vendored item tables: the three lead columns, DS-451-4's 52
    items with 連絡先情報 spelled as DS-432's 8, and our rule column after 概要 and 内容."""

    def items(name: str) -> list[str]:
        with vendored(f"gif/{name}").open(encoding="utf-8", newline="") as f:
            return [row["item"] for row in csv.DictReader(f)]

    expected = ["全国地方公共団体コード", "ID", "地方公共団体名"]
    for item in items("451-4_items.csv"):
        expected += items("432_contact_items.csv") if item == "連絡先情報" else [item]
        expected += [f"{item}の作成方法"] if item in ("概要", "内容") else []
    table = rows(built / "dist" / "gif" / "services.csv")
    assert list(table[0]) == expected
    services = read_csv(SERVICES, built / "dist" / "services.csv").to_pylist()
    contacts = rows(built / "dist" / "contact_points.csv")
    for row, service in zip(table, services, strict=True):
        own = [c for c in contacts if c["service_id"] == service["service_id"]]
        assert row["詳細URL"] == (service["link_url"] or "")
        urls = [c["url"] for c in own if c["url"]]
        assert row["連絡先URL"] == (" / ".join(urls) or row["詳細URL"])
        assert row["連絡先電話番号"] == " / ".join(c["phone"] for c in own if c["phone"])
        assert row["連絡先名称"] == " / ".join(c["name_ja"] for c in own)
        assert row["実施組織・支援機関"] == (service["operator_ja"] or "")
        assert all(row[name] for name in ("制度所管組織", "タイトル（制度名）", "概要", "内容"))
        # 連絡先情報 is required: a link, a contact point or the search that found none
        assert row["連絡先URL"] or row["連絡先電話番号"] or row["連絡先備考"], row["ID"]
        if service["contact_status"] == "none_found":
            assert str(service["contact_searched_on"]) in row["連絡先備考"]


def test_gif_contact_columns_join_several_contact_points_in_order():
    contacts = pa.table(
        {
            "service_id": ["a", "a", "b"],
            "name_ja": ["本所", "支所", "窓口"],
            "purpose_ja": [None, "夜間", None],
            "phone": ["03-1111-2222", "0120-333-444 / 042-555-6666", None],
            "email": [None, None, None],
            "url": [None, None, "https://example.org/form"],
            "address_ja": ["新宿区", None, None],
            "hours_ja": ["月・火 09:00〜17:00", None, None],
            "note_ja": ["無料", "匿名可", None],
        }
    )
    ids = pa.chunked_array([["a", "b", "c", "d"]])
    links = pa.chunked_array([["https://example.org/a", None, "https://example.org/c", None]])
    searched = pa.chunked_array([[None, None, None, date(2026, 12, 6)]])
    by_service = contacts_by_service(contacts)
    found = {
        k: v.to_pylist()
        for k, v in giflayout.contact_columns(ids, links, searched, by_service).items()
    }
    assert found["連絡先名称"] == ["本所 / 支所", "窓口", None, None]
    assert found["連絡先電話番号"] == [
        "03-1111-2222 / 0120-333-444 / 042-555-6666",
        None,
        None,
        None,
    ]
    assert found["連絡先用途"] == ["夜間", None, None, None]
    assert found["連絡先備考"] == [
        "月・火 09:00〜17:00; 無料 / 匿名可",
        None,
        None,
        "公式の連絡先は未確認（2026-12-06時点）",
    ]
    assert found["連絡先URL"] == [
        "https://example.org/a",
        "https://example.org/form",
        "https://example.org/c",
        None,
    ]
