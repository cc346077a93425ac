"""Curation: malformed files stop the build with the file, the line and what to do."""

from __future__ import annotations

import pytest

from reentry_services.curation import read_curation
from reentry_services.errors import InputError


def edit(raw, name: str, old: str, new: str) -> None:
    path = raw / "curation" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_real_curation_reads():
    from conftest import RAW

    curation = read_curation(RAW)
    assert len(curation.services) == 22
    assert len(curation.sections) == 7
    assert {d.role for d in curation.paragraphs} == {"standalone", "continuation"}


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "words"),
    [
        ("services.csv", "provider_type,", "provider_kind,", 1, "missing ['provider_type']"),
        ("services.csv", ",plan,", ",manifesto,", 2, "not a known code"),
        ("services.csv", ",prefecture,plan,", ",,plan,", 2, "provider_type is empty"),
        ("services.csv", "130001-b241a6e67707c7df,", "130001-XYZ,", 2, "does not match"),
        ("services.csv", "130001-dab92ac84f41d8f5,", "130001-b241a6e67707c7df,", 3,
         "on lines 2 and 3"),
        ("sections.csv", ",employment,Securing employment,1,", ",employment,Securing employment,9,",
         3, "not a known code"),
        ("sections.csv", ",employment,", ",Employment,", 3, "does not match"),
        ("paragraphs.csv", ",standalone,", ",alone,", 2, "not a known code"),
        ("paragraphs.csv", "role,", "", 1, "missing ['role']"),
    ],
)
def test_malformed_curation_is_refused(raw_copy, name, old, new, line, words):
    edit(raw_copy, name, old, new)
    with pytest.raises(InputError) as err:
        read_curation(raw_copy)
    assert err.value.path.name == name
    assert err.value.line == line
    assert words in err.value.problem


def test_a_missing_curation_file_is_named(raw_copy):
    (raw_copy / "curation" / "sections.csv").unlink()
    with pytest.raises(InputError, match="missing") as err:
        read_curation(raw_copy)
    assert err.value.path.name == "sections.csv"
