"""HubSpot CRM exports → ``deals`` + ``deal_contacts``, or ``touches`` and ``identities``.

A deals export gives the first two, a contacts export the others.

Every value is quoted; association ids are ``;``-separated in one cell and become one
deal_contacts row each (a derived table, shown as ``<file> [deal_contacts]``). Headers follow
the exporting user's language: the synonym tables below cover English, French, Polish,
German and Spanish (association columns stay English in real exports). Won/lost comes from
``Is Closed Won`` when exported, otherwise from the stage label (default pipeline labels, or
``deal_stages`` in the settings); labels taken as open are listed in a warning so custom
pipelines are not misread silently.

Contacts exports become touches: ``First Page Seen`` at the contact's create date (a view)
and ``First Conversion`` at its date (a form submission), keyed by the contact's Record ID —
the same key the deals export's associations use. A contacts export with an Email column
also gives one identities row per contact (Record ID ↔ Email), so touches keyed by email
(GA4 user_id, Zoom, native touches) join the deals' contacts; a contacts export without
First Page Seen gives only these.

Seniority: HubSpot keeps a contact's ``Job Title`` on the contact, not on the deal–contact
association, so the deals export cannot give it. A contacts export with a Job Title column
gives each contact's seniority on its identities row (a :data:`revstory.load.seniority.BUCKETS`
code, chosen from the title, which is never kept; a contact with a title and no email is kept
for its level alone). Validation hands that level to every deal the person is a contact of
(:func:`revstory.validate.identity.resolve_people`); a deal contact's own seniority, where
another source gives one (a native deal_contacts file, Salesforce's contact roles), wins.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from revstory.load import values
from revstory.load.adapters.base import (
    AdapterOutput,
    Columns,
    Frame,
    Notes,
    ReadContext,
    Row,
    cell,
    data_records,
    fix_dates,
    require_rows,
)
from revstory.load.adapters.crm import deal_type, inferred_warning, status_from
from revstory.load.options import setting
from revstory.load.seniority import seniority
from revstory.load.sniff import Record, SniffedFile, UnreadableFile

NAME = "hubspot"
LAST_MODIFIED = (
    "Last Modified Date",
    "Date de dernière modification",
    "Data ostatniej modyfikacji",
    "Zuletzt geändert",
    "Fecha de última modificación",
)

RECORD_ID = (
    "Record ID",
    "ID de la fiche",
    "ID de fiche",
    "ID d'enregistrement",
    "Identyfikator rekordu",
    "ID rekordu",
    "Datensatz-ID",
    "ID de registro",
)
DEAL_NAME = (
    "Deal Name",
    "Nom de la transaction",
    "Nazwa transakcji",
    "Deal-Name",
    "Name des Deals",
    "Nombre del negocio",
)
STAGE = (
    "Deal Stage",
    "Phase de la transaction",
    "Étape de la transaction",
    "Etap transakcji",
    "Deal-Phase",
    "Etapa del negocio",
)
AMOUNT = ("Amount", "Montant", "Kwota", "Betrag", "Importe", "Valor")
#: Preferred to Amount when both are exported: the amount in the portal's company currency.
HOME_AMOUNT = (
    "Amount in company currency",
    "Amount in home currency",
    "Montant dans la devise de l'entreprise",
    "Kwota w walucie firmy",
    "Betrag in Unternehmenswährung",
    "Importe en la moneda de la empresa",
)
CLOSE = ("Close Date", "Date de fermeture", "Data zamknięcia", "Abschlussdatum", "Fecha de cierre")
CREATE = (
    "Create Date",
    "Date de création",
    "Data utworzenia",
    "Erstellungsdatum",
    "Erstelldatum",
    "Fecha de creación",
)
DEAL_TYPE = (
    "Deal Type",
    "Type de transaction",
    "Typ transakcji",
    "Deal-Typ",
    "Dealtyp",
    "Tipo de negocio",
)
CURRENCY = ("Currency", "Deal currency code", "Devise", "Waluta", "Währung", "Moneda")
WON = ("Is Closed Won", "Est gagnée", "Fermée gagnée", "Czy wygrana", "Ist gewonnen", "Es ganado")
CLOSED = (
    "Is Deal Closed?",
    "Is Closed",
    "Transaction fermée ?",
    "Czy zamknięta?",
    "Ist geschlossen?",
    "¿Está cerrado?",
)
COMPANY_ID = (
    "Associated Company IDs (Primary)",
    "Associated Company ID (Primary)",
    "Associated Company IDs",
    "Associated Company ID",
)
COMPANY = ("Associated Company (Primary)", "Associated Company")
CONTACT_IDS = ("Associated Contact IDs", "Associated Contact ID", "Associated Contacts IDs")
SEGMENT = ("Pipeline", "Lejek", "Pipeline de transactions")
EMAIL = (
    "Email",
    "E-mail",
    "Adresse e-mail",
    "Adres e-mail",
    "E-Mail",
    "Correo",
    "Correo electrónico",
)
LIFECYCLE = (
    "Lifecycle Stage",
    "Phase du cycle de vie",
    "Etap cyklu życia",
    "Lebenszyklusphase",
    "Etapa del ciclo de vida",
)
FIRST_PAGE = (
    "First Page Seen",
    "Première page vue",
    "Pierwsza wyświetlona strona",
    "Erste aufgerufene Seite",
    "Primera página vista",
)
FIRST_CONV = (
    "First Conversion",
    "Première conversion",
    "Pierwsza konwersja",
    "Erste Conversion",
    "Primera conversión",
)
FIRST_CONV_DATE = (
    "First Conversion Date",
    "Date de la première conversion",
    "Data pierwszej konwersji",
    "Datum der ersten Conversion",
    "Fecha de la primera conversión",
)
#: Read only to choose the contact's seniority (revstory.load.seniority), never kept.
JOB_TITLE = (
    "Job Title",
    "Intitulé du poste",
    "Poste",
    "Stanowisko",
    "Berufsbezeichnung",
    "Cargo",
)
SOURCE = (
    "Original Traffic Source",
    "Original Source",
    "Source d'origine",
    "Pierwotne źródło",
    "Ursprüngliche Quelle",
    "Fuente original",
)


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a HubSpot deals or contacts export (a Record ID column and more)."""
    if head.kind != "text":
        return 0.0
    cols = Columns(head.header)
    if not cols.has(*RECORD_ID):
        return 0.0
    if cols.has(*STAGE) or cols.has(*DEAL_NAME):
        return 0.9
    if cols.has(*EMAIL) and (cols.has(*LIFECYCLE) or cols.has(*FIRST_PAGE)):
        return 0.85
    if cols.has(*EMAIL):
        return 0.7  # a contacts export with few columns: Record ID ↔ Email aliases only
    return 0.3


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read a deals export into deals and deal contacts, a contacts export into touches."""
    header, rows, notes = data_records(sniffed)
    require_rows(rows)
    cols = Columns(header)
    if cols.has(*STAGE) or cols.has(*DEAL_NAME):
        frames, found = _deals(cols, rows, sniffed, ctx)
    else:
        frames, found = _contacts(cols, rows, ctx)
    return AdapterOutput.build(frames, notes, found)


DEAL_COLUMNS = (
    "deal_id",
    "account_id",
    "name",
    "amount",
    "currency",
    "created_at",
    "closed_at",
    "status",
    "deal_type",
    "segment",
    "last_modified",
)


def _deals(
    cols: Columns, rows: list[Record], sniffed: SniffedFile, ctx: ReadContext
) -> tuple[list[Frame], Notes]:
    f = {
        k: cols.find(*names)
        for k, names in {
            "id": RECORD_ID,
            "name": DEAL_NAME,
            "stage": STAGE,
            "amount": AMOUNT,
            "close": CLOSE,
            "create": CREATE,
            "type": DEAL_TYPE,
            "currency": CURRENCY,
            "won": WON,
            "closed": CLOSED,
            "company_id": COMPANY_ID,
            "company": COMPANY,
            "contacts": CONTACT_IDS,
            "segment": SEGMENT,
            "modified": LAST_MODIFIED,
        }.items()
    }
    home = cols.find(*HOME_AMOUNT)
    if home is not None:
        # One currency for every deal: the portal's (load.default_currency, else reporting).
        f["amount"], f["currency"] = home, None
    lab = {k: cols.label(i) for k, i in f.items() if i is not None}
    _require(lab)
    m: list[tuple[str, str]] = []
    m.append((lab.get("id", "?"), "deal_id"))
    m.append((lab.get("company_id") or lab.get("company") or "(none)", "account_id"))
    m.append((lab.get("name", "(none)"), "name"))
    m.append(
        (
            lab.get("amount", "(none)") + (" (preferred to Amount)" if home is not None else ""),
            "amount",
        )
    )
    m.append(
        (
            lab.get("currency")
            or (
                f"load.default_currency ({ctx.options.default_currency})"
                if ctx.options.default_currency
                else "(none: the reporting currency)"
            ),
            "currency",
        )
    )
    m.append((lab.get("create", "(none)"), "created_at"))
    m.append((lab.get("close", "(none)") + " (won and lost deals)", "closed_at"))
    m.append(
        (
            " + ".join(x for x in (lab.get("won"), lab.get("closed"), lab.get("stage")) if x),
            "status",
        )
    )
    m.append((lab.get("type", "(none: every deal taken as new)"), "deal_type"))
    if "segment" in lab:
        m.append((lab["segment"], "segment"))
    contacts_mapping = (
        [(lab["id"], "deal_id"), (lab["contacts"] + " (split on ;)", "person_id")]
        if "contacts" in lab
        else []
    )
    warnings: list[str] = []
    if "type" not in lab:
        warnings.append("has no Deal Type column; every deal is taken as a new deal")
    deal_rows: list[tuple[int, Row]] = []
    contact_rows: list[tuple[int, Row]] = []
    open_stages: Counter[str] = Counter()
    inferred: Counter[tuple[str, str]] = Counter()
    for r in rows:
        won, closed = values.boolean(cell(r, f["won"])), values.boolean(cell(r, f["closed"]))
        stage = cell(r, f["stage"])
        status = status_from(stage, won, closed, ctx.options, inferred)
        if status == "open" and stage and won is None:
            open_stages[stage] += 1
        deal_id = cell(r, f["id"])
        currency = cell(r, f["currency"]) or ctx.options.default_currency or ""
        deal_rows.append(
            (
                r.line,
                {
                    "deal_id": deal_id,
                    "account_id": cell(r, f["company_id"]) or cell(r, f["company"]),
                    "name": cell(r, f["name"]),
                    "amount": values.number(cell(r, f["amount"]), sniffed.decimal_comma),
                    "currency": currency.upper() or None,
                    "created_at": cell(r, f["create"]),
                    "closed_at": cell(r, f["close"]) if status in ("won", "lost") else None,
                    "status": status,
                    "deal_type": deal_type(cell(r, f["type"])),
                    "segment": cell(r, f["segment"]),
                    "last_modified": cell(r, f["modified"]),
                },
            )
        )
        for k, pid in enumerate(p.strip() for p in (cell(r, f["contacts"]) or "").split(";")):
            if pid:
                primary = "true" if k == 0 else "false"
                contact_rows.append(
                    (r.line, {"deal_id": deal_id, "person_id": pid, "is_primary": primary})
                )
    if note := inferred_warning(inferred):
        warnings.append(note)
    if open_stages:
        listed = ", ".join(f"'{s}' ({n})" for s, n in sorted(open_stages.items()))
        warnings.append(
            f"deal stages taken as open: {listed} — if any of them means won or lost, list it "
            f"under won or lost in {setting('deal_stages')}, or export the 'Is Closed Won' "
            "column"
        )
    deals, dates = fix_dates(
        Frame.of("deals", DEAL_COLUMNS, deal_rows, m),
        {"created_at": "timestamp", "closed_at": "timestamp", "last_modified": "timestamp"},
        ctx,
        {
            "created_at": lab.get("create", ""),
            "closed_at": lab.get("close", ""),
            "last_modified": lab.get("modified", ""),
        },
    )
    frames = [deals]
    if contact_rows:
        columns = ("deal_id", "person_id", "is_primary")
        frames.append(
            Frame.of("deal_contacts", columns, contact_rows, contacts_mapping, derived=True)
        )
    return frames, Notes.of(warnings=warnings) + dates


def _require(lab: dict[str, str]) -> None:
    """One error for the file naming every column a deals export cannot do without."""
    need = [("id", RECORD_ID[0]), ("create", CREATE[0]), ("close", CLOSE[0]), ("amount", AMOUNT[0])]
    missing = [name for key, name in need if key not in lab]
    if not any(k in lab for k in ("stage", "won", "closed")):
        missing.insert(0, STAGE[0])
    if missing:
        cols = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
        raise UnreadableFile(
            f"this HubSpot deals export has no {cols} column{'s' if len(missing) > 1 else ''}",
            f"add {'them' if len(missing) > 1 else 'it'} to the export view (Deals → Export, "
            "or Edit columns) and export again",
        )


def _contacts(cols: Columns, rows: list[Record], ctx: ReadContext) -> tuple[list[Frame], Notes]:
    f = {
        k: cols.find(*names)
        for k, names in {
            "id": RECORD_ID,
            "create": CREATE,
            "first_page": FIRST_PAGE,
            "conv": FIRST_CONV,
            "conv_date": FIRST_CONV_DATE,
            "company_id": COMPANY_ID,
            "source": SOURCE,
            "email": EMAIL,
            "title": JOB_TITLE,
        }.items()
    }
    lab = {k: cols.label(i) for k, i in f.items() if i is not None}
    # Without First Page Seen a contacts export holds no touch, only Record ID ↔ Email and
    # the contacts' seniority.
    people = "email" in lab or "title" in lab
    with_touches = "first_page" in lab or not people
    frames: list[Frame] = []
    notes = Notes()
    if with_touches:
        touches, notes = _contact_touches(f, lab, rows, ctx)
        frames.append(touches)
    if people:
        aliases, skipped = _aliases(cols, rows, f["id"], f["email"], f["title"], with_touches)
        frames.append(aliases)
        notes += skipped
    return frames, notes


def _contact_touches(
    f: dict[str, int | None], lab: dict[str, str], rows: list[Record], ctx: ReadContext
) -> tuple[Frame, Notes]:
    mapping = [
        (lab.get("id", "?"), "person_id"),
        (f"{lab.get('first_page', '?')} at {lab.get('create', '?')}", "url, occurred_at (view)"),
        (
            f"{lab.get('conv', '?')} at {lab.get('conv_date', '?')}",
            "occurred_at (form_submit; the conversion's page is not exported)",
        ),
        (lab.get("source", "(none)"), "channel"),
    ]
    dropped: Counter[str] = Counter()
    read_rows: list[tuple[int, Row]] = []
    for r in rows:
        person, account = cell(r, f["id"]), cell(r, f["company_id"])
        channel = (cell(r, f["source"]) or "").lower().replace(" ", "_") or None
        page = cell(r, f["first_page"])
        if not page:
            dropped["contact without a first page seen"] += 1
            continue
        touch = {"person_id": person, "account_id": account, "url": page, "channel": channel}
        read_rows.append(
            (r.line, {**touch, "occurred_at": cell(r, f["create"]), "touch_type": "view"})
        )
        if cell(r, f["conv"]) and cell(r, f["conv_date"]):
            # HubSpot names the form, not its page: the first page seen is the best anchor.
            read_rows.append(
                (
                    r.line,
                    {**touch, "occurred_at": cell(r, f["conv_date"]), "touch_type": "form_submit"},
                )
            )
    columns = ("occurred_at", "person_id", "account_id", "url", "touch_type", "channel")
    touches, dates = fix_dates(
        Frame.of("touches", columns, read_rows, mapping),
        {"occurred_at": "timestamp"},
        ctx,
        {"occurred_at": lab.get("create", "")},
    )
    return touches, Notes.of(dropped) + dates


def _aliases(
    cols: Columns,
    rows: list[Record],
    i_id: int | None,
    i_email: int | None,
    i_title: int | None,
    derived: bool,
) -> tuple[Frame, Notes]:
    """Record ID ↔ Email, and the contact's seniority from their Job Title.

    Deals name contacts by Record ID, web and webinar tools by email. Contacts with neither an
    email nor a title that gives a level add nothing: left out (counted as skipped when the
    identities are the file's only table).
    """
    mapping = [(cols.label(i_id) if i_id is not None else "?", "person_id")]
    columns: tuple[str, ...] = ("person_id",)
    if i_email is not None:
        mapping.append((cols.label(i_email), "email (alias)"))
        columns += ("email",)
    if i_title is not None:
        mapping.append((cols.label(i_title) + " (its level only)", "seniority"))
        columns += ("seniority",)
    dropped: Counter[str] = Counter()
    read_rows: list[tuple[int, Row]] = []
    for r in rows:
        email, level = cell(r, i_email), seniority(cell(r, i_title))
        if (email or level) and cell(r, i_id):
            row: Row = {"person_id": cell(r, i_id), "email": email, "seniority": level}
            read_rows.append((r.line, {c: row[c] for c in columns}))
        elif not derived:
            dropped[
                "contact without an email or a job title (nothing to link or keep)"
                if i_title is not None
                else "contact without an email (no alias to link)"
            ] += 1
    frame = Frame.of("identities", columns, read_rows, mapping, derived=derived)
    return frame, Notes.of(dropped)
