"""Resources the page does not list, added in the curation: kept apart in every output, as
a researcher, a referral tool and a reader of the page find them."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import rdflib
from conftest import ADDED, ENTRIES, REPO, RESOURCES

from reentry_services.errors import InputError
from reentry_services.model import metadata
from reentry_services.pipeline import build
from reentry_services.standards.giflayout import ADDED_KEYWORD

SCHEMA = rdflib.Namespace("https://schema.org/")


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def added_ids(raw) -> set[str]:
    return set(read(raw / "curation" / "additions.csv")["service_id"])


def test_one_column_tells_the_page_s_entries_from_the_additions(built, raw_copy):
    services = read(built / "dist" / "services.csv")
    additions = services[services["listed_on_page"] == "false"]
    assert set(additions["service_id"]) == added_ids(raw_copy) and len(additions) == ADDED
    assert (services["listed_on_page"] == "true").sum() == ENTRIES
    lineage = ["source_line_start", "source_line_end", "snapshot_date", "url_form", "url"]
    assert (additions[lineage] == "").all().all()
    assert (services.loc[services["listed_on_page"] == "true", lineage[:-1]] != "").all().all()


def test_every_value_an_addition_gives_has_evidence(built):
    services = read(built / "dist" / "services.csv")
    evidence = read(built / "dist" / "evidence.csv")
    supported = set(zip(evidence["service_id"], evidence["field"], strict=True))
    for row in services[services["listed_on_page"] == "false"].itertuples():
        given = ["section_code", "description_ja", "audience"]
        given += ["url_current"] if row.url_current else []
        for field in given:
            assert (row.service_id, field) in supported, (row.service_id, field)


def test_the_page_and_the_readme_count_each_kind(built):
    page = (built / "dist" / "index.html").read_text(encoding="utf-8")
    assert f"掲載{ENTRIES}件" in page and f"窓口の追加{ADDED}件" in page
    assert page.count("東京都のページには掲載がありません") == ADDED
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"({RESOURCES}: {ENTRIES} the page lists, {ADDED} added)" in readme
    assert f"{ENTRIES} resources come from Tokyo's page; {ADDED} are added" in readme


def test_hsds_the_json_ld_and_gif_say_which_resources_are_additions(built, raw_copy):
    added = added_ids(raw_copy)
    hsds = json.loads((built / "dist" / "hsds" / "services.json").read_text(encoding="utf-8"))
    listing = {
        s["id"]: {a["taxonomy_term"]["code"] for a in s["attributes"]}
        & {
            "listing:page",
            "listing:addition",
        }
        for s in hsds
    }
    expected = {metadata.stable_uuid("service", sid): {"listing:addition"} for sid in added}
    assert {k: v for k, v in listing.items() if v == {"listing:addition"}} == expected
    assert all(v in ({"listing:page"}, {"listing:addition"}) for v in listing.values())

    document = json.loads((built / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    document["@context"] = {"@vocab": "https://schema.org/"}
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    page = rdflib.URIRef(metadata.source_page_iri())
    assert (None, SCHEMA.isBasedOn, page) in graph  # the dataset's source page
    about = {str(s) for s in graph.subjects(SCHEMA.subjectOf, page)}
    services = read(built / "dist" / "services.csv")
    listed = services.loc[services["listed_on_page"] == "true", "service_id"]
    assert about == {metadata.iri("service", sid) for sid in listed}

    gif = read(built / "dist" / "gif" / "services.csv")
    marked = gif.loc[gif["キーワード"].str.contains(ADDED_KEYWORD, regex=False), "ID"]
    assert set(marked) == added


def change_first_addition(raw, column: str, value: str) -> None:
    """Set a column of the first addition; a new id takes the addition's own evidence."""
    path = raw / "curation" / "additions.csv"
    additions = read(path)
    old = additions.loc[0, "service_id"]
    additions.loc[0, column] = value
    additions.to_csv(path, index=False)
    if column == "service_id":
        path = raw / "curation" / "evidence.csv"
        evidence = read(path)
        own = (evidence["service_id"] == old) & evidence["field"].isin(additions.columns)
        evidence.loc[own, "service_id"] = value
        evidence.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("section_code", "elderly_disabled", None),  # as it is: it builds
        ("section_code", "nowhere", "not in sections.csv"),
        ("service_id", "130001-0c5958da6e047a43", "is an entry of the page"),
        ("service_id", "130001-0000000000000000", "no row in services"),
    ],
)
def test_a_wrong_addition_is_refused_with_its_line(raw_copy, tmp_path, column, value, words):
    change_first_addition(raw_copy, column, value)
    if words is None:
        assert build(raw_copy, tmp_path).startswith(f"built {RESOURCES} services")
        return
    with pytest.raises(InputError, match=words) as err:
        build(raw_copy, tmp_path)
    assert err.value.path.name == "additions.csv" and err.value.line == 2


def test_an_addition_s_description_without_evidence_is_refused(raw_copy, tmp_path):
    path = raw_copy / "curation" / "evidence.csv"
    evidence = read(path)
    ids = added_ids(raw_copy)
    keep = ~(evidence["service_id"].isin(ids) & (evidence["field"] == "description_ja"))
    evidence[keep].to_csv(path, index=False)
    with pytest.raises(InputError, match=r"additions\.csv line 2: description_ja"):
        build(raw_copy, tmp_path)


def test_a_page_heading_marked_as_added_is_refused(raw_copy, tmp_path):
    path = raw_copy / "curation" / "sections.csv"
    text = path.read_text(encoding="utf-8")
    assert "就労の確保等,employment,true," in text
    path.write_text(text.replace("就労の確保等,employment,true,", "就労の確保等,employment,false,"))
    with pytest.raises(InputError, match="is on the page, yet listed_on_page is false") as err:
        build(raw_copy, tmp_path)
    assert err.value.path.name == "sections.csv"


def test_an_added_section_follows_the_page_s_without_lines(built):
    sections = read(built / "dist" / "sections.csv").sort_values("section_order", key=pd.to_numeric)
    added = sections[sections["listed_on_page"] == "false"]
    assert len(added) and (added[["source_line_start", "source_line_end"]] == "").all().all()
    assert list(sections["listed_on_page"]) == ["true"] * (len(sections) - len(added)) + [
        "false"
    ] * len(added)
