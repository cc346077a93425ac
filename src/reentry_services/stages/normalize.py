"""Normalize: the page's sections and entries, joined with the curation, into the tidy tables.

Every entry must meet exactly one curation row and every curation row one entry, so a
re-captured page cannot drift silently. The tables are built and checked by the schema.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import urljoin

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..arrowio import ascii_rows, digests, empty_as_null, hex_digits, lookup
from ..errors import InputError, SchemaViolation, listing
from ..model.records import (
    Curation,
    CurationFile,
    Entries,
    Entry,
    Page,
    Section,
    SectionCuration,
    Tables,
)
from ..model.schema import (
    AUDIENCES,
    CONTACT_POINTS,
    DAYS,
    EVIDENCE,
    GIF_CONCERNS,
    GIF_SERVICE_TYPES,
    LIST_SEPARATOR,
    MOVED_HOSTS,
    NATIONAL_PRIORITIES,
    SECTIONS,
    SERVICES,
    TABLES,
    CodeList,
    Table,
)
from ..model.textrules import as_uri
from ..standards import tableschema


def service_ids(jurisdiction_code: str, entries: Entries) -> pa.Array:
    """The stable ids: jurisdiction code + SHA-256 of the link as published, or of the first
    paragraph when the page gives no link. Row order and the other text play no part."""
    no_link = pc.is_null(entries.link)
    first_paragraphs = pc.list_element(entries.paragraphs.filter(no_link), 0)
    keys = pc.replace_with_mask(entries.link, no_link, first_paragraphs)
    digits = ascii_rows(hex_digits(digests(keys, hashlib.sha256)[:, :8]))
    return pc.binary_join_element_wise(f"{jurisdiction_code}-", digits, "")


def service_id(jurisdiction_code: str, entry: Entry) -> str:
    """The stable id of one entry (see service_ids)."""
    return service_ids(jurisdiction_code, Entries.of_rows([entry]))[0].as_py()


def link_forms(links: pa.Array, page_url: str | None) -> tuple[pa.Array, pa.Array]:
    """(url, url_form) of each link, as link_form gives them; an absolute ASCII link is
    its own url, so link_form is called for the others only."""
    relative = pc.starts_with(links, "/")
    form = pc.if_else(pc.is_null(links), "missing", pc.if_else(relative, "relative", "absolute"))
    other = pc.fill_null(pc.or_(relative, pc.invert(pc.string_is_ascii(links))), False)
    urls = [link_form(link, page_url)[0] for link in links.filter(other).to_pylist()]
    return pc.replace_with_mask(links, other, pa.array(urls, pa.string())), form


def link_form(link: str | None, page_url: str | None) -> tuple[str | None, str]:
    """(url, url_form): an absolute link as a URI (characters beyond ASCII percent-encoded);
    a path on the page's site resolved against the page's recorded address, and only
    against it (no address, no url); nothing is guessed."""
    if link is None:
        return None, "missing"
    if link.startswith("/"):
        return (as_uri(urljoin(page_url, link)) if page_url else None), "relative"
    return as_uri(link), "absolute"


def normalize(page: Page, curation: Curation) -> Tables:
    """Build the tables (schema.TABLES) from the parsed page and the curation: the page's
    entries and the curation's additions, the sections, the evidence, the moved hosts, the
    contact points."""
    sections = _match_sections(page, curation.sections)
    ids = _assign_ids(page)
    added = _match_additions(curation, ids)
    rows = _match_services(page, ids, curation.services, curation.additions)
    columns = _service_columns(page, ids, curation.services, rows, sections)
    headings = {row.section_code: row.heading_ja for row in curation.sections}
    extra = _addition_columns(page, curation, added, headings)
    columns = {name: _joined(column, extra[name]) for name, column in columns.items()}
    rows = _joined(rows, added)
    _check_names_evidenced(curation, rows, columns)
    _check_links_known(curation.link_checks, [columns["url"], columns["link_url"]])
    columns |= _link_columns(columns["link_url"], curation.link_checks)
    columns["link_may_have_moved_since"] = _moved_since(columns["link_url"], curation.moved_hosts)
    columns["contact_status"] = _contact_status(
        columns["service_id"], columns["contact_searched_on"], curation.contact_points
    )
    tables = Tables(
        sections=SECTIONS.build(
            _columns(SECTIONS.field_names, _section_rows(page.sections, sections, curation))
        ),
        services=SERVICES.build(columns),
        evidence=EVIDENCE.build(_nonempty(curation.evidence)),
        moved_hosts=MOVED_HOSTS.build(_nonempty(curation.moved_hosts)),
        contact_points=CONTACT_POINTS.build(_contact_columns(curation.contact_points)),
    )
    for schema in TABLES:
        _check_built(schema, getattr(tables, schema.name))
    return tables


def _joined(first: pa.Array | pa.ChunkedArray, second: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Two columns one after the other, in the first one's type."""
    head = first.combine_chunks() if isinstance(first, pa.ChunkedArray) else first
    tail = second.combine_chunks() if isinstance(second, pa.ChunkedArray) else second
    return pa.concat_arrays([head, tail.cast(head.type)])


def _nonempty(curated: CurationFile) -> dict[str, pa.Array]:
    """A curation file's columns as a table's, an empty cell as no value."""
    return {name: empty_as_null(column) for name, column in curated.columns.items()}


def _contact_columns(contacts: CurationFile) -> dict[str, pa.Array]:
    """The contact points' columns, with their days and hours in words (hours_ja)."""
    columns = _nonempty(contacts)
    names = ("days", "opens", "closes", "hours_note_ja")
    parts = zip(*(columns[n].to_pylist() for n in names), strict=True)
    return columns | {"hours_ja": pa.array([hours_ja(*p) for p in parts], pa.string())}


def hours_ja(
    days: str | None, opens: str | None, closes: str | None, note: str | None
) -> str | None:
    """A contact point's days and times in words: 月・火・水・木・金 09:00〜18:00（祝日を除く）;
    a time the source does not give is left blank (09:00〜)."""
    labels = "・".join(DAYS[d].ja for d in days.split(LIST_SEPARATOR)) if days else ""
    times = f"{opens or ''}〜{closes or ''}" if opens or closes else ""
    text = " ".join(part for part in (labels, times) if part) + (f"（{note}）" if note else "")
    return text or None


def _check_built(schema: Table, table: pa.Table) -> None:
    """The built table against its Table Schema, by the row checker that checks the
    curation and the published CSVs: the table as its CSV will hold it."""
    as_text = pa.table([pc.cast(c, pa.string()) for c in table.columns], names=table.column_names)
    problems = list(tableschema.check_table(as_text, schema.to_table_schema()))
    if problems:
        raise SchemaViolation(f"table {schema.name}: " + "; ".join(problems))


def _match_sections(page: Page, rows: Sequence[SectionCuration]) -> dict[int, SectionCuration]:
    """Curation row of each section of the page (by order), matched on the heading text;
    a row for a section the curation adds must not name one of the page's."""
    by_heading = {row.heading_ja: row for row in rows if row.listed_on_page}
    headings = {s.heading for s in page.sections}
    unmatched = [s for s in page.sections if s.heading not in by_heading]
    unused = [row for row in rows if (row.heading_ja in headings) != row.listed_on_page]
    if unmatched or unused:
        lines = [
            f"snapshot line {page.physical(s.heading_line or s.line_start)}: section "
            f"{s.heading or '(untitled opening)'!r} has no curation row"
            for s in unmatched
        ]
        lines += [
            f"curation line {row.line}: heading {row.heading_ja or '(empty)'!r} "
            + (
                "matches no section of the page"
                if row.listed_on_page
                else "is on the page, yet listed_on_page is false"
            )
            for row in unused
        ]
        raise InputError(
            rows[0].path if rows else page.source.snapshot_path,
            "sections and their curation do not match:\n" + listing(lines),
            "if a heading was reworded, update heading_ja in its row; add a row for a new "
            "section; delete the row of a section the page no longer has",
        )
    return {s.order: by_heading[s.heading] for s in page.sections}


def _assign_ids(page: Page) -> pa.Array:
    ids = service_ids(page.source.jurisdiction_code, page.entries)
    if pc.count_distinct(ids).as_py() == len(ids):
        return ids
    first: dict[str, int] = {}
    for i, sid in enumerate(ids.to_pylist()):
        if sid in first:
            raise InputError(
                page.source.snapshot_path,
                f"the entries at lines {_lines(page, first[sid])} and {_lines(page, i)} get the "
                f"same id {sid}: they share their "
                "link (or, without links, their first paragraph)",
                "if the page lists one resource twice, check the capture; the id rule keys on "
                "the link, so two resources behind one link need a change of the rule",
                line=page.physical(page.entries[i].line_start),
            )
        first[sid] = i
    raise AssertionError("count_distinct found a repeated id that no row repeats")


def _lines(page: Page, i: int) -> str:
    """Entry i's lines in the snapshot file, as the maintainer's editor numbers them."""
    entry = page.entries[i]
    return f"{page.physical(entry.line_start)}-{page.physical(entry.line_end)}"


def _match_services(
    page: Page, ids: pa.Array, curated: CurationFile, additions: CurationFile
) -> pa.Array:
    """The curation row of each entry (its index), in page order; both sides must match
    one to one, the additions apart."""
    curated_ids = curated.columns["service_id"]
    rows = pc.index_in(ids, value_set=curated_ids)
    listed = pa.concat_arrays([ids, additions.columns["service_id"]])
    unused = pc.invert(pc.is_in(curated_ids, value_set=listed))
    if rows.null_count or pc.any(unused).as_py():
        lines = [
            f"snapshot lines {_lines(page, i)} (id {ids[i].as_py()}, "
            f"{page.entries[i].paragraphs[0][:30]!r}…) have no curation row"
            for i in np.flatnonzero(rows.is_null().to_numpy(zero_copy_only=False)).tolist()
        ]
        lines += [
            f"curation line {curated.lines[i]}: id {curated_ids[i].as_py()} "
            f"({curated.columns['name_ja'][i].as_py()}) matches no entry"
            for i in np.flatnonzero(unused.to_numpy(zero_copy_only=False))
        ]
        raise InputError(
            curated.path if len(curated) else page.source.snapshot_path,
            "entries and their curation do not match:\n" + listing(lines),
            "an id changes when an entry's link (or, without a link, its first paragraph) "
            "changes: if a listed row is the same resource, set its service_id to the new id; "
            "add rows for new entries; delete rows of entries the page no longer lists",
        )
    return rows


def _match_additions(curation: Curation, ids: pa.Array) -> pa.Array:
    """The services.csv row of each addition (its index, the curation has checked there is
    one), in additions.csv order. An addition is not an entry of the page and names a
    section of sections.csv."""
    additions, services = curation.additions, curation.services
    added = additions.columns["service_id"]
    rows = pc.index_in(added, value_set=services.columns["service_id"])
    on_page = set(ids.to_pylist())
    codes = {row.section_code for row in curation.sections}
    for i, (sid, code) in enumerate(
        zip(added.to_pylist(), additions.columns["section_code"].to_pylist(), strict=True)
    ):
        problem = None
        if sid in on_page:
            problem = "is an entry of the page: only a resource the page does not list is added"
        elif code not in codes:
            problem = f"names section {code!r}, which is not in sections.csv"
        if problem:
            raise InputError(
                additions.path,
                f"{sid} {problem}",
                "an addition is a resource official pages name and the page does not list: "
                "give it a services.csv row, a section of sections.csv, and evidence",
                line=additions.lines[i],
            )
    return rows


def _columns(field_names: list[str], rows: Iterable[dict]) -> dict[str, list]:
    """Rows (dicts by field name) turned into columns."""
    rows = list(rows)
    return {name: [row[name] for row in rows] for name in field_names}


def _section_rows(
    sections: Sequence[Section], curated: dict[int, SectionCuration], curation: Curation
) -> Iterator[dict]:
    """The page's sections with their curation rows, then the sections the curation adds
    (in sections.csv order, after the page's, without lines)."""
    for s in sections:
        yield _section_row(curated[s.order], s.order) | {
            "section_ja": s.heading,
            "heading_line": s.heading_line,
            "source_line_start": s.line_start,
            "source_line_end": s.line_end,
        }
    added = [row for row in curation.sections if not row.listed_on_page]
    for order, row in enumerate(added, start=len(sections) + 1):
        yield _section_row(row, order) | {
            "section_ja": row.heading_ja,
            "heading_line": None,
            "source_line_start": None,
            "source_line_end": None,
        }


def _section_row(row: SectionCuration, order: int) -> dict:
    """What a section's curation row gives it, and its order."""
    code = row.national_priority_code
    priority = NATIONAL_PRIORITIES[code] if code else None
    return {
        "section_code": row.section_code,
        "section_order": order,
        "section_en": row.section_en,
        "listed_on_page": row.listed_on_page,
        "national_priority_code": code,
        "national_priority_ja": priority.ja if priority else None,
        "national_priority_en": priority.en if priority else None,
    }


def _service_columns(
    page: Page,
    ids: pa.Array,
    curated: CurationFile,
    rows: pa.Array,
    sections: dict[int, SectionCuration],
) -> dict[str, pa.Array]:
    """The services table's columns for the page's entries: each entry with its curation
    row (`rows`) and its section, column by column."""
    source, entries, count = page.source, page.entries, len(ids)
    section_of = [sections.get(order) for order in range(max(sections, default=0) + 1)]
    urls, url_forms = link_forms(entries.link, source.page_url)
    columns = _resource_columns(
        page,
        curated,
        rows,
        section_codes=_of_section(section_of, "section_code", entries.section_order),
        descriptions=pc.binary_join(entries.paragraphs, "\n"),
    )
    return columns | {
        "section_ja": _of_section(section_of, "heading_ja", entries.section_order),
        "url_as_published": entries.link,
        "url_form": url_forms,
        "url": urls,
        "link_url": pc.coalesce(columns["url_current"], urls),
        "listed_on_page": pa.repeat(pa.scalar(True), count),
        "source_line_start": entries.line_start,
        "source_line_end": entries.line_end,
        "snapshot_date": pa.repeat(pa.scalar(source.received, pa.date32()), count),
    }


def _addition_columns(
    page: Page, curation: Curation, rows: pa.Array, headings: dict[str, str | None]
) -> dict[str, pa.Array]:
    """The services table's columns for the additions: resources the page does not list,
    with the section and description additions.csv gives them; no page link, no lines."""
    additions, count = curation.additions.columns, len(rows)
    columns = _resource_columns(
        page,
        curation.services,
        rows,
        section_codes=additions["section_code"],
        descriptions=additions["description_ja"],
    )
    nothing = pa.nulls(count, pa.string())
    return columns | {
        "section_ja": pa.array([headings[c] for c in additions["section_code"].to_pylist()]),
        "url_as_published": nothing,
        "url_form": nothing,
        "url": nothing,
        "link_url": columns["url_current"],
        "listed_on_page": pa.repeat(pa.scalar(False), count),
        "source_line_start": pa.nulls(count, pa.int64()),
        "source_line_end": pa.nulls(count, pa.int64()),
        "snapshot_date": pa.nulls(count, pa.date32()),
    }


def _resource_columns(
    page: Page,
    curated: CurationFile,
    rows: pa.Array,
    section_codes: pa.Array,
    descriptions: pa.Array,
) -> dict[str, pa.Array]:
    """The columns every resource has, from its services.csv row (`rows`), its section
    and its description."""
    count = len(rows)
    picked = {name: values.take(rows) for name, values in curated.columns.items() if name != "note"}
    quoted, named = _contained([picked["target_people_ja"], picked["name_ja"]], descriptions)
    _check_quoted(curated, rows, picked["target_people_ja"], quoted)
    curated_columns = {  # passed through; empty is no value
        f.name: empty_as_null(picked[f.name])
        for f in SERVICES.fields
        if f.curated_in == "services.csv"
    }
    return {
        "service_id": picked["service_id"],
        "jurisdiction_code": pa.repeat(pa.scalar(page.source.jurisdiction_code), count),
        "jurisdiction_name": pa.repeat(pa.scalar(page.source.jurisdiction_name), count),
        "section_code": section_codes,
        **curated_columns,
        "name_ja_in_description": named,
        "gif_service_type_ja": lookup(
            picked["gif_service_type"], {c.code: c.ja for c in GIF_SERVICE_TYPES.codes}
        ),
        "gif_concerns_ja": _labels_ja(picked["gif_concerns"], GIF_CONCERNS),
        "audience_ja": _labels_ja(picked["audience"], AUDIENCES),
        "description_ja": descriptions,
    }


def _contained(columns: list[pa.Array], texts: pa.Array, batch: int = 1 << 16) -> list[pa.Array]:
    """For each of `columns`, whether each text contains its value; a batch of rows at a
    time, so that a batch's strings, not all of them, are Python objects at once, and each
    text is made a Python string once."""
    found: list[list[bool]] = [[] for _ in columns]
    for start in range(0, len(texts), batch):
        some = texts[start : start + batch].to_pylist()
        for column, result in zip(columns, found, strict=True):
            parts = column[start : start + batch].to_pylist()
            result += [part in text for part, text in zip(parts, some, strict=True)]
    return [pa.array(result, pa.bool_()) for result in found]


def _of_section(
    section_of: list[SectionCuration | None], attribute: str, orders: pa.Array
) -> pa.Array:
    """An attribute of each entry's section's curation row (by section order)."""
    values = [getattr(row, attribute) if row else None for row in section_of]
    return pa.array(values, pa.string()).take(orders)


def _labels_ja(values: pa.Array, codes: CodeList) -> pa.Array:
    """The Japanese labels of lists of codes, joined as the codes are."""
    return lookup(
        values,
        {
            value: LIST_SEPARATOR.join(codes[c].ja for c in value.split(LIST_SEPARATOR))
            for value in pc.unique(values).to_pylist()
        },
    )


def _link_columns(links: pa.Array, checks: CurationFile) -> dict[str, pa.Array]:
    """What link-checks.csv recorded for each presented link: unchecked where it has no
    row, nothing where there is no link."""
    checked = checks.columns["url"]
    row = pc.index_in(links, value_set=checked)
    unchecked = pc.and_(pc.is_valid(links), pc.is_null(row))
    outcome = pc.take(checks.columns["outcome"], row)
    return {
        "link_checked_on": pc.take(checks.columns["checked_on"], row),
        "link_outcome": pc.if_else(unchecked, "unchecked", outcome),
        "link_final_url": empty_as_null(pc.take(checks.columns["final_url"], row)),
    }


def _moved_since(links: pa.Array, moved: CurationFile) -> pa.Array:
    """For each link, the date of the reorganisation that moved the longest address prefix
    it starts with (moved-hosts.csv); null where none applies."""
    since = pa.nulls(len(links), pa.string())
    by_length = sorted(
        zip(moved.columns["prefix"].to_pylist(), moved.columns["since"].to_pylist(), strict=True),
        key=lambda row: len(row[0]),
    )
    for prefix, date in by_length:  # a longer prefix, applied later, wins
        since = pc.if_else(pc.fill_null(pc.starts_with(links, prefix), False), date, since)
    return pc.cast(since, pa.date32())


def _contact_status(
    service_ids: pa.Array, searched_on: pa.Array, contacts: CurationFile
) -> pa.Array:
    """listed where a resource has contact points, none_found where official sources were
    searched for one in vain, not_searched otherwise (see CONTACT_STATUSES)."""
    listed = pc.is_in(service_ids, contacts.columns["service_id"])
    searched = pc.if_else(pc.is_valid(searched_on), "none_found", "not_searched")
    return pc.if_else(listed, "listed", searched)


def _check_links_known(checks: CurationFile, links: list[pa.Array]) -> None:
    """Every row of link-checks.csv is about a link of this release (published or current)."""
    known = pa.concat_arrays([a.drop_null() for a in links])
    stale = pc.invert(pc.is_in(checks.columns["url"], value_set=known))
    if pc.any(stale).as_py():
        raise InputError(
            checks.path,
            "rows about links this release does not have:\n"
            + listing(
                [
                    f"line {checks.lines[i]}: {checks.columns['url'][i].as_py()}"
                    for i in np.flatnonzero(stale.to_numpy(zero_copy_only=False))
                ]
            ),
            "run check-links again after a re-capture or a change of url_current (it "
            "rewrites the file), or delete these rows",
        )


def _check_names_evidenced(curation: Curation, rows: pa.Array, columns: dict) -> None:
    """A name_ja the description does not state is a curators' name or an official one:
    either way its evidence row says where it comes from."""
    ids = columns["service_id"]
    unsupported = pc.invert(
        pc.or_(columns["name_ja_in_description"], curation.with_evidence("name_ja", ids))
    )
    if pc.any(unsupported).as_py():
        at = pc.index(unsupported, True).as_py()
        raise InputError(
            curation.services.path,
            f"name_ja {columns['name_ja'][at].as_py()!r} of {ids[at].as_py()} is not in its "
            "description and has no evidence in evidence.csv",
            "add a row for it: the public page that gives the official name, or the "
            "snapshot's lines a descriptive name is written from (page lines N-M)",
            line=curation.services.lines[rows[at].as_py()],
        )


def _check_quoted(
    curated: CurationFile, rows: pa.Array, quotes: pa.Array, quoted: pa.Array
) -> None:
    """target_people_ja is a quotation: it must stand in the description word for word
    (`quoted`: whether it does; an empty one stands in any)."""
    missing = pc.invert(quoted)
    if pc.any(missing).as_py():
        at = pc.index(missing, True).as_py()
        raise InputError(
            curated.path,
            f"target_people_ja {quotes[at].as_py()!r} is not in the description of the entry",
            "quote the description word for word, or leave the field empty",
            line=curated.lines[rows[at].as_py()],
        )
