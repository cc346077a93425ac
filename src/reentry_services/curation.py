"""Curation: the human-edited CSV files in raw/curation, read and checked row by row.

They hold what the page does not say: how ambiguous paragraphs group into entries, the
sections' codes and translations, and each resource's name, provider and kind.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import InputError
from .schema import (
    GIF_CONCERNS,
    GIF_SERVICE_TYPES,
    ID_PATTERN,
    LIST_SEPARATOR,
    NATIONAL_PRIORITIES,
    PROVIDER_TYPES,
    RESOURCE_TYPES,
    SECTION_CODE_PATTERN,
    CodeList,
)

CURATION_DIR = "curation"
ROLES = ("standalone", "continuation")


@dataclass(frozen=True)
class ParagraphDecision:
    """How a paragraph the layout leaves ambiguous belongs: its own entry, or the one before."""

    starts_with: str
    role: str
    path: Path
    line: int


@dataclass(frozen=True)
class SectionCuration:
    heading_ja: str | None  # None: the untitled opening section
    section_code: str
    section_en: str
    national_priority_code: str | None
    path: Path
    line: int


@dataclass(frozen=True)
class ServiceCuration:
    service_id: str
    name_ja: str
    name_en: str
    provider_ja: str
    provider_en: str
    provider_type: str
    resource_type: str
    gif_service_type: str
    gif_concerns: str
    target_people_ja: str
    path: Path
    line: int


@dataclass(frozen=True)
class Curation:
    paragraphs: tuple[ParagraphDecision, ...]
    sections: tuple[SectionCuration, ...]
    services: tuple[ServiceCuration, ...]


@dataclass(frozen=True)
class _Column:
    name: str
    required: bool = True
    pattern: str | None = None
    codes: CodeList | tuple[str, ...] | None = None
    separator: str | None = None  # the value is a list of codes


_FILES: dict[str, tuple[_Column, ...]] = {
    "paragraphs.csv": (
        _Column("starts_with"),
        _Column("role", codes=ROLES),
        _Column("evidence"),
    ),
    "sections.csv": (
        _Column("heading_ja", required=False),
        _Column("section_code", pattern=SECTION_CODE_PATTERN),
        _Column("section_en"),
        _Column("national_priority_code", required=False, codes=NATIONAL_PRIORITIES),
        _Column("note", required=False),
    ),
    "services.csv": (
        _Column("service_id", pattern=ID_PATTERN),
        _Column("name_ja"),
        _Column("name_en"),
        _Column("provider_ja"),
        _Column("provider_en"),
        _Column("provider_type", codes=PROVIDER_TYPES),
        _Column("resource_type", codes=RESOURCE_TYPES),
        _Column("gif_service_type", codes=GIF_SERVICE_TYPES),
        _Column("gif_concerns", codes=GIF_CONCERNS, separator=LIST_SEPARATOR),
        _Column("target_people_ja", required=False),
        _Column("note", required=False),
    ),
}
_KEYS = {"paragraphs.csv": "starts_with", "sections.csv": "heading_ja",
         "services.csv": "service_id"}


def read_curation(raw_dir: Path) -> Curation:
    """Read and check the three curation files."""
    folder = raw_dir / CURATION_DIR
    rows = {name: _read(folder / name, columns) for name, columns in _FILES.items()}
    return Curation(
        paragraphs=tuple(
            ParagraphDecision(r["starts_with"], r["role"], path, line)
            for path, line, r in rows["paragraphs.csv"]
        ),
        sections=tuple(
            SectionCuration(r["heading_ja"] or None, r["section_code"], r["section_en"],
                            r["national_priority_code"] or None, path, line)
            for path, line, r in rows["sections.csv"]
        ),
        services=tuple(
            ServiceCuration(**{k: v for k, v in r.items() if k != "note"}, path=path, line=line)
            for path, line, r in rows["services.csv"]
        ),
    )


def _read(path: Path, columns: tuple[_Column, ...]) -> list[tuple[Path, int, dict[str, str]]]:
    """Rows of one curation file as (path, line, values), every value checked."""
    if not path.is_file():
        raise InputError(path, "the curation file is missing", "restore it from git")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                         "save the file as UTF-8") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, [])
    expected = [c.name for c in columns]
    if header != expected:
        missing = [c for c in expected if c not in header]
        unknown = [c for c in header if c not in expected]
        raise InputError(path, f"the header is {header}; missing {missing}, unknown {unknown}",
                         f"make the header exactly: {','.join(expected)}", line=1)
    key = _KEYS[path.name]
    seen: dict[str, int] = {}
    rows = []
    for record in reader:
        line = reader.line_num
        if not any(record):
            continue
        if len(record) != len(expected):
            raise InputError(path, f"the row has {len(record)} values, not {len(expected)}",
                             "quote values that contain commas", line=line)
        values = {c.name: unicodedata.normalize("NFC", v).strip()
                  for c, v in zip(columns, record, strict=True)}
        if values[key] in seen:
            raise InputError(path, f"{key} {values[key]!r} is on lines {seen[values[key]]} "
                             f"and {line}", "keep one row per key", line=line)
        seen[values[key]] = line
        rows.append((path, line, values))
    if not _all_valid(rows, columns):
        for _, line, values in rows:  # find the first bad value, and say where it is
            for column in columns:
                _check_value(path, line, column, values[column.name])
    return rows


def _all_valid(rows: list[tuple[Path, int, dict[str, str]]], columns: tuple[_Column, ...]
               ) -> bool:
    """Whether every value passes _check_value; each distinct value of a column is checked
    once (a large file repeats its codes many times)."""
    for column in columns:
        for value in {values[column.name] for _, _, values in rows}:
            try:
                _check_value(Path(), 0, column, value)
            except InputError:
                return False
    return True


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _check_value(path: Path, line: int, column: _Column, value: str) -> None:
    if not value:
        if column.required:
            raise InputError(path, f"{column.name} is empty", "fill it in", line=line)
        return
    if column.pattern and not _compiled(column.pattern).fullmatch(value):
        raise InputError(path, f"{column.name} {value!r} does not match {column.pattern}",
                         "correct the value", line=line)
    if column.codes is not None:
        codes = value.split(column.separator) if column.separator else [value]
        for code in codes:
            if code not in column.codes:
                allowed = (column.codes.values if isinstance(column.codes, CodeList)
                           else column.codes)
                several = f", several joined by '{column.separator}'" if column.separator else ""
                raise InputError(path, f"{column.name} {code!r} is not a known code",
                                 f"use one of: {', '.join(allowed)}{several}", line=line)
        if len(set(codes)) != len(codes):
            raise InputError(path, f"{column.name} repeats a code", "list each code once",
                             line=line)
