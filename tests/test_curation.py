"""Curation: malformed files stop the build with the file, the line and what to do."""

from __future__ import annotations

import csv
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reentry_services.errors import InputError
from reentry_services.stages.curation import read_curation


def edit(raw, name: str, old: str, new: str) -> None:
    path = raw / "curation" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_real_curation_reads():
    from conftest import RAW, RESOURCES, SECTION_ROWS

    curation = read_curation(RAW)
    assert len(curation.services) == RESOURCES
    assert len(curation.sections) == SECTION_ROWS
    assert {d.role for d in curation.paragraphs} == {"standalone", "continuation"}


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "words"),
    [
        ("services.csv", "provider_type,", "provider_kind,", 1, "missing: 'provider_type'"),
        ("services.csv", ",plan,", ",manifesto,", 2, "resource_type is not one of"),
        ("services.csv", ",prefecture,,,plan,", ",,,,plan,", 2, "provider_type is empty"),
        (
            "services.csv",
            ",supporters;local_governments,",
            ",supporters;supporters,",
            2,
            "audience repeats a code",
        ),
        ("evidence.csv", ",page line 1,,2026-11-25,", ",page line 1,,25.11.2026,", 2, "date_read"),
        ("evidence.csv", ",page line 1,,2026-11-25,", ",page line 1,,,", 2, "date_read is empty"),
        (
            "evidence.csv",
            ",page line 1,,2026-11-25,",
            ",page line 1,R6.3.19,2026-11-25,",
            2,
            "date_shown",
        ),
        ("services.csv", ",active,", ",open,", 3, "status is not one of"),
        ("evidence.csv", ",page line 1,", ",the page,", 2, "source does not match"),
        (
            "evidence.csv",
            ",audience,page line 1,",
            ",colour,page line 1,",
            2,
            "field is not one of",
        ),
        ("services.csv", "130001-b241a6e67707c7df,", "130001-XYZ,", 2, "service_id does not match"),
        (
            "services.csv",
            "130001-dab92ac84f41d8f5,",
            "130001-b241a6e67707c7df,",
            3,
            "service_id repeats a value",
        ),
        (
            "sections.csv",
            ",employment,true,Securing employment,1,",
            ",employment,true,Securing employment,9,",
            3,
            "national_priority_code is not one of",
        ),
        ("sections.csv", ",employment,", ",Employment,", 3, "section_code does not match"),
        ("paragraphs.csv", ",standalone,", ",alone,", 2, "role is not one of"),
        ("paragraphs.csv", "role,", "", 1, "missing: 'role'"),
        ("moved-hosts.csv", ",2023-07-01,", ",2023/07/01,", 2, "since"),
        ("moved-hosts.csv", "\nhttps://www.", "\nwww.", 2, "prefix does not match"),
        ("moved-hosts.csv", ",2026-12-06,", ",,", 2, "date_read is empty"),
    ],
)
def test_malformed_curation_is_refused(raw_copy, name, old, new, line, words):
    edit(raw_copy, name, old, new)
    with pytest.raises(InputError) as err:
        read_curation(raw_copy)
    assert err.value.path.name == name
    if line == 1:  # the header
        assert err.value.line == 1 and words in err.value.problem
    else:  # each value named with its line, all in one message
        assert re.search(
            rf"  - {re.escape(words)}.* on line ([0-9]+, )*{line}\b", err.value.problem
        ), err.value.problem


def test_a_missing_curation_file_is_named(raw_copy):
    (raw_copy / "curation" / "sections.csv").unlink()
    with pytest.raises(InputError, match="missing") as err:
        read_curation(raw_copy)
    assert err.value.path.name == "sections.csv"


def test_a_row_of_the_wrong_length_is_named_with_its_line(raw_copy):
    edit(raw_copy, "services.csv", ",prefecture,,,plan,", ",prefecture,,,plan,extra,")
    columns = len((raw_copy / "curation" / "services.csv").read_text().split("\n")[0].split(","))
    with pytest.raises(InputError, match=f"the row has {columns + 1} values, not {columns}") as err:
        read_curation(raw_copy)
    assert err.value.line == 2


def test_blank_rows_are_skipped_and_lines_still_counted(raw_copy):
    path = raw_copy / "curation" / "services.csv"
    header, first, *rest = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([header, "", ",,,,,,,,,,,,,,,", first, *rest]), encoding="utf-8")
    edit(raw_copy, "services.csv", ",plan,", ",manifesto,")
    with pytest.raises(InputError, match="resource_type is not one of") as err:
        read_curation(raw_copy)
    assert err.value.problem.endswith("] on line 4")


def test_values_are_composed_and_trimmed(raw_copy):
    # U+304B U+3099 composes to が; full-width and ASCII spaces around a value go.
    edit(raw_copy, "services.csv", ",東京都,", ",\u3000東京都\u304b\u3099 ,")
    services = read_curation(raw_copy).services
    assert "東京都が" in services.columns["provider_ja"].to_pylist()


def test_csv_delimiters_never_compose_so_the_whole_file_can_be_normalized():
    """NFC of a whole curation file equals NFC of each value only if no comma, quote or
    line break composes with, or reorders around, the characters beside it."""
    for c in map(chr, range(0x110000)):
        if 0xD800 <= ord(c) <= 0xDFFF:
            continue
        for delimiter in ',"\r\n':
            assert unicodedata.normalize("NFC", delimiter + c)[0] == delimiter
            assert unicodedata.normalize("NFC", c + delimiter)[-1] == delimiter


SOUDAN = "https://restanet-tokyo.metro.tokyo.lg.jp/soudan"


def test_a_curated_value_without_evidence_is_refused(raw_copy):
    path = raw_copy / "curation" / "evidence.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(line for line in lines if ",url_current," not in line))
    with pytest.raises(InputError) as err:
        read_curation(raw_copy)
    assert err.value.path.name == "evidence.csv"
    assert f"services.csv line 3: url_current '{SOUDAN[:40]}' has no evidence" in (
        err.value.problem
    )


def set_cell(raw, service_id: str, column: str, value: str) -> None:
    """Set one value of services.csv, the file read and written by the csv module."""
    path = raw / "curation" / "services.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["service_id"] == service_id:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_status_but_active_needs_evidence_and_active_needs_none(raw_copy):
    """`active` is the status without evidence; `closed` on a row whose status nothing
    supports is refused, naming the row."""
    set_cell(raw_copy, "130001-2ee2f83dacdee45d", "status", "closed")
    with pytest.raises(InputError) as err:
        read_curation(raw_copy)
    assert re.search(r"services.csv line \d+: status 'closed' has no evidence", err.value.problem)


@pytest.mark.parametrize(
    ("service_id", "column", "value", "words"),
    [
        ("130001-b241a6e67707c7df", "successor_name_ja", "", "status superseded needs"),
        ("130001-2ee2f83dacdee45d", "successor_url", "https://x.example/", "status active has"),
    ],
)
def test_a_successor_is_given_exactly_when_superseded(raw_copy, service_id, column, value, words):
    set_cell(raw_copy, service_id, column, value)
    with pytest.raises(InputError) as err:
        read_curation(raw_copy)
    assert err.value.path.name == "services.csv" and words in err.value.problem
    assert err.value.line is not None and err.value.line > 1


CHALLENGE_NET = "130001-0c5958da6e047a43"  # for people and families, no contact point
SUPPORT_CENTRE = "130001-39074755c84e4293"  # has a contact point


@pytest.mark.parametrize(
    ("service_id", "value", "words"),
    [
        (CHALLENGE_NET, "", "neither a contact point nor contact_searched_on"),
        (SUPPORT_CENTRE, "2026-12-06", "has contact points and contact_searched_on"),
    ],
)
def test_a_resource_for_people_has_contacts_or_says_when_none_were_found(
    raw_copy, service_id, value, words
):
    """Never silently without a contact: a resource for people and families has contact
    points or the day official sources were searched in vain; never both."""
    set_cell(raw_copy, service_id, "contact_searched_on", value)
    with pytest.raises(InputError) as err:
        read_curation(raw_copy)
    assert err.value.path.name == "services.csv"
    assert service_id in err.value.problem and words in err.value.problem
    assert err.value.line is not None and err.value.line > 1


def test_a_contact_search_without_evidence_is_refused(raw_copy):
    path = raw_copy / "curation" / "evidence.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith(f"{CHALLENGE_NET},contact_searched_on,")]
    assert len(kept) < len(lines)
    path.write_text("\n".join(kept), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_curation(raw_copy)
    assert re.search(
        r"services.csv line \d+: contact_searched_on '2026-12-06' has no evidence",
        err.value.problem,
    )


def test_evidence_about_an_unknown_resource_is_refused(raw_copy):
    edit(
        raw_copy,
        "evidence.csv",
        "130001-b241a6e67707c7df,audience",
        "130001-0000000000000000,audience",
    )
    with pytest.raises(InputError, match="line 2: service_id 130001-0000000000000000 is not in"):
        read_curation(raw_copy)


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("/soudan", "does not match"),  # a path: a current link is a whole address
        ("https://restanet-tokyo.metro.tokyo.lg.jp/so dan", "does not match"),
        ("https://restanet-tokyo.metro.tokyo.lg.jp/so%ZZdan", "a % that starts no percent"),
        ("https://restanet-tokyo.metro.tokyo.lg.jp/\u202esoudan", "invisible character"),
    ],
)
def test_a_curated_current_link_is_a_link(raw_copy, link, words):
    edit(raw_copy, "services.csv", f",{SOUDAN},", f",{link},")
    with pytest.raises(InputError, match=re.escape(words)):
        read_curation(raw_copy)


def test_link_checks_are_optional_and_checked_when_present(raw_copy):
    assert len(read_curation(raw_copy).link_checks) == 0  # no file: nothing checked
    path = raw_copy / "curation" / "link-checks.csv"
    path.write_text(
        "url,checked_on,http_status,final_url,outcome\n"
        f"{SOUDAN},2026-11-30,200,{SOUDAN},ok\n"
        "https://www.tokyoshigoto.jp/,2026-11-30,,,lost\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"outcome is not one of.* on line 3") as err:
        read_curation(raw_copy)
    assert err.value.path.name == "link-checks.csv"


CELL = st.lists(
    st.sampled_from(["a", "東京", " ", "\t", ",", '"', "\n", "\r\n", "\u3000", "\x1c", "x"]),
    max_size=6,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=5), st.booleans())
def test_the_reader_gives_every_row_trimmed_with_the_line_it_ends_on(rows, trailing_newline):
    """Any CSV the csv module writes reads back as its rows, each value trimmed as
    str.strip trims, rows of empty values left out, each with a later line than the last."""
    import csv
    import io
    from pathlib import Path

    from reentry_services.stages.curation import _read_rows

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    text = out.getvalue() if trailing_newline else out.getvalue().rstrip("\n")
    file = _read_rows(Path("file.csv"), text, ["a", "b", "c"])
    found = list(zip(*(file.columns[n].to_pylist() for n in "abc"), strict=True))
    assert found == [tuple(v.strip() for v in row) for row in rows if any(row)]
    assert file.lines == sorted(set(file.lines)) and all(line > 1 for line in file.lines)
