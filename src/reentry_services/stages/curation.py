"""Curation: the human-edited CSV files in raw/curation, read and checked.

They hold what the page does not say: how ambiguous paragraphs group into entries, the
sections' codes and translations, and each resource's name, provider and kind.
"""

from __future__ import annotations

import _csv
import csv
import io
import os
import unicodedata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..arrowio import empty_as_null
from ..errors import InputError, brief, listing
from ..model.records import (
    Curation,
    CurationFile,
    ParagraphDecision,
    SectionCuration,
    _with_evidence,
)
from ..model.schema import (
    ADDITION_FIELDS,
    AUDIENCE_NEEDING_CONTACT,
    CURATION_FILES,
    SERVICES,
    URL_PATTERN,
    CurationTable,
    Field,
)
from ..model.textrules import (
    CONTROL,
    CONTROL_FIX,
    FORBIDDEN,
    INVISIBLE_FIX,
    char_name,
    link_problem,
)
from ..safefiles import read_regular
from ..standards import tableschema

CURATION_DIR = "curation"


def _evidenced(evidence: CurationFile) -> dict[str, pa.Array]:
    """Per column, the service_ids whose value of it evidence.csv supports."""
    table = pa.table({name: evidence.columns[name] for name in ("field", "service_id")})
    by_column = table.group_by("field").aggregate([("service_id", "distinct")])
    return {
        column: ids.values
        for column, ids in zip(
            by_column["field"].to_pylist(), by_column["service_id_distinct"], strict=True
        )
    }


def read_paragraph_decisions(raw_dir: Path) -> tuple[ParagraphDecision, ...]:
    """The paragraph decisions (paragraphs.csv), read and checked: what the page's parser
    needs of the curation."""
    declared = CURATION_FILES[0]
    file = _read(raw_dir / CURATION_DIR / declared.file, declared)
    return tuple(
        ParagraphDecision(starts_with, role, file.path, line)
        for starts_with, role, line in zip(
            file.columns["starts_with"].to_pylist(),
            file.columns["role"].to_pylist(),
            file.lines,
            strict=True,
        )
    )


def read_curation(
    raw_dir: Path,
    check_evidence: bool = True,
    paragraphs: tuple[ParagraphDecision, ...] | None = None,
) -> Curation:
    """Read and check the curation files; `check_evidence=False` leaves out whether every
    value has its evidence (check-links checks a new current link before its evidence is
    written); `paragraphs`: the paragraph decisions, where the caller has read them."""
    if paragraphs is None:
        paragraphs = read_paragraph_decisions(raw_dir)
    folder = raw_dir / CURATION_DIR
    sections, services, evidence, link_checks, moved_hosts, contact_points, additions = (
        _read(folder / t.file, t) for t in CURATION_FILES[1:]
    )
    _check_successors(services)
    for file in (additions, contact_points):
        _check_curated(file, services)
    _check_contacts_or_search(services, contact_points)
    evidenced = _evidenced(evidence)
    if check_evidence:
        _check_evidence(services, additions, evidence, evidenced)
    return Curation(
        paragraphs=paragraphs,
        sections=tuple(
            SectionCuration(
                r["heading_ja"] or None,
                r["section_code"],
                r["section_en"],
                r["national_priority_code"] or None,
                r["listed_on_page"] in tableschema.TRUE_VALUES,
                sections.path,
                line,
            )
            for line, r in sections.rows()
        ),
        services=services,
        evidence=evidence,
        link_checks=link_checks,
        moved_hosts=moved_hosts,
        contact_points=contact_points,
        additions=additions,
        evidenced=evidenced,
    )


def _check_evidence(
    services: CurationFile,
    additions: CurationFile,
    evidence: CurationFile,
    evidenced: dict[str, pa.Array],
) -> None:
    """Every evidence row is about a curated resource, and every value of a column that
    needs evidence (in services.csv and additions.csv) has at least one row."""
    unknown = pc.invert(pc.is_in(evidence.columns["service_id"], services.columns["service_id"]))
    problems = [
        f"line {evidence.lines[row]}: service_id "
        f"{evidence.columns['service_id'][row].as_py()} is not in services.csv"
        for row in _rows(unknown)
    ]
    for file, fields in ((services, SERVICES.fields), (additions, ADDITION_FIELDS)):
        problems += _unsupported(file, [f for f in fields if f.needs_evidence], evidenced)
    if problems:
        raise InputError(
            evidence.path,
            f"{len(problems)} problem(s) with the evidence:\n{listing(problems)}",
            "give each curated value a row (service_id, field, source, date_shown, date_read, "
            "shows): the address of a public copy of a page or the snapshot's lines, the date "
            "it shows (if any), the day it was read, and what it showed; a value without "
            "evidence stays as the page words it",
        )


def _unsupported(
    file: CurationFile, fields: list[Field], evidenced: dict[str, pa.Array]
) -> list[str]:
    """The values of `fields` in `file` without an evidence row, one line each."""
    ids = file.columns["service_id"]
    problems = []
    for field in fields:
        values = file.columns[field.name]
        unsupported = pc.invert(_with_evidence(evidenced, field.name, ids))
        exempt = pc.is_in(values, pa.array(["", *field.evidence_not_needed_for]))
        problems += [
            f"{file.path.name} line {file.lines[row]}: {field.name} "
            f"{values[row].as_py()[:40]!r} has no evidence"
            for row in _rows(pc.and_(pc.invert(exempt), unsupported))
        ]
    return problems


def _check_curated(file: CurationFile, services: CurationFile) -> None:
    """Every row of `file` (an addition, a contact point) is about a resource of
    services.csv."""
    ids = file.columns["service_id"]
    for row in _rows(pc.invert(pc.is_in(ids, services.columns["service_id"])))[:1]:
        raise InputError(
            file.path,
            f"{ids[row].as_py()} has no row in services.csv (its name, provider and kind)",
            "use the service_id of a services.csv row; an addition needs its own row there",
            line=file.lines[row],
        )


def _check_contacts_or_search(services: CurationFile, contact_points: CurationFile) -> None:
    """A resource for people and families has contact points or the day official sources
    were searched for one in vain (contact_searched_on); a resource with contact points
    has no such day."""
    columns = services.columns
    listed = pc.is_in(columns["service_id"], contact_points.columns["service_id"])
    searched = pc.not_equal(columns["contact_searched_on"], "")
    pattern = f"(^|;){AUDIENCE_NEEDING_CONTACT}(;|$)"
    for_people = pc.match_substring_regex(columns["audience"], pattern)
    silent = pc.and_(for_people, pc.invert(pc.or_(listed, searched)))
    for row in _rows(silent)[:1]:
        raise InputError(
            services.path,
            f"{columns['service_id'][row].as_py()} is for {AUDIENCE_NEEDING_CONTACT} and has "
            "neither a contact point nor contact_searched_on",
            "add its contact points to contact-points.csv, or the day official sources were "
            "searched for one in vain as contact_searched_on, with what was read in "
            "evidence.csv",
            line=services.lines[row],
        )
    for row in _rows(pc.and_(listed, searched))[:1]:
        raise InputError(
            services.path,
            f"{columns['service_id'][row].as_py()} has contact points and contact_searched_on",
            "contact_searched_on is for a resource without contact points: leave it empty",
            line=services.lines[row],
        )


SUCCESSOR_COLUMNS = ("successor_name_ja", "successor_url")


def _check_successors(services: CurationFile) -> None:
    """A superseded resource names its successor and its address; no other has one."""
    columns = services.columns
    superseded = pc.equal(columns["status"], "superseded")
    given = [pc.not_equal(columns[c], "") for c in SUCCESSOR_COLUMNS]
    wrong = pc.or_(
        pc.and_(superseded, pc.invert(pc.and_(*given))),
        pc.and_(pc.invert(superseded), pc.or_(*given)),
    )
    for row in _rows(wrong)[:1]:
        status = columns["status"][row].as_py()
        raise InputError(
            services.path,
            f"{columns['service_id'][row].as_py()}: status {status} "
            + ("needs" if status == "superseded" else "has")
            + f" {' and '.join(SUCCESSOR_COLUMNS)}",
            "a superseded resource names its successor and its address (each with its "
            "evidence); any other leaves both empty",
            line=services.lines[row],
        )


def _rows(mask: pa.Array) -> list[int]:
    """The positions where `mask` holds."""
    return np.flatnonzero(mask.to_numpy(zero_copy_only=False)).tolist()


def _read(path: Path, declared: CurationTable) -> CurationFile:
    """One curation file as columns, every value checked against its declared Table Schema
    (by the same row checker as the published CSVs) and the rules Table Schema cannot say.

    The text is normalized to NFC as a whole (the same as value by value: a comma, a quote
    or a line break never composes with what follows it), read as CSV and each value
    trimmed as str.strip does."""
    present = os.path.lexists(path)
    if declared.optional and not present:
        return CurationFile(path, {n: pa.array([], pa.string()) for n in declared.field_names}, [])
    if not present:
        raise InputError(path, "the curation file is missing", "restore it from git")
    data = read_regular(path)
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})", "save the file as UTF-8"
        ) from None
    nfc = unicodedata.is_normalized("NFC", decoded)
    text = decoded if nfc else unicodedata.normalize("NFC", decoded)
    _check_visible(path, text)
    expected = declared.field_names
    first_line_end = text.find("\n")
    header = next(_csv_reader(text if first_line_end < 0 else text[:first_line_end]), [])
    if header != expected:
        missing = [c for c in expected if c not in header]
        unknown = [c for c in header if c not in expected]
        raise InputError(
            path,
            f"the header has {len(header)} column(s); missing: {brief(missing)}; "
            f"unknown: {brief(unknown)}",
            f"make the header exactly: {','.join(expected)}",
            line=1,
        )
    file = _read_rows(path, text, expected)
    _check_rows(file, declared)
    for key, dependents in declared.determines:
        _check_determined(file, key, dependents)
    return file


def _check_visible(path: Path, text: str) -> None:
    """No control character but tab and line breaks, and no invisible character (bidi
    control, zero-width, a U+FEFF after the file's start)."""
    found = FORBIDDEN.search(text)
    if found:
        start = text.rfind("\n", 0, found.start()) + 1
        control = CONTROL.match(found.group())
        raise InputError(
            path,
            f"the text contains the {'control' if control else 'invisible'} character "
            f"{char_name(found.group())}",
            CONTROL_FIX if control else INVISIBLE_FIX,
            line=text.count("\n", 0, found.start()) + 1,
            column=found.start() - start + 1,
        )


def _read_rows(path: Path, text: str, names: list[str]) -> CurationFile:
    """The file's rows by Python's csv module, which counts the lines each row ends on."""
    values, lines = _parse_csv(path, text, names)
    return CurationFile(
        path,
        {name: pa.array(column, pa.string()) for name, column in zip(names, values, strict=True)},
        lines,
    )


def _parse_csv(path: Path, text: str, names: list[str]) -> tuple[list[list[str]], list[int]]:
    """Each column's values (trimmed; blank rows left out) and the line each row ends on;
    a row of the wrong length is named with its line. The values go straight into their
    columns: a list per row kept alive would give the garbage collector millions of
    containers to walk (at 1,000,000 rows, 36 s instead of 19 s)."""
    reader = _csv_reader(text)
    next(reader, None)  # the header
    columns: list[list[str]] = [[] for _ in names]
    lines = []
    try:
        for record in reader:
            if not any(record):  # a blank line, or a row of empty values
                continue
            if len(record) != len(names):
                raise InputError(
                    path,
                    f"the row has {len(record)} values, not {len(names)}",
                    "quote values that contain commas",
                    line=reader.line_num,
                )
            for column, value in zip(columns, record, strict=True):
                column.append(value.strip())
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise InputError(
            path, f"not readable as CSV: {exc}", "check the quoting", line=reader.line_num
        ) from None
    return columns, lines


def _csv_reader(text: str) -> _csv.Reader:
    """Python's reader of the whole file, for the header and the line numbers of messages."""
    return csv.reader(io.StringIO(text, newline=""))


def _check_rows(file: CurationFile, declared: CurationTable) -> None:
    """The rows against the file's Table Schema, and each list of codes without repeats;
    every problem found is named with its lines."""
    table = pa.table({name: empty_as_null(column) for name, column in file.columns.items()})
    problems = list(tableschema.check_table(table, declared.to_table_schema(), file.lines))
    for field in declared.fields:
        if field.pattern == URL_PATTERN:  # links: what link_problem allows, and no path
            for line, value in zip(file.lines, file.columns[field.name].to_pylist(), strict=True):
                problem = link_problem(value, relative_allowed=False) if value else None
                if problem:
                    problems.append(f"line {line}: {field.name}: {problem.problem} ({problem.fix})")
        if field.separator:  # a list of codes: each once
            values = table[field.name]
            repeated = [
                v
                for v in pc.unique(values.drop_null()).to_pylist()
                if len(set(v.split(field.separator))) != len(v.split(field.separator))
            ]
            if repeated:
                problems.append(
                    tableschema.rows_named(
                        f"{field.name} repeats a code",
                        pc.is_in(values, pa.array(repeated)),
                        file.lines,
                    )
                )
    if problems:
        raise InputError(
            file.path,
            f"{len(problems)} value(s) break the file's declared columns:\n{listing(problems)}",
            "correct them: each column's type, codes and pattern are in the data dictionary "
            "(dist/data-dictionary.md), declared in src/reentry_services/schema.py",
        )


def _check_determined(file: CurationFile, key: str, dependents: tuple[str, ...]) -> None:
    """Rows with the same `key` agree on every column of `dependents` (found by Arrow; the
    rows are walked only to name the first disagreement)."""
    by_key = pa.table({name: file.columns[name] for name in (key, *dependents)}).group_by(key)
    distinct = by_key.aggregate([(d, "count_distinct") for d in dependents])
    if all((pc.max(distinct[f"{d}_count_distinct"]).as_py() or 0) <= 1 for d in dependents):
        return
    first: dict[str, tuple[int, tuple[str, ...]]] = {}
    columns = [file.columns[key].to_pylist(), *(file.columns[d].to_pylist() for d in dependents)]
    for line, value, *rest in zip(file.lines, *columns, strict=True):
        seen_line, seen = first.setdefault(value, (line, tuple(rest)))
        for name, before, now in zip(dependents, seen, rest, strict=True):
            if before != now:
                raise InputError(
                    file.path,
                    f"{key} {value!r} has {name} {now!r} here but {before!r} on line {seen_line}",
                    f"give every row of {value!r} the same {name}: one {key} is one organization",
                    line=line,
                )
