"""Bad input and faults: one clear error, the previous release untouched; input that must
just work gives the same bytes; hostile text round-trips; publishing is all or nothing."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import SNAPSHOT, write_snapshot
from test_cli import COMMAND
from test_reproducible import files

from reentry_services import outputs
from reentry_services.errors import PipelineError
from reentry_services.model.readers import read_csv
from reentry_services.model.schema import CURATION_FILES, SERVICES
from reentry_services.outputs import jsonld
from reentry_services.pipeline import build

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook

CLEAN = SNAPSHOT.read_text(encoding="utf-8")
NAME = SNAPSHOT.name


@pytest.fixture
def release(built, tmp_path) -> Path:
    """An output root holding a good release, as a portal would see it."""
    root = tmp_path / "release"
    shutil.copytree(built, root)
    return root


def assert_untouched(root: Path, built: Path) -> None:
    assert files(root) == files(built)
    assert not list(root.glob(".reentry-services-build-*"))


def replace_line(number: int, new: str) -> str:
    lines = CLEAN.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def set_sidecar(raw: Path, key: str, value: str) -> None:
    sidecar = raw / "source.toml"
    sidecar.write_text(
        re.sub(rf'^{key} = ".*"$', f'{key} = "{value}"', sidecar.read_text(), flags=re.M),
        encoding="utf-8",
    )


def set_sidecar_raw(raw: Path, key: str, value: str) -> None:
    sidecar = raw / "source.toml"
    sidecar.write_text(
        re.sub(rf"^{key} = .*$", f"{key} = {value}", sidecar.read_text(), flags=re.M),
        encoding="utf-8",
    )


def edit_curation(raw: Path, name: str, old: str, new: str) -> None:
    path = raw / "curation" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(text: str):
    return lambda raw: write_snapshot(raw, text.encode("utf-8"))


SNAPSHOT_ERRORS = [
    ("empty", snapshot(""), f"{NAME}: the snapshot is empty"),
    ("whitespace only", snapshot(" \n\u3000\r\n\t"), f"{NAME}: the snapshot is empty"),
    (
        "cp932 capture",
        lambda raw: write_snapshot(raw, CLEAN.encode("cp932")),
        f"{NAME}:1: byte 0 ({CLEAN.encode('cp932')[:4].hex(' ')}…) is not valid utf-8. The bytes "
        "decode as Shift_JIS/CP932",
    ),
    (
        "hash mismatch",
        lambda raw: (raw / NAME).write_text(CLEAN + "\n", encoding="utf-8"),
        f"{NAME}: sha256 is",
    ),
    (
        "link without description",
        snapshot(CLEAN.replace("就労の確保等\n", "就労の確保等\nhttps://example.org/\n")),
        f"{NAME}:11: a link with no description before it",
    ),
    (
        "two links in a row",
        snapshot(replace_line(3, CLEAN.split("\n")[1] + "x\n" + CLEAN.split("\n")[2])),
        f"{NAME}:3: two links in a row (lines 2 and 3)",
    ),
    (
        "description after the last link",
        snapshot(CLEAN.replace("住居の確保等\n", "リンクのない説明。\n住居の確保等\n")),
        f"{NAME}:22: a description with no link after it",
    ),
    (
        "heading at the end",
        snapshot(CLEAN + "\n新しい見出し"),
        f"{NAME}:52: the file ends with a heading",
    ),
    (
        "javascript link",
        snapshot(replace_line(12, "javascript:alert(1)")),
        f"{NAME}:12: the link 'javascript:alert(1)' is not an http(s) URL",
    ),
    (
        "file link",
        snapshot(replace_line(12, "file:///etc/passwd")),
        f"{NAME}:12: the link 'file:///etc/passwd' is not an http(s) URL",
    ),
    (
        "mailto link",
        snapshot(replace_line(12, "mailto:a@example.org")),
        f"{NAME}:12: the link 'mailto:a@example.org' is not an http(s) URL",
    ),
    (
        "link with a space",
        snapshot(replace_line(12, "https://www.tokyoshigoto.jp/a b")),
        f"{NAME}:12:30: the link contains a space",
    ),
    *[
        (
            f"link with {char!r}",
            snapshot(replace_line(12, f"https://www.tokyoshigoto.jp/a{char}b")),
            f"{NAME}:12:30: the link contains {char!r}, which a URL may not hold unencoded",
        )
        for char in '"<>\\{}|^`'
    ],
    (
        "protocol-relative link",
        snapshot(replace_line(12, "//other.example/x")),
        f"{NAME}:12: the link '//other.example/x' names another host without a scheme",
    ),
    (
        "broken percent-encoding",
        snapshot(replace_line(12, "https://www.tokyoshigoto.jp/%G1")),
        f"{NAME}:12:29: the link has a % that starts no percent-encoding",
    ),
    (
        "link with a bidi override",
        snapshot(replace_line(12, "https://www.tokyoshigoto.jp/\u202ex")),
        f"{NAME}:12:29: the line contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)",
    ),
    *[
        (
            f"description with {name}",
            snapshot(CLEAN.replace("を策定しました", f"を策{char}定しました")),
            f"{NAME}:1:148: the line contains the invisible character U+{ord(char):04X}",
        )
        for name, char in [
            ("a zero-width space", "\u200b"),
            ("an isolate", "\u2067"),
            ("a byte order mark", "\ufeff"),
            ("a word joiner", "\u2060"),
        ]
    ],
    (
        "repeated heading",
        snapshot(CLEAN.replace("住居の確保等\n", "就労の確保等\n")),
        f"{NAME}:22: the heading '就労の確保等' is also on line 10",
    ),
    (
        "one Windows-1252 line",
        lambda raw: write_snapshot(
            raw, CLEAN.encode().replace("就労の確保等".encode(), "café".encode("cp1252"))
        ),
        f"{NAME}:10: byte 1998 (e9 0a e9 83…) is not valid utf-8. The lines before it are utf-8: "
        "the capture mixes encodings",
    ),
    (
        "UTF-8 declared as Latin-1",
        lambda raw: set_sidecar(raw, "encoding", "latin-1"),
        f"{NAME}: raw/source.toml declares latin-1, but the file is UTF-8",
    ),
    (
        "snapshot outside the raw folder",
        lambda raw: set_sidecar(raw, "file", "../raw/" + NAME),
        "source.toml: file = '../raw/tokyo-saihan-boushi-page.2026-11-25.txt' is not the name "
        "of a file in the raw folder",
    ),
    (
        "absolute snapshot path",
        lambda raw: set_sidecar(raw, "file", "/etc/hostname"),
        "source.toml: file = '/etc/hostname' is not the name of a file in the raw folder",
    ),
    (
        "snapshot is a symlink",
        lambda raw: (raw / NAME).unlink() or (raw / NAME).symlink_to(SNAPSHOT),
        f"{NAME}: the snapshot is a symbolic link",
    ),
    (
        "quoted date",
        lambda raw: set_sidecar_raw(raw, "received", '"2026-11-25"'),
        "source.toml: received is '2026-11-25', not a date",
    ),
    (
        "javascript page_url",
        lambda raw: set_sidecar(raw, "page_url", "javascript:alert(1)"),
        "source.toml: page_url: the link 'javascript:alert(1)' is not an http(s) URL",
    ),
    (
        "bidi control in the sidecar",
        lambda raw: set_sidecar(raw, "title_en", "A\u202eB"),
        "source.toml: title_en contains the character U+202E (RIGHT-TO-LEFT OVERRIDE)",
    ),
    (
        "control character",
        snapshot(replace_line(12, "https://www.tokyoshigoto.jp/\x00")),
        f"{NAME}:12:29: the line contains the control character U+0000",
    ),
    (
        "line too long",
        snapshot(replace_line(11, "長" * 3000 + "。")),
        f"{NAME}:11: the line has 3001 characters",
    ),
    (
        "same id twice",
        snapshot(replace_line(16, "https://www.tokyoshigoto.jp/")),
        f"{NAME}:15: the entries at lines 11-12 and 15-16 get the same id",
    ),
    (
        "entry without curation",
        snapshot(replace_line(12, "https://www.tokyoshigoto.jp/new")),
        "services.csv: entries and their curation do not match:\n  - snapshot lines 11-12",
    ),
    (
        "curation without entry",
        snapshot(
            CLEAN.replace(
                "薬物乱用についての都内の相談機関の紹介です。\n"
                "https://www.fukushihoken.metro.tokyo.lg.jp/kenkou/kenkou_anzen/stop/sodan.html\n",
                "",
            )
        ),
        "curation line 15: id 130001-873824d4ca2b1c99 (薬物乱用についての都内の相談機関の紹介) "
        "matches no entry",
    ),
]

CURATION_ERRORS = [
    (
        "missing column",
        lambda raw: edit_curation(raw, "services.csv", ",resource_type", ""),
        "services.csv:1: the header has",
    ),
    (
        "duplicate key",
        lambda raw: edit_curation(
            raw, "services.csv", "130001-dab92ac84f41d8f5,", "130001-b241a6e67707c7df,"
        ),
        "services.csv: 1 value(s) break the file's declared columns:\n"
        "  - service_id repeats a value on line 2, 3",
    ),
    (
        "unknown type",
        lambda raw: edit_curation(raw, "services.csv", ",guidebook,", ",booklet,"),
        "  - resource_type is not one of ['plan', 'consultation_desk', 'service', 'program', "
        "'training', 'guidebook', 'portal', 'information', 'support_organization'] on line 4",
    ),
    (
        "unknown section",
        lambda raw: edit_curation(raw, "sections.csv", "住居の確保等,", "住宅の確保等,"),
        "sections.csv: sections and their curation do not match",
    ),
    (
        "unknown priority",
        lambda raw: edit_curation(
            raw,
            "sections.csv",
            ",housing,true,Securing housing,1,",
            ",housing,true,Securing housing,8,",
        ),
        "  - national_priority_code is not one of ['1', '2', '3', '4', '5', '6', '7'] on line 4",
    ),
    (
        "unknown concern",
        lambda raw: edit_curation(
            raw, "services.csv", ",housing;work;money,", ",housing;jobs;money,"
        ),
        "  - gif_concerns does not match (housing|work|health_welfare|childcare_education|money|"
        "other)(;(housing|work|health_welfare|childcare_education|money|other))* on line 9",
    ),
    (
        "repeated concern",
        lambda raw: edit_curation(
            raw, "services.csv", ",housing;work;money,", ",housing;work;housing,"
        ),
        "  - gif_concerns repeats a code on line 9",
    ),
    (
        "target people not quoted",
        lambda raw: edit_curation(
            raw, "services.csv", ",都内で仕事をお探しの方,", ",都内で働きたい方,"
        ),
        "services.csv:7: target_people_ja '都内で働きたい方' is not in the description",
    ),
    (
        "bidi control in a curated name",
        lambda raw: edit_curation(
            raw, "services.csv", "Tokyo Recidivism", "Tokyo \u202eRecidivism"
        ),
        "services.csv:2:43: the text contains the invisible character U+202E",
    ),
    (
        "zero-width space in a heading",
        lambda raw: edit_curation(raw, "sections.csv", "Securing housing", "Securing\u200bhousing"),
        "sections.csv:4:",
    ),
    (
        "one provider, two English names",
        lambda raw: edit_curation(
            raw,
            "services.csv",
            ",東京都,Tokyo Metropolitan Government,prefecture,,,consultation_desk",
            ",東京都,Tokyo Metropolitan Govt.,prefecture,,,consultation_desk",
        ),
        "services.csv:3: provider_ja '東京都' has provider_en 'Tokyo Metropolitan Govt.' here but "
        "'Tokyo Metropolitan Government' on line 2",
    ),
    (
        "one provider, two types",
        lambda raw: edit_curation(
            raw,
            "services.csv",
            ",東京都,Tokyo Metropolitan Government,prefecture,,,consultation_desk",
            ",東京都,Tokyo Metropolitan Government,municipalities,,,consultation_desk",
        ),
        "services.csv:3: provider_ja '東京都' has provider_type 'municipalities' here",
    ),
    (
        "stale paragraph decision",
        lambda raw: edit_curation(
            raw, "paragraphs.csv", "都は、「犯罪お悩みなんでも相談」", "都は、「犯罪のお悩み相談」"
        ),
        "paragraphs.csv:2: the paragraph decision for '都は、「犯罪のお悩み相談」窓口を設置し' "
        "matches no paragraph",
    ),
]


@pytest.mark.parametrize(
    ("name", "damage", "message"),
    SNAPSHOT_ERRORS + CURATION_ERRORS,
    ids=[c[0] for c in SNAPSHOT_ERRORS + CURATION_ERRORS],
)
def test_bad_input_is_refused_and_the_release_kept(built, release, raw_copy, name, damage, message):
    damage(raw_copy)
    result = subprocess.run(
        [COMMAND, "build", "--raw", raw_copy, "--out", release], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert "fix:" in result.stderr and "Traceback" not in result.stderr
    assert_untouched(release, built)


# --- input that must just work ----------------------------------------------------

VARIANTS = {
    "BOM": lambda text: ("\ufeff" + text).encode("utf-8"),
    "CRLF": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "trailing spaces": lambda text: text.replace("\n", "  \t\n").encode("utf-8"),
    "blank lines": lambda text: ("\n\n" + text.replace("\n", "\n\n \n") + "\n\n").encode(),
    "full-width spaces": lambda text: text.replace("\n", "\u3000\n\u3000").encode("utf-8"),
    "NFD": lambda text: unicodedata.normalize("NFD", text).encode("utf-8"),
    # U+FEFF that starts a line is left where captures were joined: dropped, said in README
    "U+FEFF at line starts": lambda text: text.replace("\n", "\n\ufeff").encode("utf-8"),
}


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
def test_harmless_variants_publish_the_same_bytes(built, raw_copy, tmp_path, variant):
    data = VARIANTS[variant](CLEAN)
    assert data != CLEAN.encode("utf-8")
    write_snapshot(raw_copy, data)
    build(raw_copy, tmp_path)
    assert files(tmp_path) == files(built)


def test_a_declared_cp932_capture_publishes_the_same_bytes(built, raw_copy, tmp_path):
    write_snapshot(raw_copy, CLEAN.encode("cp932"))
    set_sidecar(raw_copy, "encoding", "cp932")
    build(raw_copy, tmp_path)
    assert files(tmp_path) == files(built)


# --- hostile text -----------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/")<script>alert("x")</script>, "quoted", '
    "<b>太字</b>, a,b;c 'single' &amp; \\ back。",
    '-1+2 もう一段落、"引用"<br>。',
]
HOSTILE_URL = "https://example.org/hostile?a=1&b=2"


def add_hostile_entry(raw: Path) -> str:
    text = CLEAN.replace("就労の確保等\n", "\n".join([*HOSTILE, HOSTILE_URL, "就労の確保等\n"]))
    write_snapshot(raw, text.encode("utf-8"))
    with (raw / "curation" / "paragraphs.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            ["-1+2 もう一段落", "continuation", "test: second paragraph of a hostile entry"]
        )
    from reentry_services.model.records import Entry
    from reentry_services.stages.normalize import service_id

    sid = service_id("130001", Entry(1, tuple(HOSTILE), HOSTILE_URL, 1, 1))
    header = {t.file: t.field_names for t in CURATION_FILES}  # as declared
    with (raw / "curation" / "services.csv").open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, header["services.csv"], restval="", lineterminator="\n").writerow(
            {
                "service_id": sid,
                "name_ja": "=危険な名前<script>",
                "name_en": '"Hostile", name',
                "alternate_names_ja": "@旧名<b>;-別名",
                "provider_ja": "東京都",
                "provider_en": "Tokyo Metropolitan Government",
                "provider_type": "prefecture",
                "operator_ja": "+運営<i>",
                "operator_en": 'Operator, "quoted"',
                "resource_type": "service",
                "gif_service_type": "support_service",
                "gif_concerns": "work",
                "audience": "people_and_families",
                "status": "active",
                "contact_searched_on": "2026-12-06",
                "note": "test",
            }
        )
    with (raw / "curation" / "evidence.csv").open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, header["evidence.csv"], lineterminator="\n").writerows(
            {
                "service_id": sid,
                "field": column,
                "source": "page line 10",
                "date_shown": "",
                "date_read": "2026-11-25",
                "shows": "test: =cmd|' /C calc'!A0",
            }
            for column in (
                "name_ja",
                "alternate_names_ja",
                "operator_ja",
                "audience",
                "contact_searched_on",
            )
        )
    return sid


def test_hostile_text_round_trips_and_is_neutralized_for_excel(raw_copy, tmp_path):
    sid = add_hostile_entry(raw_copy)
    build(raw_copy, tmp_path)
    dist = tmp_path / "dist"
    description = "\n".join(HOSTILE)
    with (dist / "services.csv").open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["service_id"] == sid)
    assert row["description_ja"] == description and row["name_ja"] == "=危険な名前<script>"
    typed = read_csv(SERVICES, dist / "services.csv").to_pylist()
    assert next(r for r in typed if r["service_id"] == sid)["description_ja"] == description
    parquet = pq.read_table(dist / "services.parquet").to_pylist()
    assert next(r for r in parquet if r["service_id"] == sid)["description_ja"] == description
    graph = json.loads((dist / "services.jsonld").read_text(encoding="utf-8"))["@graph"]
    node = next(n for n in graph if n.get("identifier") == sid)
    assert node["description"]["@value"] == description
    excel = (dist / "services.excel.csv").read_bytes().decode("utf-8-sig")
    excel_row = next(
        r for r in csv.DictReader(io.StringIO(excel, newline="")) if r["service_id"] == sid
    )
    assert excel_row["description_ja"] == "'" + description
    assert excel_row["name_ja"] == "'=危険な名前<script>"
    assert excel_row["alternate_names_ja"] == "'@旧名<b>;-別名"
    assert excel_row["operator_ja"] == "'+運営<i>"
    assert row["operator_en"] == 'Operator, "quoted"'


# --- atomic publish ---------------------------------------------------------------


def test_a_failing_writer_leaves_the_release_untouched(built, release, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(outputs.DATA_WRITERS, "parquet", disk_full)
    with pytest.raises(
        PipelineError,
        match=r"No space left on device.*previous release is "
        r"untouched",
    ):
        build(Path(__file__).parents[1] / "raw", release)
    assert_untouched(release, built)


def test_a_release_failing_validation_is_not_published(built, release, monkeypatch):
    real = jsonld.service_node

    def with_unknown_property(*args, **kwargs):
        return {**real(*args, **kwargs), "telephoneNumberX": "03"}

    monkeypatch.setattr(jsonld, "service_node", with_unknown_property)
    with pytest.raises(PipelineError, match="failed validation") as err:
        build(Path(__file__).parents[1] / "raw", release)
    assert "telephoneNumberX" in str(err.value)
    assert_untouched(release, built)


@pytest.mark.parametrize(
    ("writer", "damage", "words"),
    [
        (
            "gif",
            lambda path: path.write_text(
                path.read_text(encoding="utf-8").replace("東京都", "大阪府", 1), encoding="utf-8"
            ),
            "gif: 地方公共団体名 differs from the services table's jurisdiction_name",
        ),
        (
            "hsds",
            lambda path: (path.parent / "services.csv").write_text("id\n", encoding="utf-8"),
            "hsds-services: the header is ['id'], the schema's fields are",
        ),
    ],
)
def test_a_release_whose_exports_are_damaged_is_not_published(
    built, release, monkeypatch, writer, damage, words
):
    """The build checks the files it wrote before it puts them in place: a damaged export
    stops the build."""
    real = outputs.DATA_WRITERS[writer]

    def damaged(release, files):
        result = real(release, files)
        damage(release.path(files[0]))
        return result

    monkeypatch.setitem(outputs.DATA_WRITERS, writer, damaged)
    with pytest.raises(PipelineError, match="failed validation") as err:
        build(Path(__file__).parents[1] / "raw", release)
    assert words in str(err.value)
    assert_untouched(release, built)


def test_fifty_thousand_new_headings_give_a_short_message(raw_copy, tmp_path):
    """Every new heading is a mismatch with sections.csv; the message names ten."""
    headings = "".join(f"新しい見出し{n}\n" for n in range(50_000))
    write_snapshot(
        raw_copy, CLEAN.replace("住居の確保等\n", headings + "住居の確保等\n").encode("utf-8")
    )
    result = subprocess.run(
        [COMMAND, "build", "--raw", raw_copy, "--out", tmp_path / "out"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "sections and their curation do not match" in result.stderr
    assert "… and 49990 more" in result.stderr and len(result.stderr) < 3000
