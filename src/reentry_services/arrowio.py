"""Small Arrow helpers shared by the stages: lookups of keys in a mapping, empty as null."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc


def lookup(keys: pa.Array, table: Mapping[str, str]) -> pa.Array:
    """The value `table` gives each key (null for a key it does not have)."""
    index = pc.index_in(keys, value_set=pa.array(list(table), pa.string()))
    return pc.take(pa.array(list(table.values()), pa.string()), index)


def empty_as_null(values: pa.Array) -> pa.Array:
    """The strings with "" as null (an empty CSV value is no value)."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
