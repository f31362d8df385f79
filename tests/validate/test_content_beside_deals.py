"""The content table is built on a cursor of its own, beside the deals (canonical.py).

Its ranking across drops is counted in the ledger as before, the table is the connection's,
and the ranking's temporary tables stay the cursor's (none is left on the connection).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from revstory.config import AttributionConfig
from revstory.pipeline import check


def test_content_ranked_on_its_cursor_is_merged_and_counted(tmp_path: Path, fixtures: Path) -> None:
    root = tmp_path / "content"
    for quarter in ("2026-Q2", "2026-Q3"):
        shutil.copytree(fixtures / "drops" / "minimal" / "2026-Q3", root / quarter)
    later = root / "2026-Q3" / "content.csv"
    later.write_text(later.read_text().replace("Piece A", "Piece A (revised)"))
    drop = check([root], AttributionConfig())
    con = drop.con
    titles = dict(con.execute("SELECT content_id, title FROM content ORDER BY 1").fetchall())
    assert titles["a"] == "Piece A (revised)"
    pieces = len(titles)
    merged = con.execute(
        "SELECT file, reason, rows FROM ledger WHERE outcome = 'merged' AND table_name = 'content'"
    ).fetchall()
    assert merged == [
        (str(root / "2026-Q2" / "content.csv"), "same key in a later drop or row", pieces)
    ]
    left = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'content%' "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'all_content%'"
    ).fetchall()
    assert left == [("content",)]
