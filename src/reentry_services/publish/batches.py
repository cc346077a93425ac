"""Rendering a table a batch of rows at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import pyarrow as pa

ROWS = 10_000  # rows rendered at once: bounds memory and keeps each Arrow array < 2 GiB
Rendered = TypeVar("Rendered")


def rendered(render: Callable[[pa.RecordBatch], Rendered], table: pa.Table) -> Iterator[Rendered]:
    """render(batch) of each batch of ROWS rows of the table, in order."""
    for batch in table.to_batches(max_chunksize=ROWS):
        yield render(batch)
