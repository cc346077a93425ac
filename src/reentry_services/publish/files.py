"""What every published file is: its path, format and media type, size and hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..schema import Table


@dataclass(frozen=True)
class PublishedFile:
    """One file of the release, described as the data package and the JSON-LD list it."""

    name: str  # resource name in datapackage.json
    path: str  # POSIX path relative to the output root
    format: str
    mediatype: str
    title: str
    table: Table | None = None  # the schema of a table in a text format frictionless reads
    bytes: int = 0
    sha256: str = ""
    schema: dict | None = None  # a standard's own Table Schema, for a table it declares

    @property
    def table_schema(self) -> dict | None:
        """The Table Schema datapackage.json declares the file with, if it is a table."""
        return self.table.to_table_schema() if self.table else self.schema

    def measured(self, root: Path) -> PublishedFile:
        """The same description with the size and hash of the file as written under root."""
        path = root / self.path
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        return replace(self, bytes=path.stat().st_size, sha256=digest)


def measured(files: Iterable[PublishedFile], root: Path) -> list[PublishedFile]:
    """Each file measured, two at a time (hashing releases the GIL, and large files take a
    while)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda f: f.measured(root), files))
