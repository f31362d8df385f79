"""`revstory validate` on mixed drops and malformed exports: messages, exit codes, ledger."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from revstory.cli import main

MALFORMED = {
    "truncated (1).csv": "error: {f}, row 3: (hubspot) cannot be parsed after line 2 (unexpected "
    "end of data); the file looks truncated or a quoted value is not closed — export the file "
    "again, or close the quote on that line",
    "binary.csv": "error: {f}: is a binary file, not a table — export it again as CSV (UTF-8, "
    "comma-separated) or Parquet",
    "wrong delimiter.csv": "error: {f}, row 2: (hubspot) line 2 has 1 fields but the header has "
    "7 (comma-separated); most lines do not match the header — check the delimiter: every "
    "line must use the header's delimiter",
    "header only.csv": "error: {f}: (salesforce) has a header but no data rows — the export is "
    "empty: check the report's filters and date range, then export it again",
}


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_exports_fail_with_a_message(name, drop):
    root = drop(f"malformed/{name}", native=True)
    result = _run(str(root))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    path = root / "2026-Q3" / name
    assert MALFORMED[name].format(f=path) in result.output.splitlines()


def test_unrecognised_file_suggests_a_column_mapping(drop):
    root = drop("mapped/posts export.csv", native=True)
    result = _run(str(root))
    line = next(x for x in result.output.splitlines() if "posts export.csv" in x)
    assert line.endswith(
        "unrecognised columns (Post ID, Permalink, Post Title, Type); the file is ignored — "
        "no known layout is close. If it is another tool's export, declare its columns under "
        "load: column_mappings in the revstory block of mkdocs.yml (or --config-file), e.g. - "
        "{match: [Post ID, Permalink, Post Title], table: content, columns: {<their column>: "
        "<native column>, …}}"
    )


def test_mixed_drop_prints_sources_and_mappings_and_writes_the_ledger(drop, tmp_path):
    root = drop(
        "ga4_ui/Pages_and_screens_Page_path_and_screen_class (1).csv",
        "salesforce/report1712345678901 (1).csv",
        "zoom/87234567890_attendee_report.csv",
        native=True,
    )
    ledger = tmp_path / "ledger.csv"
    result = _run(str(root), "--ledger", str(ledger))
    out = result.output.splitlines()
    q = root / "2026-Q3"
    pages = "Pages_and_screens_Page_path_and_screen_class (1).csv"
    assert f"{q}/{pages}: performance (ga4_ui), 3 rows" in out
    assert f"{q}/report1712345678901 (1).csv: deals (salesforce), 3 rows" in out
    assert f"{q}/deals.csv: deals (native), 2 rows" in out
    assert (
        "  columns: Email → person_id, Join Time (first join) → occurred_at, Webinar ID via "
        "asset_content (else its digits) → content_id, 'webinar_attended' → touch_type, "
        "'webinar' → channel"
    ) in out
    # The GA4 page not in the inventory is kept and added as a page, with a warning.
    assert any(
        '"/blog/a-new-post-only-in-analytics/" is not in the content inventory; it is '
        "added as page blog-a-new-post-only-in-analytics" in x
        for x in out
    )
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in csv.DictReader(ledger.open())}
    ga4 = rows["Pages_and_screens_Page_path_and_screen_class (1).csv"]
    assert (ga4["source"], ga4["rows_read"], ga4["kept"], ga4["merged"], ga4["dropped"]) == (
        "ga4_ui",
        "14",
        "3",
        "1",
        "10",
    )
    sf = rows["report1712345678901 (1).csv"]
    assert sf["dropped_reasons"] == (
        "report footer (totals, confidentiality and copyright lines): 4"
    )
    for r in rows.values():
        assert int(r["rows_read"]) == int(r["kept"]) + int(r["merged"]) + int(r["dropped"])


def test_ledger_keeps_its_columns_and_adds_source(drop):
    from pathlib import Path

    from revstory.config import make_config
    from revstory.pipeline import check

    root = drop("youtube/Table data.csv", native=True)
    d = check([Path(root)], make_config({}))
    cols = [c[0] for c in d.con.execute("DESCRIBE ledger").fetchall()]
    assert cols == ["file", "table_name", "quarter", "outcome", "reason", "rows", "source"]
    assert d.con.execute(
        "SELECT outcome, reason, rows, source FROM ledger WHERE file LIKE "
        "'%Table data.csv' AND outcome = 'dropped'"
    ).fetchall() == [("dropped", "Total row", 1, "youtube")]


def test_declared_column_mapping_reads_an_unknown_layout(drop):
    from pathlib import Path

    from revstory.config import make_config
    from revstory.pipeline import check

    root = drop("mapped/posts export.csv", native=True)
    config = make_config(
        {
            "load": {
                "column_mappings": [
                    {
                        "match": ["Post ID", "Permalink"],
                        "table": "content",
                        "name": "posts plugin",
                        "columns": {
                            "Post ID": "content_id",
                            "Permalink": "url",
                            "Post Title": "title",
                            "Type": "content_type",
                        },
                    }
                ]
            }
        }
    )
    d = check([Path(root)], config)
    (f,) = [f for f in d.files if f.path.endswith("posts export.csv")]
    assert (f.source, f.table, f.mapping) == (
        "posts plugin",
        "content",
        "Post ID → content_id, Permalink → url, Post Title → title, Type → content_type",
    )


def test_column_mapping_names_are_checked():
    from revstory.config import make_config
    from revstory.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        make_config(
            {
                "load": {
                    "column_mappings": [
                        {"match": ["A"], "table": "content", "columns": {"A": "content_idd"}}
                    ]
                }
            }
        )
    assert "'content_idd' (for 'A') is not a column of content" in str(exc.value)
    assert "Did you mean 'content_id'?" in str(exc.value)
