"""What a researcher types on the loaded tables: each must work and give the right answer.

Runs as a script (`python tests/pandas_everyday.py`) under any pandas the package supports;
test_api runs it in-process and, where CI made one, under pandas 2 as well.
"""

from __future__ import annotations

import csv
import io
import json
import sys

import pandas as pd

import reentry_services as r
from reentry_services.api import release_root


def published_shape(name: str) -> tuple[int, int]:
    """(rows, columns) of a published table, from the release's CSV and its descriptor."""
    root = release_root()
    with (root / "dist" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        rows = sum(1 for _ in csv.DictReader(f))
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == name]
    return rows, len(resource["schema"]["fields"])


def check() -> None:
    services, sections = r.load("services"), r.load("sections")
    assert services.shape == published_shape("services")
    assert sections.shape == published_shape("sections")
    entries = len(services)

    by_type = services.sort_values(["provider_type", "service_id"])
    assert list(by_type["provider_type"].cat.categories)[:2] == ["prefecture", "municipalities"]
    assert by_type["provider_type"].iloc[0] == "prefecture"
    counts = services["resource_type"].value_counts().sort_index()
    assert counts.sum() == entries and counts.index[0] == "plan"
    page = services[services["listed_on_page"]]  # the page's entries, without the additions
    assert 0 < len(page) <= entries
    assert page["source_line_start"].rank().max() == len(page)
    assert services["source_line_start"].isna().sum() == entries - len(page)
    assert services.groupby("section_code")["service_id"].count().sum() == entries
    assert services.groupby("url_form", observed=True).size()["relative"] == 1
    for_supporters = services[services["audience"].str.split(";").map(lambda a: "supporters" in a)]
    assert 0 < len(for_supporters) < entries
    linked = services["link_url"].notna()
    assert services.loc[linked, "link_outcome"].notna().all()  # unchecked is said, never NA
    assert services.loc[~linked, "link_outcome"].isna().all()
    assert services["name_ja"].str.contains("東京").sum() > 0
    assert (page["snapshot_date"] == pd.Timestamp("2026-11-25")).all()
    assert (page["snapshot_date"] < pd.Timestamp("2027-01-01")).all()
    assert services["snapshot_date"].min() == pd.Timestamp("2026-11-25")
    assert services["target_people_ja"].isna().sum() > 0  # empty is missing, not ""

    priorities = sections["national_priority_code"]
    assert priorities.cat.ordered and priorities.max() == "4"  # the highest on the page
    joined = services.merge(sections, on="section_code", suffixes=("", "_section"))
    assert len(joined) == entries and joined["national_priority_code"].notna().sum() > 0

    rows = json.loads(services.to_json(orient="records", force_ascii=False, date_format="iso"))
    assert rows[0]["service_id"] == services["service_id"].iloc[0]
    assert rows[0]["snapshot_date"].startswith("2026-11-25")
    assert services.to_csv(index=False).startswith("service_id,")
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        pass
    else:
        sheet = io.BytesIO()
        services.to_excel(sheet, index=False)
        assert pd.read_excel(sheet).shape == services.shape


if __name__ == "__main__":
    check()
    print(f"pandas {pd.__version__}: everyday operations work", file=sys.stderr)
