"""Writer of the landing page (dist/index.html) for people who just want the list.

Self-contained: the style and the small filter script are inlined, nothing is fetched.
Every value is escaped. The page embeds the same JSON-LD document as services.jsonld.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

import orjson
import pyarrow as pa

from .. import metadata
from ..ingest import Source
from .files import PublishedFile
from .jsonld import document_text

ASSETS = Path(__file__).with_name("assets")
# A page for people lists at most this many entries per section (the real page has at most
# 6); a larger list says how many more there are and points to the downloads, and its
# embedded JSON-LD then holds only the entries listed.
PER_SECTION_LIMIT = 200


def write_page(
    services: pa.Table,
    sections: pa.Table,
    source: Source,
    described: list[PublishedFile],
    files: Iterable[PublishedFile],
    path: Path,
) -> None:
    page = build_page(services, sections, source, described, files)
    path.write_text(page, encoding="utf-8")


def build_page(
    services: pa.Table,
    sections: pa.Table,
    source: Source,
    described: list[PublishedFile],
    files: Iterable[PublishedFile],
) -> str:
    """The whole page as HTML text. `described` are the files the JSON-LD's Dataset lists,
    so the embedded document is the published one (for the entries listed)."""
    ordered = sorted(sections.to_pylist(), key=lambda s: s["section_order"])
    tally = services["section_code"].value_counts()
    counts = dict(
        zip(tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True)
    )
    listed_rows = _listed(services)
    by_section: dict[str, list[dict]] = {s["section_code"]: [] for s in ordered}
    for row in sorted(listed_rows.to_pylist(), key=lambda r: r["source_line_start"]):
        by_section[row["section_code"]].append(row)
    document = orjson.loads(document_text(listed_rows, source, described))
    css = (ASSETS / "page.css").read_text(encoding="utf-8")
    script = (ASSETS / "page.js").read_text(encoding="utf-8")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="ja">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(metadata.TITLE_JA)}</title>",
            f'<meta name="description" content="{_e(metadata.DESCRIPTION_JA)}">',
            f"<style>\n{css}</style>",
            f'<script type="application/ld+json">\n{_json_for_script(document)}\n</script>',
            "</head>",
            "<body>",
            _header(source, services.num_rows),
            "<main>",
            _controls(ordered),
            *(
                _section(s, by_section[s["section_code"]], counts.get(s["section_code"], 0))
                for s in ordered
            ),
            _about(source),
            _downloads(files),
            "</main>",
            _footer(source),
            f"<script>\n{script}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _listed(services: pa.Table) -> pa.Table:
    """The first PER_SECTION_LIMIT entries of each section on the page (all of them for a
    page of the usual size), in the published order."""
    in_order = services.sort_by("source_line_start")
    keep: list[int] = []
    seen: dict[str, int] = {}
    for index, code in enumerate(in_order["section_code"].to_pylist()):
        seen[code] = seen.get(code, 0) + 1
        if seen[code] <= PER_SECTION_LIMIT:
            keep.append(index)
    return in_order.take(pa.array(keep, pa.int64())).sort_by("service_id")  # published order


_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _json_for_script(document: dict) -> str:
    """JSON that the HTML parser cannot read as markup: <, >, & (and U+2028, U+2029, which
    old JavaScript parsers end a line at) are written as \\u escapes, which JSON reads
    back as the same strings; outside strings JSON has none of them."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode().translate(_SCRIPT_ESCAPES)


def _header(source: Source, count: int) -> str:
    date = _e(source.received.isoformat())
    return f"""<header>
<h1>{_e(metadata.TITLE_JA)}</h1>
<p class="en" lang="en">{_e(metadata.TITLE_EN)}</p>
<p>東京都の再犯防止推進計画のページに載っている、立ち直りを支える相談窓口・支援サービスの一覧です。
掲載{count}件（{date}取得のページから）。
<span class="en" lang="en">Public support for people who have offended and their families,
as listed on the Tokyo Metropolitan Government's page: {count} resources, page received
{date}.</span></p>
</header>"""


def _about(source: Source) -> str:
    date = _e(source.received.isoformat())
    return f"""<section aria-labelledby="h-about">
<h2 id="h-about">このデータについて <span lang="en" class="en">About this data</span></h2>
<p>{_e(metadata.DESCRIPTION_JA)}</p>
<p class="en" lang="en">{_e(metadata.DESCRIPTION_EN)}</p>
<div class="notice">
<p>出典・取得日: {_e(source.attribution)}（取得日 {date}）<br>
<span lang="en" class="en">Source: {_e(source.publisher_en)}, page received {date}.</span></p>
<p>説明文・見出し・リンクは東京都のページからの引用で、その利用条件は確認できていません。
名称（一部は説明的な名称）・提供主体・分類・英訳は本データの編集によるもので、
CC BY 4.0 で提供します。<br>
<span lang="en" class="en">{_e(metadata.rights_statement(source))}</span></p>
</div>
</section>"""


def _controls(sections: list[dict]) -> str:
    options = "\n".join(
        f'<option value="{_e(s["section_code"])}">{_e(_section_title(s))}</option>'
        for s in sections
    )
    return f"""<div class="controls" hidden>
<label for="section">区分で絞り込む <span lang="en" class="en">Section</span>
<select id="section">
<option value="">すべて (all)</option>
{options}
</select></label>
<label for="query">キーワード検索 <span lang="en" class="en">Search</span>
<input id="query" type="search" placeholder="例: 相談、住まい、若者"></label>
<p id="count" aria-live="polite"></p>
</div>"""


def _section_title(section: dict) -> str:
    return section["section_ja"] or "冒頭（見出しなし）"


def _section(section: dict, rows: list[dict], total: int) -> str:
    code = _e(section["section_code"])
    entries = "\n".join(_entry(row) for row in rows) or (
        '<p class="empty">この区分に掲載はありません。'
        '<span lang="en" class="en">No entries on the page.</span></p>'
    )
    if total > len(rows):
        entries += (
            f'\n<p class="more">このほか{total - len(rows):,}件は'
            '<a href="#h-downloads">ダウンロード</a>のファイルにあります。'
            f'<span lang="en" class="en"> {total - len(rows):,} more entries are in '
            "the downloads.</span></p>"
        )
    return f"""<section class="section" data-section="{code}" aria-labelledby="h-{code}">
<h2 id="h-{code}">{_e(_section_title(section))}
<span lang="en" class="en">{_e(section["section_en"])}</span></h2>
{entries}
</section>"""


def _entry(row: dict) -> str:
    paragraphs = "\n".join(f"<p>{_e(p)}</p>" for p in row["description_ja"].split("\n"))
    section, sid = _e(row["section_code"]), _e(row["service_id"])
    return f"""<article class="entry" data-section="{section}" id="{sid}">
<h3>{_e(row["name_ja"])}</h3>
<p class="en" lang="en">{_e(row["name_en"])}</p>
<p class="meta">提供: {_e(row["provider_ja"])} ／ 種類: {_e(row["gif_service_type_ja"])} ／
お困りごと: {_e(row["gif_concerns_ja"].replace(";", "・"))}</p>
{paragraphs}
{_link(row)}
</article>"""


def _link(row: dict) -> str:
    if row["url_status"] == "ok":
        url = _e(row["url"])
        return f'<p class="link"><a href="{url}" rel="noopener">{url}</a></p>'
    if row["url_status"] == "relative":
        return (
            f'<p class="nolink">リンク: <code>{_e(row["url_as_published"])}</code>'
            "（ページにホスト名の記載がないため、リンクにしていません）"
            '<span lang="en" class="en"> Relative link; the page does not give its '
            "host.</span></p>"
        )
    return (
        '<p class="nolink">リンクなし（ページに記載がありません）'
        '<span lang="en" class="en"> No link on the page.</span></p>'
    )


def _downloads(files: Iterable[PublishedFile]) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{_e(f.path.removeprefix("dist/"))}">{_e(f.path.removeprefix("dist/"))}'
        f"</a></td><td>{_e(f.title)}</td><td>{_e(f.format)}</td><td>{f.bytes:,} B</td>"
        f'<td class="hash"><code>{_e(f.sha256)}</code></td></tr>'
        for f in files
    )
    return f"""<section aria-labelledby="h-downloads">
<h2 id="h-downloads">データのダウンロード <span lang="en" class="en">Download the data</span></h2>
<p>各列の意味は<a href="data-dictionary.md">データ辞書</a>を参照してください。
<span lang="en" class="en">What each column means: <a href="data-dictionary.md">data dictionary</a>.
Spreadsheet users: <code>services.excel.csv</code>.</span></p>
<div class="table-wrap"><table>
<thead><tr><th>ファイル File</th><th>内容 What</th><th>形式 Format</th><th>サイズ Size</th>
<th class="hash">SHA-256</th></tr></thead>
<tbody>
{rows}
</tbody>
</table></div>
</section>"""


def _footer(source: Source) -> str:
    return f"""<footer>
<p>{_e(source.attribution)}</p>
<p lang="en">Built by {_e(metadata.MAINTAINERS)} from the page as received on
{_e(source.received.isoformat())}. Data version {_e(metadata.VERSION)}.</p>
</footer>"""
