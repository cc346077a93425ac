"""Fuzzing: whatever the text, ingest and normalize give tables or the project's own error,
and the harmless normalizations of a snapshot never change the result."""

from __future__ import annotations

import unicodedata

from conftest import RAW, SNAPSHOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reentry_services.errors import PipelineError
from reentry_services.model.records import Page
from reentry_services.stages.curation import read_curation
from reentry_services.stages.layout import parse
from reentry_services.stages.normalize import normalize
from reentry_services.stages.source import read_source, split_lines

CURATION = read_curation(RAW)
SOURCE = read_source(RAW)
LINES = SNAPSHOT.read_text(encoding="utf-8").split("\n")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(text: str):
    """The pipeline from text to tables, in memory: ingest then normalize."""
    page = Page(SOURCE, *parse(split_lines(text), CURATION.paragraphs, SNAPSHOT))
    return normalize(page, CURATION)


def outcome(text: str):
    """The tables as rows, or the kind of error: what must not change."""
    try:
        tables = run(text)
    except PipelineError as exc:
        return type(exc).__name__
    return tables.sections.to_pylist(), tables.services.to_pylist()


# Lines like the page's, and lines of anything at all.
page_line = st.one_of(
    st.sampled_from(LINES),
    st.text(max_size=80),
    st.sampled_from(["", "見出し", "/x/", "https://e.example/", "説明。"]),
)


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text_gives_tables_or_our_error(text):
    outcome(text)


@SETTINGS
@given(st.lists(page_line, max_size=60))
def test_arbitrary_lines_give_tables_or_our_error(lines):
    outcome("\n".join(lines))


edit = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("duplicate"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("swap"), st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("insert"), st.integers(0, len(LINES)), page_line),
    st.tuples(st.just("replace"), st.integers(0, len(LINES) - 1), page_line),
    st.tuples(st.just("truncate"), st.integers(0, len(LINES) - 1), st.integers(0, 60)),
)


def apply(lines: list[str], edits) -> list[str]:
    lines = list(lines)
    for op, index, *arg in edits:
        index = min(index, len(lines) - 1) if op != "insert" else min(index, len(lines))
        if not lines and op != "insert":
            continue
        if op == "delete":
            del lines[index]
        elif op == "duplicate":
            lines.insert(index, lines[index])
        elif op == "swap":
            other = min(arg[0], len(lines) - 1)
            lines[index], lines[other] = lines[other], lines[index]
        elif op in ("insert", "replace"):
            lines[index : index + (op == "replace")] = [arg[0]]
        else:
            lines[index] = lines[index][: arg[0]]
    return lines


@SETTINGS
@given(st.lists(edit, min_size=1, max_size=5))
def test_edits_of_the_real_snapshot_give_tables_or_our_error(edits):
    outcome("\n".join(apply(LINES, edits)))


normalization = st.sampled_from(
    [
        lambda t: "\ufeff" + t if not t.startswith("\ufeff") else t,
        lambda t: t.replace("\r\n", "\n").replace("\n", "\r\n"),
        lambda t: t.replace("\n", " \t\n"),
        lambda t: t.replace("\n", "\n\n"),
        lambda t: t.replace("\n", "\u3000\n\u3000"),
        lambda t: unicodedata.normalize("NFD", t),
    ]
)


def read(text: str):
    """As ingest reads a file: a BOM is dropped by the utf-8-sig codec before splitting."""
    return outcome(text.removeprefix("\ufeff"))


@SETTINGS
@given(st.lists(edit, max_size=3), st.lists(normalization, min_size=1, max_size=4))
def test_parsing_is_idempotent_under_harmless_normalizations(edits, normalizations):
    text = "\n".join(apply(LINES, edits))
    varied = text
    for normalize_text in normalizations:
        varied = normalize_text(varied)
    assert read(varied) == read(text)
