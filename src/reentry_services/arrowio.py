"""Small Arrow helpers shared by the stages: bytes for Arrow's readers, and lookups."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc


def arrow_stream(data: bytes) -> pa.BufferReader:
    """`data` copied into Arrow's memory pool, as a stream for Arrow's CSV and JSON readers.

    Given a Python object instead (an io.BytesIO, or bytes wrapped by `pa.py_buffer`), the
    threaded readers may let go of it on one of Arrow's threads after the call has returned,
    which needs the GIL. If the interpreter is exiting by then, Python ends that thread
    inside a C++ destructor and the process aborts ("terminate called without an active
    exception", apache/arrow#34314): seen here when a build stopped on bad input right after
    reading the curation, in 2 of 400 runs on a loaded machine."""
    buffer = pa.allocate_buffer(len(data))
    pa.FixedSizeBufferWriter(buffer).write(data)
    return pa.BufferReader(buffer)


def lookup(keys: pa.Array, table: Mapping[str, str]) -> pa.Array:
    """The value `table` gives each key (null for a key it does not have)."""
    index = pc.index_in(keys, value_set=pa.array(list(table), pa.string()))
    return pc.take(pa.array(list(table.values()), pa.string()), index)
