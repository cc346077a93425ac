"""Writer of the landing page (dist/index.html) for people who just want the list.

Rendered from assets/page.html.j2 by Jinja2 with autoescape: every value is escaped.
Self-contained: the style and the small filter script are inlined, nothing is fetched.
The page embeds the same JSON-LD document as services.jsonld.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
from markupsafe import Markup

from ...model import metadata
from ...model.records import (
    UNPUBLISHED,
    Publication,
    PublishedFile,
    Source,
    Tables,
    added_count,
    contacts_by_service,
)
from ...model.schema import AUDIENCES, LINK_OUTCOMES
from ...standards.giflayout import phone_numbers
from ...version import VERSION
from ..jsonld import document_text
from .templates import asset, template

# A page for people lists at most this many entries per section (the real page has at most
# 6); a larger list says how many more there are and points to the downloads, and its
# embedded JSON-LD then holds only the entries listed.
PER_SECTION_LIMIT = 200


def write_page(
    tables: Tables,
    source: Source,
    described: list[PublishedFile],
    files: Iterable[PublishedFile],
    path: Path,
    publication: Publication = UNPUBLISHED,
) -> None:
    page = build_page(tables, source, described, files, publication)
    path.write_text(page, encoding="utf-8")


def build_page(
    tables: Tables,
    source: Source,
    described: list[PublishedFile],
    files: Iterable[PublishedFile],
    publication: Publication = UNPUBLISHED,
) -> str:
    """The whole page as HTML text, from the template (every value autoescaped).
    `described` are the files the JSON-LD's Dataset lists, so the embedded document is the
    published one (for the entries listed)."""
    services, sections = tables.services, tables.sections
    listed_rows = _listed(services)
    document = orjson.loads(
        document_text(listed_rows, tables.contact_points, source, described, publication)
    )
    received = source.received.isoformat()
    return _TEMPLATE.render(
        title_ja=metadata.TITLE_JA,
        title_en=metadata.TITLE_EN,
        description_ja=metadata.DESCRIPTION_JA,
        description_en=metadata.DESCRIPTION_EN,
        count=services.num_rows,
        added=added_count(services),
        received=received,
        attribution=source.attribution,
        publisher_en=source.publisher_en,
        rights=metadata.rights_statement(source),
        age=source.age_statement,
        age_ja=source.age_statement_ja,
        maintainers=metadata.MAINTAINERS,
        audiences=AUDIENCES.codes,
        link_checks={c.code: c for c in LINK_OUTCOMES.codes},
        version=VERSION,
        sections=_sections(services, sections, listed_rows),
        contacts=contacts_by_service(tables.contact_points),
        phone_numbers=phone_numbers,
        files=[
            {
                "href": f.path.removeprefix("dist/"),
                "title": f.title,
                "format": f.format,
                "bytes": f.bytes,
                "sha256": f.sha256,
            }
            for f in files
        ],
        css=asset("page.css"),
        script=asset("page.js"),
        json_ld=Markup(_json_for_script(document)),
    )


_TEMPLATE = template("page.html.j2")


def _sections(services: pa.Table, sections: pa.Table, listed_rows: pa.Table) -> list[dict]:
    """Each section in page order, with its listed entries in page order and how many
    more the downloads hold."""
    ordered = sorted(sections.to_pylist(), key=lambda s: s["section_order"])
    tally = services["section_code"].value_counts()
    counts = dict(
        zip(tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True)
    )
    by_section: dict[str, list[dict]] = {s["section_code"]: [] for s in ordered}
    for row in sorted(listed_rows.to_pylist(), key=_page_order):
        by_section[row["section_code"]].append(row)
    return [
        {
            "code": s["section_code"],
            "title": s["section_ja"] or "冒頭（見出しなし）",
            "title_en": s["section_en"],
            "entries": by_section[s["section_code"]],
            "more": counts.get(s["section_code"], 0) - len(by_section[s["section_code"]]),
        }
        for s in ordered
    ]


def _page_order(row: dict) -> tuple[bool, int, str]:
    """Entries in the page's order, then the additions, which the page does not list."""
    return (not row["listed_on_page"], row["source_line_start"] or 0, row["service_id"])


def _listed(services: pa.Table) -> pa.Table:
    """The first PER_SECTION_LIMIT entries of each section on the page (all of them for a
    page of the usual size), in the published order."""
    codes = services["section_code"]
    lines = services["source_line_start"].to_numpy()
    keep = [np.zeros(0, np.int64)]
    for code in pc.unique(codes).to_pylist():
        rows = np.flatnonzero(pc.equal(codes, code).to_numpy(zero_copy_only=False))
        keep.append(rows[np.argsort(lines[rows])][:PER_SECTION_LIMIT])
    return services.take(np.sort(np.concatenate(keep))).sort_by("service_id")


_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _json_for_script(document: dict) -> str:
    """JSON that the HTML parser cannot read as markup: <, >, & (and U+2028, U+2029, which
    old JavaScript parsers end a line at) are written as \\u escapes, which JSON reads
    back as the same strings; outside strings JSON has none of them."""
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text
