"""Writer of datapackage.json: the Frictionless Data Package describing every file of dist/."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..model import metadata
from ..model.records import PublishedFile, Source
from ..version import VERSION

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def build_descriptor(source: Source, files: Iterable[PublishedFile], raw_path: str) -> dict:
    """The package descriptor; `created` is the snapshot date, never the wall clock."""
    return {
        "$schema": PROFILE,
        "name": metadata.NAME,
        "id": metadata.iri("dataset", metadata.NAME),
        "title": f"{metadata.TITLE_JA} / {metadata.TITLE_EN}",
        "description": f"{metadata.DESCRIPTION_JA}\n\n{metadata.DESCRIPTION_EN}\n\n"
        f"Rights: {metadata.rights_statement(source)}"
        + (f"\n\nAge: {metadata.age_statement(source)}" if source.age_statement else ""),
        "version": VERSION,
        "created": f"{source.received.isoformat()}T00:00:00+09:00",
        "keywords": list(metadata.KEYWORDS),
        "licenses": [metadata.DATA_LICENSE],
        "sources": [
            {
                "title": f"{source.publisher_ja} ({source.publisher_en}): "
                f"{source.title_ja}, received {source.received.isoformat()}",
                "path": source.page_url or raw_path,
            }
        ],
        "contributors": [  # the creator first: portals take the first as the author
            {
                "title": metadata.MAINTAINERS,
                "roles": ["creator"],
                "description": "Curation, structure and code.",
            },
            {
                "title": f"{source.publisher_ja} ({source.publisher_en})",
                "roles": ["rightsHolder"],
                "description": "Author of the quoted page text: descriptions, headings, links.",
            },
        ],
        "resources": [_resource(f) for f in files],
    }


def write_datapackage(descriptor: dict, path: Path) -> None:
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _resource(f: PublishedFile) -> dict:
    resource: dict[str, object] = {
        "name": f.name,
        "path": f.path,
        "title": f.title,
        "type": "table" if f.table_schema else "file",
        "format": f.format,
        "mediatype": f.mediatype,
        "encoding": "utf-8",
        "bytes": f.bytes,
        "hash": f"sha256:{f.sha256}",
    }
    if f.table:
        resource["description"] = f.table.description_en
    if f.table_schema:
        resource["schema"] = f.table_schema
    return resource
