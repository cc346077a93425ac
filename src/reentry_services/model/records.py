"""The records the stages pass on, declared once: the source's provenance and the
publication settings, the page read into sections and entries, the curation, the built
tables, and each published file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..safefiles import sha256_of
from .schema import Table


@dataclass(frozen=True)
class Source:
    """The provenance sidecar of the snapshot (raw/source.toml)."""

    path: Path
    file: str
    title_ja: str
    title_en: str
    description: str
    publisher_ja: str
    publisher_en: str
    jurisdiction_code: str
    jurisdiction_name: str
    page_url: str
    page_url_evidence: str
    received: date
    encoding: str
    sha256: str
    terms_status: str
    terms_note: str
    attribution: str
    age_statement: str  # how old the page's content is, if older than received; or ""
    age_statement_ja: str  # the same for people, in Japanese
    age_evidence: tuple[str, ...]  # an address and what it showed, per fact

    @property
    def snapshot_path(self) -> Path:
        return self.path.parent / self.file


@dataclass(frozen=True)
class Publication:
    """Where the release is published (raw/publication.toml, or `build --base-url`)."""

    base_url: str = ""  # the address of the output root, ending in "/"; "" if unknown
    contact: str = ""  # an http(s) or mailto: address of the maintainers; "" if none

    def url(self, path: str) -> str | None:
        """The published address of a file of the release (`path` from the root)."""
        return self.base_url + path if self.base_url else None


UNPUBLISHED = Publication()  # no address known: the release stays relative


@dataclass(frozen=True)
class Section:
    """A section of the page: the untitled opening section or one under a heading."""

    order: int
    heading: str | None
    heading_line: int | None
    line_start: int
    line_end: int


class Entry(NamedTuple):
    """One resource as the page gives it: its paragraphs, its link, and where they stand."""

    section_order: int
    paragraphs: tuple[str, ...]
    link: str | None
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Entries:
    """The page's entries as columns, in page order; iterating gives each as an Entry."""

    section_order: pa.Array  # int64
    paragraphs: pa.ListArray  # list<string>
    link: pa.Array  # string, null where the page gives none
    line_start: pa.Array  # int64, among the non-blank lines, as Section's
    line_end: pa.Array  # int64

    @classmethod
    def of_rows(cls, rows: Sequence[Entry]) -> Entries:
        columns = list(zip(*rows, strict=True)) or [()] * len(Entry._fields)
        types = (pa.int64(), pa.list_(pa.string()), pa.string(), pa.int64(), pa.int64())
        return cls(*(pa.array(c, t) for c, t in zip(columns, types, strict=True)))

    def __len__(self) -> int:
        return len(self.link)

    def __getitem__(self, i: int) -> Entry:
        section, paragraphs, *rest = (getattr(self, name)[i].as_py() for name in Entry._fields)
        return Entry(section, tuple(paragraphs), *rest)

    def __iter__(self) -> Iterator[Entry]:
        columns = [getattr(self, name).to_pylist() for name in Entry._fields]
        for section, paragraphs, *rest in zip(*columns, strict=True):
            yield Entry(section, tuple(paragraphs), *rest)


@dataclass(frozen=True)
class Page:
    """The snapshot read into its sections and entries, in page order.

    Sections and entries number lines among the non-blank lines of the snapshot, so blank
    lines in a re-capture do not change what is published; `physical_lines[n - 1]` is the
    line of the file that non-blank line n stands on, for messages to the maintainer.
    """

    source: Source
    sections: tuple[Section, ...]
    entries: Entries
    physical_lines: np.ndarray

    def physical(self, line: int) -> int:
        return int(self.physical_lines[line - 1])


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
    listed_on_page: bool  # False: a section the curation adds for resources not on the page
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
    evidence: CurationFile
    link_checks: CurationFile
    moved_hosts: CurationFile
    contact_points: CurationFile
    additions: CurationFile  # resources the page does not list: their section and description
    evidenced: dict[str, pa.Array]  # per column, the service_ids evidence.csv supports

    def with_evidence(self, column: str, service_ids: pa.Array | pa.ChunkedArray) -> pa.Array:
        """Whether evidence.csv supports the value of `column` of each of `service_ids`."""
        return _with_evidence(self.evidenced, column, service_ids)


def _with_evidence(
    evidenced: dict[str, pa.Array], column: str, service_ids: pa.Array | pa.ChunkedArray
) -> pa.Array:
    supported = evidenced.get(column, pa.array([], pa.string()))
    return pc.is_in(service_ids, supported)


def contacts_by_service(contact_points: pa.Table) -> dict[str, list[dict]]:
    """The contact points as rows, by service_id, in contact order (the table's)."""
    found: dict[str, list[dict]] = {}
    for row in contact_points.to_pylist():
        found.setdefault(row["service_id"], []).append(row)
    return found


def added_count(services: pa.Table) -> int:
    """How many of the services the curation adds: resources the page does not list."""
    return services.num_rows - pc.sum(services["listed_on_page"]).as_py()


@dataclass(frozen=True)
class Tables:
    """The tidy tables, one attribute per table of `schema.TABLES`."""

    sections: pa.Table
    services: pa.Table
    evidence: pa.Table
    moved_hosts: pa.Table
    contact_points: pa.Table


@dataclass(frozen=True)
class PublishedFile:
    """One file of the release, as the registry declares it (`outputs.OUTPUTS`) and, once
    written, measured: what datapackage.json, the catalog, the JSON-LD and the page say."""

    name: str  # resource name in datapackage.json
    path: str  # POSIX path relative to the output root
    format: str
    mediatype: str
    title: str
    table: Table | None = None  # the schema of a table in a text format frictionless reads
    bytes: int = 0
    sha256: str = ""
    schema: dict | None = None  # a standard's own Table Schema, for a table it declares
    eu_file_type: str = ""  # code in the EU file-type authority table (DCAT's dct:format)
    format_label: str = ""  # that file type's English label: the format name portals show
    role: Literal["data", "metadata"] = "data"  # metadata describes the files before it
    writer: str = ""  # the writer that makes it (outputs.DATA_WRITERS / METADATA_WRITERS)
    of: str | None = None  # the table it is written from: sections, services or gif

    @property
    def table_schema(self) -> dict | None:
        """The Table Schema datapackage.json declares the file with, if it is a table."""
        return self.table.to_table_schema() if self.table else self.schema

    def measured(self, root: Path) -> PublishedFile:
        """The same description with the size and hash of the file as written under root."""
        path = root / self.path
        return replace(self, bytes=path.stat().st_size, sha256=sha256_of(path))
