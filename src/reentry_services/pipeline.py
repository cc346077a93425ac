"""The pipeline: build (ingest → normalize → publish → check → swap) and validate, step
by step; and the maintainers' steps (derive the standards' extracts, diff two releases,
check the links). The command line and the tests call these."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Interrupted, PipelineError
from .timing import Stages

if TYPE_CHECKING:
    from .model.records import Source, Tables
    from .release import Output


def build(
    raw: Path,
    out: Path,
    stages: Stages | None = None,
    force: bool = False,
    base_url: str | None = None,
) -> str:
    """Run ingest → normalize → publish → validate from `raw` into `out`, replacing the
    release there only if the new one is whole and valid and the old one is a release of
    this project (`force` replaces whatever is there); return a summary. `base_url` is the
    release's address (default: raw/publication.toml's). Interrupted, it raises
    Interrupted, saying which release is in place."""
    from .release import locked_output

    with locked_output(out, raw, force) as output:
        try:
            tables, source = _build_into(output, raw, stages or Stages(), base_url)
        except KeyboardInterrupt:
            raise Interrupted(f"interrupted; {output.where_it_stands()}") from None
    from .model.records import added_count

    services = tables.services
    summary = (
        f"built {services.num_rows} services ({added_count(services)} added to the page's) in "
        f"{tables.sections.num_rows} sections from {source.snapshot_path} into {out}"
    )
    return "\n".join([*output.notes, summary])


def _build_into(
    output: Output, raw: Path, stages: Stages, base_url: str | None
) -> tuple[Tables, Source]:
    """build's steps with the output's lock held: ingest, normalize, write, check, swap."""
    from .checks import render
    from .checks import validate as run_checks
    from .outputs import write_release
    from .release import staged_release
    from .stages import read_inputs
    from .stages.normalize import normalize
    from .stages.source import read_publication

    with stages.stage("ingest"):
        curation, page = read_inputs(raw)
        publication = read_publication(raw, base_url)
    with stages.stage("normalize"):
        tables = normalize(page, curation)
        source = page.source
        del curation, page  # the entries and curation rows live on in the tables only
    with staged_release(output) as staging:
        with stages.stage("publish"):
            write_release(tables, source, staging, publication)
        with stages.stage("validate"):
            checks = run_checks(staging, thorough=False)
        if not all(c.ok for c in checks):
            raise PipelineError(
                "the new release failed validation, so the previous "
                f"release was kept as it was:\n{render(staging, checks)}"
            )
    return tables, source


def validate(root: Path, stages: Stages | None = None) -> tuple[bool, str]:
    """Check the package at `root`; return whether it is valid and the report."""
    from .checks import render
    from .checks import validate as run_checks

    with (stages or Stages()).stage("validate"):
        checks = run_checks(root)
    return all(c.ok for c in checks), render(root, checks)


def derive(vendor: Path, raw: Path) -> str:
    """Re-derive the package's small extracts of the vendored standards: the schema.org
    terms the JSON-LD of `raw` uses (rendered in memory, every file described), HSDS's
    tables and service JSON Schema, and GIF's item names."""
    from .standards.giflayout import ITEMS_PATH, derive_items
    from .standards.hsdsspec import (
        SERVICE_SCHEMA_PATH,
        TABLES_PATH,
        derive_service_schema,
        derive_tables,
    )
    from .standards.schemaorg import TERMS_PATH, derive_terms

    document = jsonld_terms_document(raw)
    terms = derive_terms(vendor / "schemaorg" / "schemaorg-current-https.ttl", document)
    hsds = derive_tables(json.loads((vendor / "hsds" / "datapackage.json").read_text()))
    service = derive_service_schema(
        json.loads(
            (vendor / "hsds" / "schema" / "compiled" / "service_with_definitions.json").read_text()
        )
    )
    gif = derive_items(vendor / "gif" / "451-4_items.csv", vendor / "gif" / "432_contact_items.csv")
    written = (
        (TERMS_PATH, terms),
        (TABLES_PATH, hsds),
        (SERVICE_SCHEMA_PATH, service),
        (ITEMS_PATH, gif),
    )
    for path, data in written:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return "wrote " + ", ".join(str(path) for path, _ in written)


def jsonld_terms_document(raw: Path) -> dict:
    """Every node the JSON-LD of `raw` can hold: rendered in memory with every file
    described as measured, once with an address and a mailbox to publish at and once with
    a web contact, and once with every resource in each status, each with a contact point
    that has every value (the terms do not depend on the other values)."""
    from dataclasses import replace

    import pyarrow as pa

    from .model.records import Publication
    from .model.schema import CONTACT_POINTS, STATUSES
    from .outputs import registry
    from .outputs.jsonld import document_text
    from .stages import read_inputs
    from .stages.normalize import normalize

    curation, page = read_inputs(raw)
    files = [replace(f, bytes=1, sha256="0" * 64) for f in registry.OUTPUTS]
    services = normalize(page, curation).services
    # every resource with a contact point whose every value is given (the fields' examples)
    example = {f.name: f.example for f in CONTACT_POINTS.fields}
    contacts = pa.Table.from_pylist(
        [example | {"service_id": sid} for sid in services["service_id"].to_pylist()]
    )
    status = services.schema.get_field_index("status")
    variants = [
        (
            services.set_column(status, "status", pa.array([code] * len(services), pa.string())),
            contact,
        )
        for code in STATUSES.values
        for contact in ("mailto:maintainers@example.org", "https://example.org/issues")
    ]
    graph = []
    for table, contact in variants:
        publication = Publication("https://example.org/release/", contact)
        document = document_text(table, contacts, page.source, files, publication)
        graph += json.loads(document)["@graph"]
    return {"@context": "https://schema.org", "@graph": graph}


def diff(old: Path, new: Path) -> str:
    """The data changelog section between two built packages."""
    from .diff import read_package, summarize

    return summarize(read_package(old), read_package(new))


def check_links(raw: Path, timeout: float, concurrency: int) -> str:
    """Request every link of `raw` and write raw/curation/link-checks.csv; a summary."""
    from . import linkcheck

    checks = linkcheck.check_links(linkcheck.links_to_check(raw), timeout, concurrency)
    if checks and all(c.outcome == "unreachable" for c in checks):
        raise PipelineError(
            f"none of the {len(checks)} links could be reached: this machine is probably "
            "offline, so raw/curation/link-checks.csv was left as it was; run check-links "
            "where there is a network"
        )
    return linkcheck.summary(checks, linkcheck.write_checks(checks, raw))
