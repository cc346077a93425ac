"""check-links against a loopback HTTP server, and the build's use of what it recorded."""

from __future__ import annotations

import csv
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import SNAPSHOT, write_snapshot

from reentry_services import linkcheck
from reentry_services.cli import main
from reentry_services.errors import InputError
from reentry_services.model.readers import read_csv
from reentry_services.model.schema import SERVICES
from reentry_services.pipeline import build

REDIRECTS = {"/moved": "/moved-again", "/moved-again": "/ok", "/loop": "/loop"}
STATUS = {"/ok": 200, "/gone": 410, "/missing": 404, "/error": 500}


AGENTS: list[str] = []  # the User-Agent of every request the server got
METHODS: list[tuple[str, str]] = []  # (method, path) of every request


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")

    def _answer(self, method: str) -> None:
        AGENTS.append(self.headers.get("User-Agent", ""))
        METHODS.append((method, self.path))
        path = self.path.partition("?")[0]
        if path == "/slow":
            time.sleep(4)  # well past the timeout below, even on a loaded machine
        if path == "/no-head" and method == "HEAD":
            status = 405
        elif path in REDIRECTS:
            status = 301 if path == "/moved" else 302
        else:
            status = STATUS.get(path, 200 if path in ("/slow", "/no-head") else 404)
        self.send_response(status)
        if path in REDIRECTS:
            self.send_header("Location", REDIRECTS[path])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def move_page(raw, host: str) -> None:
    """Record the page's address (page_url) on `host`, so its path resolves there."""
    sidecar = raw / "source.toml"
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8").replace(
            "https://restanet-tokyo.metro.tokyo.lg.jp/?p=48", f"{host}/?p=48"
        ),
        encoding="utf-8",
    )


def test_each_answer_has_its_outcome(server):
    refused = f"http://127.0.0.1:{closed_port()}/"
    urls = [
        f"{server}/ok",
        f"{server}/moved",
        f"{server}/loop",
        f"{server}/missing",
        f"{server}/gone",
        f"{server}/error",
        f"{server}/slow",
        f"{server}/no-head",
        refused,
    ]
    day = date(2026, 11, 30)
    checks = {c.url: c for c in linkcheck.check_links(urls, 1.5, 3, lambda: day)}
    found = {url: (c.outcome, c.http_status, c.final_url) for url, c in checks.items()}
    assert found == {
        f"{server}/ok": ("ok", 200, f"{server}/ok"),
        f"{server}/moved": ("redirected", 200, f"{server}/ok"),  # 301 then 302, followed
        f"{server}/loop": ("broken", 302, None),  # a redirect loop never arrives
        f"{server}/missing": ("broken", 404, f"{server}/missing"),
        f"{server}/gone": ("broken", 410, f"{server}/gone"),
        f"{server}/error": ("broken", 500, f"{server}/error"),
        f"{server}/slow": ("unreachable", None, None),  # the timeout
        f"{server}/no-head": ("ok", 200, f"{server}/no-head"),  # HEAD refused, GET answers
        refused: ("unreachable", None, None),
    }
    assert {c.checked_on for c in checks.values()} == {day}
    assert ("GET", "/no-head") in METHODS and ("GET", "/ok") not in METHODS
    assert set(AGENTS) == {linkcheck.USER_AGENT}  # an honest User-Agent, every time
    assert "reentry-services/" in linkcheck.USER_AGENT


def test_the_command_checks_a_fresh_capture_and_writes_the_file(server, raw_copy, capsys):
    """Right after a re-capture the curation does not match the page yet; check-links reads
    the links from the snapshot and the curation alone, so it runs anyway."""
    text = SNAPSHOT.read_text(encoding="utf-8")
    text = text.replace("https://www.tokyoshigoto.jp/", f"{server}/moved")
    text = text.replace("https://www.tokyo-challenge.net/", f"{server}/gone")
    lines = [
        line if not line.startswith("https://") else f"{server}/ok?{n}"
        for n, line in enumerate(text.split("\n"))
    ]
    write_snapshot(raw_copy, "\n".join(lines).encode())
    services = raw_copy / "curation" / "services.csv"
    with services.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, curated = reader.fieldnames, list(reader)
    for row in curated:
        for current in ("https://restanet-tokyo.metro.tokyo.lg.jp/soudan", "https://www.fukushi."):
            row["url_current"] = row["url_current"].replace(current, f"{server}/missing?")
        # A current link just found, checked before its evidence is written.
        if row["note"].startswith("Name quoted from the description (都立"):
            row["url_current"] = f"{server}/ok?new"
    with services.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(curated)
    move_page(raw_copy, server)  # the relative link resolves against the page
    assert main(["check-links", "--raw", str(raw_copy), "--timeout", "2"]) == 0
    out = capsys.readouterr().out
    assert "into" in out and "1 redirected" in out and "broken" in out
    with (raw_copy / "curation" / "link-checks.csv").open(encoding="utf-8") as f:
        rows = {r["url"]: r for r in csv.DictReader(f)}
    on_page = {line for line in lines if line.startswith(("http", "/"))}  # one is a path
    current = {row["url_current"] for row in curated if row["url_current"]}
    assert len(rows) == len(on_page | current)
    assert rows[f"{server}/ok?new"]["outcome"] == "ok"
    assert rows[f"{server}/moved"]["outcome"] == "redirected"
    assert rows[f"{server}/moved"]["final_url"] == f"{server}/ok"
    assert rows[f"{server}/gone"]["http_status"] == "410"
    assert rows[f"{server}/hoken_fukushi/"]["outcome"] == "broken"  # resolved, then checked
    assert not list((raw_copy / "curation").glob(".*part"))  # written whole, no leftovers


def test_offline_the_recorded_checks_are_kept(raw_copy, capsys):
    """Every link unreachable means no network, not dead links: the file is left alone."""
    checks = raw_copy / "curation" / "link-checks.csv"
    checks.write_text("url,checked_on,http_status,final_url,outcome\n", encoding="utf-8")
    text = SNAPSHOT.read_text(encoding="utf-8")
    refused = f"http://127.0.0.1:{closed_port()}"
    lines = [
        f"{refused}/{n}" if line.startswith("https://") else line
        for n, line in enumerate(text.split("\n"))
    ]
    write_snapshot(raw_copy, "\n".join(lines).encode())
    services = raw_copy / "curation" / "services.csv"
    services.write_text(
        re.sub(r"https://[^,]+", f"{refused}/current", services.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    move_page(raw_copy, refused)
    assert main(["check-links", "--raw", str(raw_copy), "--timeout", "1"]) == 1
    assert "probably offline" in capsys.readouterr().err
    assert checks.read_text(encoding="utf-8") == "url,checked_on,http_status,final_url,outcome\n"


@pytest.mark.parametrize("argument", ["--timeout=0", "--timeout=abc", "--concurrency=500"])
def test_bad_arguments_get_a_message(argument, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check-links", argument])
    assert exit_.value.code == 2
    assert "is not" in capsys.readouterr().err


SHIGOTO = "https://www.tokyoshigoto.jp/"
CHALLENGE = "https://www.tokyo-challenge.net/"


def write_checks(raw, rows: list[str]) -> None:
    (raw / "curation" / "link-checks.csv").write_text(
        "url,checked_on,http_status,final_url,outcome\n" + "".join(f"{r}\n" for r in rows),
        encoding="utf-8",
    )


def test_the_build_publishes_the_recorded_checks(raw_copy, tmp_path):
    write_checks(
        raw_copy,
        [
            f"{SHIGOTO},2026-11-30,200,{SHIGOTO}en/,redirected",
            f"{CHALLENGE},2026-11-29,404,{CHALLENGE},broken",
        ],
    )
    build(raw_copy, tmp_path)
    services = read_csv(SERVICES, tmp_path / "dist" / "services.csv").to_pylist()
    by_link = {s["link_url"]: s for s in services}
    shigoto, challenge = by_link[SHIGOTO], by_link[CHALLENGE]
    assert (shigoto["link_outcome"], shigoto["link_final_url"]) == ("redirected", f"{SHIGOTO}en/")
    assert str(challenge["link_checked_on"]) == "2026-11-29"
    assert challenge["link_outcome"] == "broken"
    others = [s for s in services if s["link_url"] and s["link_url"] not in (SHIGOTO, CHALLENGE)]
    assert {s["link_outcome"] for s in others} == {"unchecked"}
    page = (tmp_path / "dist" / "index.html").read_text(encoding="utf-8")
    assert "リンクの確認: リンク切れ（2026-11-29 確認）" in page
    assert page.count("リンクの確認: 未確認") == len(others)


def test_checks_of_links_the_release_does_not_have_are_refused(raw_copy, tmp_path):
    write_checks(raw_copy, ["https://gone.example/,2026-11-30,200,https://gone.example/,ok"])
    with pytest.raises(InputError, match=re.escape("line 2: https://gone.example/")) as err:
        build(raw_copy, tmp_path)
    assert err.value.path.name == "link-checks.csv"
