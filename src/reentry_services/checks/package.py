"""The package as files: each there with its size and hash, nothing unlisted, what the
catalog, the JSON-LD and the page quote of them, and the descriptor itself."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from ..model.release import DIST, PACKAGING_FIX, files_under, packaging_output
from .context import Release
from .jsonld import graph_nodes


def check_files(release: Release) -> tuple[str, list[str]]:
    """Every file is there with the size datapackage.json gives, and, when the release is
    checked thoroughly, the hash (a build skips that: it has just hashed the files it
    wrote); no other file is in dist/."""
    root, resources, hashes = release.root, release.resources, release.thorough
    problems = []
    for name, r in resources.items():
        file = root / r["path"]
        if not file.is_file():
            problems.append(f"{name}: {r['path']} is missing")
            continue
        size, sha256 = release.digest(file) if hashes else (file.stat().st_size, None)
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


def check_quoted(release: Release) -> tuple[str, list[str]]:
    """Every size and sha256 that the catalog, the JSON-LD and the page quote is the
    file's own, so an edit cannot be hidden by re-hashing datapackage.json alone."""
    root, resources = release.root, release.resources
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
        actual_size, actual_sha = release.digest(root / path)
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
    from rdflib import Graph, Namespace
    from rdflib.namespace import DCAT as dcat

    spdx = Namespace("http://spdx.org/rdf/terms#")

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
    dataset = next(n for n in graph_nodes(path) if n.get("@type") == "Dataset")
    return _downloads(path.name, path, dataset)


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


def check_descriptor(release: Release) -> tuple[str, list[str]]:
    """datapackage.json against the Data Package profile, by frictionless."""
    import frictionless

    descriptor = release.descriptor
    try:
        problems = [
            f"{e.type}: {e.message}" for e in frictionless.Package.metadata_validate(descriptor)
        ]
    except frictionless.FrictionlessException as exc:
        problems = [str(exc)]
    return "datapackage.json is a valid Data Package descriptor (frictionless)", problems
