"""Every row of a data package's CSV tables against their Table Schemas, column-wise with
Arrow: the row checks of `frictionless validate`, at the speed of the compute kernels.

What it checks, as frictionless does: the header against the schema's fields, the cell
count of every row, blank rows, UTF-8, each value's type and format, the constraints
(required, unique, pattern, enum, minimum, maximum, minLength, maxLength), the primary key
and the foreign keys. Types string, integer, boolean and date are checked by Arrow
kernels; any other type or format (HSDS's number, datetime, uuid, uri, email) by
frictionless's own reader of the field, once per distinct value (a canonical UUID or http(s)
URL is taken as one without asking it). Only the empty string is a missing value (the default
`missingValues`). A test runs both engines on the same broken packages.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

SHOWN = 5  # offending rows named per problem

# frictionless's defaults for the values of a boolean field, and its date format.
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
TYPE_PATTERNS = {"integer": r"[-+]?[0-9]+", "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}"}
# Values of these formats that frictionless's reader accepts, recognised without asking it
# (it takes about 30 us a value); a property test checks that it accepts each match.
CANONICAL = {
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "uri": r"https?://[A-Za-z0-9\-._~%!$&'()*+,;=:@/?#]+",
}
CANONICAL_UUID = CANONICAL["uuid"]


def check_tables(root: Path, descriptor: dict) -> tuple[int, list[str]]:
    """(rows checked, problems) for every table resource of the package at `root`. Each
    table is read and checked in turn; only the columns foreign keys use are kept for the
    foreign-key checks at the end (so memory holds one whole table at a time)."""
    keys = _key_columns(descriptor)
    tables: dict[str, pa.Table] = {}  # the key columns of each table read
    rows = 0
    problems: list[str] = []
    for resource in descriptor.get("resources", []):
        if resource.get("type") != "table":
            continue
        try:
            table = read_strings(root / resource["path"])
        except (OSError, pa.ArrowInvalid) as exc:
            problems.append(f"{resource['name']}: cannot be read as CSV: {exc}")
            continue
        rows += table.num_rows
        schema = resource["schema"]
        problems += [f"{resource['name']}: {p}" for p in _check_columns(table, schema)]
        # The key columns alone are kept for the key checks (a large key's hash table then
        # stands beside them, not beside the whole table); as check_table, the primary key
        # is checked only under the schema's header.
        header_ok = table.column_names == _names(schema)
        foreign = keys.get(resource["name"], set())
        kept = foreign | set(_key(schema) if header_ok else ())
        table = table.select([c for c in table.column_names if c in kept])
        if header_ok:
            problems += [f"{resource['name']}: {p}" for p in _check_primary_key(table, schema)]
        tables[resource["name"]] = table.select([c for c in table.column_names if c in foreign])
        del table
    for resource in descriptor.get("resources", []):
        if resource.get("name") in tables:
            problems += [f"{resource['name']}: {p}" for p in _foreign_keys(resource, tables)]
    return rows, problems


def _key_columns(descriptor: dict) -> dict[str, set[str]]:
    """Per resource, the columns that foreign keys use, on either side."""
    used: dict[str, set[str]] = {}
    for resource in descriptor.get("resources", []):
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            reference = fk["reference"]
            target = reference.get("resource") or resource["name"]
            for name, fields in ((resource["name"], fk["fields"]), (target, reference["fields"])):
                used.setdefault(name, set()).update([fields] if isinstance(fields, str) else fields)
    return used


def read_strings(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """A CSV with every column as strings; only the empty string is null. Rows with the
    wrong number of cells, blank lines and bytes that are not UTF-8 raise ArrowInvalid.
    `columns`: only those of them the file has, in the file's order (default: all)."""
    return pacsv.read_csv(path, **_string_options(path, columns))


def _string_options(path: Path, columns: Sequence[str] | None = None) -> dict:
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f), [])
    if len(set(header)) != len(header):
        raise pa.ArrowInvalid(f"the header repeats a column: {header}")
    included = header if columns is None else [c for c in header if c in columns]
    return {
        "parse_options": pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        "convert_options": pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            null_values=[""],
            strings_can_be_null=True,
            include_columns=included,
        ),
    }


def check_table(table: pa.Table, schema: dict, lines: Sequence[int] | None = None) -> Iterator[str]:
    """Every problem of `table` (strings, null for empty) against `schema`, its rows named
    by `lines` (the file line of each row) or else as frictionless numbers them."""
    yield from _check_columns(table, schema, lines)
    if table.column_names == _names(schema):
        yield from _check_primary_key(table, schema, lines)


def _check_columns(
    table: pa.Table, schema: dict, lines: Sequence[int] | None = None
) -> Iterator[str]:
    """The header, blank rows and every field's values (not the primary key)."""
    names = _names(schema)
    if table.column_names != names:
        yield f"the header is {table.column_names}, the schema's fields are {names}"
        return
    blank = _all_null(table)
    if pc.any(blank).as_py():
        yield rows_named("is blank", blank, lines)
    key = _key(schema)
    for field in schema["fields"]:
        if key == [field["name"]]:  # its uniqueness is the key's: checked (and said) once
            field = {
                **field,
                "constraints": {
                    k: v for k, v in field.get("constraints", {}).items() if k != "unique"
                },
            }
        yield from _check_field(table[field["name"]], field, lines)


def _check_primary_key(
    table: pa.Table, schema: dict, lines: Sequence[int] | None = None
) -> Iterator[str]:
    key = _key(schema)
    if key:
        yield from _check_key(key, table, lines)


def _names(schema: dict) -> list[str]:
    return [f["name"] for f in schema["fields"]]


def _key(schema: dict) -> list[str]:
    key = schema.get("primaryKey")
    return [key] if isinstance(key, str) else key or []


def _check_field(
    values: pa.ChunkedArray, field: dict, lines: Sequence[int] | None = None
) -> Iterator[str]:
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    present = pc.is_valid(values)
    if constraints.get("required"):
        yield from _failing(f"{name} is empty", pc.invert(present), lines)
    typed, problem = _typed(values, field)
    if problem is not None:
        yield from _failing(f"{name} is not of type {kind}", problem, lines)
        return
    if "pattern" in constraints:
        fits = pc.match_substring_regex(values, f"^(?:{constraints['pattern']})$")
        yield from _failing(
            f"{name} does not match {constraints['pattern']}", pc.invert(fits), lines
        )
    native = kind in ("string", "boolean", *TYPE_PATTERNS)
    if not native and {"enum", "minimum", "maximum"} & set(constraints):
        yield f"{name}: enum and bounds of type {kind} are not checked here"
        return
    if "enum" in constraints:
        known = pc.is_in(typed, pa.array(constraints["enum"], typed.type))
        yield from _failing(
            f"{name} is not one of {constraints['enum']}", pc.and_(present, pc.invert(known)), lines
        )
    for bound, compare in (("minimum", pc.less), ("maximum", pc.greater)):
        if bound in constraints:
            yield from _failing(
                f"{name} is beyond its {bound} {constraints[bound]}",
                compare(typed, constraints[bound]),
                lines,
            )
    for bound, compare in (("minLength", pc.less), ("maxLength", pc.greater)):
        if bound in constraints:
            yield from _failing(
                f"{name} is beyond its {bound} {constraints[bound]}",
                compare(pc.utf8_length(values), constraints[bound]),
                lines,
            )
    if constraints.get("unique"):
        yield from _check_key([name], pa.table([values], names=[name]), lines)


def _typed(values: pa.ChunkedArray, field: dict) -> tuple[pa.ChunkedArray, pa.Array | None]:
    """(the values in their type, the rows whose value is not of it, or None if all are)."""
    kind = field.get("type", "string")
    present = pc.is_valid(values)
    if kind not in ("string", "boolean", *TYPE_PATTERNS) or field.get("format", "default") not in (
        "default",
        "any",
    ):
        return values, _unreadable(values, field)
    if kind == "string":
        return values, None
    if kind == "boolean":
        true, false = field.get("trueValues", TRUE_VALUES), field.get("falseValues", FALSE_VALUES)
        is_true = pc.is_in(values, pa.array(true))
        ok = pc.or_(is_true, pc.is_in(values, pa.array(false)))
        typed = pc.if_else(present, is_true, pa.scalar(None, pa.bool_()))
    else:
        ok = pc.match_substring_regex(values, f"^{TYPE_PATTERNS[kind]}$")
        safe = pc.if_else(ok, values, pa.scalar(None, pa.string()))
        if kind == "integer":
            typed = pc.cast(safe, pa.int64())
        else:
            typed = pc.cast(pc.strptime(safe, "%Y-%m-%d", "s", error_is_null=True), pa.date32())
            # strptime rolls a day past the month's end over; a real date reads back the same
            ok = pc.and_(ok, pc.equal(pc.cast(typed, pa.string()), values))
    bad = pc.and_(present, pc.invert(pc.fill_null(ok, False)))
    return typed, (bad if pc.any(bad).as_py() else None)


def _unreadable(values: pa.ChunkedArray, field: dict) -> pa.ChunkedArray | None:
    """The rows whose value frictionless's reader of `field` refuses, or None."""
    canonical = (
        CANONICAL.get(field.get("format", ""))
        if field.get("type", "string") == ("string")
        else None
    )
    if canonical:
        fits = pc.fill_null(pc.match_substring_regex(values, f"^{canonical}$"), True)
        asked = values.filter(pc.invert(fits))
    else:
        asked = values.drop_null()
    if not len(asked):
        return None
    import frictionless  # only when there is a value to ask it about (importing takes 0.25 s)

    descriptor = {k: field[k] for k in ("name", "type", "format") if k in field}
    read = frictionless.Field.from_descriptor(descriptor).create_value_reader()
    refused = [value for value in pc.unique(asked).to_pylist() if read(value) is None]
    return pc.is_in(values, pa.array(refused, pa.string())) if refused else None


def _check_key(
    fields: list[str], table: pa.Table, lines: Sequence[int] | None = None
) -> Iterator[str]:
    """Every non-empty key occurs once."""
    key = _joined(table, fields)
    counts = pa.table({"key": key.drop_null()}).group_by("key").aggregate([("key", "count")])
    repeated = counts.filter(pc.greater(counts["key_count"], 1))["key"]
    if len(repeated):
        yield rows_named(f"{'+'.join(fields)} repeats a value", pc.is_in(key, repeated), lines)


def _foreign_keys(resource: dict, tables: dict[str, pa.Table]) -> Iterator[str]:
    for fk in resource["schema"].get("foreignKeys", []):
        fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        reference = fk["reference"]
        target_name = reference.get("resource") or resource["name"]
        targets = reference["fields"]
        targets = [targets] if isinstance(targets, str) else targets
        if target_name not in tables:
            yield f"foreign key {fields}: the resource {target_name!r} is not a readable table"
            continue
        source, target = tables[resource["name"]], tables[target_name]
        if not set(fields) <= set(source.column_names) or not set(targets) <= set(
            target.column_names
        ):
            yield f"foreign key {fields}: a field is missing"
            continue
        key = _joined(source, fields)
        missing = pc.and_(
            pc.is_valid(key), pc.invert(pc.is_in(key, _joined(target, targets).drop_null()))
        )
        yield from _failing(
            f"{'+'.join(fields)} matches no {target_name} {'+'.join(targets)}", missing
        )


def _joined(table: pa.Table, fields: list[str]) -> pa.ChunkedArray:
    """One key value per row (fields joined by US); null where all the fields are."""
    if len(fields) == 1:
        return table[fields[0]]
    columns = [pc.fill_null(table[f], "") for f in fields]
    joined = pc.binary_join_element_wise(*columns, "\x1f")
    return pc.if_else(_all_null(table.select(fields)), pa.scalar(None, pa.string()), joined)


def _all_null(table: pa.Table) -> pa.ChunkedArray:
    nulls = [pc.is_null(column) for column in table.columns]
    return functools.reduce(pc.and_, nulls)


def _failing(
    problem: str, rows: pa.Array | pa.ChunkedArray, lines: Sequence[int] | None = None
) -> Iterator[str]:
    if pc.any(pc.fill_null(rows, False)).as_py():
        yield rows_named(problem, rows, lines)


def rows_named(
    problem: str, rows: pa.Array | pa.ChunkedArray, lines: Sequence[int] | None = None
) -> str:
    """The problem and the rows it is in: their `lines` in the file, or else their numbers
    as frictionless counts them (the header is row 1)."""
    where = np.flatnonzero(pc.fill_null(rows, False).to_numpy(zero_copy_only=False))
    numbers = [lines[i] for i in where[:SHOWN]] if lines is not None else list(where[:SHOWN] + 2)
    shown = ", ".join(map(str, numbers))
    more = f" and {len(where) - SHOWN} more" if len(where) > SHOWN else ""
    return f"{problem} {'on line' if lines is not None else 'in row'} {shown}{more}"
