"""The `reentry-services` command: build, validate, diff, and for maintainers check-links
and derive."""

from __future__ import annotations

import argparse
import importlib.abc
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PipelineError, clip
from .timing import Stages

if TYPE_CHECKING:
    import pyarrow as pa

    from .ingest import Source
    from .normalize import Tables
    from .publish.release import Output


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
    from .publish.release import locked_output

    with locked_output(out, raw, force) as output:
        try:
            tables, source = _build_into(output, raw, stages or Stages(), base_url)
        except KeyboardInterrupt:
            raise Interrupted(f"interrupted; {output.where_it_stands()}") from None
    summary = (
        f"built {tables.services.num_rows} services in {tables.sections.num_rows} "
        f"sections from {source.snapshot_path} into {out}"
    )
    return "\n".join([*output.notes, summary])


def _build_into(
    output: Output, raw: Path, stages: Stages, base_url: str | None
) -> tuple[Tables, Source]:
    """build's steps with the output's lock held: ingest, normalize, write, check, swap."""
    from .ingest import read_inputs, read_publication
    from .normalize import normalize
    from .publish import PublishedFile, write_release
    from .publish.release import staged_release
    from .validate import Check, check_written, render
    from .validate import validate as run_checks

    with stages.stage("ingest"):
        curation, page = read_inputs(raw)
        publication = read_publication(raw, base_url)
    with stages.stage("normalize"):
        tables = normalize(page, curation)
        source = page.source
        del curation, page  # the entries and curation rows live on in the tables only
    with staged_release(output) as staging:
        written: list[Check] = []  # the files' checks, as soon as each group is written

        def check(files: list[PublishedFile], table_of: Callable[[str], pa.Table]) -> None:
            written.extend(check_written(staging, files, table_of))

        with stages.stage("publish"):
            write_release(tables, source, staging, on_written=check, publication=publication)
        with stages.stage("validate"):
            checks = run_checks(staging, thorough=False) + sorted(
                written, key=lambda c: c.name
            )  # the same order whichever ended first
        if not all(c.ok for c in checks):
            raise PipelineError(
                "the new release failed validation, so the previous "
                f"release was kept as it was:\n{render(staging, checks)}"
            )
    return tables, source


class Interrupted(PipelineError):
    """The user stopped the command (Ctrl-C); the message says what is in place."""


def validate(root: Path, stages: Stages | None = None) -> tuple[bool, str]:
    """Check the package at `root`; return whether it is valid and the report."""
    from .validate import render
    from .validate import validate as run_checks

    with (stages or Stages()).stage("validate"):
        checks = run_checks(root)
    return all(c.ok for c in checks), render(root, checks)


def derive(vendor: Path, raw: Path) -> str:
    """Re-derive the package's small extracts of the vendored standards: the schema.org
    terms the JSON-LD of `raw` uses (rendered in memory, every file described), and HSDS's
    tables and service JSON Schema."""
    from .publish.hsds import (
        SERVICE_SCHEMA_PATH,
        TABLES_PATH,
        derive_service_schema,
        derive_tables,
    )
    from .schemaorg import TERMS_PATH, derive_terms

    document = jsonld_terms_document(raw)
    terms = derive_terms(vendor / "schemaorg" / "schemaorg-current-https.ttl", document)
    hsds = derive_tables(json.loads((vendor / "hsds" / "datapackage.json").read_text()))
    service = derive_service_schema(
        json.loads(
            (vendor / "hsds" / "schema" / "compiled" / "service_with_definitions.json").read_text()
        )
    )
    written = ((TERMS_PATH, terms), (TABLES_PATH, hsds), (SERVICE_SCHEMA_PATH, service))
    for path, data in written:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return "wrote " + ", ".join(str(path) for path, _ in written)


def jsonld_terms_document(raw: Path) -> dict:
    """Every node the JSON-LD of `raw` can hold: rendered in memory with every file
    described as measured, once with an address and a mailbox to publish at and once with
    a web contact (the terms do not depend on the values)."""
    from dataclasses import replace

    from .ingest import Publication, read_inputs
    from .normalize import normalize
    from .publish import outputs
    from .publish.jsonld import document_text

    curation, page = read_inputs(raw)
    files = [replace(f, bytes=1, sha256="0" * 64) for f in outputs.OUTPUTS]
    services = normalize(page, curation).services
    graph = []
    for contact in ("mailto:maintainers@example.org", "https://example.org/issues"):
        publication = Publication("https://example.org/release/", contact)
        graph += json.loads(document_text(services, page.source, files, publication))["@graph"]
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


def _positive(kind: type, most: float) -> Callable[[str], float]:
    """An argparse type: a number above zero and at most `most`."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not 0 < value <= most:
            raise argparse.ArgumentTypeError(f"{text} is not between 0 and {most}")
        return value

    return parse


def _default_root() -> Path:
    """The current directory if it holds a release, else the release the package ships."""
    from .api import release_root

    here = Path(".")
    return here if (here / "datapackage.json").exists() else release_root()


def _parser() -> argparse.ArgumentParser:
    from .version import VERSION

    parser = argparse.ArgumentParser(prog="reentry-services", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build dist/ and datapackage.json from raw/")
    build_cmd.add_argument(
        "--raw",
        type=Path,
        default=Path("raw"),
        help="directory with source.toml, the snapshot and curation/",
    )
    build_cmd.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        help="output root: dist/ and datapackage.json are written under it",
    )
    build_cmd.add_argument(
        "--base-url",
        help="the address the release will be published at (the folder holding "
        "datapackage.json, ending in /): download and @id-able addresses become absolute "
        "(default: base_url in raw/publication.toml; empty keeps them relative)",
    )
    build_cmd.add_argument(
        "--force",
        action="store_true",
        help="replace dist/ and datapackage.json under --out even when they "
        "are not a release of this project or hold files it did not write",
    )
    build_cmd.add_argument(
        "--timings",
        type=Path,
        help="write each stage's time and memory as JSON to this file (for the benchmark)",
    )
    validate_cmd = commands.add_parser("validate", help="check a built package end to end")
    validate_cmd.add_argument(
        "root",
        nargs="?",
        type=Path,
        help="directory holding datapackage.json (default: the current directory if it has "
        "one, else the release installed with the package)",
    )
    validate_cmd.add_argument(
        "--root", dest="root_option", type=Path, help="the same as ROOT (older spelling)"
    )
    validate_cmd.add_argument(
        "--timings",
        type=Path,
        help="write the time and memory as JSON to this file (for the benchmark)",
    )
    diff_cmd = commands.add_parser("diff", help="what changed between two built packages")
    diff_cmd.add_argument("old", type=Path, help="root of the older built package")
    diff_cmd.add_argument("new", type=Path, help="root of the newer built package")
    links_cmd = commands.add_parser(
        "check-links",
        help="maintainers: request every link and record the outcome in "
        "raw/curation/link-checks.csv (needs the network; review and commit the file)",
    )
    links_cmd.add_argument(
        "--raw", type=Path, default=Path("raw"), help="the raw folder whose links are checked"
    )
    links_cmd.add_argument(
        "--timeout",
        type=_positive(float, 120),
        default=10.0,
        help="seconds to wait for a connection or an answer (default 10)",
    )
    links_cmd.add_argument(
        "--concurrency",
        type=_positive(int, 32),
        default=4,
        help="links requested at once (default 4; be kind to the servers)",
    )
    derive_cmd = commands.add_parser(
        "derive", help="maintainers: re-derive the extracts of schema.org and HSDS"
    )
    derive_cmd.add_argument(
        "--vendor",
        type=Path,
        default=Path("../shared/vendor"),
        help="folder with schemaorg/ and hsds/ (see their SOURCE.md)",
    )
    derive_cmd.add_argument(
        "--raw", type=Path, default=Path("raw"), help="the raw folder whose JSON-LD is used"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run_command(args)
    except Interrupted as exc:
        _say(str(exc))
        return 130
    except PipelineError as exc:
        _say(f"error: {exc}")
        return 1
    except OSError as exc:  # the file system refused: name the file and the reason
        if _out_of_memory(exc):
            return _say_out_of_memory()
        where = f" {exc.filename}" if exc.filename else ""
        _say(
            f"error: cannot use{where}: {exc.strerror or exc}; check that the folders "
            "given exist and that you may read (and, for --out, write) them"
        )
        return 1
    except ModuleNotFoundError as exc:  # installed without the tools' dependencies
        _say(
            f"error: {exc.name} is not installed: the build and validate tools need the "
            "build extra: pip install 'reentry-services[build]'"
        )
        return 1
    except Exception as exc:  # a bug: still one line, never a traceback
        if _out_of_memory(exc):
            return _say_out_of_memory()
        _say(
            f"error: reentry-services failed unexpectedly ({type(exc).__name__}: {exc}). "
            "This is a bug; please report it with the command you ran"
        )
        return 70
    except KeyboardInterrupt:
        interrupted = "interrupted"
        if args.command == "build":
            interrupted += "; the previous release is untouched"
        _say(interrupted)
        return 130


# What the libraries say when memory or threads run out (pyarrow's ArrowMemoryError is a
# MemoryError; a thread that cannot start is a RuntimeError or an ArrowException).
_OUT_OF_MEMORY = (
    "Cannot allocate memory",
    "can't start new thread",
    "Failed to launch worker thread",
    "std::bad_alloc",
)


def _out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or any(words in str(exc) for words in _OUT_OF_MEMORY)


def _say_out_of_memory() -> int:
    _say(
        "error: out of memory (or threads); nothing was replaced (a build keeps the previous "
        "release until the new one is whole). Free memory or raise the limit (ulimit -v), "
        "then run the command again"
    )
    return 1


# A message longer than this is cut (a hostile input can make a message of megabytes).
MAX_MESSAGE_LINES = 60
MAX_LINE_CHARS = 400


def _say(message: str) -> None:
    """Print a message to stderr, at most MAX_MESSAGE_LINES lines of MAX_LINE_CHARS."""
    lines = [clip(line, MAX_LINE_CHARS) for line in message.splitlines()]
    if len(lines) > MAX_MESSAGE_LINES:
        lines = [*lines[:MAX_MESSAGE_LINES], f"… ({len(lines) - MAX_MESSAGE_LINES} more lines)"]
    print("\n".join(lines), file=sys.stderr)


def _run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; its exit status."""
    stages = Stages()
    if args.command == "build":
        print(build(args.raw, args.out, stages, force=args.force, base_url=args.base_url))
        stages.write(args.timings)
    elif args.command == "validate":
        root = args.root or args.root_option or _default_root()
        valid, report = validate(root, stages)
        stages.write(args.timings)
        print(report)
        return 0 if valid else 1
    elif args.command == "diff":
        print(diff(args.old, args.new), end="")
    elif args.command == "check-links":
        print(check_links(args.raw, args.timeout, int(args.concurrency)))
    else:
        print(derive(args.vendor, args.raw))
    return 0


def run() -> None:
    """The console command: `main` in a process where pandas cannot be imported (below)."""
    sys.meta_path.insert(0, _WithoutPandas())
    sys.exit(main())


class _WithoutPandas(importlib.abc.MetaPathFinder):
    """Makes pandas unimportable. The commands never use it, but pyarrow imports it (about
    0.4 s, a third of building the real page) the first time it converts a Python value,
    unless it cannot be imported. Only for the command's own process: pyarrow remembers."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError("the reentry-services command does not use pandas", name=name)


if __name__ == "__main__":
    run()
