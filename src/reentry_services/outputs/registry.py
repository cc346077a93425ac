"""The registry of outputs: every published file declared once, in the order it is written.

Each entry says what the file is (resource name, path, format, media type, EU file type,
title, Table Schema), whether it is data or metadata, and which writer makes it (several
files may share one: the HSDS export). The release writer, the measurement,
datapackage.json, the catalog and the JSON-LD's and the page's download lists iterate over
`OUTPUTS`.

Data files come first; each metadata file then describes the files before it.
"""

from __future__ import annotations

from typing import Any

from ..model.records import PublishedFile
from ..model.release import DIST
from ..model.schema import TABLES
from ..standards import giflayout, hsdsspec

# (format, media type, EU file type code, that file type's English label)
CSV = ("csv", "text/csv", "CSV", "CSV")
PARQUET = ("parquet", "application/vnd.apache.parquet", "PARQUET", "Parquet")
JSON = ("json", "application/json", "JSON", "JSON")


def _output(
    name: str, path: str, kind: tuple[str, str, str, str], title: str, writer: str, **details: Any
) -> PublishedFile:
    format_, mediatype, eu_file_type, format_label = kind
    return PublishedFile(
        name,
        f"{DIST}/{path}",
        format_,
        mediatype,
        title,
        eu_file_type=eu_file_type,
        format_label=format_label,
        writer=writer,
        **details,
    )


def _hsds_outputs() -> tuple[PublishedFile, ...]:
    schemas = {t["path"]: t["schema"] for t in hsdsspec.load_tables()["tables"].values()}
    return tuple(
        _output(
            hsdsspec.resource_name(name),
            f"hsds/{name}",
            CSV if name.endswith(".csv") else JSON,
            f"Open Referral HSDS 3.0: {name}",
            "hsds",
            schema=schemas.get(name),
        )
        for name in hsdsspec.files_written()
    )


OUTPUTS: tuple[PublishedFile, ...] = (
    *(
        output
        for table in TABLES
        for output in (
            _output(
                table.name,
                f"{table.name}.csv",
                CSV,
                f"{table.title_en} (CSV)",
                "csv",
                table=table,
                of=table.name,
            ),
            _output(
                f"{table.name}-parquet",
                f"{table.name}.parquet",
                PARQUET,
                f"{table.title_en} (Parquet)",
                "parquet",
                of=table.name,
            ),
        )
    ),
    _output(
        "services-excel",
        "services.excel.csv",
        CSV,
        "Support resources (CSV for Excel: BOM, CRLF, formulas neutralized)",
        "excel",
        of="services",
    ),
    _output(
        "gif-services",
        "gif/services.csv",
        CSV,
        "Support resources in the GIF 行政サービス・制度 layout (CSV)",
        "gif",
        schema=giflayout.table_schema(),
        of="gif",
    ),
    _output(
        "gif-services-excel",
        "gif/services.excel.csv",
        CSV,
        "Support resources in the GIF layout (CSV for Excel: BOM, CRLF, formulas neutralized)",
        "excel",
        of="gif",
    ),
    *_hsds_outputs(),
    _output(
        "data-dictionary",
        "data-dictionary.md",
        ("md", "text/markdown", "MARKDOWN", "Markdown"),
        "Data dictionary",
        "dictionary",
    ),
    _output(
        "data-dictionary-html",
        "data-dictionary.html",
        ("html", "text/html", "HTML", "HTML"),
        "Data dictionary (a page for people)",
        "dictionary",
    ),
    _output(
        "services-jsonld",
        "services.jsonld",
        ("jsonld", "application/ld+json", "JSON_LD", "JSON-LD"),
        "Support resources (schema.org JSON-LD)",
        "jsonld",
        role="metadata",
    ),
    _output(
        "catalog",
        "catalog.ttl",
        ("ttl", "text/turtle", "RDF_TURTLE", "RDF Turtle"),
        "DCAT-AP 3.0 catalog (Turtle)",
        "catalog",
        role="metadata",
    ),
    _output(
        "landing-page",
        "index.html",
        ("html", "text/html", "HTML", "HTML"),
        "Landing page: the list for people, with the downloads",
        "page",
        role="metadata",
    ),
)


def output(name: str) -> PublishedFile:
    """The output with this resource name."""
    return next(o for o in OUTPUTS if o.name == name)
