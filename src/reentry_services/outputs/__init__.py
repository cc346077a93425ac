"""Outputs: write every output of the registry (`registry.OUTPUTS`) into a fresh folder;
`release` swaps it in. Each format's writer is a module of this package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa

from ..errors import PipelineError
from ..model.records import UNPUBLISHED, Publication, PublishedFile, Source, Tables
from ..model.release import DATAPACKAGE
from . import gif, registry
from .datapackage import build_descriptor, write_datapackage
from .dcat import write_catalog
from .gif import write_gif
from .hsds import write_hsds
from .jsonld import graph_head, write_jsonld
from .pages.dictionary import write_dictionary
from .pages.html import write_page
from .tables import write_csv, write_excel_csv, write_parquet


@dataclass
class _Release:
    """What the writers share while one release is written under `root`."""

    tables: Tables
    source: Source
    root: Path
    publication: Publication
    described: list[PublishedFile] = field(default_factory=list)  # what the JSON-LD lists

    def path(self, f: PublishedFile) -> Path:
        return self.root / f.path

    def table(self, f: PublishedFile) -> pa.Table:
        return self.table_of(f.of or "services")

    def table_of(self, name: str) -> pa.Table:
        """A table by name: sections, services, or gif (the GIF layout of the services,
        made once for the writers that use it)."""
        return self.gif if name == "gif" else getattr(self.tables, name)

    @cached_property
    def gif(self) -> pa.Table:
        return gif.gif_table(self.tables.services, self.tables.contact_points)


def _each(write: Callable[[pa.Table, Path], None]) -> Callable[[_Release, list], None]:
    """A writer of one file per output, from the table the output is of."""

    def write_each(release: _Release, files: list[PublishedFile]) -> None:
        for f in files:
            write(release.table(f), release.path(f))

    return write_each


def _write_hsds(release: _Release, files: list[PublishedFile]) -> None:
    folder = release.path(files[0]).parent
    written = write_hsds(release.tables, folder)
    if [f"{folder.relative_to(release.root).as_posix()}/{n}" for n in written] != [
        f.path for f in files
    ]:
        raise PipelineError(f"the HSDS writer wrote {written}, not the files the registry lists")


# Each data writer is given its outputs (in registry order) once.
DATA_WRITERS: dict[str, Callable[[_Release, list[PublishedFile]], object]] = {
    "csv": _each(write_csv),
    "parquet": _each(write_parquet),
    "excel": _each(write_excel_csv),
    "gif": _each(write_gif),
    "hsds": _write_hsds,
    "dictionary": _each(lambda services, path: write_dictionary(path, services)),
}


def _write_jsonld(release: _Release, f: PublishedFile, files: list[PublishedFile]) -> None:
    release.described = [*files, f]  # the Dataset lists the files before it, and itself
    head = graph_head(
        release.tables.services, release.source, release.described, release.publication
    )
    tables = release.tables
    write_jsonld(head, tables.services, tables.contact_points, release.source, release.path(f))


# Each metadata writer is given its output and the files written before it, measured.
METADATA_WRITERS: dict[str, Callable[[_Release, PublishedFile, list[PublishedFile]], None]] = {
    "jsonld": _write_jsonld,
    "catalog": lambda release, f, files: write_catalog(
        release.source, files, release.path(f), release.publication
    ),
    "page": lambda release, f, files: write_page(
        release.tables,
        release.source,
        release.described,
        files,
        release.path(f),
        release.publication,
    ),
}


def write_release(
    tables: Tables, source: Source, root: Path, publication: Publication = UNPUBLISHED
) -> list[PublishedFile]:
    """Write every output of the registry in its order (each data writer once, with all
    its outputs), then datapackage.json, under `root`; return the files as measured."""
    for f in registry.OUTPUTS:
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
    release = _Release(tables, source, root, publication)
    groups: dict[str, list[PublishedFile]] = {}
    for f in registry.OUTPUTS:
        if f.role == "data":
            groups.setdefault(f.writer, []).append(f)
    measured: dict[str, PublishedFile] = {}
    for writer, group in groups.items():
        DATA_WRITERS[writer](release, group)
        measured |= {f.name: f.measured(root) for f in group}
    files = [measured[f.name] for f in registry.OUTPUTS if f.role == "data"]
    for f in registry.OUTPUTS:
        if f.role == "metadata":
            METADATA_WRITERS[f.writer](release, f, files)
            files.append(f.measured(root))
    raw_path = f"raw/{source.snapshot_path.name}"
    write_datapackage(build_descriptor(source, files, raw_path), root / DATAPACKAGE)
    return files
