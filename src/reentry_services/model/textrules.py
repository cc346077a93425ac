"""What published text and links may hold: no invisible characters, links as RFC 3986 allows.

Ingest applies these rules to the snapshot and its sidecar, curation to its files; each
rule is declared here once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

# Characters that change how text shows without showing themselves: bidirectional controls
# (a link with U+202E shows reversed), zero-width characters and U+FEFF inside a text.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Control characters (C0 but tab and line breaks, DEL, C1): an ESC sequence in a published
# value rewrites the terminal of whoever prints the file.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORBIDDEN = re.compile(f"{CONTROL.pattern}|{INVISIBLE.pattern}")
CONTROL_FIX = "delete it: a control character is not text, and some change what a terminal shows"
INVISIBLE_FIX = (
    "delete it: it is invisible, and changes how the text shows (bidi "
    "controls reorder it, zero-width characters hide in it)"
)
# RFC 3986: unreserved and reserved characters, and "%" starting a percent-encoding.
# Characters beyond ASCII are allowed as in an IRI (RFC 3987: from U+00A0, so no C1 control)
# and percent-encoded in `url`.
_NOT_IN_URI = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%\u00a0-\U0010ffff]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# An ASCII http(s) URL with a plain host, or a path on the site: what nearly every link is,
# and what link_problem would find nothing wrong with (a property test checks it), so such a
# link is taken at one match.
_URI_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})"
_NOT_SLASH = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@?#\[\]]|%[0-9A-Fa-f]{2})"
_PLAIN_LINK = re.compile(
    rf"(?:[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9](?:[A-Za-z0-9\-.]*)(?::[0-9]*)?(?:[/?#]{_URI_CHAR}*)?"
    rf"|/(?:{_NOT_SLASH}{_URI_CHAR}*)?)"
)
# What str.strip() strips: every character Python counts as whitespace, for Arrow's
# utf8_trim. All of them are below U+3001; a test checks this against every code point.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_SPACE = re.compile(r"\s")


def char_name(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE)."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


class LinkProblem(NamedTuple):
    problem: str
    fix: str
    column: int | None = None  # 1-based, where the problem is one character


def link_problem(link: str, relative_allowed: bool = True) -> LinkProblem | None:
    """Why `link` may not be published, or None: a link is an absolute http(s) URL, or
    (where allowed) a path on the page's own site starting with a single "/"; it is made
    only of the characters RFC 3986 allows (and characters beyond ASCII), without spaces or
    invisible characters."""
    if _PLAIN_LINK.fullmatch(link):
        return None if relative_allowed or not link.startswith("/") else _problem(link, False)
    return _problem(link, relative_allowed)


def _problem(link: str, relative_allowed: bool) -> LinkProblem | None:
    """link_problem's whole check, for links that are not plain."""
    for pattern, what in ((INVISIBLE, "the invisible character"), (_SPACE, "a space")):
        found = pattern.search(link)
        if found:
            name = f"{what} {char_name(found.group())}" if pattern is INVISIBLE else what
            return LinkProblem(
                f"the link contains {name}",
                "remove it, or check whether the line is really a link",
                found.start() + 1,
            )
    found = _NOT_IN_URI.search(link)
    if found:
        return LinkProblem(
            f"the link contains {found.group()!r}, which a URL may not hold unencoded",
            f"percent-encode it ({quote(found.group())}) or check the capture against the page",
            found.start() + 1,
        )
    found = _BAD_PERCENT.search(link)
    if found:
        return LinkProblem(
            "the link has a % that starts no percent-encoding",
            "write a literal % as %25",
            found.start() + 1,
        )
    if link.startswith("//"):
        return LinkProblem(
            f"the link {link[:80]!r} names another host without a scheme",
            "only http(s) URLs and paths on the page's own site (one leading "
            "/) are published; check the capture against the page",
        )
    if link.startswith("/"):
        return (
            None
            if relative_allowed
            else LinkProblem(
                f"{link[:80]!r} is a path, not an http(s) URL", "give the whole address"
            )
        )
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return LinkProblem(
            f"the link {link[:80]!r} is not an http(s) URL",
            "only http(s) links and site-relative paths are published; check "
            "the capture against the page",
        )
    if "@" in parts.netloc:
        return LinkProblem(
            f"the link {redacted(link)[:80]!r} has user information before its host: it "
            f"shows one host and leads to {parts.hostname!r}",
            "give the address without user information (nothing before @ in the host)",
        )
    if not parts.netloc.isascii():
        return LinkProblem(
            f"the link's host {parts.netloc!r} is not ASCII",
            "give the host in its ASCII (xn--) form",
        )
    return None


def redacted(url: str) -> str:
    """`url` with any user information (a name, a password) replaced by "…", for messages."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1…@", url)


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be a release's address, or None: an http(s) URL as link_problem
    allows, of a folder (ending in "/"), without a query or a fragment (every download
    address is the base URL followed by a path)."""
    problem = link_problem(url, relative_allowed=False)
    if problem:
        return problem.problem
    if "?" in url or "#" in url:
        return (
            f"{url[:80]!r} has a query or a fragment (? or #), which would hide every path after it"
        )
    if not urlsplit(url).path.endswith("/"):
        return "it does not end in / (the address of a folder)"
    return None


def normal_base_url(url: str) -> str:
    """A base URL that base_url_problem accepts, in one form: scheme and host lower-case."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))


def as_uri(link: str) -> str:
    """The link as a URI: characters beyond ASCII percent-encoded as UTF-8 (RFC 3987)."""
    return (
        link
        if link.isascii()
        else re.sub(r"[^\x00-\x7f]+", lambda m: quote(m.group(), safe=""), link)
    )
