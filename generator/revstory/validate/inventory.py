"""Pieces that appear only in analytics.

Performance rows whose URL matches no piece of the inventory are kept, and the page is added
to ``content`` (type ``page``, title = its URL) with a warning, so traffic without revenue
stays visible instead of being dropped.
"""

from __future__ import annotations

import duckdb

from revstory.errors import Issue
from revstory.load.discover import StagedFile, query_count
from revstory.load.urls import EMAIL_ID, EMAIL_SQL

#: At most this many pages are named per file; the rest are counted.
MAX_LISTED = 10
_FIX = (
    "add the piece to the content file with its title and type if it is content; until "
    "then it is reported as a page with traffic and no revenue"
)


def add_analytics_only(
    con: duckdb.DuckDBPyConnection, files: dict[str, StagedFile]
) -> tuple[Issue, ...]:
    """Give unmatched ``perf_matched`` rows with a URL a new content piece each.

    In: ``perf_matched`` (performance rows, ``cid`` NULL when unmatched) and ``content``.
    Out: ``content`` gains one row per new URL key (content_id a slug of the key, made
    unique); those rows of ``perf_matched`` get its ``cid``. Returns a warning per page
    added (at most :data:`MAX_LISTED` per file, then a count).
    """
    # Planning the query below (norm_url expanded four times) costs about 0.2 CPU s however
    # few the rows: most drops have no such row, and pay nothing.
    if not query_count(
        con,
        "SELECT count(*) FROM perf_matched WHERE cid IS NULL AND content_id IS NULL "
        "AND url IS NOT NULL",
    ):
        return ()
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE analytics_only AS
        WITH keys AS (
            SELECT norm_url(url) AS url_key, min(url) AS url
            FROM perf_matched WHERE cid IS NULL AND content_id IS NULL AND norm_url(url) IS NOT NULL
            -- An email given as the page's URL is no page: its rows are dropped as unknown.
              AND content_slug(norm_url(url)) <> ?
            GROUP BY 1
        ), slugs AS (
            -- Letters of any script stay: /变身小说/ is 变身小说, / is home.
            SELECT *, content_slug(url_key) AS slug
            FROM keys
        )
        -- The page's url and title are shown: a query string holding an email (a tracked
        -- link's ?email=…) is cut off, and any email left is taken out.
        SELECT url_key,
               regexp_replace(CASE WHEN url LIKE '%@%' THEN regexp_replace(url, '[?#].*$', '')
                                   ELSE url END, ?, '', 'g') AS url,
               CASE WHEN slug IN (SELECT content_id FROM content)
                      OR count(*) OVER (PARTITION BY slug) > 1
                    THEN slug || '-' || substr(md5(url_key), 1, 6) ELSE slug END AS content_id
        FROM slugs
        """,
        [EMAIL_ID, EMAIL_SQL],
    )
    if not query_count(con, "SELECT count(*) FROM analytics_only"):
        return ()
    con.execute(
        "INSERT INTO content BY NAME SELECT content_id, url, url_key, url AS title, "
        "'page' AS content_type FROM analytics_only ORDER BY content_id"
    )
    con.execute(
        "UPDATE perf_matched SET cid = a.content_id FROM analytics_only a "
        "WHERE perf_matched.cid IS NULL AND perf_matched.content_id IS NULL "
        "AND norm_url(perf_matched.url) = a.url_key"
    )
    rows = con.execute(
        "SELECT p._file, p._row, p.url, a.content_id FROM perf_matched p JOIN analytics_only a "
        "ON p.content_id IS NULL AND norm_url(p.url) = a.url_key ORDER BY p._file, p._row"
    ).fetchall()
    by_file: dict[str, list[tuple[int, str, str]]] = {}
    issues: list[Issue] = []
    for file, row, url, cid in rows:
        by_file.setdefault(file, []).append((row, url, cid))
    for file, found in by_file.items():
        for row, url, cid in found[:MAX_LISTED]:
            issues.append(
                Issue(
                    "warning",
                    files[file].path if file in files else file,
                    f'"{url}" is not in the content inventory; it is added as page {cid}',
                    _FIX,
                    row,
                    "url",
                )
            )
        if len(found) > MAX_LISTED:
            issues.append(
                Issue(
                    "warning",
                    file,
                    f"… and {len(found) - MAX_LISTED} more rows "
                    "for pages not in the content inventory, added as pages",
                    _FIX,
                    None,
                    "url",
                )
            )
    return tuple(issues)
