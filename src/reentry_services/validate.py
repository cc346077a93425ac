"""Validate: check a built package end to end and report every problem found.

Checks, in order: each file's size and hash against datapackage.json; the descriptor
against the Data Package profile (frictionless); every row of the CSV tables against their
Table Schemas (types, constraints, keys: `rowcheck`, frictionless's row checks done
column-wise); the JSON-LD against the schema.org terms; that CSV, Parquet and JSON-LD carry
the same resources and values; and that the HSDS and GIF exports are well formed and agree
with the services table. Large JSON files are read a line at a time.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from . import metadata, rowcheck
from .errors import PipelineError, clip, listing
from .publish import DATAPACKAGE, PublishedFile, batches, gif, hsds, jsonld, outputs
from .publish.files import sha256_of
from .publish.jsonld import RESOURCE_NODE_TYPES
from .publish.release import (
    DIST,
    JOURNAL,
    LOCK,
    PACKAGING_FIX,
    build_in_progress,
    files_under,
    packaging_output,
)
from .publish.tables import read_csv, stream_csv, stream_parquet
from .safefiles import read_regular, resource_path_problems
from .schema import SECTIONS, SERVICES, Table
from .schemaorg import NodeCheck, load_terms


@dataclass(frozen=True)
class Check:
    name: str
    summary: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(root: Path, thorough: bool = True) -> list[Check]:
    """Run every check on the package at `root`; a check that cannot run is a failure.

    `thorough=False` is the last of the build's own checks of a release it has just written
    (`check_written` did the data files as they were written): every file has the size
    datapackage.json gives (the build has just hashed them, so they are not hashed again)."""
    if build_in_progress(root):
        return [
            Check(
                "release",
                "a build is writing this folder now",
                (
                    f"{root / LOCK} is held by a build in progress: the files may change "
                    "while they are read; run validate again when the build has ended",
                ),
            )
        ]
    if (root / JOURNAL).exists():
        return [
            Check(
                "release",
                "a build stopped while swapping in a new release",
                (
                    f"{root / JOURNAL} is there: dist/ and datapackage.json may be from two "
                    "releases; run build again to finish the swap",
                ),
            )
        ]
    path = root / DATAPACKAGE
    try:
        descriptor = json.loads(read_regular(path))
        resources = {r["name"]: r for r in descriptor["resources"]}
    except (OSError, ValueError, KeyError, TypeError, PipelineError) as exc:
        return [Check("datapackage", f"cannot read {path}", (clip(str(exc), 300),))]
    unsafe = resource_path_problems(root, resources)
    if unsafe:  # refused before anything under them is opened or even looked at
        return [
            Check("paths", "resource paths stay inside the package, without links", tuple(unsafe))
        ]
    if not thorough:
        return [_run(("files", lambda: _check_files(root, resources, hashes=False)))]
    table = _table_reader(root, resources)
    digest = _digester(root)
    jsonld: dict[str, list[str]] = {}  # the JSON-LD's problems, from one streamed pass
    jsonld_lock = threading.Lock()

    def jsonld_problems(kind: str) -> list[str]:
        with jsonld_lock:
            if not jsonld:
                jsonld.update(_check_jsonld_file(_jsonld_path(root, resources), table(SERVICES)))
            return jsonld[kind]

    checks: list[tuple[str, Callable[[], tuple[str, list[str]]]]] = [
        ("files", lambda: _check_files(root, resources, hashes=True, digest=digest)),
        ("quoted", lambda: _check_quoted(root, resources, digest)),
        ("descriptor", lambda: _check_descriptor(descriptor)),
        ("rows", lambda: _check_rows(root, descriptor)),
        (
            "schema.org",
            lambda: ("types and properties against schema.org", jsonld_problems("schema.org")),
        ),
        (
            "consistency",
            lambda: _check_consistency(
                root,
                resources,
                lambda schema: table(schema).to_reader(),
                lambda: jsonld_problems("consistency"),
            ),
        ),
        ("hsds", lambda: _check_hsds_export(root, resources, table(SERVICES))),
        ("gif", lambda: _check_gif_export(root, resources, table(SERVICES))),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow releases the GIL: two cores work
        started = {name: pool.submit(_run, (name, run)) for name, run in _in_start_order(checks)}
        return [started[name].result() for name, _ in checks]


# The order the checks start in, two at a time: the longest first, `hsds` (which holds the
# GIL most: it parses services.json object by object) beside `rows` (mostly in Arrow), so
# that the other thread's checks, in Arrow and hashlib, run beside it. `quoted` comes
# after `files`, which hashes the files it then finds hashed; `consistency` after
# `schema.org`, which reads the JSON-LD for both.
_START_ORDER = ("hsds", "rows", "files", "schema.org", "gif", "descriptor", "quoted", "consistency")


def _in_start_order(checks: list[tuple[str, Callable]]) -> list[tuple[str, Callable]]:
    """The checks in _START_ORDER; any check it does not name last, in the order given."""
    rank = {name: i for i, name in enumerate(_START_ORDER)}
    return sorted(checks, key=lambda check: rank.get(check[0], len(rank)))


def check_written(
    root: Path, files: Sequence[PublishedFile], table_of: Callable[[str], pa.Table]
) -> list[Check]:
    """The build's checks of data files it has just written (`files`, a group of them),
    against each other and against the tables they were written from (`table_of` gives
    them by the name an output's `of` uses). Each output names its check in the registry;
    a check runs with the group that completes its outputs. One group is checked at a
    time."""
    resources = {f.name: {"path": f.path} for f in files}
    names = {f.check for f in files if f.check}
    complete = [
        name
        for name in sorted(names)
        if all(o.name in resources for o in outputs.OUTPUTS if o.check == name)
    ]
    with _ONE_GROUP_AT_A_TIME:
        return [
            _run((name, partial(GROUP_CHECKS[name], root, resources, table_of)))
            for name in complete
        ]


def _written_tables(
    root: Path, resources: dict, table_of: Callable[[str], pa.Table]
) -> tuple[str, list[str]]:
    return _check_consistency(
        root,
        resources,
        lambda schema: stream_csv(schema, root / resources[schema.name]["path"]),
        None,
    )


def _written_gif(
    root: Path, resources: dict, table_of: Callable[[str], pa.Table]
) -> tuple[str, list[str]]:
    path = root / resources[outputs.output("gif-services").name]["path"]
    layout = table_of("gif")
    problems = [f"gif-services: {p}" for p in rowcheck.check_table(layout, gif.table_schema())]
    return (
        "the GIF layout meets its Table Schema, and the GIF export is that layout",
        problems + _check_gif(path, layout),
    )


def _written_hsds(
    root: Path, resources: dict, table_of: Callable[[str], pa.Table]
) -> tuple[str, list[str]]:
    path = root / resources["hsds-services"]["path"]
    return (
        "the HSDS 3.0 export meets HSDS's Table Schemas and agrees with the services table",
        _check_hsds(path, table_of("services"), schemas=True, with_json=False),
    )


# The build's check of each group of data files, by the name the registry gives it.
GROUP_CHECKS: dict[
    str, Callable[[Path, dict, Callable[[str], pa.Table]], tuple[str, list[str]]]
] = {
    "tables": _written_tables,
    "gif": _written_gif,
    "hsds": _written_hsds,
}


# Each group's checks read large files back whole: two groups at once would double the
# build's peak memory (measured at 1,000,000 entries: 8.7 GB instead of 6.2).
_ONE_GROUP_AT_A_TIME = threading.Lock()


def _table_reader(root: Path, resources: dict) -> Callable[[Table], pa.Table]:
    """A reader of the package's CSV tables that reads each once, for every check that
    uses it (checks run two at a time)."""
    read: dict[str, pa.Table] = {}
    lock = threading.Lock()

    def table(schema: Table) -> pa.Table:
        with lock:
            if schema.name not in read:
                read[schema.name] = read_csv(schema, root / resources[schema.name]["path"])
            return read[schema.name]

    return table


def _run(check: tuple[str, Callable[[], tuple[str, list[str]]]]) -> Check:
    name, run = check
    try:
        summary, problems = run()
    except Exception as exc:  # a broken file must give a report line, not a traceback
        summary, problems = "could not run", [f"{type(exc).__name__}: {exc}"]
    return Check(name, summary, tuple(problems))


def render(root: Path, checks: list[Check]) -> str:
    """The readable report: one line per check, its problems indented under it."""
    lines = [f"validate {root}"]
    for check in checks:
        lines.append(f"  {'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.summary}")
        lines += [f"        {line}" for line in listing(list(check.problems)).splitlines()]
    failed = sum(not c.ok for c in checks)
    lines.append("valid" if not failed else f"INVALID: {failed} check(s) failed")
    return "\n".join(lines)


def _check_files(
    root: Path,
    resources: dict,
    hashes: bool,
    digest: Callable[[str], tuple[int, str]] | None = None,
) -> tuple[str, list[str]]:
    """Every file is there with the size datapackage.json gives, and, with `hashes`, the
    hash (the build skips that: it has just hashed the files it wrote); no other file is
    in dist/."""
    problems = []
    for name, r in resources.items():
        file = root / r["path"]
        if not file.is_file():
            problems.append(f"{name}: {r['path']} is missing")
            continue
        size, sha256 = digest(r["path"]) if digest and hashes else (file.stat().st_size, None)
        if size != r.get("bytes"):
            problems.append(
                f"{name}: {r['path']} has {size} bytes, datapackage.json says {r.get('bytes')}"
            )
        found = f"sha256:{sha256}" if hashes else r.get("hash")
        if found != r.get("hash"):
            problems.append(
                f"{name}: {r['path']} has hash {found}, datapackage.json says {r.get('hash')}"
            )
    listed = {r["path"] for r in resources.values()}
    unlisted = [path for path in files_under(root, DIST) if path not in listed]
    problems += [f"{path} is in the package's folder but no resource lists it" for path in unlisted]
    if packaging_output(unlisted):
        problems.append(PACKAGING_FIX.strip())
    checked = "sizes and sha256 hashes" if hashes else "sizes"
    return f"{len(resources)} resources, {checked}; no unlisted files", problems


def _digester(root: Path) -> Callable[[str], tuple[int, str]]:
    """(size, sha256) of a package file, computed once for every check that asks."""
    done: dict[str, tuple[int, str]] = {}
    lock = threading.Lock()

    def digest(path: str) -> tuple[int, str]:
        with lock:
            if path not in done:
                file = root / path
                done[path] = (file.stat().st_size, sha256_of(file))
            return done[path]

    return digest


def _check_quoted(
    root: Path, resources: dict, digest: Callable[[str], tuple[int, str]]
) -> tuple[str, list[str]]:
    """Every size and sha256 that the catalog, the JSON-LD and the page quote is the
    file's own, so an edit cannot be hidden by re-hashing datapackage.json alone."""
    by_format = {r["format"]: r["path"] for r in resources.values()}
    page, problems = _read_page(root / by_format["html"])
    quoted = [
        *_quoted_in_catalog(root / by_format["ttl"]),
        *_quoted_in_jsonld(root / by_format["jsonld"]),
        *page,
    ]
    listed = {r["path"] for r in resources.values()}
    bases: set[str] = set()
    for where, path, size, sha256 in quoted:
        if path not in listed and path.startswith(("http://", "https://")):
            # an absolute address: the listed file it ends with, under the release's base
            ends = [p for p in listed if path.endswith(f"/{p}")]
            if ends:
                bases.add(path.removesuffix(ends[0]))
                path = ends[0]
        if path not in listed:
            problems.append(f"{where} lists {path}, which is not a file of the package")
            continue
        actual_size, actual_sha = digest(path)
        if size is not None and size != actual_size:
            problems.append(f"{where} says {path} has {size} bytes; it has {actual_size}")
        if sha256 is not None and sha256 != actual_sha:
            problems.append(f"{where} gives {path} the sha256 {sha256}; it is {actual_sha}")
    if len(bases) > 1:
        problems.append(f"the absolute addresses use {len(bases)} bases: {sorted(bases)}")
    return (
        f"{len(quoted)} sizes and hashes quoted by the catalog, the JSON-LD and the "
        "page are the files' own",
        problems,
    )


Quote = tuple[str, str, int | None, str | None]  # where, path from the root, size, sha256


def _quoted_in_catalog(path: Path) -> list[Quote]:
    from rdflib import Graph
    from rdflib.namespace import DCAT as dcat

    from .publish.dcat import SPDX as spdx

    graph = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    quotes = []
    for distribution in graph.subjects(dcat.downloadURL, None):
        url = graph.value(distribution, dcat.downloadURL)
        size = graph.value(distribution, dcat.byteSize)
        checksum = graph.value(distribution, spdx.checksum)
        value = graph.value(checksum, spdx.checksumValue) if checksum else None
        quotes.append(
            (
                path.name,
                _package_path(path, str(url)),
                int(str(size)) if size is not None else None,
                str(value) if value is not None else None,
            )
        )
    return quotes


def _quoted_in_jsonld(path: Path) -> list[Quote]:
    head = orjson.loads(next(_json_texts(path, JSONLD_HEAD)))
    return _downloads(path.name, path, head)


def _downloads(where: str, base: Path, dataset: dict) -> list[Quote]:
    """The DataDownloads of a schema.org Dataset node: contentUrl, contentSize, sha256."""
    quotes = []
    for node in dataset.get("distribution", []):
        size = node.get("contentSize")
        quotes.append(
            (
                f"{where} (DataDownload)",
                _package_path(base, node.get("contentUrl", "")),
                int(size.removesuffix(" B")) if size else None,
                node.get("sha256"),
            )
        )
    return quotes


def _read_page(path: Path) -> tuple[list[Quote], list[str]]:
    """What the page's download table and its embedded JSON-LD's DataDownloads quote, and
    the problem of an embedded script holding text that HTML reads as markup (the browser
    would take the rest of the page for script)."""
    page = _PageReader()
    page.feed(path.read_text(encoding="utf-8"))
    quotes, problems = [], []
    for script in page.json_ld:
        lowered = script.lower()
        problems += [
            f"{path.name}: the embedded JSON-LD holds {markup!r}, which ends or "
            "escapes a script element"
            for markup in ("<!--", "<script", "</script")
            if markup in lowered
        ]
        document = json.loads(script)
        quotes += _downloads(f"{path.name} (embedded JSON-LD)", path, document["@graph"][0])
    for href, size, sha256 in page.download_rows:
        quotes.append(
            (
                f"{path.name} (downloads table)",
                _package_path(path, href),
                int(size.removesuffix(" B").replace(",", "")),
                sha256,
            )
        )
    return quotes, problems


def _package_path(document: Path, url: str) -> str:
    """A URL that a document of the package gives, as a path from the package root (the
    URL itself when it leads outside the package's dist/ folder)."""
    if not url or ":" in url.split("/")[0]:
        prefix = document.resolve().parent.as_uri() + "/"
        if not url.startswith(prefix):
            return url
        url = url.removeprefix(prefix)
    return f"{DIST}/{url}"


class _PageReader(HTMLParser):
    """The landing page's JSON-LD scripts and downloads (href, size text, sha256): each
    download is an <li> of <ul class="downloads"> with a link, a <span class="size"> and a
    <code class="hash">."""

    def __init__(self) -> None:
        super().__init__()
        self.json_ld: list[str] = []
        self.download_rows: list[tuple[str, str, str]] = []
        self._script: list[str] | None = None
        self._in_downloads = False
        self._item: dict[str, str] | None = None
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._script = []
        elif tag == "ul" and attributes.get("class") == "downloads":
            self._in_downloads = True
        elif tag == "li" and self._in_downloads:
            self._item = {"href": "", "size": "", "hash": ""}
        elif self._item is not None:
            if tag == "a" and not self._item["href"]:
                self._item["href"] = attributes.get("href") or ""
            elif attributes.get("class") in ("size", "hash"):
                self._field = attributes["class"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.json_ld.append("".join(self._script))
            self._script = None
        elif tag == "li" and self._item is not None:
            item = self._item
            self.download_rows.append((item["href"], item["size"], item["hash"]))
            self._item = None
        elif tag == "ul":
            self._in_downloads = False
        elif tag in ("span", "code"):
            self._field = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif self._item is not None and self._field:
            self._item[self._field] += data


def _check_descriptor(descriptor: dict) -> tuple[str, list[str]]:
    """datapackage.json against the Data Package profile, by frictionless."""
    import frictionless

    try:
        problems = [
            f"{e.type}: {e.message}" for e in frictionless.Package.metadata_validate(descriptor)
        ]
    except frictionless.FrictionlessException as exc:
        problems = [str(exc)]
    return "datapackage.json is a valid Data Package descriptor (frictionless)", problems


def _check_rows(root: Path, descriptor: dict) -> tuple[str, list[str]]:
    rows, problems = rowcheck.check_tables(root, descriptor)
    return (
        f"{rows} rows of the CSV tables against their Table Schemas (types, constraints, keys)"
    ), problems


def _jsonld_path(root: Path, resources: dict) -> Path:
    (resource,) = [r for r in resources.values() if r["format"] == "jsonld"]
    return root / resource["path"]


JSONLD_HEAD = b'{"@context": "https://schema.org", "@graph": ['


def _json_texts(path: Path, head: bytes) -> Iterator[bytes]:
    """The items of a JSON array as compact JSON text: as this package writes it, one per
    line after `head`, read a line at a time; a file laid out otherwise is parsed whole and
    each item written compactly again (so an unchanged item reads the same either way)."""
    with path.open("rb") as lines:
        if lines.readline().rstrip(b"\n") == head:
            for line in lines:
                line = line.rstrip(b"\n").removesuffix(b",")
                if line.startswith(b"]"):
                    return
                yield line
            return
    data = orjson.loads(path.read_bytes())
    if head == JSONLD_HEAD:
        if data.get("@context") != "https://schema.org":
            raise ValueError(f"@context is {data.get('@context')!r}, not 'https://schema.org'")
        data = data.get("@graph", [])
    yield from map(orjson.dumps, data)


def _check_jsonld_file(path: Path, services: pa.Table) -> dict[str, list[str]]:
    """One pass over the JSON-LD: its types and properties against schema.org, and its
    resource nodes against the CSV rows (both in service_id order). A resource node that is
    byte for byte the node its CSV row gives is consistent, and its shape is one the writer
    makes; only the other nodes are parsed and checked one by one."""
    check = NodeCheck(load_terms())
    texts = _json_texts(path, JSONLD_HEAD)
    consistency: list[str] = []
    first_resource = None
    for text in texts:
        node = orjson.loads(text)
        check.add(node)
        if node.get("@type") in RESOURCE_NODE_TYPES:
            first_resource = text
            break
    found = itertools.chain([first_resource] if first_resource else [], texts)
    codes = services["jurisdiction_code"].unique().to_pylist()
    area_id = metadata.iri("area", codes[0]) if len(codes) == 1 else ""
    render = partial(jsonld.service_nodes, area_id=area_id)
    for batch, (expected, samples) in batches.rendered_ahead(render, services):
        for line in expected.take(samples).to_pylist():
            check.add(orjson.loads(line))
        published = list(itertools.islice(found, batch.num_rows))
        same = pc.equal(
            pa.array(published, pa.binary()).cast(pa.string()), expected[: len(published)]
        )
        for i in np.flatnonzero(~same.to_numpy(zero_copy_only=False)):
            node = orjson.loads(published[i])
            check.add(node)
            sid = batch["service_id"][i].as_py()
            consistency += _compare_node(sid, orjson.loads(expected[i].as_py()), node)
        if len(published) < batch.num_rows:
            missing = batch["service_id"][len(published) :].to_pylist()
            consistency += [f"{sid} has no JSON-LD node" for sid in missing]
    for text in found:
        node = orjson.loads(text)
        check.add(node)
        consistency.append(f"JSON-LD node {node.get('@id')} has no CSV row")
    return {"schema.org": check.problems, "consistency": consistency}


def _check_consistency(
    root: Path,
    resources: dict,
    csv_rows: Callable[[Table], pa.RecordBatchReader],
    jsonld: Callable[[], list[str]] | None,
) -> tuple[str, list[str]]:
    """CSV = Parquet for both tables (`csv_rows` gives a CSV table's rows), compared a
    batch at a time; then, given how to get the JSON-LD's problems, the JSON-LD (asked for
    last: another check may be finding them)."""
    problems = []
    rows = {}
    for schema in (SECTIONS, SERVICES):
        parquet = stream_parquet(root / resources[f"{schema.name}-parquet"]["path"])
        rows[schema.name], same = _same_rows(csv_rows(schema), parquet)
        if not same:
            problems.append(f"{schema.name}: the CSV and the Parquet file differ")
    formats = "CSV and Parquet" if jsonld is None else "CSV, Parquet and JSON-LD"
    summary = f"{formats} agree ({rows['services']} services, {rows['sections']} sections)"
    return summary, problems + (jsonld() if jsonld else [])


def _same_rows(left: pa.RecordBatchReader, right: pa.RecordBatchReader) -> tuple[int, bool]:
    """(the rows of `left`, whether `right` has the same column names and values), however
    the two are batched."""
    lefts, rights = iter(left), iter(right)
    count, same, rest = 0, left.schema.names == right.schema.names, None  # rest: of right
    for batch in lefts:
        count += batch.num_rows
        while same and batch.num_rows:
            if rest is None or not rest.num_rows:
                rest = next(rights, None)
                same = rest is not None
                continue
            n = min(batch.num_rows, rest.num_rows)
            same = all(
                a.slice(0, n).equals(b.slice(0, n))
                for a, b in zip(batch.columns, rest.columns, strict=True)
            )
            batch, rest = batch.slice(n), rest.slice(n)
    if same:  # and nothing of `right` is left over
        same = (rest is None or not rest.num_rows) and not any(b.num_rows for b in rights)
    return count, same


def _compare_node(service_id: str, expected: dict, node: dict) -> list[str]:
    """A corruption check: which properties of a resource's node differ from the node the
    writer gives its CSV row."""
    if node.get("@id") != expected.get("@id"):
        return [f"{service_id}: the JSON-LD node in its place is {node.get('@id')}"]
    differing = sorted(k for k in expected.keys() | node.keys() if expected.get(k) != node.get(k))
    return [f"{service_id}: JSON-LD {', '.join(differing)} differ from the node its CSV row gives"]


def _check_hsds_export(root: Path, resources: dict, services: pa.Table) -> tuple[str, list[str]]:
    """The HSDS export: its services' ids and names agree with the services table, and
    services.json meets HSDS's JSON Schema (its tables' Table Schemas are `rows`')."""
    problems = _check_hsds(
        root / resources["hsds-services"]["path"], services, schemas=False, with_json=True
    )
    return "the HSDS 3.0 export agrees with the services table", problems


def _check_gif_export(root: Path, resources: dict, services: pa.Table) -> tuple[str, list[str]]:
    """The GIF export: its rows are the GIF layout of the services table (its Table
    Schema is `rows`')."""
    problems = _check_gif(root / resources["gif-services"]["path"], gif.gif_table(services))
    return "the GIF export agrees with the services table", problems


def _check_gif(path: Path, layout: pa.Table) -> list[str]:
    """A corruption check: the GIF file's rows against `layout` (the GIF layout of the
    services table, gif.gif_table), read a batch at a time."""
    try:
        published = rowcheck.stream_strings(path)
        if published.schema.names != gif.HEADER:
            return [f"gif: columns are {published.schema.names}, expected {gif.HEADER}"]
        _, same = _same_rows(published, layout.to_reader())
    except (OSError, pa.ArrowInvalid) as exc:
        return [f"gif-services: cannot be read as CSV: {exc}"]
    return [] if same else ["gif: rows differ from the services table"]


def _check_hsds(
    services_csv: Path, services: pa.Table, schemas: bool, with_json: bool
) -> list[str]:
    """With `schemas`, the HSDS tables against HSDS's own Table Schemas (types, formats,
    required values, primary and foreign keys; `validate` does this in its row check);
    then, as a corruption check, their services' ids and names against the services table,
    and, with `with_json`, those of services.json."""
    folder, spec = services_csv.parent, hsds.load_tables()["tables"]
    problems = []
    if schemas:
        descriptor = {
            "resources": [
                {
                    "name": hsds.resource_name(t["path"]),
                    "type": "table",
                    "path": t["path"],
                    "schema": t["schema"],
                }
                for t in spec.values()
            ]
        }
        problems += rowcheck.check_tables(folder, descriptor)[1]
    found = rowcheck.read_strings(services_csv, columns=["id", "name"])
    ids = metadata.stable_uuids("service", services["service_id"])
    if found.column_names != ["id", "name"] or (
        found.num_rows != services.num_rows
        or not (
            found["id"].equals(pa.chunked_array([ids]))
            and found["name"].equals(services["name_ja"])
        )
    ):
        problems.append(
            "hsds services.csv: ids or names differ from the services table (row by row)"
        )
    if with_json:
        problems += _check_hsds_json(folder / hsds.JSON_NAME, services, ids)
    return problems


def _check_hsds_json(path: Path, services: pa.Table, ids: pa.Array) -> list[str]:
    """services.json: every object valid against HSDS's service JSON Schema (by
    jsonschema-rs, formats checked), and, as a corruption check, one object per service
    with its id and name, in order."""
    import jsonschema_rs

    validator = jsonschema_rs.Draft202012Validator(
        hsds.load_service_schema(), validate_formats=True
    )
    problems: list[str] = []
    found_ids, found_names = [], []
    for number, text in enumerate(_json_texts(path, b"["), start=1):
        service = orjson.loads(text)
        errors = () if validator.is_valid(service) else validator.iter_errors(service)
        for error in itertools.islice(errors, 3):
            where = "/".join(map(str, error.instance_path)) or "the object"
            problems.append(
                f"hsds {hsds.JSON_NAME}: service {number} ({service.get('id')}), "
                f"{where}: {error.message}"
            )
        found_ids.append(service.get("id"))
        found_names.append(service.get("name"))
    if found_ids != ids.to_pylist() or found_names != services["name_ja"].to_pylist():
        problems.append(
            f"hsds {hsds.JSON_NAME}: ids or names differ from the services table (object by object)"
        )
    return problems
