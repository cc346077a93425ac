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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from .curation import ParagraphDecision
from .errors import InputError
from .textrules import INVISIBLE, INVISIBLE_FIX, char_name, link_problem

SIDECAR = "source.toml"
PUBLICATION = "publication.toml"
MAX_LINE_CHARS = 2000  # the longest entry line on the page has under 300 characters
MAX_HEADING_CHARS = 60  # the longest heading on the page has 31 characters
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FORBIDDEN = re.compile(f"{_CONTROL.pattern}|{INVISIBLE.pattern}")


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
    """One resource as the page gives it: its paragraphs, its link, and where they stand.
    (A named tuple: a large page makes a hundred thousand of them.)"""

    section_order: int
    paragraphs: tuple[str, ...]
    link: str | None
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Page:
    """The snapshot read into its sections and entries, in page order.

    Sections and entries number lines among the non-blank lines of the snapshot, so blank
    lines in a re-capture do not change what is published; `physical_lines[n - 1]` is the
    line of the file that non-blank line n stands on, for messages to the maintainer.
    """

    source: Source
    sections: tuple[Section, ...]
    entries: tuple[Entry, ...]
    physical_lines: tuple[int, ...]

    def physical(self, line: int) -> int:
        return self.physical_lines[line - 1]


def read_source(raw_dir: Path) -> Source:
    """Read the provenance sidecar, naming any missing key."""
    path = raw_dir / SIDECAR
    if not path.is_file():
        raise InputError(
            path,
            "the provenance sidecar is missing",
            "restore raw/source.toml from git, or point --raw at the raw directory",
        )
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
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
        found = _FORBIDDEN.search(value.replace("\n", " "))
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
        settings = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid TOML: {exc}", "fix the syntax") from None
    base = settings.get("base_url", "") if base_url is None else base_url
    contact = settings.get("contact", "")
    where = path if base_url is None else Path("--base-url")
    if not isinstance(base, str) or (
        base and (link_problem(base, relative_allowed=False) or not base.endswith("/"))
    ):
        raise InputError(
            where,
            f"base_url {base!r} is not an http(s) address ending in /",
            "give the address of the folder holding datapackage.json, with a "
            "final /, or leave it empty",
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
    return Publication(base, contact)


def read_lines(source: Source) -> list[str]:
    """The snapshot's lines, hash-checked, decoded and normalized (NFC, trimmed)."""
    path = source.snapshot_path
    if path.is_symlink():
        raise InputError(
            path,
            "the snapshot is a symbolic link",
            "copy the snapshot itself into the raw folder; it must be a file of its own there",
        )
    if not path.is_file():
        raise InputError(
            path,
            "the snapshot named in raw/source.toml does not exist",
            "put the snapshot in raw/ or correct `file` in raw/source.toml",
        )
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        raise InputError(
            path,
            f"sha256 is {actual}, but raw/source.toml records {source.sha256}",
            "never edit the snapshot; if this is a new, reviewed capture, set `sha256` (and "
            "`received`) in raw/source.toml, rebuild, and review what the build reports",
        )
    lines = split_lines(_decode(path, data, source.encoding))
    if not any(lines):
        raise InputError(
            path,
            "the snapshot is empty or holds only whitespace",
            "capture the page again; an empty page cannot be published",
        )
    return lines


def _decode(path: Path, data: bytes, encoding: str) -> str:
    utf8 = encoding.lower().replace("_", "-") in {"utf-8", "utf8"}
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


def split_lines(text: str) -> list[str]:
    """The text's lines (LF, CRLF or CR), each normalized."""
    parts = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")  # same lines
    return [normalize_line(line) for line in parts]


def normalize_line(line: str) -> str:
    """NFC, without leading or trailing whitespace (full-width spaces included) and
    without a U+FEFF that starts the line (left where captures were joined)."""
    return unicodedata.normalize("NFC", line).strip().lstrip("\ufeff").strip()


def read_page(raw_dir: Path, decisions: Sequence[ParagraphDecision]) -> Page:
    """Read and parse the snapshot described by raw_dir/source.toml."""
    source = read_source(raw_dir)
    lines = read_lines(source)
    return Page(source, *parse(lines, decisions, source.snapshot_path))


def parse(
    lines: Sequence[str], decisions: Sequence[ParagraphDecision], path: Path
) -> tuple[tuple[Section, ...], tuple[Entry, ...], tuple[int, ...]]:
    """Parse normalized lines into sections and entries; every non-blank line is used.

    Returns the sections, the entries, and the physical line of each non-blank line."""
    # One search of the whole text finds whether any line holds a control or invisible
    # character (a line break is neither), one pass whether any is too long; only then is
    # each line searched, to name the first.
    parser = _Parser(
        path,
        _roles(lines, decisions),
        check_forbidden=bool(_FORBIDDEN.search("\n".join(lines))),
        check_length=max(map(len, lines), default=0) > MAX_LINE_CHARS,
    )
    for number, text in enumerate(lines, start=1):
        if text:
            parser.feed(number, text)
    return *parser.finish(), tuple(parser.ordinals)


class _Parser:
    """A one-pass reader of the page layout; the state is the current section and the
    paragraphs still waiting for their link."""

    def __init__(
        self,
        path: Path,
        roles: dict[int, str],
        check_forbidden: bool = True,
        check_length: bool = True,
    ):
        self.path = path
        self.roles = roles
        self.check_forbidden = check_forbidden
        self.check_length = check_length
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

    def finish(self) -> tuple[tuple[Section, ...], tuple[Entry, ...]]:
        self._close(link=None)
        if self.last_kind == "heading":
            raise InputError(
                self.path,
                "the file ends with a heading that has nothing after it",
                "restore the entries the capture lost, or delete the heading "
                "(and its row in raw/curation/sections.csv)",
                line=self.last_line,
            )
        return self._sections(), tuple(self.entries)

    def _sections(self) -> tuple[Section, ...]:
        heading_starts = [self.ordinals[line] for line, _ in self.headings]
        starts: list[int | None] = [None] * bool(self.opening_lines) + list(heading_starts)
        headings = [None] * bool(self.opening_lines) + [text for _, text in self.headings]
        following = heading_starts[0 if self.opening_lines else 1 :]  # each next section's start
        ends = [start - 1 for start in following] + [len(self.ordinals)]
        sections = []
        for order, (line, heading, end) in enumerate(
            zip(starts, headings, ends, strict=True), start=1
        ):
            sections.append(Section(order, heading, line, line or 1, end))
        return tuple(sections)

    def _classify(self, number: int, text: str) -> str:
        if self.check_length and len(text) > MAX_LINE_CHARS:
            raise InputError(
                self.path,
                f"the line has {len(text)} characters, more than the "
                f"{MAX_LINE_CHARS} any plausible entry has",
                "check that the capture kept one paragraph per line",
                line=number,
            )
        found = self.check_forbidden and _FORBIDDEN.search(text)
        if found:
            char = found.group()
            if _CONTROL.match(char):
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
        """Turn the pending paragraphs into entries; only the last one takes the link."""
        if link and len(self.pending) == 1 and self.pending[0][0] not in self.roles:
            self._add(self.pending, link)  # the usual case: one paragraph, then its link
            self.pending = []
            return
        groups = self._group(self.pending)
        self.pending = []
        if not groups:
            return
        *before, last = groups
        for standalone, paragraphs in before:
            if not standalone:
                self._ambiguous(paragraphs, groups, link)
            self._add(paragraphs, None)
        standalone, paragraphs = last
        if link is not None and standalone:
            raise InputError(
                self.path,
                "the link follows only paragraphs curated as "
                "stand-alone entries, so it belongs to none of them",
                "correct the paragraph decision in raw/curation/paragraphs.csv",
                line=link[0],
            )
        if link is None and not standalone:
            first = paragraphs[0][0]
            raise InputError(
                self.path,
                "a description with no link after it that is not a curated stand-alone entry",
                "restore its link, or, if the page really lists it without one, "
                "add it to raw/curation/paragraphs.csv with role standalone",
                line=first,
            )
        self._add(paragraphs, link)

    def _ambiguous(self, paragraphs, groups, link) -> None:
        lines = ", ".join(str(n) for _, ps in groups for n, _ in ps)
        where = f"the link at line {link[0]}" if link else "the next heading"
        raise InputError(
            self.path,
            f"lines {lines} all come before {where}: the layout cannot tell "
            "separate entries from paragraphs of one entry",
            "read them and record the decision in raw/curation/paragraphs.csv: role "
            "continuation for a paragraph that continues the one before it, standalone for an "
            "entry the page gives without a link",
            line=paragraphs[0][0],
        )

    def _group(self, pending: list[tuple[int, str]]) -> list[tuple[bool, list[tuple[int, str]]]]:
        groups: list[tuple[bool, list[tuple[int, str]]]] = []
        for number, text in pending:
            role = self.roles.get(number)
            if role == "continuation":
                if not groups or groups[-1][0]:
                    raise InputError(
                        self.path,
                        "the paragraph is curated as a continuation, "
                        "but no paragraph of a linked entry comes before it",
                        "correct its row in raw/curation/paragraphs.csv",
                        line=number,
                    )
                groups[-1][1].append((number, text))
            else:
                groups.append((role == "standalone", [(number, text)]))
        return groups

    def _add(self, paragraphs: list[tuple[int, str]], link: tuple[int, str] | None) -> None:
        end, url = link if link else (paragraphs[-1][0], None)
        self.entries.append(
            Entry(  # section order, paragraphs, link, first and last line
                len(self.headings) + (1 if self.opening_lines else 0),
                tuple([text for _, text in paragraphs]),
                url,
                self.ordinals[paragraphs[0][0]],
                self.ordinals[end],
            )
        )


def _roles(lines: Sequence[str], decisions: Sequence[ParagraphDecision]) -> dict[int, str]:
    """The role each paragraph decision gives, by line; each must match exactly one
    paragraph of the snapshot, so a re-captured page cannot leave a decision stale."""
    if not decisions:
        return {}
    # Paragraphs (their indexes in `lines`) sorted by text: texts that start with a prefix
    # are neighbours in sorted order.
    paragraphs = [i for i, text in enumerate(lines) if text.endswith("。")]
    paragraphs.sort(key=lines.__getitem__)
    texts = [lines[i] for i in paragraphs]
    roles = {}
    for d in decisions:
        first = bisect_left(texts, d.starts_with)
        last = first
        while last < len(texts) and texts[last].startswith(d.starts_with):
            last += 1
        matches = sorted(i + 1 for i in paragraphs[first:last])
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
