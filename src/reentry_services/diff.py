"""Diff: what changed in the data between two built packages, for the changelog.

Reads only what any release publishes (datapackage.json, dist/services.csv as text, and the
JSON-LD's download addresses where there is one), so it can compare packages built by
different versions of this code.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import MAX_LISTED, PipelineError, clip, listing
from .safefiles import read_regular, resource_path_problems

# Fields that change with the page's layout or the capture date, not with the resource.
LINEAGE = frozenset({"source_line_start", "source_line_end", "snapshot_date"})


@dataclass(frozen=True)
class Package:
    version: str
    snapshot_date: str
    services: dict[str, dict[str, str]]  # service_id -> row, values as published text
    fields: dict[str, dict[str, str]]  # table resource -> field name -> type
    paths: dict[str, str]  # resource name -> path in the package
    addresses: dict[str, str] | None  # download name -> address (JSON-LD); None: no JSON-LD


def read_package(root: Path) -> Package:
    """The parts of a built package that a data changelog compares. Only regular files
    inside the package are read (a resource path outside it, or a link, is refused)."""
    path = root / "datapackage.json"
    try:
        descriptor = json.loads(read_regular(path))
        resources = {r["name"]: r for r in descriptor["resources"]}
    except (OSError, ValueError, KeyError, TypeError, PipelineError) as exc:
        raise PipelineError(
            f"{root}: not a built package ({clip(str(exc), 200)}); run "
            "`reentry-services build --out` there first"
        ) from None
    unsafe = resource_path_problems(root, resources)
    if unsafe:
        raise PipelineError(f"{path}: refused, nothing under it was read:\n{listing(unsafe)}")
    if "services" not in resources:
        raise PipelineError(f"{path}: no resource named services; not a reentry-services release")
    rows = _services(root, resources["services"]["path"])
    return Package(
        version=str(descriptor.get("version", "?")),
        snapshot_date=next((row["snapshot_date"] for row in rows if row.get("snapshot_date")), "?"),
        services={row["service_id"]: row for row in rows},
        fields={
            name: _fields(root, name, r["schema"]) for name, r in resources.items() if "schema" in r
        },
        paths={name: r["path"] for name, r in resources.items()},
        addresses=_addresses(root, resources),
    )


def _services(root: Path, relative: str) -> list[dict[str, str]]:
    """The rows of the services CSV, which must have a service_id column."""
    path = root / relative
    try:
        rows = list(csv.DictReader(io.StringIO(read_regular(path).decode("utf-8"), newline="")))
    except (OSError, ValueError, csv.Error) as exc:
        raise PipelineError(f"{path}: not readable as CSV ({clip(str(exc), 200)})") from None
    if rows and "service_id" not in rows[0]:
        raise PipelineError(
            f"{path}: no service_id column, so it is not a services table of reentry-services"
        )
    return rows


def _fields(root: Path, name: str, schema: object) -> dict[str, str]:
    """Field name -> type of a Table Schema given inline or as a path in the package."""
    where = f"{root / 'datapackage.json'}: resource {name}"
    if isinstance(schema, str):
        unsafe = resource_path_problems(root, {f"{name} schema": {"path": schema}})
        if unsafe:
            raise PipelineError(f"{where}: refused:\n{listing(unsafe)}")
        try:
            schema = json.loads(read_regular(root / schema))
        except (OSError, ValueError) as exc:
            raise PipelineError(f"{where}: its schema {schema!r} is unreadable ({exc})") from None
    try:
        return {str(f["name"]): str(f.get("type", "any")) for f in schema["fields"]}  # type: ignore[index]
    except (KeyError, TypeError, AttributeError):
        raise PipelineError(f"{where}: its schema has no list of fields") from None


def _addresses(root: Path, resources: dict) -> dict[str, str] | None:
    """Each download's address as the JSON-LD Dataset gives it (and the page's `url`)."""
    jsonld = next(
        (r for r in resources.values() if r.get("mediatype") == "application/ld+json"), None
    )
    if jsonld is None:
        return None
    try:
        graph = json.loads(read_regular(root / jsonld["path"]))["@graph"]
        dataset = next(n for n in graph if n.get("@type") == "Dataset")
        found = {str(d["name"]): str(d["contentUrl"]) for d in dataset.get("distribution", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StopIteration):
        return None
    if "url" in dataset:
        found["the page (url)"] = str(dataset["url"])
    return found


def summarize(old: Package, new: Package) -> str:
    """A Markdown data section for CHANGELOG.md."""
    added = sorted(set(new.services) - set(old.services))
    removed = sorted(set(old.services) - set(new.services))
    kept = sorted(set(old.services) & set(new.services))
    differences = {sid: _changed_fields(old.services[sid], new.services[sid]) for sid in kept}
    changed = {sid: [f for f in fields if f not in LINEAGE] for sid, fields in differences.items()}
    changed = {sid: fields for sid, fields in changed.items() if fields}
    moved = [sid for sid, fields in differences.items() if fields and sid not in changed]
    lines = [
        f"## Data {old.version} → {new.version}",
        "",
        f"Snapshot: {old.snapshot_date} → {new.snapshot_date}",
        "",
        "### Resources",
        "",
    ]
    lines += _list("added", added, new) + _list("removed", removed, old)
    lines.append(f"- changed ({len(changed)})" + (":" if changed else ""))
    lines += [
        f"  - `{sid}` {new.services[sid].get('name_ja', '')}: {', '.join(fields)}"
        for sid, fields in changed.items()
    ]
    lines.append(f"- moved on the page, content unchanged ({len(moved)})")
    lines += ["", "### Schema", ""] + (_schema_changes(old, new) or ["- no changes"])
    lines += ["", "### Files and addresses", "", *_file_changes(old, new)]
    return "\n".join(lines) + "\n"


def _file_changes(old: Package, new: Package) -> list[str]:
    """Resources added, removed or moved, and download addresses that changed."""
    lines = [f"- resource `{n}` added ({new.paths[n]})" for n in new.paths if n not in old.paths]
    lines += [f"- resource `{n}` removed" for n in old.paths if n not in new.paths]
    lines += [
        f"- resource `{n}` moved: {old.paths[n]} → {new.paths[n]}"
        for n in new.paths
        if n in old.paths and old.paths[n] != new.paths[n]
    ]
    if old.addresses is None or new.addresses is None:
        lines.append("- download addresses not compared: a package has no JSON-LD Dataset")
    else:
        before, after = old.addresses, new.addresses
        moved = [n for n in after if n in before and before[n] != after[n]]
        lines.append(f"- download addresses changed ({len(moved)})" + (":" if moved else ""))
        lines += [f"  - {n}: {before[n]} → {after[n]}" for n in moved[:MAX_LISTED]]
        if len(moved) > MAX_LISTED:
            lines.append(f"  - … and {len(moved) - MAX_LISTED} more")
    return lines or ["- no changes"]


def _list(label: str, ids: list[str], package: Package) -> list[str]:
    lines = [f"- {label} ({len(ids)})" + (":" if ids else "")]
    return lines + [f"  - `{sid}` {package.services[sid].get('name_ja', '')}" for sid in ids]


def _changed_fields(old: dict[str, str], new: dict[str, str]) -> list[str]:
    return [name for name in new if name in old and old[name] != new[name]]


def _schema_changes(old: Package, new: Package) -> list[str]:
    lines = []
    for table in sorted(set(old.fields) | set(new.fields)):
        before, after = old.fields.get(table, {}), new.fields.get(table, {})
        if not before or not after:
            lines.append(f"- {table}: table {'added' if after else 'removed'}")
            continue
        lines += [
            f"- {table}: field `{n}` added ({after[n]}{_filled(new, table, n)})"
            for n in after
            if n not in before
        ]
        lines += [f"- {table}: field `{n}` removed" for n in before if n not in after]
        lines += [
            f"- {table}: field `{n}` type {before[n]} → {after[n]}"
            for n in after
            if n in before and before[n] != after[n]
        ]
    return lines


def _filled(package: Package, table: str, field: str) -> str:
    """For a services field: how many rows have a value in it."""
    if table != "services":
        return ""
    count = sum(1 for row in package.services.values() if row.get(field))
    return f"; {count} of {len(package.services)} rows have a value"
