"""Writer of the GIF layout: a CSV for Japanese portals, in the Digital Agency's
行政サービス・制度 model (GIF DS-451-4), led by 全国地方公共団体コード, ID and 地方公共団体名.

Only the fields the data can fill are written. Where GIF limits a field's length and the
description is longer, the field is shortened by a stated rule and a column beside it says
which rule was used; nothing is cut silently, and 内容 keeps the full text when it fits.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

SUMMARY_LIMIT = 100  # 概要: 100文字以内
CONTENT_LIMIT = 500  # 内容: 500文字以内
ELLIPSIS = "…"
WHOLE = "説明文全文"
FIRST_SENTENCE = "説明文の第1文"


def _shortened(limit: int) -> str:
    return f"説明文の先頭{limit - 1}文字＋「{ELLIPSIS}」（省略）"


def summary(description: str) -> tuple[str, str]:
    """(概要, how it was made): the whole description, its first sentence, or a cut one."""
    if len(description) <= SUMMARY_LIMIT:
        return description, WHOLE
    first = description.split("\n")[0].split("。")[0] + "。"
    if len(first) <= SUMMARY_LIMIT:
        return first, FIRST_SENTENCE
    return description[: SUMMARY_LIMIT - 1] + ELLIPSIS, _shortened(SUMMARY_LIMIT)


def content(description: str) -> tuple[str, str]:
    """(内容, how it was made): the whole description, or a cut one if it is too long."""
    if len(description) <= CONTENT_LIMIT:
        return description, WHOLE
    return description[: CONTENT_LIMIT - 1] + ELLIPSIS, _shortened(CONTENT_LIMIT)


# GIF column ← how it is filled from a services row. The first three lead, as in Japan's
# local-government open-data files.
COLUMNS: tuple[tuple[str, Callable[[dict], str | None]], ...] = (
    ("全国地方公共団体コード", lambda r: r["jurisdiction_code"]),
    ("ID", lambda r: r["service_id"]),
    ("地方公共団体名", lambda r: r["jurisdiction_name"]),
    ("制度所管組織", lambda r: r["provider_ja"]),
    ("タイトル（制度名）", lambda r: r["name_ja"]),
    ("地域", lambda r: r["jurisdiction_code"]),
    ("概要", lambda r: summary(r["description_ja"])[0]),
    ("概要の作成方法", lambda r: summary(r["description_ja"])[1]),
    ("内容", lambda r: content(r["description_ja"])[0]),
    ("内容の作成方法", lambda r: content(r["description_ja"])[1]),
    ("対象者", lambda r: r["target_people_ja"]),
    ("サービス種別", lambda r: r["gif_service_type_ja"]),
    ("お困りごと", lambda r: r["gif_concerns_ja"]),
    ("キーワード", lambda r: r["section_ja"]),
    ("詳細URL", lambda r: r["url"]),
)
HEADER = [name for name, _ in COLUMNS]


def write_gif(services: pa.Table, path: Path) -> None:
    """UTF-8 without BOM, LF, Japanese headers, rows sorted by ID; empty means no value."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        for row in services.to_pylist():
            writer.writerow(["" if (v := fill(row)) is None else v for _, fill in COLUMNS])
