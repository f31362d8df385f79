"""Seniority from a contact's job title: the keyword table (en, fr, pl), and the native
deal_contacts files that give a ``title`` or a ``seniority`` column — the level kept, the
title read for nothing else and stored nowhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from revstory.load import seniority as sen
from revstory.pipeline import run
from revstory.site.settings import site_settings

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "drops" / "minimal"

TITLES = {
    # C-level with an acronym a reader knows, spelled out or not, in the three languages.
    "CEO & Founder": "ceo",
    "Chief Executive Officer": "ceo",
    "Président-directeur général": "ceo",
    "Directrice générale": "ceo",
    "Prezes Zarządu": "ceo",
    "Chief Financial Officer": "cfo",
    "CFO": "cfo",
    "Directeur administratif et financier": "cfo",
    "DAF": "cfo",
    "Dyrektorka finansowa": "cfo",
    "Chief Marketing Officer": "cmo",
    "CTO": "cto",
    "Chief Operating Officer": "coo",
    "Chief Revenue Officer": "cro",
    # Other C-level; a vice president before the "president" that C-level knows.
    "Chief People Officer": "c_level",
    "CIO": "c_level",
    "Président": "c_level",
    "Członek Zarządu": "c_level",
    "Senior Vice President, Sales": "vp",
    "VP Marketing": "vp",
    "Vice-présidente marketing": "vp",
    "Wiceprezes Zarządu ds. finansowych": "vp",
    # Directors and heads, managers.
    "Head of Demand Generation": "director",
    "Managing Director": "director",
    "Directeur marketing": "director",
    "Dyrektor sprzedaży": "director",
    "Marketing Operations Manager": "manager",
    "Chef de projet": "manager",
    "Responsable marketing digital": "manager",
    "Kierownik działu IT": "manager",
    "Menedżer produktu": "manager",
    # The rest; an assistant to the CFO is not the CFO.
    "Assistant to the CFO": "other",
    "Asystentka prezesa": "other",
    "Stagiaire marketing": "other",
    "Software Engineer": "other",
    "Lead Generation Specialist": "other",
}


@pytest.mark.parametrize(("title", "bucket"), sorted(TITLES.items()))
def test_a_title_gets_its_bucket(title: str, bucket: str) -> None:
    assert sen.seniority(title) == bucket


def test_a_seniority_column_reads_the_same_way() -> None:
    """A native seniority column may give the codes or the levels in words."""
    assert [sen.seniority(v) for v in ("c_level", "C-level", "VP", "Director", "manager")] == [
        "c_level",
        "c_level",
        "vp",
        "director",
        "manager",
    ]
    assert [sen.seniority(v) for v in (None, "", "   ")] == [None, None, None]
    # Every rule leads to a bucket, and every bucket is reached by a title above.
    assert {b for b, _ in sen.RULES} <= set(sen.BUCKETS) == set(TITLES.values())


def test_sql_gives_what_python_gives() -> None:
    con = duckdb.connect()
    sen.register(con)
    sen.register(con)  # once per connection, however often asked
    titles = [*TITLES, "", None]
    got = con.execute(
        f"SELECT {sen.sql('t')} FROM unnest(?) AS u(t)",  # noqa: S608 - our own expression
        [titles],
    ).fetchall()
    assert [g for (g,) in got] == [sen.seniority(t) for t in titles]


def test_sql_gives_what_python_gives_over_many_vectors() -> None:
    """The SQL function runs per vector of rows: titles repeat across vectors, NULLs between."""
    con = duckdb.connect()
    sen.register(con)
    cycle = [*TITLES, "", None, "  "]
    titles = [cycle[(i * 7) % len(cycle)] for i in range(10_000)]  # five vectors of 2,048
    got = con.execute(
        f"SELECT i, {sen.sql('t')} FROM (SELECT unnest(?) AS t, unnest(range(10000)) AS i) "  # noqa: S608 - our own expression
        "ORDER BY i",
        [titles],
    ).fetchall()
    assert [g for _, g in got] == [sen.seniority(t) for t in titles]


def test_by_titles_gives_what_python_gives() -> None:
    """The staging's lookup: each distinct title bucketed once, every row by its title."""
    con = duckdb.connect()
    cycle = [*TITLES, "", None, "  "]
    con.execute(
        "CREATE TABLE f AS SELECT unnest(?) AS t, unnest(range(10000)) AS i",
        [[cycle[(i * 7) % len(cycle)] for i in range(10_000)]],
    )
    expr = sen.by_titles(con, "t", "f", "f_titles")
    got = con.execute(f"SELECT t, {expr} FROM f ORDER BY i").fetchall()  # noqa: S608 - our own expression
    assert [g for _, g in got] == [sen.seniority(t) for t, _ in got]
    sen.drop_titles(con, "f_titles")
    assert con.execute(
        "SELECT count(*) FROM duckdb_types() WHERE type_name = 'f_titles'"
    ).fetchone() == (0,)
    # A file whose titles are all empty cells: no title to look up, every level NULL.
    con.execute("CREATE TABLE g AS SELECT NULL::VARCHAR AS t FROM range(3)")
    assert sen.by_titles(con, "t", "g", "g_titles") == "CAST(NULL AS VARCHAR)"


def _drop(root: Path, contacts: str, name: str = "deal_contacts.csv") -> Path:
    shutil.copytree(MINIMAL, root / "content")
    q = root / "content" / "2026-Q3"
    (q / "deal_contacts.csv").unlink()
    (q / name).write_text(contacts, encoding="utf-8")
    return root / "content"


def _levels(content: Path) -> tuple[list[tuple[str, str | None]], str]:
    """(deal, seniority) of the validated deal contacts, and every staged value as text."""
    results, drop = run([content], site_settings({}).attribution())
    rows = drop.con.execute(
        "SELECT deal_id, seniority FROM deal_contacts ORDER BY deal_id"
    ).fetchall()
    everything = []
    for (table,) in drop.con.execute(
        "SELECT table_name FROM duckdb_tables() ORDER BY table_name"
    ).fetchall():
        everything.append(drop.con.execute(f'SELECT * FROM "{table}"').df().to_csv())  # noqa: S608 - names from the catalog
    frames = [v for v in vars(results).values() if hasattr(v, "to_csv")]
    # The titles' ENUMs of the staging (load.seniority.by_titles) are gone too.
    for (values,) in drop.con.execute(
        "SELECT labels FROM duckdb_types() WHERE logical_type = 'ENUM'"
    ).fetchall():
        everything.append(repr(values))
    return [(str(d), s) for d, s in rows], "".join(everything + [f.to_csv() for f in frames])


CONTACTS = (
    "deal_id,person_id,role,is_primary,title\n"
    "D1,alice@acme.example,Champion,true,Chief Financial Officer\n"
    "D2,Bob.Builder@globex.example,Evaluator,true,Head of IT\n"
    "D3,dan@initech.example,Decision Maker,true,\n"
    "D4,carol@umbrella.example,Champion,true,Dyrektor finansowy\n"
)
EXPECTED = [("D1", "cfo"), ("D2", "director"), ("D3", None), ("D4", "cfo")]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_title_column_gives_the_level_and_is_kept_nowhere(tmp_path: Path, delimiter: str) -> None:
    """``,``: DuckDB's fast path; ``;``: the native adapter reads the file row by row."""
    levels, everything = _levels(_drop(tmp_path, CONTACTS.replace(",", delimiter)))
    assert levels == EXPECTED
    for title in ("Chief Financial Officer", "Head of IT", "Dyrektor finansowy"):
        assert title not in everything
    assert "Champion" in everything  # the check reads the tables that hold the contacts


def test_a_seniority_column_in_parquet(tmp_path: Path) -> None:
    content = _drop(tmp_path, "")
    (content / "2026-Q3" / "deal_contacts.csv").unlink()
    duckdb.connect().execute(
        "COPY (SELECT * FROM (VALUES ('D1', 'alice@acme.example', 'Champion', true, 'CFO'), "
        "('D3', 'dan@initech.example', NULL, true, 'Director of Finance')) "
        "t(deal_id, person_id, role, is_primary, seniority)) TO ? (FORMAT parquet)",
        [str(content / "2026-Q3" / "deal_contacts.parquet")],
    )
    levels, _ = _levels(content)
    assert levels == [("D1", "cfo"), ("D3", "director")]


def test_salesforce_contact_roles_with_the_contact_title() -> None:
    """An OpportunityContactRole export with Contact.Title: the level, never the title."""
    from revstory.load.adapters import salesforce

    from tests.conftest import EXPORTS, read_export

    out = read_export(salesforce, EXPORTS / "salesforce/export (3).csv")
    (roles,) = out.frames
    assert [(r["person_id"], r["role"], r["seniority"]) for r in roles.rows] == [
        ("0033000000PpPpPAAV", "Decision Maker", "cfo"),
        ("0033000000QqQqQAAV", "Evaluator", "director"),
        ("0033000000RrRrRAAV", "Economic Buyer", None),
    ]
    assert "Contact.Title (its level only) → seniority" in roles.describe()
    assert not any("Officer" in str(v) or "Head" in str(v) for r in roles.rows for v in r.values())
