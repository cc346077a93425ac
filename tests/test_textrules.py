"""Link and text rules, checked against rdflib and the RFC 3986 grammar, not against
themselves: every link the rules let through can be written in Turtle and N-Triples."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace

from reentry_services.model import textrules
from reentry_services.model.textrules import INVISIBLE, as_uri, link_problem

DCAT = Namespace("http://www.w3.org/ns/dcat#")

# RFC 3986's URI-reference characters, the oracle for what a published url may hold.
URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}")

link_text = st.one_of(
    st.builds(lambda path: f"https://www.example.jp/{path}", st.text(max_size=30)),
    st.builds(lambda path: f"/{path}", st.text(max_size=30)),
    st.text(max_size=40),
)


@settings(max_examples=400, deadline=None)
@given(link_text)
def test_every_accepted_link_is_a_uri_rdflib_writes_and_reads_back(link):
    if link_problem(link) is not None:
        return
    uri = as_uri(link)
    assert "".join(URI_CHARS.findall(uri)) == uri
    if uri.startswith("/"):
        assert not uri.startswith("//")
        return
    graph = Graph()
    graph.add((URIRef("https://example.org/d"), DCAT.downloadURL, URIRef(uri)))
    for syntax in ("nt", "turtle"):
        again = Graph().parse(data=graph.serialize(format=syntax), format=syntax)
        assert {o for _, _, o in again} == {URIRef(uri)}


@pytest.mark.parametrize(
    "link",
    [
        "https://www.tokyoshigoto.jp/",
        "http://e-sodan.metro.tokyo.lg.jp/works/restart/index.html",
        "/hoken_fukushi/",
        "https://example.jp/a?b=c&d=%E3%81%82#top",
        "HTTPS://EXAMPLE.JP/",
    ],
)
def test_ordinary_links_pass(link):
    assert link_problem(link) is None


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("//other.example/x", "another host without a scheme"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("https:///nohost", "not an http(s) URL"),
        ("https://例え.jp/", "host"),
        ("https://example.jp/a\u200bb", "U+200B"),
        ("https://example.jp/a\u3000b", "a space"),
        ("https://example.jp/100%", "starts no percent-encoding"),
    ],
)
def test_bad_links_are_refused(link, words):
    problem = link_problem(link)
    assert problem is not None and words in problem.problem


def test_page_url_may_not_be_a_path():
    assert link_problem("/x", relative_allowed=False) is not None


def test_a_link_beyond_ascii_is_percent_encoded_as_utf8():
    assert as_uri("https://example.jp/求人/a-b") == "https://example.jp/%E6%B1%82%E4%BA%BA/a-b"


@given(st.text())
def test_invisible_characters_are_the_format_characters_that_hide_or_reorder(text):
    """Each character the rule finds is a Unicode format character (category Cf)."""
    import unicodedata

    for found in INVISIBLE.findall(text):
        assert unicodedata.category(found) == "Cf"


def test_text_is_a_literal_rdflib_round_trips():
    hostile = '<!--<script>"\\\u2028'
    graph = Graph()
    graph.add((URIRef("https://example.org/d"), DCAT.keyword, Literal(hostile)))
    again = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert {o for _, _, o in again} == {Literal(hostile)}


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.from_regex(textrules._PLAIN_LINK, fullmatch=True),
        st.builds(lambda path: f"https://www.example.jp/{path}", st.text(max_size=30)),
    )
)
def test_the_plain_link_shortcut_accepts_only_what_the_whole_check_accepts(link):
    if textrules._PLAIN_LINK.fullmatch(link):
        assert textrules._problem(link, relative_allowed=True) is None


def test_the_whitespace_trimmed_is_every_character_str_strip_strips():
    every = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
    assert every == textrules.WHITESPACE
