"""Writer of the data dictionary, generated from the schema module: one document (headings,
paragraphs, a list, tables), written as Markdown and as a page (a Jinja2 template with the
landing page's style)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ...model.records import added_count
from ...model.schema import SERVICES, TABLES, CodeList, Field, Table
from .templates import asset, template

ORIGINS = {
    "source": "quoted from the page (the raw snapshot)",
    "curation": "written by the curators in raw/curation (not on the page)",
    "provenance": "from the snapshot's provenance sidecar raw/source.toml",
    "derived": "computed by the pipeline from the above",
}


@dataclass(frozen=True)
class Code:
    """Text set as code (a name, a pattern, an example)."""

    text: str


Line = tuple[str | Code, ...]  # a line of text: plain strings and code
Cell = tuple[Line, ...]  # a table cell: one or more lines


@dataclass(frozen=True)
class Block:
    """A heading (`level` 1-3), a paragraph (`line`), a list of defined terms (`terms`) or a
    table (`header`, `rows`)."""

    line: Line = ()
    level: int = 0
    terms: tuple[tuple[str, str], ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()

    @property
    def kind(self) -> str:
        if self.level:
            return "heading"
        return "terms" if self.terms else "table" if self.header else "paragraph"


def write_dictionary(path: Path, services: pa.Table) -> None:
    """The dictionary as Markdown, or as a page for a path ending in .html."""
    text = dictionary_page(services) if path.suffix == ".html" else build_dictionary(services)
    path.write_text(text, encoding="utf-8")


def build_dictionary(services: pa.Table) -> str:
    """The dictionary as Markdown."""
    return "\n\n".join(_markdown(block) for block in _document(services)) + "\n"


def dictionary_page(services: pa.Table) -> str:
    """The dictionary as HTML (every value escaped by the template)."""
    blocks = _document(services)
    return template("dictionary.html.j2").render(css=asset("page.css"), blocks=blocks)


def _document(services: pa.Table) -> list[Block]:
    blocks = [
        Block(level=1, line=("Data dictionary / データ辞書",)),
        Block(
            line=(
                "Generated from ",
                Code("src/reentry_services/schema.py"),
                " by ",
                Code("reentry-services build"),
                "; do not edit by hand.",
            )
        ),
        Block(line=("Origin of each field's values:",)),
        Block(terms=tuple(ORIGINS.items())),
    ]
    for table in TABLES:
        blocks += _table(table)
        if table is SERVICES:
            blocks.append(_listing(services))
    blocks.append(Block(level=2, line=("Code lists / コード表",)))
    code_lists = {f.codes.name: f.codes for t in TABLES for f in t.fields if f.codes}
    for codes in code_lists.values():
        blocks += _codes(codes)
    return blocks


def _table(table: Table) -> list[Block]:
    keys: Line = ("Primary key: ", Code(", ".join(table.primary_key)), ".")
    for k in table.foreign_keys:
        keys += (" Foreign key: ", Code(k.field), " → ", Code(f"{k.table}.{k.table_field}"), ".")
    header = "field type required title description origin constraints example schema.org"
    return [
        Block(level=2, line=(Code(table.name), f": {table.title_en} / {table.title_ja}")),
        Block(line=(table.description_en,)),
        Block(line=keys),
        Block(header=tuple(header.split()), rows=tuple(_row(f) for f in table.fields)),
    ]


def _listing(services: pa.Table) -> Block:
    """How many services the page lists and how many the curation adds, in this release."""
    added = added_count(services)
    return Block(
        line=(
            f"This release: {services.num_rows} rows, {services.num_rows - added} listed on the "
            f"page and {added} added (",
            Code("listed_on_page"),
            f" false) / このリリース: {services.num_rows}件（ページ掲載 "
            f"{services.num_rows - added}件、追加 {added}件）.",
        )
    )


def _row(f: Field) -> tuple[Cell, ...]:
    return (
        ((Code(f.name),),),
        ((f.type,),),
        (("yes" if f.required else "no",),),
        ((f.title_en,), (f.title_ja,)),
        ((f.description_en,), (f.description_ja,)),
        ((f.origin,),),
        (_constraints(f),),
        (() if f.example is None else (Code(_example(f.example)),),),
        ((f.schemaorg or "",),),
    )


def _constraints(f: Field) -> Line:
    found: list[Line] = [("unique",)] if f.unique else []
    if f.pattern:
        found.append(("pattern ", Code(f.pattern)))
    if f.codes:
        found.append(("code list ", Code(f.codes.name)))
    if f.minimum is not None:
        found.append((f"≥ {f.minimum}",))
    joined: Line = ()
    for line in found:
        joined += (("; ",) if joined else ()) + line
    return joined


def _example(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _codes(codes: CodeList) -> list[Block]:
    note = " (English labels: unofficial translation)" if codes.unofficial_en else ""
    return [
        Block(level=3, line=(Code(codes.name), note)),
        Block(
            header=("code", "日本語", "English"),
            rows=tuple((((Code(c.code),),), ((c.ja,),), ((c.en,),)) for c in codes.codes),
        ),
    ]


def _markdown(block: Block) -> str:
    if block.kind == "heading":
        return f"{'#' * block.level} {_inline(block.line)}"
    if block.kind == "terms":
        return "\n".join(f"- **{term}**: {text}" for term, text in block.terms)
    if block.kind == "table":
        return "\n".join(_table_lines(block))
    return _inline(block.line)


def _table_lines(block: Block) -> Iterator[str]:
    yield "| " + " | ".join(block.header) + " |"
    yield "| " + " | ".join("---" for _ in block.header) + " |"
    for row in block.rows:
        cells = ("<br>".join(map(_inline, cell)).replace("|", "\\|") for cell in row)
        yield "| " + " | ".join(cells) + " |"


def _inline(line: Line) -> str:
    return "".join(f"`{part.text}`" if isinstance(part, Code) else part for part in line)
