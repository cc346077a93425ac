"""The GIF layout declared once: every item of the Digital Agency's 行政サービス・制度 model
(GIF DS-451-4), in its order, after the three leading columns, with 連絡先情報 spelled as the
連絡先 items (DS-432); where the services fill each, and GIF's limits. The item names come
from `gif_items.json`, which `derive_items` derives from the vendored extracts (a test
re-derives it). The writer fills the layout; the checks read the published file back
against its Table Schema."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

SUMMARY_LIMIT = 100  # 概要: 100文字以内
CONTENT_LIMIT = 500  # 内容: 500文字以内
# How 概要 and 内容 were made from the description (their rule columns say which).
ELLIPSIS = "…"
WHOLE = "説明文全文"
FIRST_SENTENCE = "説明文の第1文"


# キーワード: the section's heading; then, for a resource no longer offered as listed, its
# status in words (a status code of schema.STATUSES → the keyword); then, for a resource
# the page does not list, ADDED_KEYWORD. GIF has no item of its own for either.
STATUS_KEYWORDS = {"superseded": "後継あり", "closed": "終了"}
ADDED_KEYWORD = "ページ未掲載（追加）"


def keywords(
    section_ja: pa.ChunkedArray, status: pa.ChunkedArray, listed_on_page: pa.ChunkedArray
) -> pa.ChunkedArray:
    """キーワード, semicolon-separated as GIF lists them (see STATUS_KEYWORDS)."""
    nothing = pa.scalar(None, pa.string())
    stated = pa.chunked_array(
        [pa.array([STATUS_KEYWORDS.get(code) for code in status.cast(pa.string()).to_pylist()])],
        pa.string(),
    )
    added = pc.if_else(listed_on_page, nothing, ADDED_KEYWORD)
    joined = pc.binary_join_element_wise(
        section_ja, stated, added, ";", null_handling="replace", null_replacement=""
    )
    tidy = pc.replace_substring_regex(pc.replace_substring_regex(joined, ";;+", ";"), "^;|;$", "")
    return pc.if_else(pc.equal(tidy, ""), nothing, tidy)


def contact_columns(
    service_ids: pa.ChunkedArray,
    link_url: pa.ChunkedArray,
    searched_on: pa.ChunkedArray,
    rows: dict[str, list[dict]],
) -> dict[str, pa.ChunkedArray]:
    """連絡先情報's columns for each service (see CONTACT_COLUMNS), from its contact points
    (rows by service_id, in contact order); only the services with contact points are gone
    through one by one. A service searched in vain for one (searched_on) says so in
    連絡先備考; 連絡先URL falls back to the service's link."""
    positions = pc.index_in(service_ids, value_set=pa.array(list(rows), pa.string()))
    columns = {}
    for name, fields in CONTACT_COLUMNS.items():
        values = [
            CONTACT_JOIN.join(
                text
                for row in contact_rows
                if (text := "; ".join(row[f] for f in fields if row[f]))
            )
            or None
            for contact_rows in rows.values()
        ]
        columns[name] = pc.take(pa.array(values, pa.string()), positions)
    columns["連絡先URL"] = pc.coalesce(columns["連絡先URL"], link_url.cast(pa.string()))
    none_found = pc.binary_join_element_wise(
        NONE_FOUND[0], searched_on.cast(pa.string()), NONE_FOUND[1], ""
    )
    columns["連絡先備考"] = pc.coalesce(columns["連絡先備考"], none_found)
    return columns


def shortened(limit: int) -> str:
    return f"説明文の先頭{limit - 1}文字＋「{ELLIPSIS}」（省略）"


@dataclass(frozen=True)
class GifColumn:
    """A column of the GIF layout: where its values come from (a services column; or None,
    for a column made from several (概要, 内容, their rules, キーワード: DERIVED) or left
    empty, the data having nothing for it) and GIF's limits."""

    name: str
    source: str | None
    required: bool = False
    max_length: int | None = None


ITEMS_PATH = Path(__file__).with_name("gif_items.json")
CONTACT_ITEM = "連絡先情報"  # DS-451-4's item that holds a 連絡先 (DS-432)

# The three columns that lead Japan's local-government open-data files.
LEAD = (
    GifColumn("全国地方公共団体コード", "jurisdiction_code", required=True),
    GifColumn("ID", "service_id", required=True),
    GifColumn("地方公共団体名", "jurisdiction_name", required=True),
)
# The GIF items the services fill, by the column they copy.
SOURCES = {
    "制度所管組織": "provider_ja",
    "タイトル（制度名）": "name_ja",
    "地域": "jurisdiction_code",
    "対象者": "target_people_ja",
    "サービス種別": "gif_service_type_ja",
    "お困りごと": "gif_concerns_ja",
    "詳細URL": "link_url",
    "実施組織・支援機関": "operator_ja",
}
LIMITS = {"概要": SUMMARY_LIMIT, "内容": CONTENT_LIMIT}
# Our own columns beside GIF's items: how 概要 and 内容 were made (GIF lets a user extend it).
RULE_COLUMNS = {"概要": "概要の作成方法", "内容": "内容の作成方法"}
# 連絡先情報 (DS-432) from the contact points (the contact_points table's columns): each
# resource's values in contact order, empty ones left out, joined by " / " (DS-445 joins
# phone numbers so); 連絡先URL falls back to the resource's link, 連絡先備考 holds the hours
# (DS-432 has no item for them) and the notes, or, for a resource searched in vain for a
# contact, NONE_FOUND around the day of the search. 連絡先SNS stays empty.
CONTACT_COLUMNS = {
    "連絡先名称": ("name_ja",),
    "連絡先用途": ("purpose_ja",),
    "連絡先電話番号": ("phone",),
    "連絡先メールアドレス": ("email",),
    "連絡先URL": ("url",),
    "連絡先住所": ("address_ja",),
    "連絡先備考": ("hours_ja", "note_ja"),
}
CONTACT_JOIN = " / "  # DS-445: several telephone numbers in one value are joined so


def phone_numbers(value: str | None) -> list[str]:
    """The telephone numbers of one DS-445 value (a contact point's phone), in order."""
    return value.split(CONTACT_JOIN) if value else []


NONE_FOUND = ("公式の連絡先は未確認（", "時点）")
DERIVED = ("概要", "概要の作成方法", "内容", "内容の作成方法", "キーワード", *CONTACT_COLUMNS)


def derive_items(service_items: Path, contact_items: Path) -> dict:
    """The item names of DS-451-4 (行政サービス・制度) and DS-432 (連絡先), in the documents'
    order, with whether each is required, from the vendored CSV extracts."""

    def items(path: Path) -> list[dict]:
        with path.open(encoding="utf-8", newline="") as f:
            return [
                {"item": row["item"], "required": row["required"] == "yes"}
                for row in csv.DictReader(f)
            ]

    return {"DS-451-4": items(service_items), "DS-432": items(contact_items)}


def load_items(path: Path = ITEMS_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _columns(items: dict) -> tuple[GifColumn, ...]:
    """The layout: the lead columns, then every DS-451-4 item in the document's order, with
    連絡先情報 spelled as the DS-432 items (one column each) and a rule column after 概要 and
    内容."""
    columns = list(LEAD)
    for item in items["DS-451-4"]:
        parts = items["DS-432"] if item["item"] == CONTACT_ITEM else [item]
        for part in parts:
            name = part["item"]
            columns.append(GifColumn(name, SOURCES.get(name), part["required"], LIMITS.get(name)))
            if name in RULE_COLUMNS:
                columns.append(GifColumn(RULE_COLUMNS[name], None, required=True))
    return tuple(columns)


COLUMNS = _columns(load_items())
HEADER = [c.name for c in COLUMNS]
EMPTY = [c.name for c in COLUMNS if c.source is None and c.name not in DERIVED]


def table_schema() -> dict:
    """The layout as a Table Schema: GIF's columns, which must be filled, their lengths."""
    fields = []
    for column in COLUMNS:
        constraints: dict[str, object] = {"required": True} if column.required else {}
        if column.max_length:
            constraints["maxLength"] = column.max_length
        fields.append(
            {"name": column.name, "type": "string"}
            | ({"constraints": constraints} if constraints else {})
        )
    return {"fields": fields, "primaryKey": ["ID"], "missingValues": [""]}
