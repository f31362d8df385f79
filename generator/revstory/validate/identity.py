"""Identity resolution: every id a person has across tools becomes one person key.

CRM deal exports name contacts by record id (HubSpot Record ID, Salesforce ContactId), Marketo
activities by lead id, web analytics and webinar tools by email or user id. Files that carry two
of these for one person (a HubSpot contacts export, a Salesforce contact or lead export, a
Marketo lead export, a native ``identities`` file) give alias pairs; the ids linked by pairs,
directly or through a chain, are one person (connected components). Ids are compared as
:func:`person_key` compares them (hash of the lower-cased, trimmed id), so an email matches
whatever its case or padding.

Seniority is a property of the person in some CRMs (HubSpot keeps the Job Title on the contact,
not on the deal–contact association): an identities row may carry one, and every deal contact
of that person without a seniority of its own takes it. A deal contact's own seniority (a
native deal_contacts file, Salesforce contact roles) wins, since it is what the deal's source
said. A person given several levels keeps the latest drop's, then the later file's, then the
later row's, as every other duplicate of the drop.

Frames in and out (all in the validated drop's DuckDB connection):

- in: ``all_identities(person_id, alias, email, seniority, …)``, the validated identity rows;
  ``touches_checked(…, person_key, …)`` and ``deal_contacts(deal_id, person_key, role,
  is_primary, seniority, _file, _row)`` keyed by the hash of the id each file gave.
- out: ``identities(alias_key, person_key)``, one row per id that has aliases (both UBIGINT
  hashes, never the ids themselves); touches and deal contacts re-keyed to the resolved
  ``person_key``; a contact listed twice on one deal under two ids becomes one row; deal
  contacts without a seniority given their person's.

Without alias rows nothing is joined or rewritten, so a native drop pays nothing.
"""

from __future__ import annotations

import duckdb
import numpy as np

from revstory.errors import Issue
from revstory.load.discover import query_count

#: A person known under more ids than this is reported: a shared alias (a team mailbox, a
#: placeholder such as "unknown") would merge many people into one reader.
MANY_IDS = 10

MERGED_REASON = "same person on the same deal under another id"


def build_identities(con: duckdb.DuckDBPyConnection) -> tuple[Issue, ...]:
    """Create ``identities`` from ``all_identities``.

    Returns a warning when one person is known under more than :data:`MANY_IDS` ids.
    """
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE identity_pairs AS
        SELECT DISTINCT person_key(person_id) AS a, person_key(x) AS b
        FROM all_identities, unnest([alias, email]) AS u(x)
        WHERE person_id IS NOT NULL AND x IS NOT NULL AND person_key(x) <> person_key(person_id)
        """
    )
    pairs = con.execute("SELECT a, b FROM identity_pairs").fetchnumpy()
    a = np.asarray(pairs["a"], dtype=np.uint64)
    b = np.asarray(pairs["b"], dtype=np.uint64)
    keys, canon = components(a, b)
    con.execute("CREATE OR REPLACE TABLE identities (alias_key UBIGINT, person_key UBIGINT)")
    if len(keys):
        import pyarrow as pa

        con.register("identities_arrow", pa.table({"alias_key": keys, "person_key": canon}))
        try:
            con.execute("INSERT INTO identities SELECT * FROM identities_arrow ORDER BY alias_key")
        finally:
            con.unregister("identities_arrow")
        sizes = np.unique(canon, return_counts=True)[1]
        many = sizes[sizes > MANY_IDS]
        if len(many):
            return (
                Issue(
                    "warning",
                    "identities",
                    f"{len(many)} person(s) are known under more than {MANY_IDS} ids each (the "
                    f"largest under {int(many.max())}); their touches count as one reader's",
                    "check the contact, lead and identities exports for an alias many people "
                    "share, such as a team mailbox or a placeholder, and remove it",
                ),
            )
    return ()


def components(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Find the connected components of the alias graph with edges ``a[i] – b[i]`` (uint64 keys).

    Returns every key that appears in an edge (sorted) and its component's smallest key,
    which serves as the person's key: the same choice whatever the order of the pairs.
    """
    if len(a) == 0:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, empty
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keys, idx = np.unique(np.concatenate([a, b]), return_inverse=True)
    n, m = len(keys), len(a)
    graph = coo_matrix((np.ones(m, dtype=np.int8), (idx[:m], idx[m:])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    # keys are sorted, so the first key seen per label is the component's smallest.
    smallest = np.full(label.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, label, np.arange(n))
    return keys, keys[smallest[label]]


def resolve_people(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Re-key ``touches_checked`` and ``deal_contacts`` to the resolved person keys.

    Returns ``(file, rows)`` of deal contacts merged because the deal already lists the same
    person under another id (the ledger counts them as merged). The row kept is the primary
    one, else one with a role, else the later file's; the person is primary when any was.
    Then deal contacts without a seniority take their person's (:func:`person_seniority`).
    """
    merged = _merge_aliases(con)
    person_seniority(con)
    return merged


def person_seniority(con: duckdb.DuckDBPyConnection) -> None:
    """Give each deal contact without a seniority the one its person has in ``all_identities``.

    The identities' level goes through :func:`revstory.load.seniority.seniority` again, so a
    native identities file may give codes or words ("Director"); of several levels for one
    person the latest drop's, then the later file's, then the later row's is used.
    """
    if not query_count(con, "SELECT count(*) FROM all_identities WHERE seniority IS NOT NULL"):
        return
    from revstory.load import seniority

    seniority.register(con)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE person_seniority AS
        SELECT person_key, level AS seniority FROM (
            SELECT coalesce(i.person_key, person_key(a.person_id)) AS person_key, a.level,
                   row_number() OVER (PARTITION BY coalesce(i.person_key, person_key(a.person_id))
                                      ORDER BY a._quarter DESC, a._file DESC, a._row DESC)
                       AS _rank
            FROM (SELECT *, {seniority.sql("seniority")} AS level FROM all_identities) a
            LEFT JOIN identities i ON i.alias_key = person_key(a.person_id)
            WHERE a.person_id IS NOT NULL AND a.level IS NOT NULL
        ) WHERE _rank = 1
        """  # noqa: S608 - SQL from our own identifiers; no value is interpolated
    )
    con.execute(
        "UPDATE deal_contacts SET seniority = p.seniority FROM person_seniority p "
        "WHERE deal_contacts.person_key = p.person_key AND deal_contacts.seniority IS NULL"
    )


def _merge_aliases(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Re-key touches and deal contacts to resolved person keys; the merged contacts' files."""
    if not query_count(con, "SELECT count(*) FROM identities WHERE alias_key <> person_key"):
        return []
    # Only touches whose id has aliases are rewritten: a join on the small identities table.
    con.execute(
        "UPDATE touches_checked SET person_key = i.person_key FROM identities i "
        "WHERE touches_checked.person_key = i.alias_key AND i.alias_key <> i.person_key"
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dc_resolved AS
        SELECT dc.deal_id, coalesce(i.person_key, dc.person_key) AS person_key, dc.role,
               coalesce(dc.seniority, max(dc.seniority) OVER w) AS seniority,
               bool_or(dc.is_primary) OVER w AS is_primary, dc._file, dc._row,
               row_number() OVER (w ORDER BY dc.is_primary DESC, dc.role IS NULL, dc._file DESC,
                                  dc._row DESC)
                   AS _rank
        FROM deal_contacts dc LEFT JOIN identities i ON dc.person_key = i.alias_key
        WINDOW w AS (PARTITION BY dc.deal_id, coalesce(i.person_key, dc.person_key))
        """
    )
    merged = con.execute(
        "SELECT _file, count(*) FROM dc_resolved WHERE _rank > 1 GROUP BY 1 ORDER BY 1"
    ).fetchall()
    con.execute(
        "CREATE OR REPLACE TABLE deal_contacts AS SELECT deal_id, person_key, role, is_primary, "
        "seniority, _file, _row FROM dc_resolved WHERE _rank = 1 ORDER BY deal_id, person_key"
    )
    return [(str(f), int(n)) for f, n in merged]
