"""Rendering a table a batch of rows at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyarrow as pa

ROWS = 10_000  # rows rendered at once: bounds memory and keeps each Arrow array < 2 GiB
Rendered = TypeVar("Rendered")


def rendered(render: Callable[[pa.RecordBatch], Rendered], table: pa.Table) -> Iterator[Rendered]:
    """render(batch) of each batch of ROWS rows of the table, in order."""
    for batch in table.to_batches(max_chunksize=ROWS):
        yield render(batch)


def rendered_ahead(
    render: Callable[[pa.RecordBatch], Rendered], table: pa.Table
) -> Iterator[tuple[pa.RecordBatch, Rendered]]:
    """(batch, render(batch)) of each batch of ROWS rows, in order; each next batch is
    rendered on a second thread while the caller works on the one before."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = None
        for batch in table.to_batches(max_chunksize=ROWS):
            future = pool.submit(render, batch)
            if pending is not None:
                yield pending[0], pending[1].result()
            pending = (batch, future)
        if pending is not None:
            yield pending[0], pending[1].result()
