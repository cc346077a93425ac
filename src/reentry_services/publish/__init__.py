"""Publish: write every output of the registry (`outputs`) into a fresh directory;
`release` swaps it in."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa

from ..errors import PipelineError, listing
from ..ingest import UNPUBLISHED, Publication, Source
from ..normalize import Tables
from ..schemaorg import NodeCheck, load_terms
from . import gif, outputs
from .datapackage import build_descriptor, write_datapackage
from .dcat import write_catalog
from .dictionary import write_dictionary
from .files import PublishedFile
from .gif import write_gif
from .hsds import write_hsds
from .html import write_page
from .jsonld import graph_head, write_jsonld, write_resources
from .release import DATAPACKAGE, DIST
from .tables import write_csv, write_excel_csv, write_parquet


@dataclass
class _Release:
    """What the writers share while one release is written under `root`."""

    tables: Tables
    source: Source
    root: Path
    check: NodeCheck
    resources: Path  # the JSON-LD's resource nodes, written with the data (never published)
    publication: Publication
    described: list[PublishedFile] = field(default_factory=list)  # what the JSON-LD lists

    def path(self, f: PublishedFile) -> Path:
        return self.root / f.path

    def table(self, f: PublishedFile) -> pa.Table:
        return self.table_of(f.of or "services")

    def table_of(self, name: str) -> pa.Table:
        """A table by name: sections, services, or gif (the GIF layout of the services,
        made once for the writers and the check that use it)."""
        return self.gif if name == "gif" else getattr(self.tables, name)

    @cached_property
    def gif(self) -> pa.Table:
        return gif.gif_table(self.tables.services)


def _each(write: Callable[[pa.Table, Path], None]) -> Callable[[_Release, list], None]:
    """A writer of one file per output, from the table the output is of."""

    def write_each(release: _Release, files: list[PublishedFile]) -> None:
        for f in files:
            write(release.table(f), release.path(f))

    return write_each


def _write_hsds(release: _Release, files: list[PublishedFile]) -> None:
    folder = release.path(files[0]).parent
    written = write_hsds(release.tables.services, release.tables.sections, folder)
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
    "dictionary": _each(lambda table, path: write_dictionary(path)),
}
BACKGROUND = frozenset({"hsds"})  # written on a second thread (Arrow releases the GIL)


def _write_jsonld(release: _Release, f: PublishedFile, files: list[PublishedFile]) -> None:
    release.described = [*files, f]  # the Dataset lists the files before it, and itself
    head = graph_head(
        release.tables.services,
        release.source,
        release.described,
        release.check,
        release.publication,
    )
    write_jsonld(head, release.resources, release.path(f))
    release.resources.unlink()
    if release.check.problems:
        raise PipelineError(
            "the new release failed validation, so the previous release was "
            "kept as it was: the JSON-LD breaks the schema.org vocabulary:\n"
            + listing(release.check.problems)
        )


# Each metadata writer is given its output and the files written before it, measured.
METADATA_WRITERS: dict[str, Callable[[_Release, PublishedFile, list[PublishedFile]], None]] = {
    "jsonld": _write_jsonld,
    "catalog": lambda release, f, files: write_catalog(
        release.source, files, release.path(f), release.publication
    ),
    "page": lambda release, f, files: write_page(
        release.tables.services,
        release.tables.sections,
        release.source,
        release.described,
        files,
        release.path(f),
        release.publication,
    ),
}


OnWritten = Callable[[list[PublishedFile], Callable[[str], pa.Table]], object]


def write_release(
    tables: Tables,
    source: Source,
    root: Path,
    on_written: OnWritten = lambda files, table_of: None,
    publication: Publication = UNPUBLISHED,
) -> list[PublishedFile]:
    """Write every output of the registry, then datapackage.json, under `root`; return the
    files as measured.

    `on_written` is given each group of data files as soon as it is written, and the tables
    they were written from by name (the build checks them): the background writers' files
    on the thread that wrote them, the others on this thread, before the JSON-LD's resource
    nodes are rendered here too. This thread measures (hashes) every data file: its own
    when they are checked, the background's while the background thread checks them.
    """
    (root / DIST).mkdir(parents=True)
    for f in outputs.OUTPUTS:
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
    release = _Release(  # the resource nodes' file is outside dist/: never published
        tables,
        source,
        root,
        NodeCheck(load_terms()),
        root / "jsonld-resources.part",
        publication,
    )
    groups: dict[str, list[PublishedFile]] = {}
    for f in outputs.OUTPUTS:
        if f.role == "data":
            groups.setdefault(f.writer, []).append(f)
    with ThreadPoolExecutor(max_workers=1) as pool:  # runs its tasks in order
        background = []
        for writer, files in groups.items():
            if writer in BACKGROUND:
                write = pool.submit(DATA_WRITERS[writer], release, files)
                check = pool.submit(_check_once_written, write, files, release.table_of, on_written)
                background.append((files, write, check))
        foreground = [
            f for writer, group in groups.items() if writer not in BACKGROUND for f in group
        ]
        for writer, files in groups.items():
            if writer not in BACKGROUND:
                DATA_WRITERS[writer](release, files)
        # The files written from the GIF layout are checked first, so that the layout is
        # dropped before the other files are read back to be checked.
        on_written([f for f in foreground if f.of == "gif"], release.table_of)
        release.__dict__.pop("gif", None)
        on_written([f for f in foreground if f.of != "gif"], release.table_of)
        written = {f.name: f.measured(root) for f in foreground}
        write_resources(tables.services, source, release.check, release.resources)
        for files, write, check in background:
            write.result()
            written |= {f.name: f.measured(root) for f in files}
            check.result()
    files = [written[f.name] for f in outputs.OUTPUTS if f.role == "data"]
    for f in outputs.OUTPUTS:
        if f.role == "metadata":
            METADATA_WRITERS[f.writer](release, f, files)
            files.append(f.measured(root))
    raw_path = f"raw/{source.snapshot_path.name}"
    write_datapackage(build_descriptor(source, files, raw_path), root / DATAPACKAGE)
    return files


def _check_once_written(
    write: Future,
    files: list[PublishedFile],
    table_of: Callable[[str], pa.Table],
    on_written: OnWritten,
) -> None:
    """Have a group of files checked once its writer has written them (and not if it
    failed)."""
    write.result()
    on_written(files, table_of)
