"""A release as the checks read it back, and what a check reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..model.readers import read_csv
from ..model.schema import Table
from ..safefiles import sha256_of


@dataclass(frozen=True)
class Check:
    name: str
    summary: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Release:
    """A release as read back: its root, its descriptor and its resources by name. With
    `thorough`, files are hashed (a build has just hashed what it wrote, so it is not)."""

    root: Path
    descriptor: dict
    thorough: bool = True
    _tables: dict[str, pa.Table] = field(default_factory=dict)
    _digests: dict[Path, tuple[int, str]] = field(default_factory=dict)
    found: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # a pass's findings

    @property
    def resources(self) -> dict[str, dict]:
        return {r["name"]: r for r in self.descriptor["resources"]}

    def path(self, name: str) -> Path:
        """The file of the resource `name`."""
        return self.root / self.resources[name]["path"]

    def path_of_format(self, format_: str) -> Path:
        """The file of the one resource in `format_` (jsonld, ttl, …)."""
        (resource,) = [r for r in self.descriptor["resources"] if r.get("format") == format_]
        return self.root / resource["path"]

    def table(self, declared: Table) -> pa.Table:
        """A published CSV table with its declared types, read once for every check."""
        if declared.name not in self._tables:
            self._tables[declared.name] = read_csv(declared, self.path(declared.name))
        return self._tables[declared.name]

    def digest(self, path: Path) -> tuple[int, str]:
        """(size, sha256) of a file, computed once for every check that asks."""
        if path not in self._digests:
            self._digests[path] = (path.stat().st_size, sha256_of(path))
        return self._digests[path]
