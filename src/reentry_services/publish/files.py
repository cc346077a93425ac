"""What every published file is: its path, format and media type, size and hash."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..schema import Table


@dataclass(frozen=True)
class PublishedFile:
    """One file of the release, as the registry declares it (`outputs.OUTPUTS`) and, once
    written, measured: what datapackage.json, the catalog, the JSON-LD and the page say."""

    name: str  # resource name in datapackage.json
    path: str  # POSIX path relative to the output root
    format: str
    mediatype: str
    title: str
    table: Table | None = None  # the schema of a table in a text format frictionless reads
    bytes: int = 0
    sha256: str = ""
    schema: dict | None = None  # a standard's own Table Schema, for a table it declares
    eu_file_type: str = ""  # code in the EU file-type authority table (DCAT's dct:format)
    format_label: str = ""  # that file type's English label: the format name portals show
    role: Literal["data", "metadata"] = "data"  # metadata describes the files before it
    writer: str = ""  # the writer that makes it (publish.DATA_WRITERS / METADATA_WRITERS)
    of: str | None = None  # the table it is written from: sections, services or gif
    check: str | None = None  # the build's check of its group (validate.GROUP_CHECKS)

    @property
    def table_schema(self) -> dict | None:
        """The Table Schema datapackage.json declares the file with, if it is a table."""
        return self.table.to_table_schema() if self.table else self.schema

    def measured(self, root: Path) -> PublishedFile:
        """The same description with the size and hash of the file as written under root."""
        path = root / self.path
        return replace(self, bytes=path.stat().st_size, sha256=sha256_of(path))


# Each read and each hash update releases the GIL; in large blocks, a thread that holds
# the GIL beside it makes hashing wait rarely (hashlib.file_digest reads 256 KiB at a time).
_BLOCK = 1 << 24


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read 16 MiB at a time (a smaller file at once)."""
    with path.open("rb", buffering=0) as f:
        digest = hashlib.sha256()
        block = bytearray(min(_BLOCK, os.fstat(f.fileno()).st_size + 1))
        while size := f.readinto(block):
            digest.update(memoryview(block)[:size])
    return digest.hexdigest()
