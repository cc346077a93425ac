"""Bytes handed to Arrow's readers, in memory that Arrow owns."""

from __future__ import annotations

import pyarrow as pa


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
