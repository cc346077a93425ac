"""Diff: two real builds that differ give the changelog summary of what changed."""

from __future__ import annotations

import subprocess

from conftest import SNAPSHOT, write_snapshot
from test_cli import COMMAND

from reentry_services.cli import build


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
    services = raw_copy / "curation" / "services.csv"
    services.write_text(
        "".join(
            line
            for line in services.read_text(encoding="utf-8").splitlines(keepends=True)
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
