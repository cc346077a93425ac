"""JSON text built column-wise with Arrow string kernels: one JSON value per row, with the
bytes orjson would write for the same value, at the speed of the string kernels rather than
of Python objects.

Every function takes and returns Arrow arrays of JSON text (or Python strings, which are
JSON text the same in every row); a null means "no value", and an object member whose
value is null is left out of that row's object.

(`pc.binary_join_element_wise(..., null_handling="skip")` is not used: in pyarrow 26 it
drops the rows where every input is null, so the result is shorter than its inputs.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import BinaryIO, TypeAlias

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from .. import arrowio

Text: TypeAlias = "pa.Array | pa.ChunkedArray | str"

# What a JSON string cannot hold as it is: a quote, a backslash, a control character.
_NEEDS_ESCAPE = r'[\\"\x00-\x1f]'


def strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Each value as a JSON string literal (nulls stay null), byte for byte as orjson
    writes it: the values that need escapes are handed to orjson itself."""
    values = _plain(values)
    quoted = concat('"', values, '"')
    if not _any_escape(np.frombuffer(_data(values), np.uint8)):
        return quoted  # one look at all the bytes: nothing to escape (the usual case)
    escape = pc.fill_null(pc.match_substring_regex(values, _NEEDS_ESCAPE), False)
    if not pc.any(escape).as_py():
        return quoted
    escaped = [orjson.dumps(v) for v in pc.filter(values, escape).to_pylist()]
    return pc.replace_with_mask(quoted, escape, pa.array(escaped, pa.binary()).cast(pa.string()))


def _any_escape(data: np.ndarray) -> bool:
    """Whether UTF-8 bytes hold a character _NEEDS_ESCAPE matches (all are ASCII, and no
    byte of a longer character is below 0x80)."""
    return bool((data < 0x20).any() or (data == ord('"')).any() or (data == ord("\\")).any())


def literals(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Each value as JSON text: strings quoted and escaped, numbers and booleans bare."""
    values = _plain(values)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return strings(values)
    if pa.types.is_integer(values.type) or pa.types.is_boolean(values.type):
        return pc.cast(values, pa.string())
    if pa.types.is_date(values.type):
        return strings(pc.cast(values, pa.string()))
    raise TypeError(f"no JSON text for Arrow type {values.type}")


def constant(value: object) -> str:
    """A Python value as JSON text, to use in every row."""
    return orjson.dumps(value).decode()


def concat(*pieces: Text) -> pa.Array:
    """The pieces joined end to end; null where any piece is null."""
    return pc.binary_join_element_wise(*pieces, "")


def when(condition: pa.Array | pa.ChunkedArray, value: Text) -> pa.Array:
    """`value` where the condition holds, null (no value) elsewhere."""
    return pc.if_else(condition, value, pa.scalar(None, pa.string()))


def lookup(keys: pa.Array | pa.ChunkedArray, table: Mapping[str, str]) -> pa.Array:
    """The value `table` gives each key (null for a key it does not have)."""
    return arrowio.lookup(_plain(keys), table)


def obj(pairs: Sequence[tuple[str, Text]]) -> pa.Array:
    """One JSON object per row from (key, value) pairs, keys in the order given; a member
    whose value is null in a row is left out of it. The first member must always be there
    (say, the id)."""
    first_key, first_value = pairs[0]
    if not isinstance(first_value, str) and first_value.null_count:
        raise ValueError(f"the first member of an object ({first_key}) must always be there")
    pieces: list[Text] = ["{" + constant(first_key) + ":", first_value]
    for key, value in pairs[1:]:
        label = "," + constant(key) + ":"
        if isinstance(value, str) or not value.null_count:
            pieces += [label, value]
        else:
            pieces.append(pc.fill_null(concat(label, value), ""))
    return concat(*pieces, "}")


def one_or_list(values: Sequence[Text]) -> pa.Array:
    """The non-null values: one alone, several as a JSON array, null if none (as a
    property given once or several times in JSON-LD)."""
    joined = _joined(values, ",")
    count = _count_valid(values)
    return pc.if_else(pc.greater(count, 1), concat("[", joined, "]"), joined)


def array_by_offsets(items: pa.Array, offsets: pa.Array) -> pa.Array:
    """A JSON array per parent row: items[offsets[i]:offsets[i + 1]]."""
    grouped = pa.ListArray.from_arrays(offsets, items)
    return concat("[", pc.binary_join(grouped, ","), "]")


def _joined(values: Sequence[Text], separator: str) -> pa.Array:
    """The non-null values joined with `separator`; null where all are null."""
    result = values[0]
    for value in values[1:]:
        result = pc.coalesce(concat(result, separator, value), result, value)
    return result


def _count_valid(values: Sequence[Text]) -> pa.Array:
    counts = [pc.cast(pc.is_valid(v), pa.int8()) for v in values if not isinstance(v, str)]
    total = pa.scalar(sum(isinstance(v, str) for v in values), pa.int8())
    for count in counts:
        total = pc.add(total, count)
    return total


def _plain(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    return values


def write_array(
    out: BinaryIO, items: Iterable[bytes | pa.Array], head: bytes = b"[", tail: bytes = b"]"
) -> None:
    """A JSON array written one item per line (see write_items); `head`/`tail` wrap the
    array (e.g. inside an object)."""
    out.write(head + b"\n")
    write_items(out, items)
    out.write(b"\n" + tail + b"\n")


def write_items(out: BinaryIO, items: Iterable[bytes | pa.Array]) -> bool:
    """Array items written one per line, comma-separated, as they come: each is either one
    JSON text (bytes) or an Arrow array of them. Returns whether there was any."""
    separator = b""
    for item in items:
        if isinstance(item, bytes):
            out.write(separator + item)
        elif len(item):
            out.write(separator)
            text = pa.scalar(",\n", item.type), pa.scalar("", item.type)
            for chunk in _chunks(pc.binary_join_element_wise(item[:-1], *text)):
                out.write(_data(chunk))
            out.write(item[-1].as_py().encode())
        else:
            continue
        separator = b",\n"
    return bool(separator)


def _chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return values.chunks if isinstance(values, pa.ChunkedArray) else [values]


def _data(values: pa.Array) -> memoryview:
    """The bytes of a string array's values end to end, without copying them."""
    if not len(values):
        return memoryview(b"")
    large = pa.types.is_large_string(values.type) or pa.types.is_large_binary(values.type)
    offsets = np.frombuffer(values.buffers()[1], np.int64 if large else np.int32)
    start, end = offsets[values.offset], offsets[values.offset + len(values)]
    return memoryview(values.buffers()[2])[start:end]


def first_of_each_shape(pairs: Sequence[tuple[str, Text]], *columns: pa.Array) -> list[int]:
    """The first row of each distinct shape of `obj(pairs)`: which members are present, and
    the values of `columns` (say, the node's type). Rows of one shape differ only in the
    values of their members, so checking these rows checks the keys and types of all."""
    code = np.zeros(_length(pairs), np.int64)
    for _, value in pairs:
        if not isinstance(value, str):
            code = code * 2 + pc.is_valid(value).to_numpy(zero_copy_only=False)
    for column in columns:
        encoded = pc.dictionary_encode(_plain(column))
        code = code * max(len(encoded.dictionary), 1) + encoded.indices.to_numpy()
    return sorted(np.unique(code, return_index=True)[1].tolist())


def _length(pairs: Sequence[tuple[str, Text]]) -> int:
    return next(len(value) for _, value in pairs if not isinstance(value, str))
