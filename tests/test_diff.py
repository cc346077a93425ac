"""Diff: two real builds that differ give the changelog summary of what changed."""

from __future__ import annotations

import csv
import io
import subprocess

from conftest import ADDED, RESOURCES, SNAPSHOT, write_snapshot
from test_cli import COMMAND

from reentry_services.pipeline import build
from reentry_services.version import VERSION


def test_diff_of_two_real_builds(built, raw_copy, tmp_path):
    text = SNAPSHOT.read_text(encoding="utf-8")
    # Re-capture: one description reworded, one entry gone (lines 31-32).
    text = text.replace(
        "薬物乱用についての都内の相談機関の紹介です。\n"
        "https://www.fukushihoken.metro.tokyo.lg.jp/kenkou/kenkou_anzen/stop/"
        "sodan.html\n",
        "",
    )
    text = text.replace("職業訓練を実施しています。", "職業訓練を実施しています（無料）。")
    write_snapshot(raw_copy, text.encode())
    for name in ("services.csv", "evidence.csv"):  # the entry's curation and evidence go
        path = raw_copy / "curation" / name
        path.write_text(
            "".join(
                line
                for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith("130001-873824d4ca2b1c99")
            ),
            encoding="utf-8",
        )
    build(raw_copy, tmp_path)
    result = subprocess.run([COMMAND, "diff", built, tmp_path], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "- added (0)" in out
    assert "- removed (1):\n  - `130001-873824d4ca2b1c99` 薬物乱用について" in out
    assert (
        "- changed (1):\n  - `130001-54df5459f88b516a` 都立職業能力開発センター: "
        "description_ja\n" in out
    )
    assert "- moved on the page, content unchanged (8)" in out  # the 8 entries after line 32
    assert "- no changes" in out  # same schema


def test_diff_of_a_missing_package_says_what_to_do(built, tmp_path):
    result = subprocess.run([COMMAND, "diff", built, tmp_path], capture_output=True, text=True)
    assert result.returncode == 1 and "not a built package" in result.stderr


def test_diff_from_the_0_1_0_release_lists_what_this_version_changed(built):
    """tests/fixtures/release-0.1.0: what 0.1.0 published (datapackage.json and the services
    CSV, all that diff reads)."""
    from conftest import REPO

    old = REPO / "tests" / "fixtures" / "release-0.1.0"
    result = subprocess.run([COMMAND, "diff", old, built], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"## Data 0.1.0 → {VERSION}\n")
    # the page's resources with the same ids, and the curation's additions
    assert f"- added ({ADDED}):\n" in out and "- removed (0)\n" in out
    assert "`130001-b5cccb05830cff22` 東京都女性相談支援センター: name_ja" in out
    assert "`130001-633df78624b7510f` セーフティネット住宅の供給促進: gif_service_type" in out
    assert "- services: field `url_status` removed" in out
    current = (built / "dist" / "services.csv").read_text(encoding="utf-8")
    with_current = sum(1 for row in csv.DictReader(io.StringIO(current)) if row["url_current"])
    added = (
        f"- services: field `url_current` added (string; {with_current} of {RESOURCES} rows "
        "have a value)"
    )
    assert added in out


def test_diff_from_the_0_2_0_release_lists_what_this_version_changed(built):
    """tests/fixtures/release-0.2.0: what 0.2.0 published (datapackage.json, the services CSV
    and the JSON-LD, as committed with it)."""
    from conftest import REPO

    old = REPO / "tests" / "fixtures" / "release-0.2.0"
    result = subprocess.run([COMMAND, "diff", old, built], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"## Data 0.2.0 → {VERSION}\n")
    assert f"- added ({ADDED}):\n" in out and "- removed (0)\n" in out
    assert "`130001-71fb000f7ccaf71a` 若者支援に関する地域支援者向け講習会: name_ja" in out
    assert f"- services: field `status` added (string; {RESOURCES} of {RESOURCES} rows" in out
    assert "- services: field `successor_url` added (string; 1 of" in out
    assert "- evidence: table added" in out
    assert "- resource `evidence` added (dist/evidence.csv)\n" in out
    assert "- download addresses changed (0)" in out
