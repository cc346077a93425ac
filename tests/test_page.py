"""The landing page, driven in headless Chromium: it loads cleanly and offline, lists every
resource, filters and searches, embeds the JSON-LD, and shows hostile text as text."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, RESOURCES, SNAPSHOT, write_snapshot
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_faults import add_hostile_entry, edit_curation

from reentry_services.model.readers import read_csv
from reentry_services.model.schema import AUDIENCES, SERVICES, TABLES
from reentry_services.pipeline import build

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "test-artifacts"  # screenshots for people to look at; not committed
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = (
            "the browser tests need Debian's chromium and chromium-driver "
            "(apt-get install chromium chromium-driver; .ci/run installs them)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_window_size(1280, 900)
    yield driver
    driver.quit()


def open_page(browser, root: Path) -> str:
    url = (root / "dist" / "index.html").resolve().as_uri()
    browser.get_log("browser"), browser.get_log("performance")  # start with empty logs
    browser.get(url)
    return url


def visible_entries(browser) -> int:
    return len(
        [e for e in browser.find_elements(By.CSS_SELECTOR, "article.entry") if e.is_displayed()]
    )


def test_loads_with_no_console_errors_and_no_network_requests(browser, built):
    url = open_page(browser, built)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors
    requested = [
        json.loads(e["message"])["message"]["params"]["request"]["url"]
        for e in browser.get_log("performance")
        if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    assert requested == [url]


def test_one_entry_per_resource_grouped_by_section_with_headings(browser, built):
    open_page(browser, built)
    assert visible_entries(browser) == RESOURCES
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1
    sections = browser.find_elements(By.CSS_SELECTOR, "section.section h2")
    assert [s.text.split()[0] for s in sections][:3] == [
        "冒頭（見出しなし）",
        "就労の確保等",
        "住居の確保等",
    ]
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.entry h3")) == RESOURCES
    assert browser.find_elements(By.CSS_SELECTOR, "[lang=en]")
    # Every resource with a link shows it (as published, resolved from the page's path, or
    # curated), says how it was got and that it is unchecked; one without says why not.
    services = pd.read_csv(built / "dist" / "services.csv", dtype=str, keep_default_na=False)
    linked = (services["link_url"] != "").sum()
    links = browser.find_elements(By.CSS_SELECTOR, "article.entry .link a")
    nolinks = browser.find_elements(By.CSS_SELECTOR, "article.entry .nolink")
    assert len(links) == linked and len(nolinks) == RESOURCES - linked
    checks = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "article.entry .check")]
    assert len(checks) == linked and all("リンクの確認: 未確認" in c for c in checks)
    resolved = browser.find_element(By.ID, "130001-d3d7727adbb20982")
    assert "/hoken_fukushi/" in resolved.find_element(By.CSS_SELECTOR, ".check code").text
    assert "ページのアドレスを基準に解決" in resolved.text
    desk = browser.find_element(By.ID, "130001-dab92ac84f41d8f5")  # no link on the page
    assert "ページにリンクがないため、現在のページを案内しています" in desk.text
    moved = browser.find_element(By.ID, "130001-76b7361d03bfffd3")
    assert "www.fukushihoken.metro.tokyo.lg.jp" in moved.find_element(By.CSS_SELECTOR, "code").text
    women = browser.find_element(By.ID, "130001-b5cccb05830cff22")
    assert "別名・旧称: 東京都女性相談センター" in women.text  # the former name
    shigoto = browser.find_element(By.ID, "130001-975b9108d74c4088")
    assert "（運営: 公益財団法人東京しごと財団）" in shigoto.text  # the operator


def test_filter_by_section_and_search_by_text(browser, built):
    open_page(browser, built)
    Select(browser.find_element(By.ID, "section")).select_by_value("housing")
    assert visible_entries(browser) == 2
    assert f"2 / {RESOURCES}" in browser.find_element(By.ID, "count").text
    Select(browser.find_element(By.ID, "section")).select_by_value("")
    search = browser.find_element(By.ID, "query")
    search.send_keys("若者")
    shown = visible_entries(browser)
    assert 0 < shown < RESOURCES
    for entry in browser.find_elements(By.CSS_SELECTOR, "article.entry"):
        if entry.is_displayed():
            assert "若者" in entry.text
    search.clear()
    search.send_keys("該当しない語句xyz")
    assert visible_entries(browser) == 0


def test_filter_by_audience(browser, built):
    open_page(browser, built)
    services = read_csv(SERVICES, built / "dist" / "services.csv").to_pylist()
    for code in ("supporters", "local_governments", "people_and_families"):
        Select(browser.find_element(By.ID, "audience")).select_by_value(code)
        wanted = {s["service_id"] for s in services if code in s["audience"].split(";")}
        shown = {
            e.get_attribute("id")
            for e in browser.find_elements(By.CSS_SELECTOR, "article.entry")
            if e.is_displayed()
        }
        assert shown == wanted and 0 < len(wanted) < RESOURCES
        for entry in shown:  # each shown entry names the audience it was chosen for
            label = AUDIENCES[code].ja
            assert label in browser.find_element(By.ID, entry).text
    Select(browser.find_element(By.ID, "audience")).select_by_value("")
    assert visible_entries(browser) == RESOURCES


def test_embedded_json_ld_is_the_published_document(browser, built):
    open_page(browser, built)
    embedded = browser.execute_script(
        "return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]')"
        ".textContent)"
    )
    published = json.loads((built / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    assert embedded == published


def test_screenshots_at_desktop_and_phone_width(browser, built):
    ARTIFACTS.mkdir(exist_ok=True)
    open_page(browser, built)
    for name, width in (("desktop", 1280), ("phone", 390)):
        browser.set_window_size(width, 900)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name}: the page is {overflow}px wider than the screen"
        browser.save_screenshot(str(ARTIFACTS / f"landing-{name}.png"))
    browser.set_window_size(1280, 900)


@pytest.mark.parametrize(("width", "height"), [(375, 667), (1280, 720)])
def test_the_age_notice_is_on_the_first_screen(browser, built, width, height):
    """The page's content predates 2024: a reader learns it before any entry."""
    browser.set_window_size(width, height)
    try:
        open_page(browser, built)
        notice = browser.find_element(By.ID, "age")
        japanese = notice.find_element(By.CSS_SELECTOR, "p:not([lang=en])")
        bottom = browser.execute_script(
            "return arguments[0].getBoundingClientRect().bottom", japanese
        )
        inner = browser.execute_script("return window.innerHeight")
        assert japanese.is_displayed() and 0 < bottom <= inner, (bottom, inner)
        assert "2024年より前" in notice.text and "ご確認ください" in notice.text
        first_entry = browser.find_element(By.CSS_SELECTOR, "article.entry")
        assert notice.location["y"] < first_entry.location["y"]
    finally:
        browser.set_window_size(1280, 900)


def test_hostile_text_shows_as_text(browser, raw_copy, tmp_path):
    sid = add_hostile_entry(raw_copy)
    build(raw_copy, tmp_path)
    open_page(browser, tmp_path)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - the script in the text must not run
    entry = browser.find_element(By.ID, sid)
    assert '<script>alert("x")</script>' in entry.text
    assert "<b>太字</b>" in entry.text
    assert entry.find_elements(By.TAG_NAME, "script") == []
    assert entry.find_elements(By.TAG_NAME, "b") == []
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


# Text that ends a comment or a script early if the page embeds it raw: "<!--<script"
# makes the HTML parser swallow the rest of the page; U+2028 ends a line in old parsers.
BREAKOUT = "</script><script>window.pwned=1</script><!--<script>\u2028"


def put_breakout_everywhere(raw: Path) -> None:
    """The breakout text in every field that reaches the page: a description (snapshot),
    the curated names, former names, provider, operator, note and section name, and the
    sidecar's texts."""
    add_hostile_entry(raw)
    snapshot = raw / SNAPSHOT.name
    text = snapshot.read_text(encoding="utf-8").replace(
        "「東京都再犯防止推進計画」を策定", f"{BREAKOUT}「東京都再犯防止推進計画」を策定"
    )
    write_snapshot(raw, text.encode("utf-8"))
    for name, old in [
        ("services.csv", "Tokyo Recidivism Prevention Plan"),
        ("services.csv", ",東京都,Tokyo Metropolitan Government,prefecture,,,plan"),
        ("services.csv", ",東京都女性相談センター,東京都,"),  # a former name
        ("services.csv", ",公益財団法人東京しごと財団,"),  # an operator
        ("services.csv", "Name quoted from the description"),
        ("sections.csv", "Securing housing"),
    ]:
        new = (
            old.replace("東京都,", f"東京都{BREAKOUT},", 1).replace("財団,", f"財団{BREAKOUT},")
            if old.startswith(",")
            else f"{old} {BREAKOUT}"
        )
        edit_curation(raw, name, old, new)
    # Tokyo's English name is in the sidecar (the publisher) and in the curation (the
    # provider): the JSON-LD's one node for Tokyo must hold both, so both change alike (not
    # at the end, which the curation trims: U+2028 is white space).
    services = raw / "curation" / "services.csv"
    services.write_text(
        services.read_text(encoding="utf-8").replace(
            ",Tokyo Metropolitan Government,", f",Tokyo Metropolitan Government {BREAKOUT} end,"
        ),
        encoding="utf-8",
    )
    sidecar = raw / "source.toml"
    text = sidecar.read_text(encoding="utf-8")
    for key in ("title_en", "publisher_en", "attribution"):
        text = re.sub(
            rf'^({key} = ".*)"$',
            lambda m: f'{m.group(1)} {BREAKOUT} end"',
            text,
            count=1,
            flags=re.M,
        )
    sidecar.write_text(text, encoding="utf-8")


def test_breakout_text_in_every_field_stays_inert(browser, raw_copy, tmp_path):
    put_breakout_everywhere(raw_copy)
    build(raw_copy, tmp_path)
    page = (tmp_path / "dist" / "index.html").read_text(encoding="utf-8")
    assert "<!--" not in page  # never raw in the markup
    open_page(browser, tmp_path)
    assert browser.execute_script("return window.pwned") is None
    assert visible_entries(browser) == RESOURCES + 1  # the page's and the hostile entry
    assert BREAKOUT.rstrip("\u2028") in browser.find_element(By.TAG_NAME, "body").text
    assert browser.find_elements(By.ID, "h-downloads")  # the end of the page is there
    embedded = browser.execute_script(
        "return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]')"
        ".textContent)"
    )
    published = json.loads((tmp_path / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    assert embedded == published
    assert BREAKOUT in json.dumps(embedded, ensure_ascii=False)
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_breakout_text_round_trips_through_the_turtle_and_the_json_ld(raw_copy, tmp_path):
    """rdflib reads the catalog and the JSON-LD back, the hostile text intact."""
    from rdflib import Graph

    put_breakout_everywhere(raw_copy)
    build(raw_copy, tmp_path)
    catalog = Graph().parse(tmp_path / "dist" / "catalog.ttl", format="turtle")
    document = json.loads((tmp_path / "dist" / "services.jsonld").read_text(encoding="utf-8"))
    document["@context"] = {"@vocab": "https://schema.org/"}  # offline: no context fetched
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    for parsed in (catalog, graph):
        assert any(BREAKOUT in str(o) for o in parsed.objects())


AXE = REPO / ".node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(browser) -> list[dict]:
    if not AXE.exists():
        message = f"{AXE} is missing: .ci/run installs axe-core from the npm registry"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    return browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return {id: v.id, help: v.help, nodes: v.nodes.map(function (n) {"
        "    return n.target.join(' '); })}; })); });",
        WCAG_21_AA,
    )


@pytest.mark.parametrize("page", ["index.html", "data-dictionary.html"])
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_axe_finds_no_wcag_21_aa_violation(browser, built, page, width):
    browser.set_window_size(width, 900)
    browser.get((built / "dist" / page).resolve().as_uri())
    assert axe_violations(browser) == []
    browser.set_window_size(1280, 900)


def test_the_dictionary_shows_each_field_with_its_titles_on_two_lines(browser, built):
    """The data dictionary page, as a browser shows it: a row per field of every table,
    the English and Japanese titles on lines of their own, no markup shown as text."""
    browser.get((built / "dist" / "data-dictionary.html").resolve().as_uri())
    rows = browser.execute_script(
        "return [...document.querySelectorAll('tbody tr')].map("
        "r => [...r.cells].map(c => c.innerText));"
    )
    for table in TABLES:
        for f in table.fields:
            shown = [row[3:5] for row in rows if row[0] == f.name]
            assert [
                f"{f.title_en}\n{f.title_ja}",
                f"{f.description_en}\n{f.description_ja}",
            ] in shown
    assert "<br>" not in browser.find_element(By.TAG_NAME, "main").text


def test_the_downloads_are_one_link_from_the_top(browser, built):
    open_page(browser, built)
    link = browser.find_element(By.CSS_SELECTOR, 'header nav a[href="#h-downloads"]')
    assert link.location["y"] < 900  # in the first screenful
    link.click()
    heading = browser.find_element(By.ID, "h-downloads")
    assert (
        abs(browser.execute_script("return arguments[0].getBoundingClientRect().top", heading)) < 5
    )


def test_on_a_phone_every_download_shows_its_size_and_checksum(browser, built):
    browser.set_window_size(390, 900)
    open_page(browser, built)
    width = browser.execute_script("return window.innerWidth")
    items = browser.find_elements(By.CSS_SELECTOR, ".downloads li")
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    assert len(items) == len(descriptor["resources"]) - 1  # all but the page itself
    for item in items:
        for part in (
            item.find_element(By.CSS_SELECTOR, ".size"),
            item.find_element(By.CSS_SELECTOR, ".hash"),
        ):
            assert part.is_displayed() and part.text
            assert (
                browser.execute_script("return arguments[0].getBoundingClientRect().right", part)
                <= width
            )
    browser.set_window_size(1280, 900)


def test_the_page_works_with_the_keyboard_alone(browser, built):
    """From a fresh load, Tab reaches the links to the downloads and the dictionary, the
    section and audience filters and the search box; typing there filters the list."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, built)
    reached = []
    for _ in range(7):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        reached.append(focused.get_attribute("id") or focused.get_attribute("href") or "")
        if reached[-1] == "query":
            ActionChains(browser).send_keys("若者").perform()
            break
    assert reached[0].endswith("#h-downloads") and reached[1].endswith("data-dictionary.html")
    assert reached[2:] == ["section", "audience", "query"]
    assert 0 < visible_entries(browser) < RESOURCES


def test_the_source_is_said_once(built):
    page = (built / "dist" / "index.html").read_text(encoding="utf-8")
    assert "出典・取得日: 出典" not in page
    notice = page.split('<div class="notice">', 1)[1].split("<br>", 1)[0]
    assert notice.count("出典") == 1 and notice.count("取得") == 1  # "…（2026年11月25日取得）"


def printed_text(browser, built, tmp_path) -> tuple[str, list]:
    """The page printed by Chromium to an A4 PDF: its text with white space removed (a
    long name or address may wrap), and its pages."""
    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions

    open_page(browser, built)
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in centimetres
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(base64.b64decode(browser.print_page(options)))
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", "", text), list(reader.pages)


def test_the_list_prints_on_a4_with_names_and_addresses_and_no_controls(browser, built, tmp_path):
    text, pages = printed_text(browser, built, tmp_path)
    for page in pages:  # A4: 595.3 x 841.9 points (Chromium rounds to whole points)
        size = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(size[0] - 595.3) <= 1 and abs(size[1] - 841.9) <= 1, size
    services = pd.read_csv(built / "dist" / "services.csv", dtype=str, keep_default_na=False)
    for row in services.itertuples():
        assert re.sub(r"\s+", "", row.name_ja) in text, row.name_ja
        if row.link_url:
            short = row.link_url.partition("://")[2]
            assert short in text and row.link_url not in text, short
        if row.successor_url:  # a superseded resource's successor, with its address
            assert row.successor_url.partition("://")[2] in text
    contacts = pd.read_csv(built / "dist" / "contact_points.csv", dtype=str, keep_default_na=False)
    for phone in (p for value in contacts["phone"] if value for p in value.split(" / ")):
        assert phone in text, phone  # every published phone number prints
    assert "2024年より前" in text  # the age notice prints
    for screen_only in ("区分で絞り込む", "キーワード検索", "データのダウンロード", "SHA-256"):
        assert screen_only not in text, screen_only
    assert len(pages) < len(services)  # a list, not a page per card
