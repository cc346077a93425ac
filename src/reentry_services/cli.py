"""The `reentry-services` command: build, validate, diff, and for maintainers check-links
and derive."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import pipeline
from .errors import Interrupted, PipelineError, clip
from .timing import Stages


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
    _build_arguments(commands.add_parser("build", help="build dist/ and datapackage.json"))
    _validate_arguments(commands.add_parser("validate", help="check a built package end to end"))
    diff_cmd = commands.add_parser("diff", help="what changed between two built packages")
    diff_cmd.add_argument("old", type=Path, help="root of the older built package")
    diff_cmd.add_argument("new", type=Path, help="root of the newer built package")
    _check_links_arguments(
        commands.add_parser(
            "check-links",
            help="maintainers: request every link and record the outcome in "
            "raw/curation/link-checks.csv (needs the network; review and commit the file)",
        )
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
    derive_cmd.add_argument("--raw", type=Path, default=Path("raw"), help=_RAW_HELP)
    return parser


_RAW_HELP = "directory with source.toml, the snapshot and curation/"
_TIMINGS_HELP = "write each stage's time and memory as JSON to this file (for the benchmark)"


def _build_arguments(build: argparse.ArgumentParser) -> None:
    build.add_argument("--raw", type=Path, default=Path("raw"), help=_RAW_HELP)
    build.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        help="output root: dist/ and datapackage.json are written under it",
    )
    build.add_argument(
        "--base-url",
        help="the address the release will be published at (the folder holding "
        "datapackage.json, ending in /): download and @id-able addresses become absolute "
        "(default: base_url in raw/publication.toml; empty keeps them relative)",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="replace dist/ and datapackage.json under --out even when they "
        "are not a release of this project or hold files it did not write",
    )
    build.add_argument("--timings", type=Path, help=_TIMINGS_HELP)


def _validate_arguments(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "root",
        nargs="?",
        type=Path,
        help="directory holding datapackage.json (default: the current directory if it has "
        "one, else the release installed with the package)",
    )
    validate.add_argument(
        "--root", dest="root_option", type=Path, help="the same as ROOT (older spelling)"
    )
    validate.add_argument("--timings", type=Path, help=_TIMINGS_HELP)


def _check_links_arguments(links: argparse.ArgumentParser) -> None:
    links.add_argument("--raw", type=Path, default=Path("raw"), help=_RAW_HELP)
    links.add_argument(
        "--timeout",
        type=_positive(float, 120),
        default=10.0,
        help="seconds to wait for a connection or an answer (default 10)",
    )
    links.add_argument(
        "--concurrency",
        type=_positive(int, 32),
        default=4,
        help="links requested at once (default 4; be kind to the servers)",
    )


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
        print(pipeline.build(args.raw, args.out, stages, force=args.force, base_url=args.base_url))
        stages.write(args.timings)
    elif args.command == "validate":
        root = args.root or args.root_option or _default_root()
        valid, report = pipeline.validate(root, stages)
        stages.write(args.timings)
        print(report)
        return 0 if valid else 1
    elif args.command == "diff":
        print(pipeline.diff(args.old, args.new), end="")
    elif args.command == "check-links":
        print(pipeline.check_links(args.raw, args.timeout, int(args.concurrency)))
    else:
        print(pipeline.derive(args.vendor, args.raw))
    return 0


def run() -> None:
    """The console command."""
    sys.exit(main())


if __name__ == "__main__":
    run()
