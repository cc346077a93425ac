"""Writers of the tidy tables: canonical CSV, typed Parquet, the Excel copy."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..model.readers import plain_schema
from . import batches

PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 3  # zstd's default: level 9 took several times longer at scale


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8 without BOM, LF line ends, a header row; strings quoted, empty means null."""
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet with the schema's Arrow types and field metadata, fixed compression."""
    pq.write_table(
        table,
        path,
        compression=PARQUET_COMPRESSION,
        compression_level=PARQUET_COMPRESSION_LEVEL,
    )


# A cell's first character that makes a spreadsheet read a formula: OWASP's list, with the
# full-width forms (Apple Numbers evaluates ＝2+2).
FORMULA_START = "=+-@\t\r＝＋－＠"


def write_excel_csv(table: pa.Table, path: Path) -> None:
    """A copy for spreadsheet users: UTF-8 with BOM (so Excel reads Japanese), CRLF, and
    cells that would start a formula (FORMULA_START) prefixed with a single quote, as OWASP
    recommends. Written a batch of rows at a time (batches.ROWS), so that the copy's
    columns are not all held at once."""
    schema = plain_schema(table.schema)
    options = pacsv.WriteOptions(quoting_style="needed", eol="\r\n")
    with path.open("wb") as out:
        out.write("\ufeff".encode())
        with pacsv.CSVWriter(out, schema, write_options=options) as writer:
            for batch in table.to_batches(max_chunksize=batches.ROWS):
                columns = [_neutralized(column) for column in batch.columns]
                writer.write_batch(pa.record_batch(columns, schema=schema))


def _neutralized(column: pa.Array) -> pa.Array:
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not pa.types.is_string(column.type):
        return column
    starts = pa.array(list(FORMULA_START), pa.string())
    formula = pc.is_in(pc.utf8_slice_codeunits(column, 0, 1), value_set=starts)
    if not pc.any(formula).as_py():
        return column
    return pc.if_else(formula, pc.binary_join_element_wise("'", column, ""), column)
