"""Curation: the human-edited CSV files in raw/curation, read and checked.

They hold what the page does not say: how ambiguous paragraphs group into entries, the
sections' codes and translations, and each resource's name, provider and kind.
"""

from __future__ import annotations

import _csv
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

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
from .textrules import INVISIBLE, INVISIBLE_FIX, char_name

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
class CurationFile:
    """One curation file as columns of Arrow strings (NFC, trimmed, blank rows left out), in
    file order, with the line each row ends on (as an editor counts lines)."""

    path: Path
    columns: dict[str, pa.Array]
    lines: list[int]

    def __len__(self) -> int:
        return len(self.lines)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        values = {name: column.to_pylist() for name, column in self.columns.items()}
        for i, line in enumerate(self.lines):
            yield line, {name: column[i] for name, column in values.items()}


@dataclass(frozen=True)
class Curation:
    paragraphs: tuple[ParagraphDecision, ...]
    sections: tuple[SectionCuration, ...]
    services: CurationFile


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
_KEYS = {
    "paragraphs.csv": "starts_with",
    "sections.csv": "heading_ja",
    "services.csv": "service_id",
}
# A provider is one organization (one HSDS organization, one schema.org node, keyed by its
# Japanese name): its Japanese name determines its English name and its type.
_DETERMINED_BY = {"services.csv": {"provider_ja": ("provider_en", "provider_type")}}


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
            SectionCuration(
                r["heading_ja"] or None,
                r["section_code"],
                r["section_en"],
                r["national_priority_code"] or None,
                sections.path,
                line,
            )
            for line, r in sections.rows()
        ),
        services=services,
    )


def _read(path: Path, columns: tuple[_Column, ...]) -> CurationFile:
    """One curation file as columns, every value checked.

    The text is normalized to NFC as a whole (the same as value by value: a comma, a quote
    or a line break never composes with what follows it), read by Python's csv module and
    each value trimmed (str.strip)."""
    if not path.is_file():
        raise InputError(path, "the curation file is missing", "restore it from git")
    try:
        text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})", "save the file as UTF-8"
        ) from None
    _check_visible(path, text)
    expected = [c.name for c in columns]
    header = next(_csv_reader(text), [])
    if header != expected:
        missing = [c for c in expected if c not in header]
        unknown = [c for c in header if c not in expected]
        raise InputError(
            path,
            f"the header is {header}; missing {missing}, unknown {unknown}",
            f"make the header exactly: {','.join(expected)}",
            line=1,
        )
    values, lines = _parse_csv(path, text, expected)
    file = CurationFile(
        path,
        {
            name: pa.array(column, pa.string())
            for name, column in zip(expected, values, strict=True)
        },
        lines,
    )
    _check_values(file, columns)
    _check_unique(file, _KEYS[path.name])
    for key, dependents in _DETERMINED_BY.get(path.name, {}).items():
        _check_determined(file, key, dependents)
    return file


def _check_visible(path: Path, text: str) -> None:
    """No invisible character (bidi control, zero-width, a U+FEFF after the file's start)."""
    found = INVISIBLE.search(text)
    if found:
        start = text.rfind("\n", 0, found.start()) + 1
        raise InputError(
            path,
            f"the text contains the invisible character {char_name(found.group())}",
            INVISIBLE_FIX,
            line=text.count("\n", 0, found.start()) + 1,
            column=found.start() - start + 1,
        )


def _parse_csv(path: Path, text: str, names: list[str]) -> tuple[list[list[str]], list[int]]:
    """Each column's values (trimmed; blank rows left out) and the line each row ends on;
    a row of the wrong length is named with its line."""
    reader = _csv_reader(text)
    next(reader, None)  # the header
    columns: list[list[str]] = [[] for _ in names]
    lines = []
    try:
        for record in reader:
            if not any(record):  # a blank line, or a row of empty values
                continue
            if len(record) != len(names):
                raise InputError(
                    path,
                    f"the row has {len(record)} values, not {len(names)}",
                    "quote values that contain commas",
                    line=reader.line_num,
                )
            for column, value in zip(columns, record, strict=True):
                column.append(value.strip())
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise InputError(
            path, f"not readable as CSV: {exc}", "check the quoting", line=reader.line_num
        ) from None
    return columns, lines


def _csv_reader(text: str) -> _csv.Reader:
    """Python's reader of the whole file, for the header and the line numbers of messages."""
    return csv.reader(io.StringIO(text, newline=""))


def _check_values(file: CurationFile, columns: tuple[_Column, ...]) -> None:
    """Every value passes _check_value. Each distinct value of a column is checked once (a
    large file repeats its codes many times); if one fails, the rows are gone through in
    order to name the first bad value and its line."""
    for column in columns:
        values = file.columns[column.name]
        if column.pattern or column.codes:
            distinct = pc.unique(values).to_pylist()
        else:  # free text: only emptiness matters
            distinct = [""] if pc.any(pc.equal(values, "")).as_py() else []
        for value in distinct:
            try:
                _check_value(file.path, 0, column, value)
            except InputError:
                for line, row in file.rows():
                    for each in columns:
                        _check_value(file.path, line, each, row[each.name])
                raise


def _check_unique(file: CurationFile, key: str) -> None:
    values = file.columns[key]
    if pc.count_distinct(values).as_py() == len(values):
        return
    seen: dict[str, int] = {}
    for value, line in zip(values.to_pylist(), file.lines, strict=True):
        if value in seen:
            raise InputError(
                file.path,
                f"{key} {value!r} is on lines {seen[value]} and {line}",
                "keep one row per key",
                line=line,
            )
        seen[value] = line


def _check_determined(file: CurationFile, key: str, dependents: tuple[str, ...]) -> None:
    """Rows with the same `key` agree on every column of `dependents`."""
    first: dict[str, tuple[int, tuple[str, ...]]] = {}
    columns = [file.columns[key].to_pylist(), *(file.columns[d].to_pylist() for d in dependents)]
    for line, value, *rest in zip(file.lines, *columns, strict=True):
        seen_line, seen = first.setdefault(value, (line, tuple(rest)))
        for name, before, now in zip(dependents, seen, rest, strict=True):
            if before != now:
                raise InputError(
                    file.path,
                    f"{key} {value!r} has {name} {now!r} here but {before!r} on line {seen_line}",
                    f"give every row of {value!r} the same {name}: one {key} is one organization",
                    line=line,
                )


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _check_value(path: Path, line: int, column: _Column, value: str) -> None:
    if not value:
        if column.required:
            raise InputError(path, f"{column.name} is empty", "fill it in", line=line)
        return
    if column.pattern and not _compiled(column.pattern).fullmatch(value):
        raise InputError(
            path,
            f"{column.name} {value!r} does not match {column.pattern}",
            "correct the value",
            line=line,
        )
    if column.codes is not None:
        codes = value.split(column.separator) if column.separator else [value]
        for code in codes:
            if code not in column.codes:
                allowed = (
                    column.codes.values if isinstance(column.codes, CodeList) else column.codes
                )
                several = f", several joined by '{column.separator}'" if column.separator else ""
                raise InputError(
                    path,
                    f"{column.name} {code!r} is not a known code",
                    f"use one of: {', '.join(allowed)}{several}",
                    line=line,
                )
        if len(set(codes)) != len(codes):
            raise InputError(
                path, f"{column.name} repeats a code", "list each code once", line=line
            )
