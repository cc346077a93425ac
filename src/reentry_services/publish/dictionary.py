"""Writer of the data dictionary, generated from the schema module: Markdown, and the same
rendered as a page (by markdown-it, raw HTML off, with the landing page's style)."""

from __future__ import annotations

from pathlib import Path

from ..schema import TABLES, CodeList, Field, Table

ORIGINS = {
    "source": "quoted from the page (the raw snapshot)",
    "curation": "written by the curators in raw/curation (not on the page)",
    "provenance": "from the snapshot's provenance sidecar raw/source.toml",
    "derived": "computed by the pipeline from the above",
}


def write_dictionary(path: Path) -> None:
    """The dictionary as Markdown, or as HTML for a path ending in .html."""
    text = build_dictionary()
    path.write_text(_as_page(text) if path.suffix == ".html" else text, encoding="utf-8")


def _as_page(markdown: str) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    css = (Path(__file__).with_name("assets") / "page.css").read_text(encoding="utf-8")
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>データ辞書 Data dictionary</title>\n"
        f"<style>\n{css}.dictionary table {{ border-collapse: collapse; font-size: .85rem; }}\n"
        ".dictionary th, .dictionary td { border: 1px solid var(--line); padding: .3rem; "
        "vertical-align: top; overflow-wrap: anywhere; }\n"
        ".table-wrap { overflow-x: auto; }\n</style>\n</head>\n<body>\n"
        '<main class="dictionary">\n<p><a href="index.html">一覧に戻る Back to the list</a></p>\n'
        f"{_wrap_tables(body)}</main>\n</body>\n</html>\n"
    )


def _wrap_tables(html: str) -> str:
    """Each table in a scrolling box, so a wide one does not widen the page on a phone."""
    return html.replace("<table>", '<div class="table-wrap" tabindex="0"><table>').replace(
        "</table>", "</table></div>"
    )


def build_dictionary() -> str:
    lines = [
        "# Data dictionary / データ辞書",
        "",
        "Generated from `src/reentry_services/schema.py` by `reentry-services build`; "
        "do not edit by hand.",
        "",
        "Origin of each field's values:",
        "",
        *[f"- **{name}**: {text}" for name, text in ORIGINS.items()],
    ]
    for table in TABLES:
        lines += ["", *_table(table)]
    lines += ["", "## Code lists / コード表"]
    code_lists = {f.codes.name: f.codes for t in TABLES for f in t.fields if f.codes}
    for codes in code_lists.values():
        lines += ["", *_codes(codes)]
    return "\n".join(lines) + "\n"


def _table(table: Table) -> list[str]:
    keys = [f"Primary key: `{table.primary_key}`."]
    keys += [f"Foreign key: `{k.field}` → `{k.table}.{k.table_field}`." for k in table.foreign_keys]
    return [
        f"## `{table.name}`: {table.title_en} / {table.title_ja}",
        "",
        table.description_en,
        "",
        " ".join(keys),
        "",
        "| field | type | required | title | description | origin | constraints | example "
        "| schema.org |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(_row(f) for f in table.fields),
    ]


def _row(f: Field) -> str:
    cells = [
        f"`{f.name}`",
        f.type,
        "yes" if f.required else "no",
        f"{f.title_en}<br>{f.title_ja}",
        f"{f.description_en}<br>{f.description_ja}",
        f.origin,
        "; ".join(_constraints(f)),
        "" if f.example is None else f"`{_example(f.example)}`",
        f.schemaorg or "",
    ]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _constraints(f: Field) -> list[str]:
    found = ["unique"] if f.unique else []
    if f.pattern:
        found.append(f"pattern `{f.pattern}`")
    if f.codes:
        found.append(f"code list `{f.codes.name}`")
    if f.minimum is not None:
        found.append(f"≥ {f.minimum}")
    return found


def _example(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _codes(codes: CodeList) -> list[str]:
    note = " (English labels: unofficial translation)" if codes.unofficial_en else ""
    return [
        f"### `{codes.name}`{note}",
        "",
        "| code | 日本語 | English |",
        "| --- | --- | --- |",
        *(f"| `{c.code}` | {c.ja} | {c.en} |" for c in codes.codes),
    ]
