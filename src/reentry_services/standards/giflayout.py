"""The GIF layout declared once: the columns of the Digital Agency's 行政サービス・制度 model
(GIF DS-451-4) this release fills, where each comes from, and GIF's limits. The writer
fills it; the checks read the published file back against its Table Schema."""

from __future__ import annotations

from dataclasses import dataclass

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


def shortened(limit: int) -> str:
    return f"説明文の先頭{limit - 1}文字＋「{ELLIPSIS}」（省略）"


@dataclass(frozen=True)
class GifColumn:
    """A column of the GIF layout: where its values come from (a services column, or None
    for 概要, 内容 and their rules, from summary_and_content, and キーワード, from
    keywords) and GIF's limits."""

    name: str
    source: str | None
    required: bool = True
    max_length: int | None = None


# The first three lead, as in Japan's local-government open-data files.
COLUMNS: tuple[GifColumn, ...] = (
    GifColumn("全国地方公共団体コード", "jurisdiction_code"),
    GifColumn("ID", "service_id"),
    GifColumn("地方公共団体名", "jurisdiction_name"),
    GifColumn("制度所管組織", "provider_ja"),
    GifColumn("タイトル（制度名）", "name_ja"),
    GifColumn("地域", "jurisdiction_code"),
    GifColumn("概要", None, max_length=SUMMARY_LIMIT),
    GifColumn("概要の作成方法", None),
    GifColumn("内容", None, max_length=CONTENT_LIMIT),
    GifColumn("内容の作成方法", None),
    GifColumn("対象者", "target_people_ja", required=False),
    GifColumn("サービス種別", "gif_service_type_ja"),
    GifColumn("お困りごと", "gif_concerns_ja"),
    GifColumn("キーワード", None, required=False),
    GifColumn("詳細URL", "link_url", required=False),
)
HEADER = [c.name for c in COLUMNS]


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
