"""Diff: what changed in the data between two built packages, for the changelog.

Reads only what any release publishes (datapackage.json and dist/services.csv, as text), so
it can compare packages built by different versions of this code.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import PipelineError

# Fields that change with the page's layout or the capture date, not with the resource.
LINEAGE = frozenset({"source_line_start", "source_line_end", "snapshot_date"})


@dataclass(frozen=True)
class Package:
    version: str
    snapshot_date: str
    services: dict[str, dict[str, str]]  # service_id -> row, values as published text
    fields: dict[str, dict[str, str]]  # table resource -> field name -> type


def read_package(root: Path) -> Package:
    """The parts of a built package that a data changelog compares."""
    try:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        resources = {r["name"]: r for r in descriptor["resources"]}
        with (root / resources["services"]["path"]).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, ValueError, KeyError) as exc:
        raise PipelineError(
            f"{root}: not a built package ({exc}); run `reentry-services build --out` there first"
        ) from None
    return Package(
        version=descriptor.get("version", "?"),
        snapshot_date=rows[0]["snapshot_date"] if rows else "?",
        services={row["service_id"]: row for row in rows},
        fields={
            name: {f["name"]: f["type"] for f in r["schema"]["fields"]}
            for name, r in resources.items()
            if "schema" in r
        },
    )


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
    return "\n".join(lines) + "\n"


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
