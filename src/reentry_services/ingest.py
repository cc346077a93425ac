"""Ingest: the raw page snapshot, checked against its sidecar, read into sections and entries.

The page's layout (see README): a line ending in 「。」 is a paragraph describing a resource,
the line after an entry's last paragraph is its link, and a short line without 「。」 is a
section heading. Where the layout alone cannot tell two entries from two paragraphs of one
entry, the curation's paragraph decisions say which.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from bisect import bisect_left
from codecs import BOM_UTF8
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .curation import (
    CURATION_DIR,
    Curation,
    ParagraphDecision,
    read_curation,
)
from .errors import InputError
from .safefiles import read_regular
from .textrules import (
    CONTROL,
    FORBIDDEN,
    INVISIBLE_FIX,
    WHITESPACE,
    base_url_problem,
    char_name,
    link_problem,
    normal_base_url,
    redacted,
)

SIDECAR = "source.toml"
PUBLICATION = "publication.toml"
MAX_LINE_CHARS = 2000  # the longest entry line on the page has under 300 characters
MAX_HEADING_CHARS = 60  # the longest heading on the page has 31 characters
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


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


def read_source(raw_dir: Path) -> Source:
    """Read the provenance sidecar, naming any missing key."""
    path = raw_dir / SIDECAR
    if not path.exists() and not path.is_symlink():
        raise InputError(
            path,
            "the provenance sidecar is missing",
            "restore raw/source.toml from git, or point --raw at the raw directory",
        )
    try:
        meta = tomllib.loads(read_regular(path).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid TOML: {exc}", "fix the syntax of the sidecar") from None
    terms = meta.get("terms_of_use", {})
    age = meta.get("age", {})
    try:
        values = {name: meta[name] for name in _SIDECAR_KEYS} | {
            "page_url_evidence": meta.get("page_url_evidence", ""),
            "terms_status": terms["status"],
            "terms_note": terms["note"],
            "attribution": terms["attribution"],
            "age_statement": age.get("statement", ""),
            "age_statement_ja": age.get("statement_ja", ""),
        }
    except (KeyError, TypeError) as exc:
        raise InputError(
            path,
            f"the sidecar has no key {exc.args[0]!r}",
            "add it (see the committed raw/source.toml for every key)",
        ) from None
    _check_sidecar(path, values)
    evidence = age.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise InputError(
            path,
            "age.evidence is not a list of text",
            'write it as evidence = ["<address>: what it showed", …]',
        )
    if values["age_statement"] and not evidence:
        raise InputError(
            path,
            "age.statement has no evidence",
            "give the address of a public copy of a page and what it showed",
        )
    if values["page_url"] and not values["page_url_evidence"]:
        raise InputError(
            path,
            "page_url has no page_url_evidence",
            "say what shows that this is the page's address",
        )
    return Source(path=path, **values, age_evidence=tuple(evidence))


_SIDECAR_KEYS = (
    "file",
    "title_ja",
    "title_en",
    "description",
    "publisher_ja",
    "publisher_en",
    "jurisdiction_code",
    "jurisdiction_name",
    "page_url",
    "received",
    "encoding",
    "sha256",
)


def _check_sidecar(path: Path, values: dict) -> None:
    """Every value is text (`received` a TOML date); text holds no control or invisible
    character; `file` names a file directly in the raw folder; `page_url` is http(s)."""
    for key, value in values.items():
        if key == "received":
            if not isinstance(value, date) or isinstance(value, datetime):
                raise InputError(
                    path,
                    f"received is {value!r}, not a date",
                    "write the date without quotes: received = 2026-11-25",
                )
            continue
        if not isinstance(value, str):
            raise InputError(path, f"{key} is {value!r}, not text", f'quote it: {key} = "…"')
        found = FORBIDDEN.search(value.replace("\n", " "))
        if found:
            raise InputError(
                path,
                f"{key} contains the character {char_name(found.group())} "
                f"at character {found.start() + 1}",
                INVISIBLE_FIX,
            )
    name = values["file"]
    if name in ("", ".", "..") or "/" in name or "\\" in name:
        raise InputError(
            path,
            f"file = {name!r} is not the name of a file in the raw folder",
            "give the snapshot's file name alone; the snapshot lies directly in "
            "the raw folder, beside source.toml",
        )
    url = values["page_url"]
    problem = link_problem(url, relative_allowed=False) if url else None
    if problem:
        raise InputError(
            path,
            f"page_url: {problem.problem}",
            "give the page's http(s) address, or leave it empty",
        )


def read_publication(raw_dir: Path, base_url: str | None = None) -> Publication:
    """The publication settings (raw/publication.toml, optional); `base_url` overrides."""
    path = raw_dir / PUBLICATION
    try:
        exists = path.exists() or path.is_symlink()
        settings = tomllib.loads(read_regular(path).decode("utf-8")) if exists else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid TOML: {exc}", "fix the syntax") from None
    base = settings.get("base_url", "") if base_url is None else base_url
    contact = settings.get("contact", "")
    where = path if base_url is None else Path("--base-url")
    problem = base_url_problem(base) if isinstance(base, str) and base else None
    if not isinstance(base, str) or problem:
        raise InputError(
            where,
            f"base_url {redacted(str(base))[:80]!r} is not an http(s) address of a folder: "
            f"{problem}",
            "give the address of the folder holding datapackage.json, with a final / and "
            "no user information, query or fragment, or leave it empty",
        )
    mail = isinstance(contact, str) and contact.startswith("mailto:") and "@" in contact
    if not isinstance(contact, str) or (
        contact and not mail and link_problem(contact, relative_allowed=False)
    ):
        raise InputError(
            path,
            f"contact {contact!r} is not an http(s) or mailto: address",
            "give the maintainers' issue tracker or mailbox, or leave it empty",
        )
    return Publication(normal_base_url(base) if base else "", contact)


def read_lines(source: Source) -> pa.StringArray:
    """The snapshot's lines, hash-checked, decoded and normalized (NFC, trimmed)."""
    path = source.snapshot_path
    if path.is_symlink():
        raise InputError(
            path,
            "the snapshot is a symbolic link",
            "copy the snapshot itself into the raw folder; it must be a file of its own there",
        )
    if not path.exists():
        raise InputError(
            path,
            "the snapshot named in raw/source.toml does not exist",
            "put the snapshot in raw/ or correct `file` in raw/source.toml",
        )
    data = read_regular(path)
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        raise InputError(
            path,
            f"sha256 is {actual}, but raw/source.toml records {source.sha256}",
            "never edit the snapshot; if this is a new, reviewed capture, set `sha256` (and "
            "`received`) in raw/source.toml, rebuild, and review what the build reports",
        )
    if len(data) >= 2**30:
        raise InputError(
            path,
            f"the snapshot has {len(data):,} bytes; a capture of the page has about 10,000",
            "check that raw/source.toml names the page's capture",
        )
    text = _decode(path, data, source.encoding)
    lines = split_lines(text, data.removeprefix(BOM_UTF8) if _is_utf8(source.encoding) else None)
    if not pc.any(pc.not_equal(lines, "")).as_py():
        raise InputError(
            path,
            "the snapshot is empty or holds only whitespace",
            "capture the page again; an empty page cannot be published",
        )
    return lines


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in {"utf-8", "utf8"}


def _decode(path: Path, data: bytes, encoding: str) -> str:
    utf8 = _is_utf8(encoding)
    try:
        text = data.decode("utf-8-sig" if utf8 else encoding)
    except LookupError:
        raise InputError(
            path,
            f"raw/source.toml declares an unknown encoding {encoding!r}",
            "declare utf-8, or the codec the capture really uses (e.g. cp932)",
        ) from None
    except UnicodeDecodeError as exc:
        raise _undecodable(path, data, encoding, exc) from None
    if not utf8 and not data.isascii() and _decodes(data, "utf-8"):
        raise InputError(
            path,
            f"raw/source.toml declares {encoding}, but the file is UTF-8 "
            f"(read as {encoding} it would be garbled)",
            'declare encoding = "utf-8" in raw/source.toml',
        )
    return text


def _undecodable(path: Path, data: bytes, encoding: str, exc: UnicodeDecodeError) -> InputError:
    """The error for bytes that are not `encoding`: where, and what the bytes look like."""
    line = data.count(b"\n", 0, exc.start) + 1
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    bad = data[exc.start : exc.end + 3].hex(" ")
    where = f"byte {exc.start} ({bad}…) is not valid {encoding}."
    if _decodes(data[:line_start], "utf-8") and not data[:line_start].isascii():
        return InputError(
            path,
            f"{where} The lines before it are {encoding}: the capture mixes encodings",
            "capture the page again; if this line alone was pasted "
            "from another source, convert that line to UTF-8 and record the new "
            "sha256 in raw/source.toml",
            line=line,
        )
    if _decodes(data, "cp932"):
        return InputError(
            path,
            f"{where} The bytes decode as Shift_JIS/CP932, as Japanese sites often serve",
            "convert the capture to UTF-8 (iconv -f CP932 -t "
            "UTF-8 IN > OUT) and update sha256 in raw/source.toml, or declare its "
            'real encoding there (encoding = "cp932")',
            line=line,
        )
    return InputError(
        path,
        where,
        "find the capture's real encoding and declare it in "
        "raw/source.toml, or convert the capture to UTF-8",
        line=line,
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def split_lines(text: str, utf8: bytes | None = None) -> pa.StringArray:
    """The text's lines (LF, CRLF or CR), each normalized: NFC, without leading or trailing
    whitespace (full-width spaces included) and without a U+FEFF that starts the line (left
    where captures were joined). `utf8`: the text's UTF-8 bytes, where the caller has them."""
    # NFC of the whole text is NFC of each line: a line break composes with nothing.
    if not unicodedata.is_normalized("NFC", text):
        text, utf8 = unicodedata.normalize("NFC", text), None
    if "\r" in text:
        text, utf8 = _LINE_BREAK.sub("\n", text), None
    data = text.encode("utf-8") if utf8 is None else utf8  # < 2 GiB: read_lines allows 1 GiB
    # Each line with the line break after it, which the trim below removes.
    breaks = np.flatnonzero(np.frombuffer(data, np.uint8) == ord("\n")) + 1
    offsets = np.concatenate(([0], breaks, [len(data)])).astype(np.int32)
    lines = pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))
    lines = pc.utf8_trim(lines, WHITESPACE)
    if pc.any(pc.starts_with(lines, "\ufeff")).as_py():
        lines = pc.utf8_trim(pc.utf8_ltrim(lines, "\ufeff"), WHITESPACE)
    return lines


def read_page(raw_dir: Path, decisions: Sequence[ParagraphDecision]) -> Page:
    """Read and parse the snapshot described by raw_dir/source.toml."""
    source = read_source(raw_dir)
    return Page(source, *parse(read_lines(source), decisions, source.snapshot_path))


def read_inputs(raw_dir: Path, check_evidence: bool = True) -> tuple[Curation, Page]:
    """The curation and the page, in that order (the page's parser needs the paragraph
    decisions; a problem in the curation is reported before one in the page)."""
    check_raw_folder(raw_dir)
    curation = read_curation(raw_dir, check_evidence)
    return curation, read_page(raw_dir, curation.paragraphs)


def check_raw_folder(raw_dir: Path) -> None:
    """Refuse, with what to do, a raw folder that is not there (a wheel has none)."""
    if not (raw_dir / SIDECAR).exists() and not (raw_dir / CURATION_DIR).exists():
        raise InputError(
            raw_dir,
            "no raw folder here (no source.toml, no curation/): build makes the release from "
            "the page's snapshot and the curation in the project's raw/ folder",
            "run build in a clone of the project's repository (or its unpacked sdist), or "
            "pass --raw DIR; the installed package already carries the built release, which "
            "`reentry-services validate` and reentry_services.load() use without raw/",
        )


def parse(
    lines: pa.StringArray | Sequence[str], decisions: Sequence[ParagraphDecision], path: Path
) -> tuple[tuple[Section, ...], Entries, np.ndarray]:
    """Parse normalized lines into sections and entries, one line after another; every
    non-blank line is used, and the first problem is raised with its line.

    Returns the sections, the entries, and the physical line of each non-blank line."""
    texts = lines.to_pylist() if isinstance(lines, pa.Array) else list(lines)
    numbered = [(number, text) for number, text in enumerate(texts, start=1) if text]
    reader = _LineReader(path, _roles(numbered, decisions))
    for number, text in numbered:
        reader.feed(number, text)
    sections, entries = reader.finish()
    physical = np.array([number for number, _ in numbered], np.int64)
    return sections, Entries.of_rows(entries), physical


def _sections(
    headings: list[str], heading_lines: list[int], opening: bool, line_count: int
) -> tuple[Section, ...]:
    """The sections: the untitled opening one (if lines come before the first heading) and
    one per heading, each up to the line before the next one's heading."""
    if not line_count:
        return ()
    following = heading_lines[0 if opening else 1 :]  # each next section's first line
    ends = [start - 1 for start in following] + [line_count]
    lines: list[int | None] = [None] * opening + heading_lines
    titles: list[str | None] = [None] * opening + headings
    return tuple(
        Section(order, heading, line, line or 1, end)
        for order, (line, heading, end) in enumerate(zip(lines, titles, ends, strict=True), 1)
    )


class _LineReader:
    """A one-pass reader of the page layout that stops at the first problem, naming its
    line; the state is the current section and the paragraphs still waiting for their link."""

    def __init__(self, path: Path, roles: dict[int, str]):
        self.path = path
        self.roles = roles
        self.headings: list[tuple[int, str]] = []  # (line, text); the opening has none
        self.heading_lines: dict[str, int] = {}
        self.opening_lines = 0
        self.entries: list[Entry] = []
        self.pending: list[tuple[int, str]] = []
        self.last_kind: str | None = None
        self.last_line = 0
        self.ordinals: dict[int, int] = {}  # physical line -> position among non-blank lines

    def feed(self, number: int, text: str) -> None:
        """Take the next non-blank line."""
        self.ordinals[number] = len(self.ordinals) + 1
        kind = self._classify(number, text)
        if kind == "paragraph":
            self.pending.append((number, text))
        elif kind == "link":
            self._link(number, text)
        else:
            self._close(link=None)
            if text in self.heading_lines:
                raise InputError(
                    self.path,
                    f"the heading {text!r} is also on line {self.heading_lines[text]}",
                    "each section's heading names it once; check the capture against the page",
                    line=number,
                )
            self.heading_lines[text] = number
            self.headings.append((number, text))
        if not self.headings:
            self.opening_lines += 1
        self.last_kind, self.last_line = kind, number

    def finish(self) -> tuple[tuple[Section, ...], list[Entry]]:
        self._close(link=None)
        if self.last_kind == "heading":
            raise InputError(
                self.path,
                "the file ends with a heading that has nothing after it",
                "restore the entries the capture lost, or delete the heading "
                "(and its row in raw/curation/sections.csv)",
                line=self.last_line,
            )
        heading_lines = [self.ordinals[line] for line, _ in self.headings]
        headings = [text for _, text in self.headings]
        opening = bool(self.opening_lines)
        return _sections(headings, heading_lines, opening, len(self.ordinals)), self.entries

    def _classify(self, number: int, text: str) -> str:
        if len(text) > MAX_LINE_CHARS:
            raise InputError(
                self.path,
                f"the line has {len(text)} characters, more than the "
                f"{MAX_LINE_CHARS} any plausible entry has",
                "check that the capture kept one paragraph per line",
                line=number,
            )
        found = FORBIDDEN.search(text)
        if found:
            char = found.group()
            if CONTROL.match(char):
                raise InputError(
                    self.path,
                    f"the line contains the control character U+{ord(char):04X}",
                    "remove it from the capture",
                    line=number,
                    column=found.start() + 1,
                )
            raise InputError(
                self.path,
                f"the line contains the invisible character {char_name(char)}",
                f"{INVISIBLE_FIX}; the capture is never "
                "edited, so capture the page again or, if the page has it, "
                "report it to its publisher",
                line=number,
                column=found.start() + 1,
            )
        if text.endswith("。"):
            return "paragraph"
        if text.startswith("/") or _SCHEME.match(text):
            problem = link_problem(text)
            if problem:
                raise InputError(
                    self.path, problem.problem, problem.fix, line=number, column=problem.column
                )
            return "link"
        if len(text) > MAX_HEADING_CHARS:
            raise InputError(
                self.path,
                "the line is neither a paragraph (it does not end with "
                f"「。」) nor a heading (it is longer than {MAX_HEADING_CHARS} "
                "characters)",
                "check the capture against the page",
                line=number,
            )
        return "heading"

    def _link(self, number: int, text: str) -> None:
        if not self.pending:
            if self.last_kind == "link":
                raise InputError(
                    self.path,
                    f"two links in a row (lines {self.last_line} and {number})",
                    "the capture lost the description of one of them: restore it before the link",
                    line=number,
                )
            raise InputError(
                self.path,
                "a link with no description before it",
                "restore the description line the capture lost",
                line=number,
            )
        self._close(link=(number, text))

    def _close(self, link: tuple[int, str] | None) -> None:
        """Turn the pending paragraphs into entries."""
        texts = dict(self.pending)
        numbers = list(texts)
        self.pending = []
        if not numbers:
            return
        for paragraphs, link_line in _divide(self.path, self.roles, numbers, link and link[0]):
            end = link_line or paragraphs[-1]
            self.entries.append(
                Entry(  # section order, paragraphs, link, first and last line
                    len(self.headings) + (1 if self.opening_lines else 0),
                    tuple(texts[n] for n in paragraphs),
                    link[1] if link and link_line else None,
                    self.ordinals[paragraphs[0]],
                    self.ordinals[end],
                )
            )


def _divide(
    path: Path, roles: dict[int, str], paragraphs: list[int], link: int | None
) -> list[tuple[list[int], int | None]]:
    """The entries a run of paragraphs (their lines) makes before `link` (its line) or
    before a heading (None): each entry's paragraph lines and its link line, if any. Only
    the last entry takes the link; curated roles say how the others group."""
    groups = _group(path, roles, paragraphs)
    *before, last = groups
    for standalone, numbers in before:
        if not standalone:
            where = f"the link at line {link}" if link else "the next heading"
            raise InputError(
                path,
                f"lines {', '.join(map(str, paragraphs))} all come before {where}: the layout "
                "cannot tell separate entries from paragraphs of one entry",
                "read them and record the decision in raw/curation/paragraphs.csv: role "
                "continuation for a paragraph that continues the one before it, standalone for "
                "an entry the page gives without a link",
                line=numbers[0],
            )
    standalone, numbers = last
    if link is not None and standalone:
        raise InputError(
            path,
            "the link follows only paragraphs curated as "
            "stand-alone entries, so it belongs to none of them",
            "correct the paragraph decision in raw/curation/paragraphs.csv",
            line=link,
        )
    if link is None and not standalone:
        raise InputError(
            path,
            "a description with no link after it that is not a curated stand-alone entry",
            "restore its link, or, if the page really lists it without one, "
            "add it to raw/curation/paragraphs.csv with role standalone",
            line=numbers[0],
        )
    return [(numbers, None) for _, numbers in before] + [(numbers, link)]


def _group(
    path: Path, roles: dict[int, str], paragraphs: list[int]
) -> list[tuple[bool, list[int]]]:
    """The paragraphs grouped: a continuation joins the group before it; each group is
    marked stand-alone or not."""
    groups: list[tuple[bool, list[int]]] = []
    for number in paragraphs:
        role = roles.get(number)
        if role == "continuation":
            if not groups or groups[-1][0]:
                raise InputError(
                    path,
                    "the paragraph is curated as a continuation, "
                    "but no paragraph of a linked entry comes before it",
                    "correct its row in raw/curation/paragraphs.csv",
                    line=number,
                )
            groups[-1][1].append(number)
        else:
            groups.append((role == "standalone", [number]))
    return groups


def _roles(
    numbered: list[tuple[int, str]], decisions: Sequence[ParagraphDecision]
) -> dict[int, str]:
    """The role each paragraph decision gives, by line; each must match exactly one
    paragraph of the snapshot, so a re-captured page cannot leave a decision stale."""
    if not decisions:
        return {}
    # Sorted by text, the paragraphs that start with a decision's words are neighbours.
    candidates = sorted((text, number) for number, text in numbered if text.endswith("。"))
    sorted_texts = [text for text, _ in candidates]
    roles = {}
    for d in decisions:
        first = last = bisect_left(sorted_texts, d.starts_with)
        while last < len(sorted_texts) and sorted_texts[last].startswith(d.starts_with):
            last += 1
        matches = sorted(number for _, number in candidates[first:last])
        if len(matches) != 1:
            found = f"lines {', '.join(map(str, matches))}" if matches else "no paragraph"
            raise InputError(
                d.path,
                f"the paragraph decision for {d.starts_with!r} matches {found} of the snapshot",
                "correct starts_with to the start of exactly one paragraph, or "
                "delete the row if the page no longer needs the decision",
                line=d.line,
            )
        roles[matches[0]] = d.role
    return roles
