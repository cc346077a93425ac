"""A resource's status and its evidence, as a reader of each output finds them: the
evidence table with both dates, the page's card, the JSON-LD read by rdflib."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import rdflib

from reentry_services.model import metadata
from reentry_services.model.schema import EVIDENCE, SCHEMAORG_WORK_TYPES
from reentry_services.pipeline import build

SCHEMA = rdflib.Namespace("https://schema.org/")


def services_of(built: Path) -> pd.DataFrame:
    return pd.read_csv(built / "dist" / "services.csv", dtype=str, keep_default_na=False)


def test_the_evidence_table_says_which_date_the_source_shows_and_when_it_was_read(built):
    evidence = pd.read_csv(built / "dist" / "evidence.csv", dtype=str, keep_default_na=False)
    assert list(evidence.columns) == EVIDENCE.field_names
    assert (evidence["date_read"] != "").all()
    # the snapshot shows no date of its own; it was read the day it was received
    lines = evidence[evidence["source"].str.startswith("page line")]
    assert (lines["date_shown"] == "").all() and len(lines)
    shown = evidence[evidence["date_shown"] != ""]
    assert len(shown) and (shown["date_shown"] <= shown["date_read"]).all()
    # a researcher joins it to the services on its key
    joined = evidence.merge(services_of(built), on="service_id", validate="many_to_one")
    assert len(joined) == len(evidence)


def test_every_status_but_active_and_every_successor_has_evidence(built):
    services = services_of(built)
    evidence = pd.read_csv(built / "dist" / "evidence.csv", dtype=str, keep_default_na=False)
    supported = set(zip(evidence["service_id"], evidence["field"], strict=True))
    changed = services[services["status"] != "active"]
    assert len(changed), "the release has a resource that is not active (the first plan)"
    for row in changed.itertuples():
        assert (row.service_id, "status") in supported
        if row.status == "superseded":
            assert row.successor_name_ja and row.successor_url.startswith("https://")
            assert {(row.service_id, "successor_name_ja"), (row.service_id, "successor_url")} <= (
                supported
            )


class _Articles(HTMLParser):
    """The text and links of each card (article) of the page, by its id."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict[str, list[str]]] = {}
        self.current: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article":
            self.current = attributes["id"]
            self.cards[self.current] = {"text": [], "links": []}
        elif tag == "a" and self.current:
            self.cards[self.current]["links"].append(attributes.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "article":
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.cards[self.current]["text"].append(data)


def test_a_superseded_resource_s_card_links_its_successor(built):
    parser = _Articles()
    parser.feed((built / "dist" / "index.html").read_text(encoding="utf-8"))
    for row in services_of(built).itertuples():
        card = parser.cards[row.service_id]
        text = "".join(card["text"])
        if row.status == "superseded":
            assert "後継に置き換えられています" in text and row.successor_name_ja in text
            assert row.successor_url in card["links"]
        else:
            assert "後継" not in text


def test_the_json_ld_states_each_status_in_schema_org_terms(built):
    document = json.loads((built / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    document["@context"] = {"@vocab": "https://schema.org/"}  # offline: no context fetched
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    for row in services_of(built).itertuples():
        node = rdflib.URIRef(metadata.iri("service", row.service_id))
        statuses = {str(o) for o in graph.objects(node, SCHEMA.creativeWorkStatus)}
        offers = list(graph.objects(node, SCHEMA.offers))
        if row.resource_type in SCHEMAORG_WORK_TYPES:
            assert statuses == {row.status}
        else:
            availability = {
                str(o) for offer in offers for o in graph.objects(offer, SCHEMA.availability)
            }
            discontinued = {"https://schema.org/Discontinued"} if row.status != "active" else set()
            assert availability == discontinued


def test_a_closed_service_is_defunct_in_hsds_and_discontinued_in_the_json_ld(raw_copy, tmp_path):
    """The status a curator gives, with its evidence, reaches the standards' terms."""
    services = raw_copy / "curation" / "services.csv"
    text = services.read_text(encoding="utf-8")
    closed = "130001-0c5958da6e047a43"  # TOKYOチャレンジネット, a service
    line = next(x for x in text.splitlines() if x.startswith(closed))
    services.write_text(text.replace(line, line.replace(",active,", ",closed,")), "utf-8")
    with (raw_copy / "curation" / "evidence.csv").open("a", encoding="utf-8") as evidence:
        evidence.write(f"{closed},status,https://example.org/closed,2026-01-01,2026-12-06,ended\n")
    build(raw_copy, tmp_path)
    hsds = pd.read_csv(tmp_path / "dist" / "hsds" / "services.csv", dtype=str)
    row = hsds[hsds["id"] == metadata.stable_uuid("service", closed)].iloc[0]
    assert row["status"] == "defunct" and row["alert"].startswith("終了しています。")
    test_the_json_ld_states_each_status_in_schema_org_terms(tmp_path)


def test_gif_keywords_state_every_status_but_active(built):
    from reentry_services.model.schema import STATUSES
    from reentry_services.standards.giflayout import STATUS_KEYWORDS

    assert set(STATUS_KEYWORDS) == set(STATUSES.values) - {"active"}
    gif = pd.read_csv(built / "dist" / "gif" / "services.csv", dtype=str, keep_default_na=False)
    keywords = dict(zip(gif["ID"], gif["キーワード"].str.split(";"), strict=True))
    for row in services_of(built).itertuples():
        stated = [k for k in keywords[row.service_id] if k in STATUS_KEYWORDS.values()]
        assert stated == ([STATUS_KEYWORDS[row.status]] if row.status != "active" else [])
