"""The source: the provenance sidecar (raw/source.toml), the publication settings
(raw/publication.toml) and the page's snapshot, checked against its sidecar (hash,
encoding) and split into normalized lines for the layout to read."""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
import unicodedata
from codecs import BOM_UTF8
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..model.records import Publication, Source
from ..model.textrules import (
    FORBIDDEN,
    INVISIBLE_FIX,
    WHITESPACE,
    base_url_problem,
    char_name,
    link_problem,
    normal_base_url,
    redacted,
)
from ..safefiles import read_regular
from .curation import CURATION_DIR

SIDECAR = "source.toml"
PUBLICATION = "publication.toml"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_source(raw_dir: Path) -> Source:
    """Read the provenance sidecar, naming any missing key."""
    path = raw_dir / SIDECAR
    if not os.path.lexists(path):
        raise InputError(
            path,
            "the provenance sidecar is missing",
            "restore raw/source.toml from git, or point --raw at the raw directory",
        )
    try:
        meta = tomllib.loads(read_regular(path).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid TOML: {exc}", "fix the syntax of the sidecar") from None
    terms = meta.get("terms_of_use", {})
    age = meta.get("age", {})
    try:
        values = {name: meta[name] for name in _SIDECAR_KEYS} | {
            "page_url_evidence": meta.get("page_url_evidence", ""),
            "terms_status": terms["status"],
            "terms_note": terms["note"],
            "attribution": terms["attribution"],
            "age_statement": age.get("statement", ""),
            "age_statement_ja": age.get("statement_ja", ""),
        }
    except (KeyError, TypeError) as exc:
        raise InputError(
            path,
            f"the sidecar has no key {exc.args[0]!r}",
            "add it (see the committed raw/source.toml for every key)",
        ) from None
    _check_sidecar(path, values)
    evidence = age.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise InputError(
            path,
            "age.evidence is not a list of text",
            'write it as evidence = ["<address>: what it showed", …]',
        )
    if values["age_statement"] and not evidence:
        raise InputError(
            path,
            "age.statement has no evidence",
            "give the address of a public copy of a page and what it showed",
        )
    if values["page_url"] and not values["page_url_evidence"]:
        raise InputError(
            path,
            "page_url has no page_url_evidence",
            "say what shows that this is the page's address",
        )
    return Source(path=path, **values, age_evidence=tuple(evidence))


_SIDECAR_KEYS = (
    "file",
    "title_ja",
    "title_en",
    "description",
    "publisher_ja",
    "publisher_en",
    "jurisdiction_code",
    "jurisdiction_name",
    "page_url",
    "received",
    "encoding",
    "sha256",
)


def _check_sidecar(path: Path, values: dict) -> None:
    """Every value is text (`received` a TOML date); text holds no control or invisible
    character; `file` names a file directly in the raw folder; `page_url` is http(s)."""
    for key, value in values.items():
        if key == "received":
            if not isinstance(value, date) or isinstance(value, datetime):
                raise InputError(
                    path,
                    f"received is {value!r}, not a date",
                    "write the date without quotes: received = 2026-11-25",
                )
            continue
        if not isinstance(value, str):
            raise InputError(path, f"{key} is {value!r}, not text", f'quote it: {key} = "…"')
        found = FORBIDDEN.search(value.replace("\n", " "))
        if found:
            raise InputError(
                path,
                f"{key} contains the character {char_name(found.group())} "
                f"at character {found.start() + 1}",
                INVISIBLE_FIX,
            )
    name = values["file"]
    if name in ("", ".", "..") or "/" in name or "\\" in name:
        raise InputError(
            path,
            f"file = {name!r} is not the name of a file in the raw folder",
            "give the snapshot's file name alone; the snapshot lies directly in "
            "the raw folder, beside source.toml",
        )
    url = values["page_url"]
    problem = link_problem(url, relative_allowed=False) if url else None
    if problem:
        raise InputError(
            path,
            f"page_url: {problem.problem}",
            "give the page's http(s) address, or leave it empty",
        )


def read_publication(raw_dir: Path, base_url: str | None = None) -> Publication:
    """The publication settings (raw/publication.toml, optional); `base_url` overrides."""
    path = raw_dir / PUBLICATION
    try:
        settings = (
            tomllib.loads(read_regular(path).decode("utf-8")) if os.path.lexists(path) else {}
        )
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid TOML: {exc}", "fix the syntax") from None
    base = settings.get("base_url", "") if base_url is None else base_url
    contact = settings.get("contact", "")
    where = path if base_url is None else Path("--base-url")
    problem = base_url_problem(base) if isinstance(base, str) and base else None
    if not isinstance(base, str) or problem:
        raise InputError(
            where,
            f"base_url {redacted(str(base))[:80]!r} is not an http(s) address of a folder: "
            f"{problem}",
            "give the address of the folder holding datapackage.json, with a final / and "
            "no user information, query or fragment, or leave it empty",
        )
    mail = isinstance(contact, str) and contact.startswith("mailto:") and "@" in contact
    if not isinstance(contact, str) or (
        contact and not mail and link_problem(contact, relative_allowed=False)
    ):
        raise InputError(
            path,
            f"contact {contact!r} is not an http(s) or mailto: address",
            "give the maintainers' issue tracker or mailbox, or leave it empty",
        )
    return Publication(normal_base_url(base) if base else "", contact)


def read_lines(source: Source) -> pa.StringArray:
    """The snapshot's lines, hash-checked, decoded and normalized (NFC, trimmed)."""
    path = source.snapshot_path
    if path.is_symlink():
        raise InputError(
            path,
            "the snapshot is a symbolic link",
            "copy the snapshot itself into the raw folder; it must be a file of its own there",
        )
    if not path.exists():
        raise InputError(
            path,
            "the snapshot named in raw/source.toml does not exist",
            "put the snapshot in raw/ or correct `file` in raw/source.toml",
        )
    data = read_regular(path)
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        raise InputError(
            path,
            f"sha256 is {actual}, but raw/source.toml records {source.sha256}",
            "never edit the snapshot; if this is a new, reviewed capture, set `sha256` (and "
            "`received`) in raw/source.toml, rebuild, and review what the build reports",
        )
    if len(data) >= 2**30:
        raise InputError(
            path,
            f"the snapshot has {len(data):,} bytes; a capture of the page has about 10,000",
            "check that raw/source.toml names the page's capture",
        )
    text = _decode(path, data, source.encoding)
    lines = split_lines(text, data.removeprefix(BOM_UTF8) if _is_utf8(source.encoding) else None)
    if not pc.any(pc.not_equal(lines, "")).as_py():
        raise InputError(
            path,
            "the snapshot is empty or holds only whitespace",
            "capture the page again; an empty page cannot be published",
        )
    return lines


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in {"utf-8", "utf8"}


def _decode(path: Path, data: bytes, encoding: str) -> str:
    utf8 = _is_utf8(encoding)
    try:
        text = data.decode("utf-8-sig" if utf8 else encoding)
    except LookupError:
        raise InputError(
            path,
            f"raw/source.toml declares an unknown encoding {encoding!r}",
            "declare utf-8, or the codec the capture really uses (e.g. cp932)",
        ) from None
    except UnicodeDecodeError as exc:
        raise _undecodable(path, data, encoding, exc) from None
    if not utf8 and not data.isascii() and _decodes(data, "utf-8"):
        raise InputError(
            path,
            f"raw/source.toml declares {encoding}, but the file is UTF-8 "
            f"(read as {encoding} it would be garbled)",
            'declare encoding = "utf-8" in raw/source.toml',
        )
    return text


def _undecodable(path: Path, data: bytes, encoding: str, exc: UnicodeDecodeError) -> InputError:
    """The error for bytes that are not `encoding`: where, and what the bytes look like."""
    line = data.count(b"\n", 0, exc.start) + 1
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    bad = data[exc.start : exc.end + 3].hex(" ")
    where = f"byte {exc.start} ({bad}…) is not valid {encoding}."
    if _decodes(data[:line_start], "utf-8") and not data[:line_start].isascii():
        return InputError(
            path,
            f"{where} The lines before it are {encoding}: the capture mixes encodings",
            "capture the page again; if this line alone was pasted "
            "from another source, convert that line to UTF-8 and record the new "
            "sha256 in raw/source.toml",
            line=line,
        )
    if _decodes(data, "cp932"):
        return InputError(
            path,
            f"{where} The bytes decode as Shift_JIS/CP932, as Japanese sites often serve",
            "convert the capture to UTF-8 (iconv -f CP932 -t "
            "UTF-8 IN > OUT) and update sha256 in raw/source.toml, or declare its "
            'real encoding there (encoding = "cp932")',
            line=line,
        )
    return InputError(
        path,
        where,
        "find the capture's real encoding and declare it in "
        "raw/source.toml, or convert the capture to UTF-8",
        line=line,
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def split_lines(text: str, utf8: bytes | None = None) -> pa.StringArray:
    """The text's lines (LF, CRLF or CR), each normalized: NFC, without leading or trailing
    whitespace (full-width spaces included) and without a U+FEFF that starts the line (left
    where captures were joined). `utf8`: the text's UTF-8 bytes, where the caller has them."""
    # NFC of the whole text is NFC of each line: a line break composes with nothing.
    if not unicodedata.is_normalized("NFC", text):
        text, utf8 = unicodedata.normalize("NFC", text), None
    if "\r" in text:
        text, utf8 = _LINE_BREAK.sub("\n", text), None
    data = text.encode("utf-8") if utf8 is None else utf8  # < 2 GiB: read_lines allows 1 GiB
    # Each line with the line break after it, which the trim below removes.
    breaks = np.flatnonzero(np.frombuffer(data, np.uint8) == ord("\n")) + 1
    offsets = np.concatenate(([0], breaks, [len(data)])).astype(np.int32)
    lines = pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))
    lines = pc.utf8_trim(lines, WHITESPACE)
    if pc.any(pc.starts_with(lines, "\ufeff")).as_py():
        lines = pc.utf8_trim(pc.utf8_ltrim(lines, "\ufeff"), WHITESPACE)
    return lines


def check_raw_folder(raw_dir: Path) -> None:
    """Refuse, with what to do, a raw folder that is not there (a wheel has none)."""
    if not (raw_dir / SIDECAR).exists() and not (raw_dir / CURATION_DIR).exists():
        raise InputError(
            raw_dir,
            "no raw folder here (no source.toml, no curation/): build makes the release from "
            "the page's snapshot and the curation in the project's raw/ folder",
            "run build in a clone of the project's repository (or its unpacked sdist), or "
            "pass --raw DIR; the installed package already carries the built release, which "
            "`reentry-services validate` and reentry_services.load() use without raw/",
        )
