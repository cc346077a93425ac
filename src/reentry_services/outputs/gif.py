"""Writer of the GIF layout: a CSV for Japanese portals, in the Digital Agency's
行政サービス・制度 model (GIF DS-451-4), led by 全国地方公共団体コード, ID and 地方公共団体名.

The columns are declared in standards/giflayout.py. Where GIF limits a field's length and the
description is longer, the field is shortened by a stated rule and a column beside it says
which rule was used; nothing is cut silently, and 内容 keeps the full text when it fits.
Computed column-wise with Arrow, so it costs little at any size.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..model.records import contacts_by_service
from ..standards.giflayout import (
    COLUMNS,
    CONTENT_LIMIT,
    ELLIPSIS,
    FIRST_SENTENCE,
    HEADER,
    SUMMARY_LIMIT,
    WHOLE,
    contact_columns,
    keywords,
    shortened,
)
from . import batches


def _fit(
    text: pa.Array, limit: int, fallback: pa.Array | None = None, fallback_rule: str = ""
) -> tuple[pa.Array, pa.Array]:
    """(value, rule): the text where it fits; else the fallback where that fits; else the
    first limit-1 characters and an ellipsis. Only the rows that do not fit are cut; where
    every row fits, the value is the text itself (not a copy)."""
    long = pc.greater(pc.utf8_length(text), limit)
    if not pc.any(long).as_py():
        return text, pa.repeat(WHOLE, len(text))
    long_text = pc.filter(text, long)
    value = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(long_text, 0, limit - 1), ELLIPSIS, ""
    )
    rule = pa.repeat(shortened(limit), len(long_text))
    if fallback is not None:
        candidate = pc.filter(fallback, long)
        fits = pc.less_equal(pc.utf8_length(candidate), limit)
        value, rule = pc.if_else(fits, candidate, value), pc.if_else(fits, fallback_rule, rule)
    return (
        pc.replace_with_mask(text, long, value),
        pc.replace_with_mask(pa.repeat(WHOLE, len(text)), long, rule),
    )


_DERIVED = ("概要", "概要の作成方法", "内容", "内容の作成方法")


def summary_and_content(description: pa.ChunkedArray) -> dict[str, pa.ChunkedArray]:
    """概要 (the whole description, its first sentence, or a cut) and 内容, with the rules;
    a batch of rows at a time (batches.ROWS: the memory a batch's steps take is reused by
    the next). The first sentence runs to the first 「。」 or line break; it is looked for
    only in the first SUMMARY_LIMIT characters, since a longer one does not fit 概要
    anyway."""
    parts: dict[str, list[pa.Array]] = {name: [] for name in _DERIVED}
    texts = (
        chunk.slice(start, batches.ROWS)
        for chunk in description.chunks
        for start in range(0, len(chunk), batches.ROWS)
    )
    for text in texts:
        start = pc.utf8_slice_codeunits(text, 0, SUMMARY_LIMIT)
        first = pc.binary_join_element_wise(
            pc.list_element(pc.split_pattern_regex(start, r"[\n。]", max_splits=1), 0), "。", ""
        )
        summary, summary_rule = _fit(text, SUMMARY_LIMIT, first, FIRST_SENTENCE)
        content, content_rule = _fit(text, CONTENT_LIMIT)
        for name, values in zip(
            _DERIVED, (summary, summary_rule, content, content_rule), strict=True
        ):
            parts[name].append(values)
    return {name: pa.chunked_array(chunks, pa.string()) for name, chunks in parts.items()}


def gif_table(services: pa.Table, contacts: pa.Table) -> pa.Table:
    """The GIF layout as an Arrow table of strings, rows in services order; 連絡先情報 from
    the contact points."""
    derived = (
        summary_and_content(services["description_ja"])
        | {
            "キーワード": keywords(
                services["section_ja"], services["status"], services["listed_on_page"]
            )
        }
        | contact_columns(
            services["service_id"],
            services["link_url"],
            services["contact_searched_on"],
            contacts_by_service(contacts),
        )
    )
    nothing = pa.nulls(services.num_rows, pa.string())
    columns = [
        services[c.source].cast(pa.string()) if c.source else derived.get(c.name, nothing)
        for c in COLUMNS
    ]
    return pa.table(columns, names=HEADER)


def write_gif(layout: pa.Table, path: Path) -> None:
    """The layout (gif_table) as UTF-8 without BOM, LF, Japanese headers, rows sorted by
    ID; empty means no value."""
    pacsv.write_csv(layout, path, pacsv.WriteOptions(quoting_style="needed"))
