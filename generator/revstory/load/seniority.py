"""A contact's seniority, bucketed from their job title at load; the title itself is dropped.

Anecdotes tell a buying group by role and seniority ("the CFO joined the webinar"), yet a job
title is personal data a report has no use for beyond its level. So the title an export
gives (HubSpot's "Job Title", Salesforce's Contact Title, a native ``title`` column) is read
only to choose a bucket of :data:`BUCKETS`, and only the bucket is kept in
``deal_contacts.seniority``; a native ``seniority`` column goes through the same function,
so "Director", "director" and "Head of Sales" are one bucket.

The keyword table covers English, French and Polish titles. Matching is on whole words of
the title, lower-cased and without accents ("Directrice générale" → "directrice generale"),
in the order of :data:`RULES`: assistants and interns first (an "Assistant to the CFO" is
not the CFO), then the C-level roles with a known acronym, vice presidents (before the
generic C-level, which "president" would catch), other C-level titles, directors and heads,
managers; any other title is ``other``. A blank title gives no seniority (None).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache
from typing import Any

import duckdb

#: Every seniority bucket, most senior first (the codes stored in deal_contacts.seniority).
BUCKETS = (
    "ceo",
    "cfo",
    "cmo",
    "cto",
    "coo",
    "cro",
    "c_level",
    "vp",
    "director",
    "manager",
    "other",
)

#: (bucket, words or phrases of a title that put it there), tried in this order. Phrases are
#: written lower-case, without accents, words separated by single spaces.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "other",
        (
            "assistant",
            "assistante",
            "asystent",
            "asystentka",
            "intern",
            "stagiaire",
            "stazysta",
            "stazystka",
            "praktykant",
            "praktykantka",
        ),
    ),
    (
        "ceo",
        (
            "ceo",
            "chief executive",
            "pdg",
            "president directeur general",
            "presidente directrice generale",
            "directeur general",
            "directrice generale",
            "prezes",
            "prezeska",
            "prezes zarzadu",
            "dyrektor generalny",
            "dyrektorka generalna",
        ),
    ),
    (
        "cfo",
        (
            "cfo",
            "chief financial",
            "chief finance",
            "daf",
            "directeur financier",
            "directrice financiere",
            "directeur administratif et financier",
            "directrice administrative et financiere",
            "dyrektor finansowy",
            "dyrektorka finansowa",
        ),
    ),
    ("cmo", ("cmo", "chief marketing")),
    ("cto", ("cto", "chief technology", "chief technical")),
    ("coo", ("coo", "chief operating", "chief operations")),
    ("cro", ("cro", "chief revenue")),
    (
        "vp",
        (
            "vp",
            "svp",
            "evp",
            "vice president",
            "vice presidente",
            "wiceprezes",
            "wiceprezeska",
        ),
    ),
    (
        "c_level",
        (
            "chief",
            "c level",
            "cxo",
            "cio",
            "ciso",
            "cdo",
            "cpo",
            "chro",
            "president",
            "presidente",
            "czlonek zarzadu",
            "czlonkini zarzadu",
        ),
    ),
    (
        "director",
        (
            "director",
            "head",
            "directeur",
            "directrice",
            "dyrektor",
            "dyrektorka",
            "szef",
            "szefowa",
        ),
    ),
    (
        "manager",
        (
            "manager",
            "team lead",
            "supervisor",
            "chef de",
            "responsable",
            "kierownik",
            "kierowniczka",
            "menedzer",
            "menedzerka",
            "menadzer",
            "lider",
            "liderka",
        ),
    ),
)

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _words(title: str) -> str:
    """Lower-case ``title`` without accents, its words between single spaces (and at each end)."""
    plain = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    # Polish ł has no decomposition; it reads as l in every keyword above.
    plain = plain.replace("ł", "l")
    return " " + " ".join(_NOT_WORD.sub(" ", plain).split()) + " "


@lru_cache(maxsize=4096)
def seniority(title: str | None) -> str | None:
    """Return the :data:`BUCKETS` code of a job title (or of a seniority given as words).

    None for a missing or blank title; ``other`` for a title no rule knows.
    """
    if title is None or not title.strip():
        return None
    words = _words(title)
    code = words.strip().replace(" ", "_")
    if code in BUCKETS:  # a seniority column giving the codes themselves
        return code
    for bucket, phrases in RULES:
        if any(f" {p} " in words for p in phrases):
            return bucket
    return "other"


def by_titles(con: duckdb.DuckDBPyConnection, column: str, rows: str, name: str) -> str:
    """Return the SQL of the :data:`BUCKETS` code of ``column`` in ``rows``, by its titles.

    ``rows`` is a FROM (a file's reading) and ``column`` its title or seniority cell. The
    distinct titles are read once, into the ENUM ``name`` (:func:`drop_titles` drops it),
    and bucketed here, each once; a row's code is then its title's place in that ENUM, an
    element of a list: no Python per row or per vector of rows, and the titles themselves
    are never written anywhere. (:func:`sql`'s function, called by DuckDB on each vector of
    2,048 rows, cost 0.18 of the 0.35 s a 230k-row contacts file took to stage.)
    """
    con.execute(
        f"CREATE TYPE {name} AS ENUM (SELECT DISTINCT CAST({column} AS VARCHAR) "  # noqa: S608 - SQL from our own type and column names
        f"FROM {rows} WHERE {column} IS NOT NULL)"
    )
    ((titles,),) = con.execute(f"SELECT enum_range(NULL::{name})").fetchall()
    if not titles:
        return "CAST(NULL AS VARCHAR)"
    codes = [seniority(t) for t in titles]
    # The codes are BUCKETS' keys (or "other"): identifiers, safe as SQL strings.
    assert all(c is None or c.isidentifier() for c in codes)  # noqa: S101 - a guard of the SQL below
    book = ", ".join("NULL" if c is None else f"'{c}'" for c in codes)
    return (
        f"list_extract(CAST([{book}] AS VARCHAR[]), "
        f"enum_code(TRY_CAST(CAST({column} AS VARCHAR) AS {name})) + 1)"
    )


def drop_titles(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop :func:`by_titles`' ENUM ``name`` once the rows that read it are staged."""
    con.execute(f"DROP TYPE IF EXISTS {name}")


#: The SQL function :func:`register` adds (use it through :func:`sql`).
SQL_FUNCTION = "revstory_seniority"


def _for_sql(titles: Any) -> Any:  # pyarrow's ChunkedArray in, Array out
    """Bucket a vector of titles (DuckDB's NULLs are left out before the call).

    Vectorised (Arrow in, Arrow out): :func:`seniority` runs once per distinct title of the
    vector, not once per row. A scalar Python function called per row cost 4.5 s of a
    10M-touch drop's load (1M deal contacts, one core), for a few hundred distinct titles.
    DuckDB's default null handling wants a value back: "" stands for None (see sql()).
    DuckDB reads the annotations when the function is registered: they name no pyarrow
    type, so pyarrow is imported only when a file gives titles. The buckets' array is made
    from its buffers: ``pa.array`` of a list imports pandas (0.14 s) to check the list.
    """
    import pyarrow as pa  # DuckDB has imported it to call this function
    import pyarrow.compute as pc

    distinct = pc.unique(titles)
    codes = [(seniority(t) or "").encode() for t in distinct.to_pylist()]
    ends = array("i", [0])
    for code in codes:
        ends.append(ends[-1] + len(code))
    buckets = pa.Array.from_buffers(
        pa.string(), len(codes), [None, pa.py_buffer(ends.tobytes()), pa.py_buffer(b"".join(codes))]
    )
    return pc.take(buckets, pc.index_in(titles, value_set=distinct))


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Make :func:`seniority` callable from SQL on ``con`` (once per connection)."""
    ((found,),) = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", [SQL_FUNCTION]
    ).fetchall()
    if not found:
        text = duckdb.sqltype("VARCHAR")
        # "arrow" as a string: DuckDB 1.x and 2.x both take it (the enum moved between them);
        # the stubs list only the enum.
        con.create_function(SQL_FUNCTION, _for_sql, [text], text, type="arrow")  # type: ignore[call-overload]


def sql(column: str) -> str:
    """Return the SQL expression of the seniority of ``column`` (a quoted identifier or cast).

    The connection needs :func:`register` first. NULL for a missing or blank title.
    """
    return f"nullif({SQL_FUNCTION}(CAST({column} AS VARCHAR)), '')"
