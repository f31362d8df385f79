"""Column contracts of the native drop format and of the canonical tables.

The native format is one folder per quarter (``content/2026-Q3/``) holding CSV or Parquet
files. A file's table is recognised from its header, never its name; each table's spec below
lists the columns that identify it, the ones it may carry, and how each is typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Values that stand for "no id" in CRM exports (case-insensitive): they never become an account,
#: a deal or a person, and never link two people. Salesforce also writes an all-zero id
#: (``000000000000000AAA``) for an empty lookup.
PLACEHOLDER_IDS = ("null", "none", "n/a", "#n/a", "-", "--", "(none)")
#: Columns holding ids, cleaned of placeholders by validation.
ID_COLUMNS = ("deal_id", "account_id", "person_id", "alias", "email")

# Column kinds understood by the validator: text, int, number, timestamp (ISO 8601 with or
# without a time and an offset; stored in UTC), date (a calendar day), bool.

TOUCH_TYPES = (
    "view",
    "form_submit",
    "download",
    "email_click",
    "webinar_attended",
    "video_view",
    "sales_share",
)
#: Touch types that turn an anonymous reader into a lead: the first one is lead creation (LC).
CONVERSION_TOUCH_TYPES = ("form_submit", "download")
DEAL_STATUSES = ("won", "lost", "open")
DEAL_TYPES = ("new", "renewal", "expansion")


@dataclass(frozen=True)
class Column:
    """One column of a native table."""

    name: str
    kind: str
    required: bool = True
    help: str = ""
    allowed: tuple[str, ...] = ()
    #: A required column whose cells may be empty: validation applies a documented default
    #: (with a warning) instead of dropping the row.
    empty_ok: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A native table: its columns and the one-of groups (e.g. ``content_id`` or ``url``)."""

    name: str
    columns: tuple[Column, ...]
    #: Groups of columns of which at least one must be present (and filled per row).
    one_of: tuple[tuple[str, ...], ...] = ()
    #: Columns that together identify a row.
    key: tuple[str, ...] = ()
    #: Columns whose presence identifies the table in a header.
    signature: tuple[str, ...] = field(default_factory=tuple)
    required_file: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        """Return the column names, in contract order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """Return the column called ``name`` (``StopIteration`` when there is none)."""
        return next(c for c in self.columns if c.name == name)


CONTENT = TableSpec(
    name="content",
    columns=(
        Column("content_id", "text", help="stable slug; the article page's URL derives from it"),
        Column("url", "text", help="canonical URL of the piece"),
        Column("title", "text"),
        Column("content_type", "text", help="article, ebook, video, webinar, case_study, …"),
        Column("published_at", "date", required=False),
        Column("author", "text", required=False),
        Column("tags", "text", required=False, help="';'-separated"),
        Column("cost", "number", required=False, help="production cost, reporting currency"),
    ),
    key=("content_id",),
    signature=("content_id", "title", "content_type"),
)

PERFORMANCE = TableSpec(
    name="performance",
    columns=(
        Column("content_id", "text", required=False),
        Column("url", "text", required=False),
        Column("period_start", "date"),
        Column("period_end", "date"),
        Column("views", "int"),
        Column("users", "int", required=False),
        Column("engagement_seconds", "number", required=False, help="total, not average"),
        Column("shares", "int", required=False),
        Column("clicks", "int", required=False),
    ),
    one_of=(("content_id", "url"),),
    signature=("period_start", "period_end", "views"),
    required_file=False,
)

TOUCHES = TableSpec(
    name="touches",
    columns=(
        Column("occurred_at", "timestamp"),
        Column("person_id", "text", help="pseudonymised at load; emails are fine"),
        Column("account_id", "text", required=False),
        Column("content_id", "text", required=False),
        Column("url", "text", required=False),
        Column("touch_type", "text", allowed=TOUCH_TYPES),
        Column("channel", "text", required=False),
    ),
    one_of=(("content_id", "url"),),
    signature=("occurred_at", "person_id", "touch_type"),
)

DEALS = TableSpec(
    name="deals",
    columns=(
        Column("deal_id", "text"),
        Column(
            "account_id", "text", required=False, help="empty: the deal stands as its own account"
        ),
        Column(
            "amount",
            "number",
            empty_ok=True,
            help="plain number in the deal currency; empty: no revenue, unknown pipeline",
        ),
        Column(
            "currency",
            "text",
            required=False,
            help="ISO 4217 code; empty or absent: load.default_currency, else the "
            "reporting currency",
        ),
        Column("created_at", "timestamp"),
        Column("closed_at", "timestamp", required=False, help="required for won and lost"),
        Column("status", "text", allowed=DEAL_STATUSES),
        Column("deal_type", "text", allowed=DEAL_TYPES),
        Column("name", "text", required=False, help="account or deal name; redactable"),
        Column("segment", "text", required=False),
        Column(
            "industry",
            "text",
            required=False,
            help="the account's industry; names a redacted account on the site",
        ),
        Column(
            "last_modified",
            "timestamp",
            required=False,
            help="when the CRM last changed the deal; of two copies in one quarter, the "
            "latest is used",
        ),
    ),
    key=("deal_id",),
    signature=("deal_id", "amount", "status"),
)

DEAL_CONTACTS = TableSpec(
    name="deal_contacts",
    columns=(
        Column("deal_id", "text"),
        Column("person_id", "text"),
        Column("role", "text", required=False),
        Column("is_primary", "bool", required=False),
        Column(
            "seniority",
            "text",
            required=False,
            help="the contact's level: ceo, cfo, cmo, cto, coo, cro, c_level, vp, director, "
            "manager or other; a native file may give it, or their job title as title (read "
            "only to choose the level, never kept)",
        ),
    ),
    key=("deal_id", "person_id"),
    signature=("deal_id", "person_id"),
)

FX_RATES = TableSpec(
    name="fx_rates",
    columns=(
        Column("currency", "text"),
        Column("date", "date"),
        Column("rate", "number", help="units of reporting currency per unit of this currency"),
    ),
    key=("currency", "date"),
    signature=("currency", "date", "rate"),
    required_file=False,
)

IDENTITIES = TableSpec(
    name="identities",
    columns=(
        Column("person_id", "text", help="an id the person has in touches or deal contacts"),
        Column(
            "alias",
            "text",
            required=False,
            help="another id of the same person (CRM contact id, lead id, user id, email)",
        ),
        Column("email", "text", required=False, help="the person's email, another alias"),
        Column(
            "seniority",
            "text",
            required=False,
            help="the person's level (codes or words as in deal_contacts); every deal they are "
            "a contact of takes it, unless the deal contact gives its own",
        ),
    ),
    one_of=(("alias", "email", "seniority"),),
    signature=("person_id", "alias"),
    required_file=False,
)

NATIVE_TABLES: tuple[TableSpec, ...] = (
    CONTENT,
    PERFORMANCE,
    TOUCHES,
    DEALS,
    DEAL_CONTACTS,
    FX_RATES,
    IDENTITIES,
)
TABLES_BY_NAME = {t.name: t for t in NATIVE_TABLES}
