"""Small Arrow helpers shared by the stages: lookups of keys in a mapping, empty as null,
digests of values as hex text."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def lookup(keys: pa.Array, table: Mapping[str, str]) -> pa.Array:
    """The value `table` gives each key (null for a key it does not have)."""
    index = pc.index_in(keys, value_set=pa.array(list(table), pa.string()))
    return pc.take(pa.array(list(table.values()), pa.string()), index)


def empty_as_null(values: pa.Array) -> pa.Array:
    """The strings with "" as null (an empty CSV value is no value)."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def digests(values: pa.Array | pa.ChunkedArray, hash_: Callable) -> np.ndarray:
    """The digest of each value (of its UTF-8, for text) by `hash_` (hashlib.sha1, …), one
    call each, as the rows of a uint8 matrix."""
    data = b"".join([hash_(v).digest() for v in pc.cast(values, pa.binary()).to_pylist()])
    return np.frombuffer(data, np.uint8).reshape(len(values), hash_().digest_size)


def hex_digits(raw: np.ndarray) -> np.ndarray:
    """Each row of bytes as its lowercase hex digits (ASCII): (n, k) uint8 → (n, 2k)."""
    return _HEX_PAIRS[raw].view(np.uint8)


def ascii_rows(text: np.ndarray) -> pa.StringArray:
    """Each row of an (n, k) uint8 matrix of ASCII as one string of k characters."""
    rows, width = text.shape
    offsets = np.arange(0, width * (rows + 1), width, dtype=np.int32)
    return pa.StringArray.from_buffers(
        rows, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(text).tobytes())
    )


# The two lowercase hex digits of every byte value, as the two bytes of one uint16.
_HEX_PAIRS = np.frombuffer(b"".join(f"{b:02x}".encode() for b in range(256)), np.uint16)
