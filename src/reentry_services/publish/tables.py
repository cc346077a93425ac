"""Writers of the tidy tables: canonical CSV and typed Parquet."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 9


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8 without BOM, LF line ends, a header row; strings quoted, empty means null."""
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet with the schema's Arrow types and field metadata, fixed compression."""
    pq.write_table(
        table, path,
        compression=PARQUET_COMPRESSION,
        compression_level=PARQUET_COMPRESSION_LEVEL,
    )
