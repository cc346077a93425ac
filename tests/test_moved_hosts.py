"""Links on hosts a reorganisation moved: marked in the data from moved-hosts.csv, as a
researcher and a reader of the page and of HSDS find them."""

from __future__ import annotations

import pandas as pd
import pytest

from reentry_services.errors import InputError
from reentry_services.model.schema import MOVED_HOSTS
from reentry_services.pipeline import build


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def published(root, name: str) -> pd.DataFrame:
    return read(root / "dist" / name)


def expected_marks(services: pd.DataFrame, moved: pd.DataFrame) -> list[str]:
    """The reorganisation date of the longest listed prefix each link starts with."""
    since = dict(zip(moved["prefix"], moved["since"], strict=True))
    marks = []
    for link in services["link_url"]:
        prefixes = [p for p in since if link.startswith(p)]
        marks.append(since[max(prefixes, key=len)] if link and prefixes else "")
    return marks


def test_every_link_under_a_moved_prefix_is_marked_with_its_date(built):
    services = published(built, "services.csv")
    moved = published(built, "moved_hosts.csv")
    assert list(moved.columns) == MOVED_HOSTS.field_names
    assert (moved["date_read"] != "").all()
    marks = expected_marks(services, moved)
    assert services["link_may_have_moved_since"].tolist() == marks
    assert any(marks), "the release has links on the host Tokyo split in 2023"


def test_the_card_and_hsds_alert_say_the_link_may_have_moved(built):
    services = published(built, "services.csv").set_index("service_id")
    page = (built / "dist" / "index.html").read_text(encoding="utf-8")
    hsds = published(built, "hsds/services.csv")
    alerts = hsds["alert"].tolist()
    for sid, since in services["link_may_have_moved_since"].items():
        if since:
            card = page[page.index(f'id="{sid}"') :].split("</article>")[0]
            assert f"{since}の組織再編で移転した可能性があります" in card
    marked = (services["link_may_have_moved_since"] != "").sum()
    assert sum("組織再編で移転した可能性" in a for a in alerts) == marked


def test_a_current_link_with_evidence_lifts_the_mark(raw_copy, tmp_path):
    services = read(raw_copy / "curation" / "services.csv")
    moved = read(raw_copy / "curation" / "moved-hosts.csv")
    prefix = moved["prefix"].iloc[0]
    sid = next(s for s in services["service_id"] if s.endswith("b5cccb05830cff22"))
    services.loc[services["service_id"] == sid, "url_current"] = "https://example.org/now"
    services.to_csv(raw_copy / "curation" / "services.csv", index=False)
    with (raw_copy / "curation" / "evidence.csv").open("a", encoding="utf-8") as evidence:
        evidence.write(f"{sid},url_current,https://example.org/now,,2026-12-06,the page\n")
    build(raw_copy, tmp_path)
    row = published(tmp_path, "services.csv").set_index("service_id").loc[sid]
    assert row["url"].startswith(prefix) and row["link_may_have_moved_since"] == ""


def test_the_longest_prefix_gives_the_date(raw_copy, tmp_path):
    path = raw_copy / "curation" / "moved-hosts.csv"
    moved = read(path)
    longer = moved.iloc[[0]].assign(prefix=moved["prefix"].iloc[0] + "kodomo/", since="2024-04-01")
    pd.concat([moved, longer]).to_csv(path, index=False)
    build(raw_copy, tmp_path)
    services = published(tmp_path, "services.csv")
    marks = dict(zip(services["link_url"], services["link_may_have_moved_since"], strict=True))
    assert {m for link, m in marks.items() if "/kodomo/" in link} == {"2024-04-01"}
    assert "2023-07-01" in marks.values()


def test_one_prefix_with_two_dates_is_refused(raw_copy, tmp_path):
    path = raw_copy / "curation" / "moved-hosts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace(",2023-07-01,", ",2023-08-01,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        build(raw_copy, tmp_path)
    assert err.value.path.name == "moved-hosts.csv" and "since" in err.value.problem
