"""Publish: write every output format into a fresh directory (`release` swaps it in)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import PipelineError, listing
from ..ingest import Source
from ..normalize import Tables
from ..schema import SECTIONS, SERVICES
from ..schemaorg import NodeCheck, load_terms
from . import gif
from .datapackage import build_descriptor, write_datapackage
from .dcat import write_catalog
from .dictionary import write_dictionary
from .files import PublishedFile, measured
from .gif import write_gif
from .hsds import load_tables, resource_name, write_hsds
from .html import write_page
from .jsonld import graph_head, write_jsonld, write_resources
from .release import DATAPACKAGE, DIST
from .tables import write_csv, write_excel_csv, write_parquet

TABLE_FILES = tuple(
    f
    for table in (SECTIONS, SERVICES)
    for f in (
        PublishedFile(
            table.name,
            f"{DIST}/{table.name}.csv",
            "csv",
            "text/csv",
            f"{table.title_en} (CSV)",
            table,
        ),
        PublishedFile(
            f"{table.name}-parquet",
            f"{DIST}/{table.name}.parquet",
            "parquet",
            "application/vnd.apache.parquet",
            f"{table.title_en} (Parquet)",
        ),
    )
)
EXCEL_FILE = PublishedFile(
    "services-excel",
    f"{DIST}/services.excel.csv",
    "csv",
    "text/csv",
    "Support resources (CSV for Excel: BOM, CRLF, formulas neutralized)",
)
GIF_FILE = PublishedFile(
    "gif-services",
    f"{DIST}/gif/services.csv",
    "csv",
    "text/csv",
    "Support resources in the GIF 行政サービス・制度 layout (CSV)",
    schema=gif.table_schema(),
)
DICTIONARY_FILE = PublishedFile(
    "data-dictionary", f"{DIST}/data-dictionary.md", "md", "text/markdown", "Data dictionary"
)
JSONLD_FILE = PublishedFile(
    "services-jsonld",
    f"{DIST}/services.jsonld",
    "jsonld",
    "application/ld+json",
    "Support resources (schema.org JSON-LD)",
)
CATALOG_FILE = PublishedFile(
    "catalog", f"{DIST}/catalog.ttl", "ttl", "text/turtle", "DCAT-AP 3.0 catalog (Turtle)"
)
PAGE_FILE = PublishedFile(
    "landing-page",
    f"{DIST}/index.html",
    "html",
    "text/html",
    "Landing page: the list for people, with the downloads",
)


def write_release(
    tables: Tables,
    source: Source,
    root: Path,
    on_written: Callable[[list[PublishedFile]], object] = lambda files: None,
) -> list[PublishedFile]:
    """Write dist/ and datapackage.json under `root`; return the files as measured.

    `on_written` is given each group of data files as soon as it is written: the tables,
    Excel and GIF files on this thread, then the HSDS files on the thread that wrote them,
    while this one measures the files and writes the metadata (the build checks them).

    Each metadata file describes the files written before it: the JSON-LD lists the data
    files (and itself, unmeasured), the catalog those and the JSON-LD, the landing page
    those and the catalog, the data package all.
    """
    (root / DIST).mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=1) as pool:  # Arrow releases the GIL: two cores work
        hsds_written = pool.submit(
            lambda: [
                _hsds_file(name)
                for name in write_hsds(tables.services, tables.sections, root / DIST / "hsds")
            ]
        )
        hsds_checked = pool.submit(lambda: on_written(hsds_written.result()))  # right after
        for f in TABLE_FILES:
            table = tables.services if f.path.startswith(f"{DIST}/services") else tables.sections
            writer = write_csv if f.format == "csv" else write_parquet
            writer(table, root / f.path)
        write_excel_csv(tables.services, root / EXCEL_FILE.path)
        write_gif(tables.services, root / GIF_FILE.path)
        write_dictionary(root / DICTIONARY_FILE.path)
        check = NodeCheck(load_terms())
        resources = root / "jsonld-resources.part"  # outside dist/: never published
        write_resources(tables.services, source, check, resources)
        on_written([*TABLE_FILES, EXCEL_FILE, GIF_FILE])
        files = _write_metadata(tables, source, root, check, resources, hsds_written.result())
        hsds_checked.result()
    return files


def _write_metadata(
    tables: Tables,
    source: Source,
    root: Path,
    check: NodeCheck,
    resources: Path,
    hsds: list[PublishedFile],
) -> list[PublishedFile]:
    """Measure the data files, then write the JSON-LD (its head, then the resource nodes
    written before), the catalog, the landing page and the data package."""
    files = measured((*TABLE_FILES, EXCEL_FILE, GIF_FILE, *hsds, DICTIONARY_FILE), root)
    described = [*files, JSONLD_FILE]  # what the JSON-LD's Dataset lists
    write_jsonld(
        graph_head(tables.services, source, described, check), resources, root / JSONLD_FILE.path
    )
    resources.unlink()
    if check.problems:
        raise PipelineError(
            "the new release failed validation, so the previous release was "
            "kept as it was: the JSON-LD breaks the schema.org vocabulary:\n"
            + listing(check.problems)
        )
    files.append(JSONLD_FILE.measured(root))
    write_catalog(source, files, root / CATALOG_FILE.path)
    files.append(CATALOG_FILE.measured(root))
    write_page(tables.services, tables.sections, source, described, files, root / PAGE_FILE.path)
    files.append(PAGE_FILE.measured(root))
    raw_path = f"raw/{source.snapshot_path.name}"
    write_datapackage(build_descriptor(source, files, raw_path), root / DATAPACKAGE)
    return files


def _hsds_file(name: str) -> PublishedFile:
    extension = name.partition(".")[2]
    tables = {t["path"]: t for t in load_tables()["tables"].values()}
    return PublishedFile(
        resource_name(name),
        f"{DIST}/hsds/{name}",
        extension,
        "text/csv" if extension == "csv" else "application/json",
        f"Open Referral HSDS 3.0: {name}",
        schema=tables[name]["schema"] if name in tables else None,
    )
