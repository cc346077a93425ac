"""Readers of the published tables: CSV with the types the declarations give, Parquet with
codes as plain strings; whole, or a batch at a time."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .schema import Table


def read_csv(table: Table, path: Path) -> pa.Table:
    """Read a published CSV back with the schema's types (codes as plain strings)."""
    return pacsv.read_csv(path, **_csv_options(table))


def stream_csv(table: Table, path: Path) -> pa.RecordBatchReader:
    """read_csv's rows a batch at a time."""
    return pacsv.open_csv(path, **_csv_options(table))


def _csv_options(table: Table) -> dict:
    types = {f.name: _plain(f.to_arrow().type) for f in table.fields}
    return {
        "convert_options": pacsv.ConvertOptions(
            column_types=types, strings_can_be_null=True, include_columns=table.field_names
        ),
        # Descriptions of several paragraphs hold newlines inside quoted values.
        "parse_options": pacsv.ParseOptions(newlines_in_values=True),
    }


def read_parquet(path: Path) -> pa.Table:
    """Read a published Parquet file, codes decoded to plain strings."""
    parquet = pq.read_table(path)
    return parquet.cast(plain_schema(parquet.schema))


def stream_parquet(path: Path) -> pa.RecordBatchReader:
    """read_parquet's rows a batch at a time."""
    parquet = pq.ParquetFile(path)
    schema = plain_schema(parquet.schema_arrow)
    return pa.RecordBatchReader.from_batches(
        schema, (batch.cast(schema) for batch in parquet.iter_batches())
    )


def plain_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([f.with_type(_plain(f.type)) for f in schema])


def _plain(arrow_type: pa.DataType) -> pa.DataType:
    return arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type
