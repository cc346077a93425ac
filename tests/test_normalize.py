"""Normalize: the tidy tables checked against what the page says, and the id rule."""

from __future__ import annotations

import pyarrow as pa
import pytest
from conftest import RAW, RESOURCES, SNAPSHOT, snapshot_lines, write_snapshot

from reentry_services.errors import InputError
from reentry_services.model.records import Entry
from reentry_services.pipeline import build
from reentry_services.stages.curation import read_curation
from reentry_services.stages.layout import read_page
from reentry_services.stages.normalize import link_form, link_forms, normalize, service_id


def tables(raw=RAW):
    curation = read_curation(raw)
    return normalize(read_page(raw, curation.paragraphs), curation)


@pytest.fixture(scope="module")
def services() -> list[dict]:
    return tables().services.to_pylist()


def test_every_resource_once_with_its_description_verbatim(services):
    lines = snapshot_lines()
    assert len(services) == len({s["service_id"] for s in services}) == RESOURCES
    for s in (s for s in services if s["listed_on_page"]):
        start, end = s["source_line_start"], s["source_line_end"]
        text = lines[start - 1 : end]
        if s["url_as_published"] is not None:
            assert text[-1] == s["url_as_published"]
            text = text[:-1]
        assert s["description_ja"] == "\n".join(text)


def test_links_keep_the_published_form_apart_from_the_current_link(services):
    by_line = {s["source_line_start"]: s for s in services}
    relative, missing = by_line[29], by_line[3]
    # A root-relative link is resolved against the page's recorded address, and says so.
    assert (relative["url"], relative["url_as_published"], relative["url_form"]) == (
        "https://restanet-tokyo.metro.tokyo.lg.jp/hoken_fukushi/",
        "/hoken_fukushi/",
        "relative",
    )
    assert (missing["url"], missing["url_as_published"], missing["url_form"]) == (
        None,
        None,
        "missing",
    )
    # The desk the page gives no link has a curated current link, which the release presents.
    assert (
        missing["url_current"]
        == missing["link_url"]
        == ("https://restanet-tokyo.metro.tokyo.lg.jp/soudan")
    )
    assert "犯罪お悩みなんでも相談" in missing["description_ja"]
    others = [s for s in services if s["listed_on_page"] and s["source_line_start"] not in (3, 29)]
    assert all(s["url"] == s["url_as_published"] and s["url_form"] == "absolute" for s in others)
    # An addition has no link on the page; its official address is its current link.
    for s in (s for s in services if not s["listed_on_page"]):
        assert s["url"] is s["url_as_published"] is s["url_form"] is None
        assert s["link_url"] == s["url_current"]
    for s in services:
        assert s["link_url"] == (s["url_current"] or s["url"])
        # No check is committed yet: every link is unchecked, never shown as checked.
        assert (s["link_outcome"], s["link_checked_on"], s["link_final_url"]) == (
            "unchecked" if s["link_url"] else None,
            None,
            None,
        )


def test_sections_of_the_entries(services):
    by_line = {s["source_line_start"]: s["section_ja"] for s in services}
    assert by_line[1] is None and by_line[8] is None
    assert by_line[11] == by_line[19] == "就労の確保等"
    assert by_line[23] == "住居の確保等"
    assert by_line[29] == "薬物依存を有する者への支援等"
    assert by_line[50] == "犯罪をした者等の特性に応じた効果的な指導・支援等のための取組"
    sections = tables().sections.to_pylist()
    empty = [s for s in sections if s["section_ja"] == "高齢者又は障害のある者等への支援等"]
    assert empty[0]["source_line_start"] == empty[0]["source_line_end"] == 27
    listed = (s for s in services if s["listed_on_page"])  # the curation may add to it
    assert not any(s["section_code"] == empty[0]["section_code"] for s in listed)


def test_name_quoted_flag_is_true_only_for_names_in_the_text(services):
    for s in services:
        assert s["name_ja_in_description"] == (s["name_ja"] in s["description_ja"])
    assert sum(s["name_ja_in_description"] for s in services) >= 10


def test_service_id_ignores_row_order_and_other_text():
    a = Entry(1, ("説明。",), "https://example.org/", 1, 2)
    moved = Entry(5, ("書き換えた説明。",), "https://example.org/", 40, 41)
    assert service_id("130001", a) == service_id("130001", moved)
    no_link = Entry(1, ("説明。", "続き。"), None, 3, 4)
    assert service_id("130001", no_link) == service_id(
        "130001", Entry(2, ("説明。", "別の続き。"), None, 9, 10)
    )
    assert service_id("130001", no_link) != service_id("130001", a)


def test_link_form():
    page = "https://city.example/plan/?p=48"
    assert link_form(None, page) == (None, "missing")
    assert link_form("/x/", page) == ("https://city.example/x/", "relative")
    assert link_form("/x/", None) == (None, "relative")  # no address: nothing guessed
    assert link_form("https://a.example/案内", page) == (
        "https://a.example/%E6%A1%88%E5%86%85",
        "absolute",
    )


@pytest.mark.parametrize("page", ["https://city.example/plan/?p=48", None])
def test_link_forms_of_a_column_are_link_form_of_each(page):
    links = [None, "/x/", "https://a.example/案内", "https://b.example/", "/案内?q=1"]
    urls, forms = link_forms(pa.array(links, pa.string()), page)
    assert list(zip(urls.to_pylist(), forms.to_pylist(), strict=True)) == [
        link_form(link, page) for link in links
    ]


def test_recapture_with_moved_entries_keeps_ids(raw_copy):
    lines = SNAPSHOT.read_text(encoding="utf-8").split("\n")
    # Move the last entry up two places: the page order changes, entries do not.
    lines = lines[:45] + lines[49:51] + lines[45:49]
    write_snapshot(raw_copy, "\n".join(lines).encode())
    before = {r["service_id"]: r["description_ja"] for r in tables().services.to_pylist()}
    after = {r["service_id"]: r["description_ja"] for r in tables(raw_copy).services.to_pylist()}
    assert before == after


def test_uncurated_entry_and_orphan_curation_name_both_sides(raw_copy):
    text = SNAPSHOT.read_text(encoding="utf-8").replace(
        "https://www.tokyoshigoto.jp/", "https://www.tokyoshigoto.jp/new/"
    )
    write_snapshot(raw_copy, text.encode())
    with pytest.raises(InputError) as err:
        tables(raw_copy)
    assert err.value.path.name == "services.csv"
    assert "snapshot lines 11-12" in err.value.problem
    assert "130001-975b9108d74c4088 (東京都しごとセンター) matches no entry" in err.value.problem


def test_unknown_heading_is_named(raw_copy):
    text = SNAPSHOT.read_text(encoding="utf-8").replace("住居の確保等", "住まいの確保等")
    write_snapshot(raw_copy, text.encode())
    with pytest.raises(InputError) as err:
        tables(raw_copy)
    assert "snapshot line 22: section '住まいの確保等' has no curation row" in err.value.problem
    assert "heading '住居の確保等' matches no section" in err.value.problem


def test_two_entries_with_one_link_are_refused(raw_copy):
    text = SNAPSHOT.read_text(encoding="utf-8").replace(
        "https://www.tokyo-challenge.net/", "https://www.tokyoshigoto.jp/"
    )
    write_snapshot(raw_copy, text.encode())
    with pytest.raises(InputError, match="lines 11-12 and 15-16 get the same id") as err:
        build(raw_copy, raw_copy.parent / "out")
    assert err.value.line == 15


def test_a_built_table_that_breaks_its_schema_is_stopped_by_the_row_checker(built):
    """normalize checks what it built with the engine that checks the published CSVs."""
    import pyarrow as pa
    import pytest

    from reentry_services.errors import SchemaViolation
    from reentry_services.model.readers import read_parquet
    from reentry_services.model.schema import SERVICES
    from reentry_services.stages.normalize import _check_built

    services = read_parquet(built / "dist" / "services.parquet")
    ids = services["service_id"].to_pylist()
    broken = services.set_column(0, "service_id", pa.array([ids[1], *ids[1:]], pa.string()))
    with pytest.raises(SchemaViolation, match=r"service_id repeats a value in row 2, 3"):
        _check_built(SERVICES, broken)
    _check_built(SERVICES, services)  # the real one passes


def test_a_name_the_description_does_not_state_needs_evidence(raw_copy):
    evidence = raw_copy / "curation" / "evidence.csv"
    rows = evidence.read_text(encoding="utf-8").split("\n")
    evidence.write_text(
        "\n".join(r for r in rows if not r.startswith("130001-2ee2f83dacdee45d,name_ja,")),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="社会復帰支援者向けガイドブック") as err:
        tables(raw_copy)
    assert "130001-2ee2f83dacdee45d is not in its description" in err.value.problem
    assert err.value.path.name == "services.csv" and err.value.line == 4
