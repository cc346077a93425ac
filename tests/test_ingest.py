"""Ingest: the page layout read into sections and entries, on fragments and the real page."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ENTRIES, RAW, RESOURCES, SNAPSHOT, snapshot_lines, write_snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from reentry_services import stages
from reentry_services.errors import InputError
from reentry_services.model.records import ParagraphDecision
from reentry_services.stages.curation import read_curation
from reentry_services.stages.layout import parse, read_page
from reentry_services.stages.source import split_lines

P = Path("page.txt")
URL = "https://example.metro.tokyo.lg.jp/a.html"


def decision(starts_with: str, role: str) -> ParagraphDecision:
    return ParagraphDecision(starts_with, role, Path("paragraphs.csv"), 2)


def test_entries_take_the_link_after_them():
    sections, entries, _ = parse(["A。", URL, "見出し", "B。", "/x/"], [], P)
    assert [(s.heading, s.line_start, s.line_end) for s in sections] == [
        (None, 1, 2),
        ("見出し", 3, 5),
    ]
    assert [(e.section_order, e.paragraphs, e.link, e.line_start, e.line_end) for e in entries] == [
        (1, ("A。",), URL, 1, 2),
        (2, ("B。",), "/x/", 4, 5),
    ]


def test_a_page_starting_with_a_heading_has_no_opening_section():
    sections, entries, _ = parse(["見出し", "A。", URL], [], P)
    assert [s.heading for s in sections] == ["見出し"]
    assert entries[0].section_order == 1


def test_a_heading_without_entries_is_a_section():
    sections, _, _ = parse(["A。", URL, "空", "次", "B。", URL + "?2"], [], P)
    assert [(s.heading, s.line_start, s.line_end) for s in sections][1] == ("空", 3, 3)


def test_two_paragraphs_before_one_link_need_a_decision():
    with pytest.raises(InputError) as err:
        parse(["A。", "B。", URL], [], P)
    assert err.value.line == 1 and "paragraphs.csv" in err.value.fix


def test_continuation_joins_paragraphs():
    _, entries, _ = parse(["A。", "B。", URL], [decision("B", "continuation")], P)
    assert [(e.paragraphs, e.line_start, e.line_end) for e in entries] == [(("A。", "B。"), 1, 3)]


def test_standalone_entry_has_no_link():
    _, entries, _ = parse(["A。", "B。", URL], [decision("A", "standalone")], P)
    assert [(e.paragraphs, e.link) for e in entries] == [(("A。",), None), (("B。",), URL)]


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        ([URL], 1, "no description before it"),
        (["A。", URL, URL + "2"], 3, "two links in a row"),
        (["A。", URL, "見出し", URL], 4, "no description before it"),
        (["A。", URL, "B。"], 3, "no link after it"),
        (["A。", URL, "見出し"], 3, "ends with a heading"),
        (["A。", "javascript:alert(1)"], 2, "not an http(s) URL"),
        (["A。", "mailto:a@example.org"], 2, "not an http(s) URL"),
        (["A。", "file:///etc/passwd"], 2, "not an http(s) URL"),
        (["A。", "https://example.org/a b"], 2, "contains a space"),
        (["A\x07。", URL], 1, "control character"),
        (["あ" * 2001 + "。", URL], 1, "characters"),
        (["見" * 61, "A。", URL], 1, "neither a paragraph"),
    ],
)
def test_layout_errors_name_the_line(lines, line, words):
    with pytest.raises(InputError) as err:
        parse(lines, [], P)
    assert err.value.line == line
    assert words in err.value.problem


def test_unused_or_double_decisions_are_errors():
    with pytest.raises(InputError, match="matches no paragraph"):
        parse(["A。", URL], [decision("Z", "standalone")], P)
    with pytest.raises(InputError, match="matches lines 2, 5 of the snapshot"):
        parse(["X。", "A。", URL, "Y。", "A。", URL + "2"], [decision("A", "continuation")], P)


def test_split_lines_trims_and_composes():
    text = "\u3000 か\u3099。 \r\n\ufeff x\r見\n\u2028\n"
    assert split_lines(text).to_pylist() == ["が。", "x", "見", "", ""]


# --- read by column, as read line by line --------------------------------------------

layout_line = st.one_of(
    st.sampled_from(["", "", "説明。", URL, "/p/", "見出し", "見出し2", "結び"]),
    st.sampled_from(["javascript:x", URL + " 2", "見" * 61, "A\u200b。", "あ" * 2001 + "。"]),
    st.sampled_from(["https://e.example/案内", "https://e.example/%zz", "//e.example/"]),
)


def numbered(lines: list[str]) -> list[str]:
    """Paragraphs and links made unique, as the page's are."""
    return [
        f"{t[:-1]}{i}。" if t.endswith("。") else (t + str(i) if t in (URL, "/p/") else t)
        for i, t in enumerate(lines)
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(layout_line, max_size=14), st.lists(st.tuples(st.integers(0, 13), st.booleans())))
def test_any_layout_is_read_whole_or_refused_at_a_line(lines, picks):
    """The parser either puts every paragraph and link into exactly one entry, or refuses
    the page with an InputError that names one of its lines."""
    lines = numbered(lines)
    paragraphs = [t for t in lines if t.endswith("。") and len(t) < 100]
    decisions = (
        [
            decision(paragraphs[i % len(paragraphs)], "continuation" if cont else "standalone")
            for i, cont in dict(picks).items()
        ]
        if paragraphs
        else []
    )
    decisions = list({d.starts_with: d for d in decisions}.values())
    try:
        sections, entries, physical = parse(lines, decisions, P)
    except InputError as exc:
        assert exc.line is None or 1 <= exc.line <= len(lines)
        return
    paragraphs = [p for e in entries for p in e.paragraphs]
    links = [e.link for e in entries if e.link]
    headings = [s.heading for s in sections if s.heading]
    assert paragraphs == [t for t in lines if t.endswith("。")]
    assert sorted(paragraphs + links + headings) == sorted(t for t in lines if t)
    assert len(physical) == len([t for t in lines if t])


# --- the real snapshot -------------------------------------------------------------


def real_page():
    return read_page(RAW, read_curation(RAW).paragraphs)


def test_real_page_sections_are_the_headings_in_order():
    lines = snapshot_lines()
    sections = real_page().sections
    headings = [10, 22, 27, 28, 33, 39]
    assert [s.heading_line for s in sections] == [None, *headings]
    assert [s.heading for s in sections[1:]] == [lines[n - 1] for n in headings]
    assert sections[0].line_start == 1 and sections[-1].line_end == len(lines) == 51


def test_real_page_entries_and_line_ranges():
    # Read off the page by hand: (first line, last line) of every entry.
    expected = [
        (1, 2),
        (3, 3),
        (4, 5),
        (6, 7),
        (8, 9),
        (11, 12),
        (13, 14),
        (15, 16),
        (17, 18),
        (19, 21),
        (23, 24),
        (25, 26),
        (29, 30),
        (31, 32),
        (34, 36),
        (37, 38),
        (40, 41),
        (42, 43),
        (44, 45),
        (46, 47),
        (48, 49),
        (50, 51),
    ]
    assert [(e.line_start, e.line_end) for e in real_page().entries] == expected


def test_every_non_blank_line_is_a_heading_or_in_an_entry():
    page = real_page()
    used = {s.heading_line for s in page.sections if s.heading_line}
    for e in page.entries:
        used |= set(range(e.line_start, e.line_end + 1))
    non_blank = {n for n, text in enumerate(snapshot_lines(), start=1) if text.strip()}
    assert used == non_blank


def test_a_changed_snapshot_is_refused_until_acknowledged(raw_copy):
    (raw_copy / SNAPSHOT.name).write_bytes(SNAPSHOT.read_bytes() + b"\n")
    with pytest.raises(InputError, match="sha256") as err:
        read_page(raw_copy, [])
    assert "raw/source.toml" in err.value.fix
    write_snapshot(raw_copy, SNAPSHOT.read_bytes() + b"\n")
    assert len(read_page(raw_copy, read_curation(raw_copy).paragraphs).entries) == ENTRIES


def test_read_inputs_reports_the_curation_before_the_page(raw_copy):
    """The page is read on a second thread beside the curation, yet a problem in the
    curation is raised first, as when they were read in turn; then the page's."""
    (raw_copy / SNAPSHOT.name).write_bytes(SNAPSHOT.read_bytes() + b"\n")  # a wrong sha256
    services = raw_copy / "curation" / "services.csv"
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("service_id", "id", 1), encoding="utf-8")
    with pytest.raises(InputError, match="the header has") as err:
        stages.read_inputs(raw_copy)
    assert err.value.path == services
    services.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="sha256"):
        stages.read_inputs(raw_copy)
    write_snapshot(raw_copy, SNAPSHOT.read_bytes() + b"\n")
    curation, page = stages.read_inputs(raw_copy)
    assert len(page.entries) == ENTRIES and len(curation.services) == RESOURCES
    assert curation.paragraphs == read_curation(raw_copy).paragraphs
