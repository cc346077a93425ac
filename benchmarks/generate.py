"""Write a synthetic raw directory of N entries in the page's own layout, with its curation.

Sections under headings (one of them empty), one- and two-paragraph descriptions of
realistic Japanese length, absolute, relative and missing links; the paragraph decisions,
section and service curation that match, with former names, operators, current links,
superseded resources and their successors,
the evidence of each and recorded link checks; and a provenance sidecar with the right
hash.

    python benchmarks/generate.py N OUT_DIR
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sys
from pathlib import Path

from reentry_services.model.records import Entries, Entry
from reentry_services.model.schema import CURATION_FILES
from reentry_services.stages.normalize import service_ids

REPO = Path(__file__).resolve().parents[1]
HEADINGS = [
    "就労の確保等",
    "住居の確保等",
    "高齢者又は障害のある者等への支援等",
    "薬物依存を有する者への支援等",
    "非行の防止・学校と連携した修学支援等のための取組",
    "犯罪をした者等の特性に応じた効果的な指導・支援等のための取組",
]
PHRASES = [
    "犯罪をした者等が地域社会の一員として円滑に社会復帰することができるよう",
    "国の関係機関、区市町村、民間支援機関等と連携し",
    "就職活動や就職後に役立つ知識・スキルを習得するための各種セミナーや能力開発",
    "求人情報の提供・職業紹介まで、就職に関する一貫したサービスを提供しています",
    "アルコール・薬物・ギャンブル等の問題を抱えて困っているご本人、ご家族",
    "友人関係、いじめ、家族関係、学校生活、不登校の悩みや不安等",
    "緊急の保護や自立のために支援が必要な方の相談を受けています",
    "このポータルサイトで、あなた自身やご家族に合った支援機関・相談窓口を見つけてください",
]


def paragraph(i: int, k: int) -> str:
    """A unique paragraph of 100-250 characters; it starts with the entry's number."""
    body = "、".join(PHRASES[(i + j) % len(PHRASES)] for j in range(2 + (i + k) % 3))
    return f"第{i}番の支援窓口（{k}）では、{body}。"


def generate(n: int, out: Path) -> None:
    """Write raw/ for n entries into `out` (replacing it)."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "curation").mkdir(parents=True)
    if n < 10:
        raise SystemExit("N must be at least 10, so every section but one gets entries")
    lines = [paragraph(0, 0), "https://www.example.metro.tokyo.lg.jp/plan/"]
    entries = [Entry(1, (lines[0],), lines[1], 1, 2)]  # the opening section: the plan
    decisions: list[tuple[str, str, str]] = []
    block = -(-(n - 1) // 5)  # entries per section; the third heading stays empty
    i = 1
    for number, heading in enumerate(HEADINGS):
        lines.append(heading)
        for _ in range(0 if number == 2 else min(block, n - i)):
            paragraphs = [paragraph(i, 0)] + ([paragraph(i, 1)] if i % 4 == 0 else [])
            link = (
                None
                if i % 50 == 0
                else f"/path{i}/"
                if i % 50 == 25
                else f"https://www.example.metro.tokyo.lg.jp/service/{i}/index.html"
            )
            if link is None:  # a stand-alone entry needs a decision, like 犯罪お悩みなんでも相談
                paragraphs = paragraphs[:1]
                decisions.append((f"第{i}番の支援窓口（0）", "standalone", "synthetic"))
            elif len(paragraphs) == 2:
                decisions.append((f"第{i}番の支援窓口（1）", "continuation", "synthetic"))
            lines.extend(paragraphs + ([link] if link else []))
            entries.append(Entry(0, tuple(paragraphs), link, 0, 0))
            i += 1
    data = "\n".join(lines).encode("utf-8")
    name = f"synthetic-{n}.txt"
    (out / name).write_bytes(data)
    sidecar = (REPO / "raw" / "source.toml").read_text(encoding="utf-8")
    sidecar = sidecar.replace(
        'file = "tokyo-saihan-boushi-page.2026-11-25.txt"', f'file = "{name}"'
    )
    real_hash = hashlib.sha256(
        (REPO / "raw" / "tokyo-saihan-boushi-page.2026-11-25.txt").read_bytes()
    ).hexdigest()
    sidecar = sidecar.replace(real_hash, hashlib.sha256(data).hexdigest())
    (out / "source.toml").write_text(sidecar, encoding="utf-8")
    copy_page_sections(
        REPO / "raw" / "curation" / "sections.csv", out / "curation" / "sections.csv"
    )
    with (out / "curation" / "paragraphs.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["starts_with", "role", "evidence"])
        writer.writerows(decisions)
    folder = out / "curation"
    with (
        (folder / "services.csv").open("w", encoding="utf-8", newline="") as f,
        (folder / "evidence.csv").open("w", encoding="utf-8", newline="") as e,
        (folder / "link-checks.csv").open("w", encoding="utf-8", newline="") as c,
    ):
        header = {t.file: t.field_names for t in CURATION_FILES}  # as declared
        writer = csv.DictWriter(f, header["services.csv"], restval="", lineterminator="\n")
        writer.writeheader()
        evidence = csv.writer(e, lineterminator="\n")
        evidence.writerow(header["evidence.csv"])
        checks = csv.writer(c, lineterminator="\n")
        checks.writerow(header["link-checks.csv"])
        ids = service_ids("130001", Entries.of_rows(entries)).to_pylist()
        for k, (entry, sid) in enumerate(zip(entries, ids, strict=True)):
            government = k % 10 != 0
            values = {
                "alternate_names_ja": f"旧第{k}番窓口" if k % 7 == 0 else "",
                "operator_ja": f"公益財団法人運営団体{k % 31}" if k % 5 == 1 else "",
                "audience": ("people_and_families", "supporters;local_governments")[k % 9 == 0],
                # no contact points: a resource for people says when none were found
                "contact_searched_on": "2026-11-30" if k % 9 else "",
                "url_current": f"https://www.example.lg.jp/moved/{k}/" if k % 11 == 0 else "",
                "status": "superseded" if k % 13 == 0 else "",  # empty: active, no evidence
                "successor_name_ja": f"第{k}番の後継窓口" if k % 13 == 0 else "",
                "successor_url": f"https://www.example.lg.jp/next/{k}/" if k % 13 == 0 else "",
            }
            writer.writerow(
                {
                    "service_id": sid,
                    "name_ja": f"第{k}番の支援窓口",
                    "name_en": f"Support desk {k}",
                    "provider_ja": "東京都" if government else f"公益財団法人支援団体{k % 97}",
                    "provider_en": "Tokyo Metropolitan Government"
                    if government
                    else f"Foundation {k % 97}",
                    "provider_type": "prefecture" if government else "public_interest_corporation",
                    "operator_en": f"Operator {k % 31}" if values["operator_ja"] else "",
                    "resource_type": ("consultation_desk", "service", "program", "training")[k % 4],
                    "gif_service_type": ("consultation", "support_service", "information")[k % 3],
                    "gif_concerns": ("work", "housing;money", "health_welfare", "other")[k % 4],
                    "target_people_ja": "ご本人、ご家族"
                    if "ご本人、ご家族" in entry.paragraphs[0]
                    else "",
                    "note": "synthetic",
                    **values,
                    "status": values["status"] or "active",
                }
            )
            evidence.writerows(
                [sid, name, "https://www.example.lg.jp/evidence/", "", "2026-11-30", "synthetic"]
                for name, value in values.items()
                if value
            )
            link = values["url_current"] or (
                entry.link if entry.link and entry.link.startswith("https:") else None
            )
            if link and k % 3 == 0:
                outcome = ("ok", "redirected", "broken", "unreachable")[k // 3 % 4]
                final = {"ok": link, "redirected": f"{link}new/", "broken": link}.get(outcome, "")
                status = {"ok": "200", "redirected": "200", "broken": "404"}.get(outcome, "")
                checks.writerow([link, "2026-11-30", status, final, outcome])


def copy_page_sections(source: Path, target: Path) -> None:
    """The real sections.csv without the sections the curation adds: the synthetic page has
    no additions, and the engine peer matches every section row to a heading of the page."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["listed_on_page"] == "true")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
