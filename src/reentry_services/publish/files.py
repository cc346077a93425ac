"""What every published file is: its path, format and media type, size and hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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

    def measured(self, root: Path) -> PublishedFile:
        """The same description with the size and hash of the file as written under root."""
        data = (root / self.path).read_bytes()
        return PublishedFile(self.name, self.path, self.format, self.mediatype, self.title,
                             self.table, len(data), hashlib.sha256(data).hexdigest())
