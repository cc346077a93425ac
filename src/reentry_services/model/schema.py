"""The one declaration of the published tables: every field once, with its code lists.

Everything else is derived from here: the Arrow/Parquet types, the Frictionless Table
Schema, the checks that normalize enforces, and the data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SchemaViolation

FieldType = Literal["string", "integer", "boolean", "date"]
# Where a field's values come from: the page text, the human-edited curation files,
# the snapshot's provenance sidecar, or computed by the pipeline from the others.
Origin = Literal["source", "curation", "provenance", "derived"]


@dataclass(frozen=True)
class Code:
    """One value of a code list, with its Japanese and English labels."""

    code: str
    ja: str
    en: str


@dataclass(frozen=True)
class CodeList:
    """A closed vocabulary; `unofficial` marks English labels that are our translation."""

    name: str
    codes: tuple[Code, ...]
    unofficial_en: bool = False
    ordered: bool = False  # the codes have an order (pandas loads them as ordered)

    def __contains__(self, code: object) -> bool:
        return code in self.value_set

    def __getitem__(self, code: str) -> Code:
        for c in self.codes:
            if c.code == code:
                return c
        raise KeyError(code)

    @property
    def values(self) -> list[str]:
        return [c.code for c in self.codes]

    @cached_property
    def value_set(self) -> frozenset[str]:
        return frozenset(c.code for c in self.codes)


URL_FORMS = CodeList(
    "url_form",
    (
        Code("absolute", "絶対URL", "an absolute http(s) URL"),
        Code(
            "relative",
            "ルート相対パス（page_urlを基準に解決）",
            "a path on the page's own site (resolved against page_url)",
        ),
        Code("missing", "リンクなし", "no link on the page"),
    ),
)

# What check-links found when it requested a link (raw/curation/link-checks.csv).
LINK_CHECK_OUTCOMES = CodeList(
    "link_check_outcome",
    (
        Code("ok", "正常", "works (2xx, no redirect)"),
        Code("redirected", "転送", "works after a redirect (2xx after 3xx)"),
        Code("broken", "リンク切れ", "broken (4xx or 5xx, or a redirect loop)"),
        Code("unreachable", "接続不可", "unreachable (DNS, connection, TLS or timeout failure)"),
    ),
)
LINK_OUTCOMES = CodeList(
    "link_outcome",
    (
        *LINK_CHECK_OUTCOMES.codes,
        Code("unchecked", "未確認", "not checked yet (no row in link-checks.csv)"),
    ),
)

# Who a resource is for. English labels are our own.
AUDIENCES = CodeList(
    "audience",
    (
        Code(
            "people_and_families",
            "犯罪をした者等とその家族・関係者",
            "people who have offended, their families and those close to them",
        ),
        Code(
            "supporters",
            "支援者・保護司・関係機関",
            "supporters, volunteer probation officers and partner agencies",
        ),
        Code("local_governments", "区市町村", "municipal governments"),
    ),
)
# A resource for this audience has contact points, or says when official sources were
# searched for one in vain (contact_searched_on): never silently none.
AUDIENCE_NEEDING_CONTACT = "people_and_families"

RESOURCE_TYPES = CodeList(
    "resource_type",
    (
        Code("plan", "計画", "plan"),
        Code("consultation_desk", "相談窓口", "consultation desk"),
        Code("service", "支援サービス", "support service"),
        Code("program", "事業・制度", "programme or scheme"),
        Code("training", "研修・講習・職業訓練", "training course"),
        Code("guidebook", "ガイドブック", "guidebook"),
        Code("portal", "ポータル・情報サイト", "portal or information website"),
        Code("information", "情報提供（紹介ページ）", "information page"),
        Code("support_organization", "支援団体", "support organization"),
    ),
)

PROVIDER_TYPES = CodeList(
    "provider_type",
    (
        Code("prefecture", "都道府県", "prefectural government"),
        Code("municipalities", "区市町村", "municipal governments"),
        Code("public_interest_corporation", "公益法人", "public interest corporation"),
        Code("national_government", "国", "national government"),
    ),
)
GOVERNMENT_PROVIDER_TYPES = frozenset({"prefecture", "municipalities", "national_government"})

# Whether a resource is still offered as the page lists it; anything but `active` needs
# evidence, and a superseded resource names its successor.
STATUSES = CodeList(
    "status",
    (
        Code("active", "掲載どおり", "as listed: no evidence that it changed"),
        Code("superseded", "後継あり", "replaced by a successor"),
        Code("closed", "終了", "ended, with no successor"),
    ),
)

CONTACT_STATUSES = CodeList(
    "contact_status",
    (
        Code("listed", "連絡先あり", "has contact points (the contact_points table)"),
        Code(
            "none_found",
            "公式の連絡先なし（確認日時点）",
            "no contact point with evidence found, as of contact_searched_on",
        ),
        Code(
            "not_searched",
            "未調査",
            "not searched for (a resource for supporters or municipalities only)",
        ),
    ),
)

# schema.org: a resource that is a work rather than a service takes a CreativeWork type;
# every other resource is a Service (a GovernmentService where a government body provides
# it). A work says with its own properties what a service says with these (a field's
# `schemaorg` term names the service's).
SCHEMAORG_WORK_TYPES = {
    "plan": "CreativeWork",
    "guidebook": "Book",
    "portal": "WebSite",
    "information": "WebPage",
}
SCHEMAORG_WORK_PROPERTIES = {
    "serviceType": "genre",
    "areaServed": "spatialCoverage",
    "availableChannel/serviceUrl": "url",
}

# The Digital Agency's service catalogue for individuals (GIF DS-491-1): kinds of
# administrative service (サービス種別) and the troubles people look for help with (お困りごと).
GIF_SERVICE_TYPES = CodeList(
    "gif_service_type",
    (
        Code("notification", "届出", "notification (届出系)"),
        Code("allowance", "手当・助成金", "allowance or subsidy (申請系)"),
        Code("support_service", "支援サービス", "support service (申請系)"),
        Code("class", "教室・講習会", "class or course (イベント系)"),
        Code("event", "イベント", "event (イベント系)"),
        Code("consultation", "相談", "consultation (相談系)"),
        Code("facility", "施設", "facility (施設系)"),
        Code("information", "情報提供", "information (情報啓発系)"),
        Code("notice", "お知らせ", "notice (情報啓発系)"),
    ),
    unofficial_en=True,
)
GIF_CONCERNS = CodeList(
    "gif_concern",
    (
        Code("housing", "住まい", "housing"),
        Code("work", "仕事", "work"),
        Code("health_welfare", "医療福祉", "health and welfare"),
        Code("childcare_education", "子育て・教育", "childcare and education"),
        Code("money", "お金", "money"),
        Code("other", "その他暮らしに関すること", "other matters of daily life"),
    ),
    unofficial_en=True,
)
LIST_SEPARATOR = ";"  # between the codes (and labels) of a multi-valued field, as in GIF

# The days of the week a contact point answers, in order.
DAYS = CodeList(
    "day",
    (
        Code("mon", "月", "Monday"),
        Code("tue", "火", "Tuesday"),
        Code("wed", "水", "Wednesday"),
        Code("thu", "木", "Thursday"),
        Code("fri", "金", "Friday"),
        Code("sat", "土", "Saturday"),
        Code("sun", "日", "Sunday"),
    ),
    ordered=True,
)
# A Japanese telephone number as GIF DS-445 writes it (half-width digits and hyphens; several
# joined by " / "); a time of day as HH:MM (DS-441).
PHONE_PATTERN = r"0\d{1,4}-\d{1,4}-\d{3,4}( / 0\d{1,4}-\d{1,4}-\d{3,4})*"
TIME_PATTERN = r"([01]\d|2[0-3]):[0-5]\d"

# The seven priority issues (重点課題) of Japan's national Recidivism Prevention Plan
# (再犯防止推進計画); English labels are our unofficial translation.
NATIONAL_PRIORITIES = CodeList(
    "national_priority",
    (
        Code("1", "就労・住居の確保等", "Securing employment and housing"),
        Code(
            "2",
            "保健医療・福祉サービスの利用の促進等",
            "Access to health, medical and welfare services",
        ),
        Code(
            "3", "学校等と連携した修学支援の実施等", "Schooling support in cooperation with schools"
        ),
        Code(
            "4",
            "犯罪をした者等の特性に応じた効果的な指導の実施等",
            "Effective guidance suited to each offender's characteristics",
        ),
        Code("5", "民間協力者の活動の促進等", "Promoting the work of private partners"),
        Code("6", "地域による包摂の推進", "Inclusion by local communities"),
        Code("7", "再犯防止に向けた基盤の整備等", "Foundations for recidivism prevention"),
    ),
    unofficial_en=True,
    ordered=True,
)

# Patterns match the whole value, as in Frictionless Table Schema.
ID_PATTERN = r"[0-9]{6}-[0-9a-f]{16}"
SECTION_CODE_PATTERN = r"[a-z][a-z0-9_]*"
URL_PATTERN = r"https?://\S+"  # a link; curated links also meet textrules.link_problem


@dataclass(frozen=True, kw_only=True)
class Field:
    """One column of a published table, declared with keyword arguments."""

    name: str
    type: FieldType
    origin: Origin
    title_en: str
    title_ja: str
    description_en: str
    description_ja: str
    example: str | int | bool | None
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    codes: CodeList | None = None
    minimum: int | None = None
    # Set for a multi-valued code field: its codes joined by this separator.
    separator: str | None = None
    # The schema.org term the column maps to in the JSON-LD: a property of the resource's
    # node ("name@ja": language-tagged), or "property/property" for a linked node.
    schemaorg: str | None = None
    # The curation file in raw/curation whose column of the same name supplies the values
    # (see CURATION_FILES); normalize passes them through.
    curated_in: str | None = None
    # Each curated value needs a row of raw/curation/evidence.csv (a source and its dates),
    # except the values named in `evidence_not_needed_for`.
    needs_evidence: bool = False
    evidence_not_needed_for: tuple[str, ...] = ()

    def to_arrow(self) -> pa.Field:
        """The Arrow field: codes as dictionaries, descriptions in the field metadata."""
        arrow_type = _ARROW_TYPES[self.type]
        if self.codes is not None and self.separator is None:
            arrow_type = pa.dictionary(pa.int32(), arrow_type)
        metadata = {
            "description": self.description_en,
            "description_ja": self.description_ja,
            "title": self.title_en,
            "title_ja": self.title_ja,
            "origin": self.origin,
        }
        return pa.field(self.name, arrow_type, nullable=not self.required, metadata=metadata)

    @property
    def list_pattern(self) -> str:
        """For a multi-valued code field: one or more codes joined by the separator."""
        assert self.codes is not None, "list_pattern is for a code field"
        one = "|".join(self.codes.values)
        return f"({one})({self.separator}({one}))*"

    def to_table_schema(self) -> dict:
        """The Frictionless Table Schema field descriptor."""
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.codes is not None and self.separator is None:
            constraints["enum"] = self.codes.values
        elif self.codes is not None:
            constraints["pattern"] = self.list_pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        descriptor: dict[str, object] = {
            "name": self.name,
            "type": self.type,
            "title": self.title_en,
            "description": f"{self.description_en} / {self.description_ja}",
            "example": self.example,
            "x-title-ja": self.title_ja,
            "x-origin": self.origin,
        }
        if self.type == "boolean":
            descriptor["trueValues"] = ["true"]
            descriptor["falseValues"] = ["false"]
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor


_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int32(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


@dataclass(frozen=True)
class ForeignKey:
    field: str
    table: str
    table_field: str


@dataclass(frozen=True)
class Table:
    """A published table: its fields in column order, keys and descriptions."""

    name: str
    title_en: str
    title_ja: str
    description_en: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def to_arrow(self) -> pa.Schema:
        return pa.schema([f.to_arrow() for f in self.fields])

    def to_table_schema(self) -> dict:
        schema = {
            "fields": [f.to_table_schema() for f in self.fields],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [k.field], "reference": {"resource": k.table, "fields": [k.table_field]}}
                for k in self.foreign_keys
            ]
        return schema

    def build(self, columns: dict[str, list | pa.Array]) -> pa.Table:
        """Build the Arrow table from columns (lists or Arrow arrays), in schema order and
        types, sorted by the primary key (normalize checks its constraints)."""
        missing = set(self.field_names) - set(columns)
        extra = set(columns) - set(self.field_names)
        if missing or extra:
            raise SchemaViolation(
                f"table {self.name}: columns missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        arrays = [_array(columns[f.name], _ARROW_TYPES[f.type]) for f in self.fields]
        table = pa.Table.from_arrays(arrays, names=self.field_names).cast(self.to_arrow())
        keys = pa.table({k: _plain(table[k]) for k in self.primary_key})
        return table.take(pc.sort_indices(keys, [(k, "ascending") for k in self.primary_key]))


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A code column's values (Arrow sorts no dictionaries in a multi-column sort)."""
    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


def _array(values: list | pa.Array, arrow_type: pa.DataType) -> pa.Array:
    if isinstance(values, pa.Array):
        return values.cast(arrow_type)
    return pa.array(values, type=arrow_type)


SECTION_CODE = Field(
    name="section_code",
    type="string",
    origin="curation",
    title_en="Section code",
    title_ja="セクションコード",
    description_en=(
        "Short stable code of the page section (a chapter of the Tokyo plan) the resource is "
        "listed under; assigned in the curation file."
    ),
    description_ja="掲載ページの区分（東京都計画の章）を表す短いコード。キュレーションで付与。",
    example="employment",
    required=True,
    pattern=SECTION_CODE_PATTERN,
)

SECTIONS = Table(
    name="sections",
    title_en="Sections of the page",
    title_ja="ページの区分",
    description_en="The sections of the page in page order: the plan's chapter headings, and "
    "the untitled opening section before the first heading; then any section the curation "
    "adds for resources the page does not list.",
    fields=(
        replace(SECTION_CODE, unique=True, curated_in="sections.csv"),
        Field(
            name="section_order",
            type="integer",
            origin="derived",
            title_en="Order on the page",
            title_ja="掲載順",
            description_en=(
                "1-based position of the section on the page; a section the curation adds "
                "comes after the page's."
            ),
            description_ja="ページ上の区分の順番（1から）。追加した区分はページの区分の後。",
            example=2,
            required=True,
            unique=True,
            minimum=1,
        ),
        Field(
            name="section_ja",
            type="string",
            origin="source",
            title_en="Section heading (Japanese)",
            title_ja="見出し",
            description_en=(
                "The heading exactly as on the page; empty for the untitled opening section; "
                "for a section the curation adds, its heading in sections.csv."
            ),
            description_ja=(
                "ページ上の見出しそのまま。冒頭の見出しのない区分は空。"
                "追加した区分はsections.csvの見出し。"
            ),
            example="就労の確保等",
        ),
        Field(
            name="listed_on_page",
            type="boolean",
            origin="curation",
            title_en="On the page",
            title_ja="ページの区分",
            description_en=(
                "True for a section of the page; false for a section the curation adds to "
                "hold resources the page does not list."
            ),
            description_ja="ページの区分はtrue。ページに掲載のない資源のために追加した区分はfalse。",
            example=True,
            required=True,
            curated_in="sections.csv",
        ),
        Field(
            name="section_en",
            type="string",
            origin="curation",
            title_en="Section heading (English, unofficial)",
            title_ja="見出し（英語・非公式訳）",
            description_en="Our unofficial English translation of the heading.",
            description_ja="見出しの英訳（本プロジェクトによる非公式訳）。",
            example="Securing employment",
            required=True,
            curated_in="sections.csv",
        ),
        Field(
            name="national_priority_code",
            type="string",
            origin="curation",
            title_en="National plan priority issue",
            title_ja="国の再犯防止推進計画の重点課題",
            description_en=(
                "Number (1-7) of the priority issue (重点課題) of Japan's national Recidivism "
                "Prevention Plan that the section belongs to; empty where the section spans "
                "several."
            ),
            description_ja="区分が対応する国の再犯防止推進計画の重点課題の番号（1〜7）。複数にまたがる区分は空。",
            example="1",
            codes=NATIONAL_PRIORITIES,
            curated_in="sections.csv",
        ),
        Field(
            name="national_priority_ja",
            type="string",
            origin="curation",
            title_en="National priority issue (Japanese)",
            title_ja="重点課題名",
            description_en="Name of the national priority issue, in Japanese.",
            description_ja="国の計画の重点課題名。",
            example="就労・住居の確保等",
        ),
        Field(
            name="national_priority_en",
            type="string",
            origin="curation",
            title_en="National priority issue (English, unofficial)",
            title_ja="重点課題名（英語・非公式訳）",
            description_en="Our unofficial English translation of the priority issue's name.",
            description_ja="重点課題名の英訳（本プロジェクトによる非公式訳）。",
            example="Securing employment and housing",
        ),
        Field(
            name="heading_line",
            type="integer",
            origin="derived",
            title_en="Heading line",
            title_ja="見出しの行番号",
            description_en=(
                "1-based line of the heading in the raw snapshot; empty for the opening section."
            ),
            description_ja="元テキストでの見出しの行番号（1から）。冒頭の区分は空。",
            example=10,
            minimum=1,
        ),
        Field(
            name="source_line_start",
            type="integer",
            origin="derived",
            title_en="First source line",
            title_ja="開始行",
            description_en=(
                "First line of the section in the raw snapshot (1-based); empty for a section "
                "the curation adds."
            ),
            description_ja="元テキストでの区分の開始行（1から）。追加した区分は空。",
            example=10,
            minimum=1,
        ),
        Field(
            name="source_line_end",
            type="integer",
            origin="derived",
            title_en="Last source line",
            title_ja="終了行",
            description_en=(
                "Last line of the section in the raw snapshot (1-based); empty for a section "
                "the curation adds."
            ),
            description_ja="元テキストでの区分の終了行（1から）。追加した区分は空。",
            example=21,
            minimum=1,
        ),
    ),
    primary_key=("section_code",),
)

SERVICES = Table(
    name="services",
    title_en="Support resources",
    title_ja="支援資源",
    description_en="One row per support resource listed on the page: services, consultation "
    "desks, portals, guidebooks, training courses and the Tokyo plan itself.",
    fields=(
        Field(
            name="service_id",
            type="string",
            origin="derived",
            title_en="Service ID",
            title_ja="ID",
            description_en=(
                "Stable id: the jurisdiction code, a hyphen and the first 16 hex digits of the "
                "SHA-256 of the resource's link as published (or, without a link, of its first "
                "paragraph)."
            ),
            description_ja="安定ID。全国地方公共団体コード、ハイフン、掲載リンク（リンクがなければ説明の第1段落）のSHA-256の先頭16桁。",
            example="130001-0123456789abcdef",
            required=True,
            unique=True,
            pattern=ID_PATTERN,
            schemaorg="identifier",
        ),
        Field(
            name="jurisdiction_code",
            type="string",
            origin="provenance",
            title_en="Local government code",
            title_ja="全国地方公共団体コード",
            description_en=(
                "Six-digit local government code (全国地方公共団体コード) of the publisher."
            ),
            description_ja="掲載元の地方公共団体の全国地方公共団体コード（6桁）。",
            example="130001",
            required=True,
            pattern=r"[0-9]{6}",
            schemaorg="areaServed/identifier",
        ),
        Field(
            name="jurisdiction_name",
            type="string",
            origin="provenance",
            title_en="Local government",
            title_ja="地方公共団体名",
            description_en="Name of the publishing local government.",
            description_ja="掲載元の地方公共団体名。",
            example="東京都",
            required=True,
            schemaorg="areaServed/name@ja",
        ),
        SECTION_CODE,
        Field(
            name="section_ja",
            type="string",
            origin="source",
            title_en="Section heading",
            title_ja="見出し",
            description_en=(
                "Heading of the section the resource is listed under, as on the page; empty in the "
                "untitled opening section."
            ),
            description_ja="掲載区分の見出し（ページのまま）。冒頭の見出しのない区分は空。",
            example="就労の確保等",
        ),
        Field(
            name="name_ja",
            type="string",
            origin="curation",
            title_en="Name (Japanese)",
            title_ja="名称",
            description_en=(
                "Name of the resource in Japanese: its official name where a public source gives "
                "one (evidence in raw/curation/evidence.csv), else the name the description states "
                "(see name_ja_in_description), else a descriptive name by the curators."
            ),
            description_ja=(
                "支援資源の名称。公的な資料で確認できる正式名称（根拠はevidence.csv）、なければ説明文中の名称、それもなければキュレーターが付けた説明的名称。"
            ),
            example="TOKYOチャレンジネット",
            required=True,
            schemaorg="name@ja",
            curated_in="services.csv",
        ),
        Field(
            name="name_en",
            type="string",
            origin="curation",
            title_en="Name (English)",
            title_ja="名称（英語）",
            description_en=(
                "English name: our translation, except where the Japanese name is itself in Latin "
                "script."
            ),
            description_ja="英語名。名称がもともとローマ字表記の場合を除き、本プロジェクトによる訳。",
            example="TOKYO Challenge Net",
            required=True,
            schemaorg="name@en",
            curated_in="services.csv",
        ),
        Field(
            name="alternate_names_ja",
            type="string",
            origin="curation",
            title_en="Other names (Japanese)",
            title_ja="別名・旧称",
            description_en=(
                "Former names and the page's own wording where it differs from name_ja, joined by "
                "';'."
            ),
            description_ja="旧称や、name_jaと異なるページ上の呼び方（「;」区切り）。",
            example="東京都女性相談センター",
            schemaorg="alternateName@ja",
            curated_in="services.csv",
            needs_evidence=True,
        ),
        Field(
            name="name_ja_in_description",
            type="boolean",
            origin="derived",
            title_en="Name quoted from the page",
            title_ja="名称が説明文中にある",
            description_en="True when name_ja occurs verbatim in description_ja.",
            description_ja="名称（name_ja）が説明文にそのまま含まれる場合 true。",
            example=True,
            required=True,
        ),
        Field(
            name="provider_ja",
            type="string",
            origin="curation",
            title_en="Provider (Japanese)",
            title_ja="提供主体",
            description_en=(
                "The body responsible for the resource (which sets it up or funds it), as far as "
                "the page or the evidence says."
            ),
            description_ja="支援資源に責任を持つ主体（設置・実施主体。ページの記載または根拠資料による）。",
            example="東京都",
            required=True,
            schemaorg="provider/name@ja",
            curated_in="services.csv",
        ),
        Field(
            name="provider_en",
            type="string",
            origin="curation",
            title_en="Provider (English)",
            title_ja="提供主体（英語）",
            description_en="English name of the provider.",
            description_ja="提供主体の英語名。",
            example="Tokyo Metropolitan Government",
            required=True,
            schemaorg="provider/name@en",
            curated_in="services.csv",
        ),
        Field(
            name="provider_type",
            type="string",
            origin="curation",
            title_en="Provider type",
            title_ja="提供主体の種別",
            description_en="Kind of provider.",
            description_ja="提供主体の種別。",
            example="prefecture",
            required=True,
            codes=PROVIDER_TYPES,
            curated_in="services.csv",
        ),
        Field(
            name="operator_ja",
            type="string",
            origin="curation",
            title_en="Operator (Japanese)",
            title_ja="運営者",
            description_en=(
                "Who runs the resource day to day, where that is not the provider (a designated "
                "manager or contractor); empty otherwise."
            ),
            description_ja="提供主体と異なる場合の日常の運営者（指定管理者・受託者など）。同じなら空。",
            example="公益財団法人東京しごと財団",
            curated_in="services.csv",
            needs_evidence=True,
        ),
        Field(
            name="operator_en",
            type="string",
            origin="curation",
            title_en="Operator (English)",
            title_ja="運営者（英語）",
            description_en="English name of the operator.",
            description_ja="運営者の英語名。",
            example="Tokyo Metropolitan Foundation for Employment Support (TOSHIGOTO)",
            curated_in="services.csv",
        ),
        Field(
            name="resource_type",
            type="string",
            origin="curation",
            title_en="Resource type",
            title_ja="資源の種類",
            description_en="Kind of resource.",
            description_ja="支援資源の種類。",
            example="consultation_desk",
            required=True,
            codes=RESOURCE_TYPES,
            curated_in="services.csv",
        ),
        Field(
            name="gif_service_type",
            type="string",
            origin="curation",
            title_en="GIF service type",
            title_ja="サービス種別",
            description_en=(
                "Kind of administrative service in the Digital Agency's service catalogue (GIF "
                "DS-491-1, サービス種別)."
            ),
            description_ja="デジタル庁のサービスカタログ（GIF DS-491-1）のサービス種別。",
            example="consultation",
            required=True,
            codes=GIF_SERVICE_TYPES,
            curated_in="services.csv",
        ),
        Field(
            name="gif_service_type_ja",
            type="string",
            origin="curation",
            title_en="GIF service type (Japanese)",
            title_ja="サービス種別（名称）",
            description_en="Japanese label of gif_service_type.",
            description_ja="サービス種別の名称。",
            example="相談",
            required=True,
        ),
        Field(
            name="gif_concerns",
            type="string",
            origin="curation",
            title_en="GIF concerns",
            title_ja="お困りごと",
            description_en=(
                "One or more troubles the resource helps with, from the GIF service catalogue "
                "(お困りごと), codes joined by ';'."
            ),
            description_ja="GIFサービスカタログのお困りごと分類（1つ以上、コードを「;」で区切る）。",
            example="housing;work",
            required=True,
            codes=GIF_CONCERNS,
            separator=LIST_SEPARATOR,
            curated_in="services.csv",
        ),
        Field(
            name="gif_concerns_ja",
            type="string",
            origin="curation",
            title_en="GIF concerns (Japanese)",
            title_ja="お困りごと（名称）",
            description_en="Japanese labels of gif_concerns, joined by ';'.",
            description_ja="お困りごとの名称（「;」区切り）。",
            example="住まい;仕事",
            required=True,
        ),
        Field(
            name="target_people_ja",
            type="string",
            origin="curation",
            title_en="Target people",
            title_ja="対象者",
            description_en=(
                "Who the resource is for, quoted verbatim from the description where it says so; "
                "empty where it does not."
            ),
            description_ja="対象者。説明文に記載がある場合にその文言をそのまま引用。記載がなければ空。",
            example="求職中の方や新たに職業に就こうとしている方など",
            curated_in="services.csv",
        ),
        Field(
            name="audience",
            type="string",
            origin="curation",
            title_en="Audience",
            title_ja="利用者の区分",
            description_en=(
                "Who the resource is for, codes joined by ';': people who have offended and their "
                "families, supporters, municipal governments."
            ),
            description_ja="誰のための資源か（コードを「;」で区切る）：犯罪をした者等とその家族・関係者、支援者・保護司・関係機関、区市町村。",
            example="people_and_families",
            required=True,
            codes=AUDIENCES,
            separator=LIST_SEPARATOR,
            curated_in="services.csv",
            needs_evidence=True,
        ),
        Field(
            name="audience_ja",
            type="string",
            origin="curation",
            title_en="Audience (Japanese)",
            title_ja="利用者の区分（名称）",
            description_en="Japanese labels of audience, joined by ';'.",
            description_ja="利用者の区分の名称（「;」区切り）。",
            example="犯罪をした者等とその家族・関係者",
            required=True,
        ),
        Field(
            name="description_ja",
            type="string",
            origin="source",
            title_en="Description",
            title_ja="説明",
            description_en=(
                "The page's description, verbatim (Unicode NFC); paragraphs joined by a newline. "
                "For an addition, the words of its evidence (additions.csv)."
            ),
            description_ja=(
                "ページの説明文そのまま（Unicode NFC）。段落は改行でつなぐ。"
                "追加した資源は根拠の記載（additions.csv）。"
            ),
            example="薬物乱用についての都内の相談機関の紹介です。",
            required=True,
            schemaorg="description@ja",
        ),
        Field(
            name="status",
            type="string",
            origin="curation",
            title_en="Status",
            title_ja="状況",
            description_en=(
                "Whether the resource is still offered as the page lists it: active (no "
                "evidence that it changed), superseded (replaced by the successor named in "
                "the next columns) or closed. Anything but active has evidence in "
                "evidence.csv."
            ),
            description_ja="掲載どおりか（active：変更の根拠なし）、後継に置き換えられたか（superseded）、終了したか（closed）。active以外は根拠がevidence.csvにある。",
            example="superseded",
            required=True,
            codes=STATUSES,
            curated_in="services.csv",
            needs_evidence=True,
            evidence_not_needed_for=("active",),
        ),
        Field(
            name="successor_name_ja",
            type="string",
            origin="curation",
            title_en="Successor (Japanese)",
            title_ja="後継",
            description_en=(
                "For a superseded resource, the name of what replaced it (evidence in "
                "evidence.csv); empty otherwise."
            ),
            description_ja="後継に置き換えられた資源の後継の名称（根拠はevidence.csv）。それ以外は空。",
            example="第二次東京都再犯防止推進計画",
            curated_in="services.csv",
            needs_evidence=True,
        ),
        Field(
            name="successor_url",
            type="string",
            origin="curation",
            title_en="Successor's link",
            title_ja="後継のリンク",
            description_en=(
                "For a superseded resource, the current address of its successor (evidence "
                "in evidence.csv); empty otherwise."
            ),
            description_ja="後継の現在のアドレス（根拠はevidence.csv）。それ以外は空。",
            example="https://www.seikatubunka.metro.tokyo.lg.jp/tomin_anzen/about/tyousa-keikaku/tyosa-keikaku/0000002137",
            pattern=URL_PATTERN,
            curated_in="services.csv",
            needs_evidence=True,
        ),
        Field(
            name="url_as_published",
            type="string",
            origin="source",
            title_en="Link as published",
            title_ja="掲載リンク",
            description_en=(
                "The link line exactly as on the page, relative paths included; empty when the "
                "page gives no link."
            ),
            description_ja="ページに掲載されたリンクそのまま（相対パスを含む）。リンクがなければ空。",
            example="/hoken_fukushi/",
        ),
        Field(
            name="url_form",
            type="string",
            origin="derived",
            title_en="Link form",
            title_ja="リンクの形式",
            description_en=(
                "What the page published: an absolute URL, a path on its own site, or no link; "
                "empty for an addition, which the page does not list."
            ),
            description_ja="ページが掲載したリンクの形式：絶対URL、サイト内のパス、リンクなし。ページに掲載のない追加資源は空。",
            example="absolute",
            codes=URL_FORMS,
        ),
        Field(
            name="url",
            type="string",
            origin="derived",
            title_en="Link",
            title_ja="リンク",
            description_en=(
                "The published link as a URL: an absolute link as it is, a path resolved against "
                "the page's recorded address (page_url; url_form says it was resolved), empty "
                "without a link. Not checked by itself: see link_outcome."
            ),
            description_ja=(
                "掲載リンクのURL。絶対URLはそのまま、パスはページのアドレス（page_url）を基準に解決（url_formで区別）、リンクがなければ空。"
            ),
            example="https://www.tokyo-challenge.net/",
            pattern=URL_PATTERN,
        ),
        Field(
            name="url_current",
            type="string",
            origin="curation",
            title_en="Current link",
            title_ja="現在のリンク",
            description_en=(
                "The resource's address today, where the published link has moved or the page "
                "gives none (evidence in raw/curation/evidence.csv); empty otherwise."
            ),
            description_ja="掲載リンクが移転した場合やページにリンクがない場合の現在のアドレス（根拠はevidence.csv）。それ以外は空。",
            example="https://restanet-tokyo.metro.tokyo.lg.jp/soudan",
            pattern=URL_PATTERN,
            curated_in="services.csv",
            needs_evidence=True,
        ),
        Field(
            name="link_url",
            type="string",
            origin="derived",
            title_en="Link to follow",
            title_ja="案内するリンク",
            description_en=(
                "The link this release presents (in the JSON-LD, HSDS, GIF and the page): "
                "url_current where there is one, else url. The link_* columns describe it."
            ),
            description_ja=(
                "このデータが案内するリンク（JSON-LD・HSDS・GIF・ページで使用）。url_currentがあればそれ、なければurl。link_*列はこのリンクの確認結"
                "果。"
            ),
            example="https://www.tokyo-challenge.net/",
            pattern=URL_PATTERN,
            schemaorg="availableChannel/serviceUrl",
        ),
        Field(
            name="link_checked_on",
            type="date",
            origin="curation",
            title_en="Link checked on",
            title_ja="リンク確認日",
            description_en="Date check-links last requested link_url; empty where it never did.",
            description_ja="link_urlをcheck-linksで確認した日。未確認は空。",
            example="2026-11-30",
        ),
        Field(
            name="link_outcome",
            type="string",
            origin="curation",
            title_en="Link check outcome",
            title_ja="リンク確認の結果",
            description_en=(
                "What that check found; unchecked where no check is recorded; empty without a link."
            ),
            description_ja="確認の結果。記録がなければunchecked、リンクがなければ空。",
            example="ok",
            codes=LINK_OUTCOMES,
        ),
        Field(
            name="link_final_url",
            type="string",
            origin="curation",
            title_en="Link's final address",
            title_ja="リンクの最終アドレス",
            description_en=(
                "Where the check ended after following redirects; empty where it got no answer or "
                "was never checked."
            ),
            description_ja="転送をたどった後の最終アドレス。応答がない・未確認の場合は空。",
            example="https://www.tokyo-challenge.net/",
            pattern=URL_PATTERN,
        ),
        Field(
            name="link_may_have_moved_since",
            type="date",
            origin="derived",
            title_en="Link may have moved since",
            title_ja="リンク移転の可能性（時期）",
            description_en=(
                "Where the link to follow is on a host or path a reorganisation moved or "
                "retired (the moved_hosts table), the date of that reorganisation: the page "
                "may no longer be at that address. Empty otherwise."
            ),
            description_ja="たどるリンクが組織再編で移転・廃止されたサイトやパス（moved_hostsの表）にある場合、その再編の日付。リンク先が移転している可能性がある。それ以外は空。",
            example="2023-07-01",
        ),
        Field(
            name="contact_status",
            type="string",
            origin="derived",
            title_en="Contact",
            title_ja="連絡先の状況",
            description_en=(
                "Whether the resource has contact points (listed), official sources were "
                "searched for one and none could be published (none_found, as of "
                "contact_searched_on), or it was not searched for (not_searched; only a "
                "resource not for people and families)."
            ),
            description_ja="連絡先があるか（listed）、公式の情報を調べたが根拠のある連絡先が見つからなかったか（none_found、contact_searched_on時点）、調べていないか（not_searched。犯罪をした者等とその家族向けでない資源のみ）。",
            example="none_found",
            required=True,
            codes=CONTACT_STATUSES,
        ),
        Field(
            name="contact_searched_on",
            type="date",
            origin="curation",
            title_en="Contact searched on",
            title_ja="連絡先の確認日",
            description_en=(
                "For a resource without contact points: the day official sources were "
                "searched for one and none could be published (what was read, and why not: "
                "evidence.csv). Empty otherwise."
            ),
            description_ja="連絡先のない資源について、公式の情報を調べて根拠のある連絡先が見つからなかった日（読んだ出典と理由はevidence.csv）。それ以外は空。",
            example="2026-12-06",
            curated_in="services.csv",
            needs_evidence=True,
        ),
        Field(
            name="listed_on_page",
            type="boolean",
            origin="derived",
            title_en="Listed on the page",
            title_ja="ページに掲載",
            description_en=(
                "True for an entry of Tokyo's page; false for a resource the curation adds "
                "(additions.csv), which official pages name and the page does not list."
            ),
            description_ja="東京都のページに掲載された項目はtrue。ページに掲載がなく、公的機関のページをもとに追加した資源（additions.csv）はfalse。",
            example=True,
            required=True,
        ),
        Field(
            name="source_line_start",
            type="integer",
            origin="derived",
            title_en="First source line",
            title_ja="開始行",
            description_en=(
                "First line of the entry in the raw snapshot (1-based); empty for an addition."
            ),
            description_ja="元テキストでの記載の開始行（1から）。追加した資源は空。",
            example=15,
            minimum=1,
        ),
        Field(
            name="source_line_end",
            type="integer",
            origin="derived",
            title_en="Last source line",
            title_ja="終了行",
            description_en=(
                "Last line of the entry (its link, if any) in the raw snapshot (1-based); empty "
                "for an addition."
            ),
            description_ja="元テキストでの記載の終了行（リンクがあればその行）。追加した資源は空。",
            example=16,
            minimum=1,
        ),
        Field(
            name="snapshot_date",
            type="date",
            origin="provenance",
            title_en="Snapshot date",
            title_ja="取得日",
            description_en="Date the page snapshot was received; empty for an addition.",
            description_ja="ページの写しを取得した日。追加した資源は空。",
            example="2026-11-25",
        ),
    ),
    primary_key=("service_id",),
    foreign_keys=(ForeignKey("section_code", "sections", "section_code"),),
)

# What an addition's curation row gives that the page gives for an entry; each value needs
# evidence.
ADDITION_FIELDS = tuple(
    replace(f, curated_in="additions.csv", needs_evidence=True, required=True)
    for f in SERVICES.fields
    if f.name in ("section_code", "description_ja")
)

EVIDENCE = Table(
    name="evidence",
    title_en="Evidence for the curated values",
    title_ja="キュレーションの根拠",
    description_en="One row per source that supports a curated value of a resource: the "
    "snapshot's lines or a public copy of a page, the date it shows, the date it was read, "
    "and what it showed.",
    fields=(
        replace(
            SERVICES.fields[0],
            unique=False,
            schemaorg=None,
            description_en="The resource whose value the source supports.",
            description_ja="根拠が裏付ける支援資源のID。",
        ),
        Field(
            name="field",
            type="string",
            origin="curation",
            title_en="Column",
            title_ja="列",
            description_en="The services column whose value the source supports.",
            description_ja="根拠が裏付ける services の列。",
            example="operator_ja",
            required=True,
            codes=CodeList(
                "curated_column",
                tuple(
                    Code(f.name, f.title_ja, f.title_en)
                    for f in (*SERVICES.fields, *ADDITION_FIELDS)
                    if f.curated_in in ("services.csv", "additions.csv")
                ),
            ),
            curated_in="evidence.csv",
        ),
        Field(
            name="source",
            type="string",
            origin="curation",
            title_en="Source",
            title_ja="出典",
            description_en=(
                "The address of a public copy of a page, or the snapshot's lines (page line N, "
                "page lines N-M)."
            ),
            description_ja=(
                "公開されているページの写しのアドレス、またはスナップショットの行（page line N）。"
            ),
            example="https://www.shigotozaidan.or.jp/outline/greeting.html",
            required=True,
            pattern=r"https?://\S+|page lines? [0-9]+(-[0-9]+)?",
            curated_in="evidence.csv",
        ),
        Field(
            name="date_shown",
            type="date",
            origin="curation",
            title_en="Date the source shows",
            title_ja="出典の日付",
            description_en=(
                "The date the source itself shows (published, updated or announced); empty "
                "when it shows none."
            ),
            description_ja="出典に記載された日付（公開日・更新日・発表日）。記載がなければ空。",
            example="2024-03-19",
            curated_in="evidence.csv",
        ),
        Field(
            name="date_read",
            type="date",
            origin="curation",
            title_en="Date read",
            title_ja="閲覧日",
            description_en=(
                "The date the source was read (for the snapshot's lines, the day the page "
                "was received)."
            ),
            description_ja="出典を閲覧した日（スナップショットの行は、ページを取得した日）。",
            example="2026-11-30",
            required=True,
            curated_in="evidence.csv",
        ),
        Field(
            name="shows",
            type="string",
            origin="curation",
            title_en="What it shows",
            title_ja="内容",
            description_en="What the source showed that supports the value.",
            description_ja="値を裏付ける出典の記載内容。",
            example="東京都から「東京都しごとセンター事業」を受託",
            required=True,
            curated_in="evidence.csv",
        ),
    ),
    primary_key=("service_id", "field", "source"),
    foreign_keys=(ForeignKey("service_id", "services", "service_id"),),
)


def _source_fields(curated_in: str) -> tuple[Field, ...]:
    """The evidence table's source, date_shown, date_read and shows, curated in another
    file whose every row carries its own evidence."""
    names = ("source", "date_shown", "date_read", "shows")
    return tuple(replace(f, curated_in=curated_in) for f in EVIDENCE.fields if f.name in names)


MOVED_HOSTS = Table(
    name="moved_hosts",
    title_en="Reorganised hosts and paths",
    title_ja="再編で移転したサイト・パス",
    description_en="Web hosts and paths that a reorganisation moved or retired, so that a "
    "published link under one may no longer lead where it did: when, where the pages went, "
    "and the evidence, one row per source.",
    fields=(
        Field(
            name="prefix",
            type="string",
            origin="curation",
            title_en="Address prefix",
            title_ja="アドレスの前方部分",
            description_en=(
                "The start of every address the reorganisation affected: a host (ending in "
                "/) or a path under it."
            ),
            description_ja="再編の影響を受けたアドレスの前方部分（/で終わるホスト、またはその下のパス）。",
            example="https://www.fukushihoken.metro.tokyo.lg.jp/",
            required=True,
            pattern=r"https?://[^/\s]+/\S*",
        ),
        Field(
            name="since",
            type="date",
            origin="curation",
            title_en="Since",
            title_ja="再編の日",
            description_en="The date of the reorganisation.",
            description_ja="再編の日付。",
            example="2023-07-01",
            required=True,
            curated_in="moved-hosts.csv",
        ),
        Field(
            name="moved_to",
            type="string",
            origin="curation",
            title_en="Moved to",
            title_ja="移転先",
            description_en="Where the pages went, as far as the evidence says.",
            description_ja="ページの移転先（根拠が示す範囲で）。",
            example="www.fukushi.metro.tokyo.lg.jp or www.hokeniryo.metro.tokyo.lg.jp",
            required=True,
            curated_in="moved-hosts.csv",
        ),
        *_source_fields("moved-hosts.csv"),
    ),
    primary_key=("prefix", "source"),
)


def _contact(
    name: str,
    title_en: str,
    title_ja: str,
    description_en: str,
    description_ja: str,
    example: str,
    **more: object,
) -> Field:
    """A contact point's column, curated in contact-points.csv."""
    return Field(
        name=name,
        type="string",
        origin="curation",
        title_en=title_en,
        title_ja=title_ja,
        description_en=description_en,
        description_ja=description_ja,
        example=example,
        curated_in="contact-points.csv",
        **more,  # type: ignore[arg-type]
    )


CONTACT_POINTS = Table(
    name="contact_points",
    title_en="Contact points",
    title_ja="連絡先",
    description_en="How to reach a resource: zero or more contact points each (GIF DS-432's "
    "連絡先), with their phone numbers, address and hours, every value shown by the row's "
    "source (an official page, or a public copy dated 2023 or later).",
    fields=(
        replace(
            SERVICES.fields[0],
            unique=False,
            schemaorg=None,
            description_en="The resource the contact point is for.",
            description_ja="連絡先が属する支援資源のID。",
        ),
        Field(
            name="contact_order",
            type="integer",
            origin="curation",
            title_en="Order",
            title_ja="順番",
            description_en="1-based order of the contact point among the resource's.",
            description_ja="支援資源の連絡先の中での順番（1から）。",
            example=1,
            required=True,
            minimum=1,
            curated_in="contact-points.csv",
        ),
        _contact(
            "name_ja",
            "Name",
            "連絡先名称",
            "The contact point's name.",
            "連絡先の名称。",
            "東京都地域生活定着支援センター",
            required=True,
        ),
        _contact(
            "purpose_ja",
            "Purpose",
            "連絡先用途",
            "What the contact point is for, where the source says.",
            "連絡先の用途（出典に記載がある場合）。",
            "相談",
        ),
        _contact(
            "phone",
            "Phone",
            "連絡先電話番号",
            "Telephone numbers as GIF DS-445 writes them; several joined by ' / '.",
            "電話番号（GIF DS-445の書式。複数は「 / 」で区切る）。",
            "03-5927-8231",
            pattern=PHONE_PATTERN,
        ),
        _contact(
            "email",
            "Email",
            "連絡先メールアドレス",
            "Email address.",
            "メールアドレス。",
            "soudan@example.lg.jp",
            pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+",
        ),
        _contact(
            "url",
            "Web contact",
            "連絡先URL",
            "A web form or page to contact it through.",
            "問い合わせフォーム等のURL。",
            "https://example.lg.jp/form",
            pattern=URL_PATTERN,
        ),
        _contact(
            "address_ja",
            "Address",
            "連絡先住所",
            "Where to go, as the source gives it.",
            "所在地（出典の記載どおり）。",
            "東京都新宿区歌舞伎町二丁目44番1号",
        ),
        _contact(
            "days",
            "Days",
            "受付曜日",
            "The days it answers, codes joined by ';'.",
            "受付曜日（コードを「;」で区切る）。",
            "mon;tue;wed;thu;fri",
            codes=DAYS,
            separator=LIST_SEPARATOR,
        ),
        _contact(
            "opens",
            "Opens",
            "受付開始",
            "Time it opens on those days (HH:MM).",
            "受付開始時刻（HH:MM）。",
            "09:00",
            pattern=TIME_PATTERN,
        ),
        _contact(
            "closes",
            "Closes",
            "受付終了",
            "Time it closes on those days (HH:MM).",
            "受付終了時刻（HH:MM）。",
            "18:00",
            pattern=TIME_PATTERN,
        ),
        _contact(
            "hours_note_ja",
            "Hours note",
            "受付時間の備考",
            "What the days and times leave out (holidays, year-end).",
            "曜日と時刻で表せない受付時間の注記（祝日・年末年始など）。",
            "祝日、年末年始を除く",
        ),
        Field(
            name="hours_ja",
            type="string",
            origin="derived",
            title_en="Hours in words",
            title_ja="受付時間",
            description_en="The days, times and hours note in words, as the page shows them.",
            description_ja="受付曜日・時刻と備考を文にしたもの（ページの表示どおり）。",
            example="月・火・水・木・金 09:00〜18:00（祝日、年末年始を除く）",
        ),
        _contact(
            "note_ja",
            "Note",
            "連絡先備考",
            "Anything else the source says a caller should know (匿名可, 無料, …).",
            "連絡先に関する備考（匿名可、無料など）。",
            "所在地は公表していない",
        ),
        *_source_fields("contact-points.csv"),
    ),
    primary_key=("service_id", "contact_order"),
    foreign_keys=(ForeignKey("service_id", "services", "service_id"),),
)

TABLES = (SECTIONS, SERVICES, EVIDENCE, MOVED_HOSTS, CONTACT_POINTS)


# --- the curation files (raw/curation), declared from the fields above --------------------

ROLES = CodeList(
    "role",
    (
        Code("standalone", "単独の記載", "an entry of its own, given without a link"),
        Code("continuation", "前の段落の続き", "continues the paragraph before it"),
    ),
)


@dataclass(frozen=True)
class CurationTable:
    """A human-edited CSV in raw/curation: its key, then the columns that supply published
    fields (each declared once, in its table, with `curated_in` naming this file), then
    columns of its own. Its Table Schema is what the one row checker checks it against."""

    file: str
    key: Field
    supplies: Table | None = None
    own: tuple[Field, ...] = ()
    # key column → columns its value determines: rows with the same key agree on them
    determines: tuple[tuple[str, tuple[str, ...]], ...] = ()
    optional: bool = False  # a missing file reads as a file without rows

    @property
    def fields(self) -> tuple[Field, ...]:
        supplied = (
            [f for f in self.supplies.fields if f.curated_in == self.file]
            if (self.supplies)
            else []
        )
        return (self.key, *supplied, *self.own)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def to_table_schema(self) -> dict:
        return {"fields": [f.to_table_schema() for f in self.fields], "missingValues": [""]}


def _note(description_en: str, description_ja: str) -> Field:
    return Field(
        name="note",
        type="string",
        origin="curation",
        title_en="Note",
        title_ja="備考",
        description_en=description_en,
        description_ja=description_ja,
        example="Name quoted from the description.",
    )


CURATION_FILES = (
    CurationTable(
        "paragraphs.csv",
        Field(
            name="starts_with",
            type="string",
            origin="curation",
            title_en="Paragraph start",
            title_ja="段落の冒頭",
            description_en=(
                "The start of exactly one paragraph of the snapshot that the layout leaves "
                "ambiguous."
            ),
            description_ja="レイアウトから判断できない段落の冒頭（スナップショット中で1つだけ一致）。",
            example="区市(町村部については都)が実施主体",
            required=True,
            unique=True,
        ),
        own=(
            Field(
                name="role",
                type="string",
                origin="curation",
                title_en="Role",
                title_ja="役割",
                description_en="How the paragraph belongs.",
                description_ja="段落の扱い。",
                example="continuation",
                required=True,
                codes=ROLES,
            ),
            Field(
                name="evidence",
                type="string",
                origin="curation",
                title_en="Evidence",
                title_ja="根拠",
                description_en="Why: what the page shows that decides it.",
                description_ja="判断の根拠。",
                example="Continues the line before it.",
                required=True,
            ),
        ),
    ),
    CurationTable(
        "sections.csv",
        Field(
            name="heading_ja",
            type="string",
            origin="curation",
            title_en="Heading",
            title_ja="見出し",
            description_en=(
                "The section's heading as on the page; empty for the untitled opening section."
            ),
            description_ja="ページ上の見出し。冒頭の見出しのない区分は空。",
            example="就労の確保等",
            unique=True,
        ),
        supplies=SECTIONS,
        own=(_note("Why the values were chosen.", "値の根拠。"),),
    ),
    CurationTable(
        "services.csv",
        replace(SERVICES.fields[0], origin="curation"),  # service_id: the key it curates
        supplies=SERVICES,
        own=(_note("Where each curated value comes from.", "キュレーションした値の根拠。"),),
        # A provider is one organization (one HSDS organization, one schema.org node, keyed
        # by its Japanese name): its Japanese name determines its English name and its type.
        determines=(
            ("provider_ja", ("provider_en", "provider_type")),
            ("operator_ja", ("operator_en",)),
        ),
    ),
    CurationTable(
        "evidence.csv",
        replace(EVIDENCE.fields[0], origin="curation"),  # service_id: whose value it supports
        supplies=EVIDENCE,
    ),
    CurationTable(
        "link-checks.csv",
        Field(
            name="url",
            type="string",
            origin="curation",
            title_en="Link",
            title_ja="リンク",
            description_en=(
                "A link that check-links requested: a published link (resolved) or a curated "
                "url_current."
            ),
            description_ja="check-linksが確認したリンク。",
            example="https://www.tokyo-challenge.net/",
            required=True,
            unique=True,
            pattern=URL_PATTERN,
        ),
        own=(
            Field(
                name="checked_on",
                type="date",
                origin="curation",
                title_en="Checked on",
                title_ja="確認日",
                description_en="The date of the request.",
                description_ja="確認した日。",
                example="2026-11-30",
                required=True,
            ),
            Field(
                name="http_status",
                type="integer",
                origin="curation",
                title_en="HTTP status",
                title_ja="HTTPステータス",
                description_en="The status of the last answer; empty without one.",
                description_ja="最後の応答のステータスコード。応答がなければ空。",
                example=200,
                minimum=100,
            ),
            Field(
                name="final_url",
                type="string",
                origin="curation",
                title_en="Final address",
                title_ja="最終アドレス",
                description_en=(
                    "Where the request ended after following redirects; empty without an answer."
                ),
                description_ja="転送をたどった後のアドレス。応答がなければ空。",
                example="https://www.tokyo-challenge.net/",
                pattern=URL_PATTERN,
            ),
            Field(
                name="outcome",
                type="string",
                origin="curation",
                title_en="Outcome",
                title_ja="結果",
                description_en="What the request found.",
                description_ja="確認の結果。",
                example="ok",
                required=True,
                codes=LINK_CHECK_OUTCOMES,
            ),
        ),
        optional=True,
    ),
    CurationTable(
        "moved-hosts.csv",
        replace(MOVED_HOSTS.fields[0], unique=False),  # prefix: a row per source
        supplies=MOVED_HOSTS,
        determines=(("prefix", ("since", "moved_to")),),
        optional=True,
    ),
    CurationTable(
        "contact-points.csv",
        replace(CONTACT_POINTS.fields[0], origin="curation"),  # service_id: a row per contact
        supplies=CONTACT_POINTS,
        optional=True,
    ),
    CurationTable(
        "additions.csv",
        replace(SERVICES.fields[0], origin="curation"),  # service_id: the resource it adds
        own=ADDITION_FIELDS,
        optional=True,
    ),
)
