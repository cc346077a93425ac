"""Contact points: curated with their evidence, published as a table, shown on the card
with a tel: link, refused when malformed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from reentry_services.errors import InputError
from reentry_services.model.schema import AUDIENCE_NEEDING_CONTACT, CONTACT_POINTS
from reentry_services.pipeline import build


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_each_contact_point_is_a_row_with_its_source_and_dates(built):
    contacts = read(built / "dist" / "contact_points.csv")
    services = read(built / "dist" / "services.csv")
    assert list(contacts.columns) == CONTACT_POINTS.field_names and len(contacts)
    assert set(contacts["service_id"]) <= set(services["service_id"])
    assert (contacts["source"].str.match(r"https?://")).all()
    assert (contacts["date_read"] != "").all()
    shown = contacts[contacts["date_shown"] != ""]
    assert (shown["date_shown"] <= shown["date_read"]).all()
    # a researcher joins them to the resources
    joined = contacts.merge(services, on="service_id", validate="many_to_one")
    assert len(joined) == len(contacts)


def test_no_resource_for_people_is_silently_without_a_contact(built):
    """Each resource says whether it has contact points, was searched in vain for one (as
    of a day, with what was read in the evidence), or was not searched for; only a resource
    not for people and families may be not searched."""
    services = read(built / "dist" / "services.csv").set_index("service_id")
    contacts = read(built / "dist" / "contact_points.csv")
    evidence = read(built / "dist" / "evidence.csv")
    listed = set(contacts["service_id"])
    searched = services["contact_searched_on"] != ""
    expected = [
        "listed" if sid in listed else "none_found" if searched[sid] else "not_searched"
        for sid in services.index
    ]
    assert services["contact_status"].tolist() == expected
    for_people = services["audience"].str.split(";").map(lambda a: AUDIENCE_NEEDING_CONTACT in a)
    assert (services.loc[for_people, "contact_status"] != "not_searched").all()
    read_for = set(evidence.loc[evidence["field"] == "contact_searched_on", "service_id"])
    assert read_for == set(services.index[searched])
    # a researcher lists the resources still without a contact
    unreached = services[services["contact_status"] == "none_found"]
    assert len(unreached) == searched.sum()


def test_a_card_without_contact_points_says_since_when(built):
    services = read(built / "dist" / "services.csv")
    page = (built / "dist" / "index.html").read_text(encoding="utf-8")
    cards = re.split(r'<article class="entry"', page)[1:]
    by_id = {re.search(r'id="([^"]+)"', card).group(1): card for card in cards}
    for row in services.itertuples():
        said = f"公式の情報で確認できていません（{row.contact_searched_on} 時点）"
        assert (said in by_id[row.service_id]) == (row.contact_status == "none_found")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tel: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("tel:"):
            self.tel.append(href)


def test_every_phone_number_is_a_tel_link_on_the_page(built):
    contacts = read(built / "dist" / "contact_points.csv")
    phones = [p for value in contacts["phone"] if value for p in value.split(" / ")]
    parser = _Links()
    parser.feed((built / "dist" / "index.html").read_text(encoding="utf-8"))
    assert sorted(parser.tel) == sorted(f"tel:{p.replace('-', '')}" for p in phones)
    assert all(re.fullmatch(r"tel:0\d{9,10}", t) for t in parser.tel)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("130001-39074755c84e4293,1,", "130001-0000000000000000,1,", "no row in services.csv"),
        (",03-5927-8231,", ",03 5927 8231,", "phone does not match"),
        (",09:00,", ",9:00,", "opens does not match"),
        (",mon;tue;wed;thu;fri,", ",monday,", "days"),
        (",2026-12-06,", ",,", "date_read is empty"),
    ],
)
def test_a_malformed_contact_point_is_refused_with_its_file(raw_copy, tmp_path, old, new, words):
    path = raw_copy / "curation" / "contact-points.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=words) as err:
        build(raw_copy, tmp_path)
    assert err.value.path.name == "contact-points.csv"


def test_hsds_carries_each_phone_and_weekly_schedule(built):
    from reentry_services.model import metadata
    from reentry_services.standards.hsdsspec import HSDS_DAYS

    contacts = read(built / "dist" / "contact_points.csv")
    phones = read(built / "dist" / "hsds" / "phones.csv")
    schedules = read(built / "dist" / "hsds" / "schedules.csv")
    expected = sorted(
        (metadata.stable_uuid("service", c.service_id), number)
        for c in contacts.itertuples()
        if c.phone
        for number in c.phone.split(" / ")
    )
    assert sorted(zip(phones["service_id"], phones["number"], strict=True)) == expected
    timed = contacts[(contacts["days"] != "") | (contacts["opens"] != "")]
    expected_schedules = sorted(
        (
            metadata.stable_uuid("service", c.service_id),
            ",".join(HSDS_DAYS[d] for d in c.days.split(";")) if c.days else "",
            f"{c.opens}:00" if c.opens else "",
            f"{c.closes}:00" if c.closes else "",
        )
        for c in timed.itertuples()
    )
    published = schedules[["service_id", "byday", "opens_at", "closes_at"]]
    assert sorted(published.itertuples(index=False, name=None)) == expected_schedules
    assert (schedules["freq"] == "WEEKLY").all()


def test_the_json_ld_channel_holds_each_phone_and_its_hours(built):
    import json

    import rdflib

    from reentry_services.model import metadata

    schema = rdflib.Namespace("https://schema.org/")
    document = json.loads((built / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    document["@context"] = {"@vocab": "https://schema.org/"}  # offline: no context fetched
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    contacts = read(built / "dist" / "contact_points.csv")
    for c in contacts.itertuples():
        node = rdflib.URIRef(metadata.iri("service", c.service_id))
        points = [
            p
            for channel in graph.objects(node, schema.availableChannel)
            for p in graph.objects(channel, schema.servicePhone)
        ]
        numbers = {str(n) for p in points for n in graph.objects(p, schema.telephone)}
        assert set(c.phone.split(" / ")) <= numbers
        opens = {
            str(o)
            for p in points
            for h in graph.objects(p, schema.hoursAvailable)
            for o in graph.objects(h, schema.opens)
        }
        assert not c.opens or c.opens in opens


def test_hours_in_words_leave_out_what_the_source_does_not_give():
    from reentry_services.stages.normalize import hours_ja

    assert hours_ja("mon;fri", "09:00", "18:00", None) == "月・金 09:00〜18:00"
    assert hours_ja("mon;fri", "09:00", None, "祝日を除く") == "月・金 09:00〜（祝日を除く）"
    assert hours_ja(None, None, None, None) is None
