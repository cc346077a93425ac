"""The `reentry-services` command: build (ingest → normalize → publish) and its options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import PipelineError


def build(raw: Path, out: Path) -> str:
    """Run the whole pipeline from `raw` into `out`; return a one-line summary."""
    from .curation import read_curation
    from .ingest import read_page
    from .normalize import normalize
    from .publish import publish

    curation = read_curation(raw)
    page = read_page(raw, curation.paragraphs)
    tables = normalize(page, curation)
    publish(tables, out)
    return (f"built {tables.services.num_rows} services in {tables.sections.num_rows} sections "
            f"from {page.source.snapshot_path} into {out / 'dist'}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reentry-services", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build dist/ from the raw snapshot")
    build_cmd.add_argument("--raw", type=Path, default=Path("raw"),
                           help="directory with source.toml, the snapshot and curation/")
    build_cmd.add_argument("--out", type=Path, default=Path("."),
                           help="output root; dist/ is written under it")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            print(build(args.raw, args.out))
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
