"""The page's layout: its lines read one after another into sections and entries; the
first problem is named with its file and line."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..errors import InputError
from ..model.records import Entries, Entry, Page, ParagraphDecision, Section
from ..model.textrules import CONTROL, FORBIDDEN, INVISIBLE_FIX, char_name, link_problem
from .source import read_lines, read_source

MAX_LINE_CHARS = 2000  # the longest entry line on the page has under 300 characters
MAX_HEADING_CHARS = 60  # the longest heading on the page has 31 characters
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def read_page(raw_dir: Path, decisions: Sequence[ParagraphDecision]) -> Page:
    """Read and parse the snapshot described by raw_dir/source.toml."""
    source = read_source(raw_dir)
    return Page(source, *parse(read_lines(source), decisions, source.snapshot_path))


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
