"""Curation: the human-edited CSV files in raw/curation, read and checked row by row.

They hold what the page does not say: how ambiguous paragraphs group into entries, the
sections' codes and translations, and each resource's name, provider and kind.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
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
class ServiceCurations:
    """The rows of services.csv as columns (values by column name, in file order), with the
    line each row ends on; a large list is never a hundred thousand objects."""

    columns: dict[str, list[str]]
    lines: list[int]
    path: Path

    def __len__(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class Curation:
    paragraphs: tuple[ParagraphDecision, ...]
    sections: tuple[SectionCuration, ...]
    services: ServiceCurations


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
    files = {name: _read(folder / name, columns) for name, columns in _FILES.items()}
    paragraphs, sections, services = files.values()
    return Curation(
        paragraphs=tuple(
            ParagraphDecision(r["starts_with"], r["role"], paragraphs.path, line)
            for line, r in paragraphs.rows()
        ),
        sections=tuple(
            SectionCuration(r["heading_ja"] or None, r["section_code"], r["section_en"],
                            r["national_priority_code"] or None, sections.path, line)
            for line, r in sections.rows()
        ),
        services=ServiceCurations(services.columns, services.lines, services.path),
    )


@dataclass(frozen=True)
class _File:
    path: Path
    columns: dict[str, list[str]]
    lines: list[int]

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        for i, line in enumerate(self.lines):
            yield line, {name: values[i] for name, values in self.columns.items()}


def _read(path: Path, columns: tuple[_Column, ...]) -> _File:
    """One curation file as columns, every value checked (NFC, trimmed)."""
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
    records, lines = [], []
    for record in reader:
        if not any(record):
            continue
        if len(record) != len(expected):
            raise InputError(path, f"the row has {len(record)} values, not {len(expected)}",
                             "quote values that contain commas", line=reader.line_num)
        records.append(record)
        lines.append(reader.line_num)
    values = zip(*records, strict=True) if records else [()] * len(columns)
    file = _File(path, {c.name: [unicodedata.normalize("NFC", v).strip() for v in column]
                        for c, column in zip(columns, values, strict=True)}, lines)
    _check_values(file, columns)
    _check_unique(file, _KEYS[path.name])
    return file


def _check_values(file: _File, columns: tuple[_Column, ...]) -> None:
    """Every value passes _check_value. Each distinct value of a column is checked once (a
    large file repeats its codes many times); if one fails, the rows are gone through in
    order to name the first bad value and its line."""
    for column in columns:
        distinct = set(file.columns[column.name])
        if not (column.pattern or column.codes):  # free text: only emptiness matters
            distinct &= {""}
        for value in distinct:
            try:
                _check_value(file.path, 0, column, value)
            except InputError:
                for line, row in file.rows():
                    for each in columns:
                        _check_value(file.path, line, each, row[each.name])
                raise


def _check_unique(file: _File, key: str) -> None:
    values = file.columns[key]
    if len(set(values)) == len(values):
        return
    seen: dict[str, int] = {}
    for value, line in zip(values, file.lines, strict=True):
        if value in seen:
            raise InputError(file.path, f"{key} {value!r} is on lines {seen[value]} and {line}",
                             "keep one row per key", line=line)
        seen[value] = line


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
