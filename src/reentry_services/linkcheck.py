"""check-links: request every link of the snapshot and the curation, and record what came
back in raw/curation/link-checks.csv.

The file is reviewed and committed like the rest of the curation, so the build stays
offline and reproducible. The links are read from the snapshot and the curation only, so
the check runs right after a re-capture, before the curation matches the page.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import requests

from .model.schema import CURATION_FILES
from .stages import read_inputs
from .stages.curation import CURATION_DIR
from .stages.normalize import link_forms
from .version import VERSION

CHECKS_FILE = "link-checks.csv"
USER_AGENT = (
    f"reentry-services/{VERSION} (link check of an open data package of Tokyo's reentry "
    "support list; one HEAD or GET request per link)"
)
MAX_REDIRECTS = 10
_FIELDS = next(t for t in CURATION_FILES if t.file == CHECKS_FILE).field_names


@dataclass(frozen=True)
class LinkCheck:
    """One link as requested: the status and address of the last answer, and the outcome."""

    url: str
    checked_on: date
    http_status: int | None
    final_url: str | None
    outcome: str  # schema.LINK_CHECK_OUTCOMES


def links_to_check(raw_dir: Path) -> list[str]:
    """Every published link (paths resolved against page_url) and every curated current
    link, each once, sorted."""
    curation, page = read_inputs(raw_dir, check_evidence=False)
    published = link_forms(page.entries.link, page.source.page_url)[0].to_pylist()
    current = curation.services.columns["url_current"].to_pylist()
    return sorted({url for url in (*published, *current) if url})


def check_link(url: str, timeout: float, today: date) -> LinkCheck:
    """HEAD the link, falling back to GET (without reading the body) where HEAD fails;
    redirects are followed, at most MAX_REDIRECTS of them."""
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        session.max_redirects = MAX_REDIRECTS
        try:
            response = session.head(url, allow_redirects=True, timeout=timeout)
            if response.status_code >= 400:  # many servers refuse or mishandle HEAD
                response = session.get(url, allow_redirects=True, timeout=timeout, stream=True)
                response.close()
        except requests.TooManyRedirects as exc:  # a loop, or a chain too long to follow
            status = exc.response.status_code if exc.response is not None else None
            return LinkCheck(url, today, status, None, "broken")
        except (requests.RequestException, ValueError):  # DNS, connection, TLS, timeout
            return LinkCheck(url, today, None, None, "unreachable")
    return LinkCheck(url, today, response.status_code, response.url, _outcome(response))


def _outcome(response: requests.Response) -> str:
    if not 200 <= response.status_code < 300:
        return "broken"
    return "redirected" if response.history else "ok"


def check_links(
    urls: Iterable[str],
    timeout: float = 10.0,
    concurrency: int = 4,
    today: Callable[[], date] = date.today,
) -> list[LinkCheck]:
    """Each link checked, at most `concurrency` at a time, in the order given."""
    day = today()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(lambda url: check_link(url, timeout, day), urls))


def write_checks(checks: list[LinkCheck], raw_dir: Path) -> Path:
    """Write the checks as raw/curation/link-checks.csv, replacing the file whole (a
    temporary file renamed over it: never half-written)."""
    path = raw_dir / CURATION_DIR / CHECKS_FILE
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(_FIELDS)
    for c in checks:
        status = "" if c.http_status is None else str(c.http_status)
        writer.writerow([c.url, c.checked_on.isoformat(), status, c.final_url or "", c.outcome])
    # A temporary name of its own per run, so two runs at once never write the same file:
    # each replaces the file whole, and the last to finish is the one kept.
    fd, temporary = tempfile.mkstemp(prefix=f".{CHECKS_FILE}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text.getvalue())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def summary(checks: list[LinkCheck], path: Path) -> str:
    """How many links came back with each outcome, and the ones that need a look."""
    counts: dict[str, int] = {}
    for c in checks:
        counts[c.outcome] = counts.get(c.outcome, 0) + 1
    lines = [
        f"checked {len(checks)} links into {path}: "
        + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    ]
    lines += [
        f"  {c.outcome}: {c.url}"
        + (f" → {c.final_url}" if c.final_url not in (None, c.url) else "")
        for c in checks
        if c.outcome != "ok"
    ]
    lines.append("review the file and commit it; a moved link gets a url_current with evidence")
    return "\n".join(lines)
