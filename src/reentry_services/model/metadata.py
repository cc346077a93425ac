"""Facts about the published package, declared once: names, rights, keywords and ids.

Facts about the source page come from raw/source.toml (records.Source); everything here is
the project's own. The data package, the JSON-LD and every other metadata output read both.
"""

from __future__ import annotations

import hashlib
import uuid

from .records import Source

NAME = "tokyo-reentry-services"
TITLE_JA = "東京都 再犯防止推進計画 立ち直り支援の窓口・サービス一覧"
TITLE_EN = "Tokyo reentry-support resources (Tokyo Recidivism Prevention Plan)"
DESCRIPTION_JA = (
    "東京都再犯防止推進計画のページに掲載された、犯罪をした人やその家族の立ち直りを支える公的な支援"
    "（就労、職業訓練、住居、薬物依存相談、青少年・教育相談、女性相談、暴力団離脱、支援者研修など）を、"
    "支援資源ごとに1行の表にしたもの。元ページの行番号まで遡れます。"
)
DESCRIPTION_EN = (
    "The public support listed on the Tokyo Metropolitan Government's recidivism-prevention "
    "page that helps people who have offended, and their families, rebuild their lives "
    "(employment, vocational training, housing, drug-dependence consultation, youth and "
    "education counselling, women's consultation, exit from gangs, training for supporters), "
    "as one row per support resource with lineage back to the lines of the page."
)
MAINTAINERS = "reentry-services maintainers"
KEYWORDS = (
    "再犯防止",
    "立ち直り支援",
    "東京都",
    "recidivism prevention",
    "reentry",
    "social services",
    "open data",
)

# Every @id and every HSDS id is a name-based UUID in this namespace:
# uuid5(ID_NAMESPACE, "<kind>/<key>"), as urn:uuid: in RDF. Changing it changes every id.
ID_NAMESPACE = uuid.UUID("18b16e4a-e9fa-4bc3-a935-d7e3a4d40f48")
_NAMESPACE_BYTES = ID_NAMESPACE.bytes

# The project's own work (curation, structure, code) carries these licences; the quoted
# text of the page does not (see rights_statement).
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0: the project's curation (names, translations, "
    "codes), table structure and lineage. It does not cover the quoted text of the Tokyo "
    "Metropolitan Government's page (descriptions, headings, links), whose terms of use were "
    "not confirmed.",
}
CODE_LICENSE = "MIT"


def stable_uuid(kind: str, key: str) -> str:
    """The stable UUID of a thing of `kind` (service, organization, …) named `key`:
    str(uuid.uuid5(ID_NAMESPACE, f"{kind}/{key}")), formatted from the SHA-1's hex digits
    (version 5; the variant's two bits) without building UUID objects, since a large
    build makes millions of them."""
    h = hashlib.sha1(_NAMESPACE_BYTES + f"{kind}/{key}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


# The RFC 4122 variant: the first hex digit of the fourth group with its top bits 10.
_VARIANT = {digit: f"{int(digit, 16) & 0x3 | 0x8:x}" for digit in "0123456789abcdef"}


def iri(kind: str, key: str) -> str:
    """The stable absolute @id of a thing: its stable UUID as a URN."""
    return f"urn:uuid:{stable_uuid(kind, key)}"


def source_page_iri() -> str:
    """The @id of the page the dataset is based on (the JSON-LD's WebPage node)."""
    return iri("source_page", NAME)


def rights_statement(source: Source) -> str:
    """What may be said of the rights in the published data, and no more."""
    return (
        "The descriptions, headings and links are quoted from the Tokyo Metropolitan "
        f"Government's page (received {source.received.isoformat()}); its terms of use were "
        f"{source.terms_status} from the snapshot. {source.attribution}. The project's "
        f"curation and structure are licensed {DATA_LICENSE['name']}; its code {CODE_LICENSE}."
    )


def age_statement(source: Source) -> str:
    """How old the page's content is, with the evidence; "" when the sidecar says nothing."""
    if not source.age_statement:
        return ""
    return f"{source.age_statement} Evidence: {'; '.join(source.age_evidence)}."


def provenance_statement(source: Source) -> str:
    """How the data was made, in one paragraph."""
    return (
        f"Read from the text of the {source.publisher_en}'s page as received on "
        f"{source.received.isoformat()}: one row per entry, each with the lines of the "
        "snapshot it came from. Names, providers, kinds of resource and section translations "
        "are curated by hand and marked as such."
        + (f" {age_statement(source)}" if source.age_statement else "")
    )
