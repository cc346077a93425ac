"""The tables: every row of every CSV against its Table Schema (HSDS's own for the HSDS
tables), and each tidy table's CSV against its Parquet file."""

from __future__ import annotations

import pyarrow as pa

from ..model.readers import stream_csv, stream_parquet
from ..model.schema import TABLES
from ..standards import tableschema
from .context import Release


def check_rows(release: Release) -> tuple[str, list[str]]:
    """Every row of the CSV tables against their Table Schemas (rowcheck: frictionless's
    row checks), keys and foreign keys included."""
    rows, problems = tableschema.check_tables(release.root, release.descriptor)
    return (
        f"{rows} rows of the CSV tables against their Table Schemas (types, constraints, keys)"
    ), problems


def check_csv_equals_parquet(release: Release) -> tuple[str, list[str]]:
    """Each tidy table's CSV and Parquet file hold the same columns and values, compared a
    batch at a time."""
    problems = []
    rows = {}
    for declared in TABLES:
        csv_rows = stream_csv(declared, release.path(declared.name))
        parquet = stream_parquet(release.path(f"{declared.name}-parquet"))
        rows[declared.name], same = same_rows(csv_rows, parquet)
        if not same:
            problems.append(f"{declared.name}: the CSV and the Parquet file differ")
    summary = "CSV and Parquet agree (" + ", ".join(f"{n} {name}" for name, n in rows.items()) + ")"
    return summary, problems


def same_rows(left: pa.RecordBatchReader, right: pa.RecordBatchReader) -> tuple[int, bool]:
    """(the rows of `left`, whether `right` has the same column names and values), however
    the two are batched."""
    lefts, rights = iter(left), iter(right)
    count, same, rest = 0, left.schema.names == right.schema.names, None  # rest: of right
    for batch in lefts:
        count += batch.num_rows
        while same and batch.num_rows:
            if rest is None or not rest.num_rows:
                rest = next(rights, None)
                same = rest is not None
                continue
            n = min(batch.num_rows, rest.num_rows)
            same = all(
                a.slice(0, n).equals(b.slice(0, n))
                for a, b in zip(batch.columns, rest.columns, strict=True)
            )
            batch, rest = batch.slice(n), rest.slice(n)
    if same:  # and nothing of `right` is left over
        same = (rest is None or not rest.num_rows) and not any(b.num_rows for b in rights)
    return count, same
