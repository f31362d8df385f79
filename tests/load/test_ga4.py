"""GA4 UI reports and BigQuery event exports."""

from __future__ import annotations

from revstory.load.adapters import ga4_bigquery, ga4_ui

from tests.conftest import EXPORTS, read_export


def test_pages_report_2025_layout():
    pages = EXPORTS / "ga4_ui/Pages_and_screens_Page_path_and_screen_class (1).csv"
    out = read_export(ga4_ui, pages)
    (frame,) = out.frames
    assert frame.lines == (11, 13, 14)
    assert frame.rows[0] == {
        "url": "/blog/how-to-fix-revenue-attribution/",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "views": "10000",
        "users": "3900",
        # 125.41471048513301 × 3834 + 40.5 × 66: averages become totals; /a and /a/ merge
        "engagement_seconds": "483513.0",
    }
    assert frame.describe().startswith(
        "Page path and screen class → url, # Start date / "
        "# End date → period_start, period_end, Views → views, "
        "Active users → users"
    )
    assert dict(out.skipped) == {
        ("dropped", "preamble (comment and blank lines before the header)"): 9,
        ("merged", "same page as an earlier row after URL normalisation"): 1,
        ("dropped", "(not set) page"): 1,
    }


def test_2021_multi_table_export_reads_the_full_table():
    out = read_export(ga4_ui, EXPORTS / "ga4_ui/data-export.csv")
    (frame,) = out.frames
    assert [r["url"] for r in frame.rows] == [
        "www.example.com/blog/how-to-fix-abm/",
        "www.example.com/?fbclid=IwAR0abc",
    ]
    assert frame.rows[0]["users"] == "90" and frame.rows[0]["engagement_seconds"] == "5508.0"
    assert frame.rows[0]["period_start"] == "2022-04-04"
    assert ("Conversions", "not used (no native column)") in frame.mapping
    skipped = dict(out.skipped)
    assert (
        skipped[("dropped", "other table of a multi-table GA4 export (same pages, fewer metrics)")]
        == 6
    )
    # every line of the CRLF file is either a kept row, the kept header or a skipped line
    lines = (EXPORTS / "ga4_ui/data-export.csv").read_bytes().count(b"\r\n")
    assert len(frame.rows) + 1 + sum(out.skipped.values()) == lines


def test_landing_page_utf16_drops_not_set_and_empty():
    out = read_export(ga4_ui, EXPORTS / "ga4_ui/Landing_page_Landing_page.csv")
    (frame,) = out.frames
    assert frame.rows == (
        {
            "url": "/blog/how-to-fix-abm/",
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "views": "300",
            "users": "250",
            "engagement_seconds": "13650.0",
        },
    )
    assert out.skipped[("dropped", "(not set) page")] == 1
    assert out.skipped[("dropped", "empty page path")] == 1


def test_bigquery_page_views_of_known_users_become_touches():
    out = read_export(ga4_bigquery, EXPORTS / "ga4_bigquery/bq-results-20261001-120000.csv")
    (frame,) = out.frames
    assert frame.rows == (
        {
            "occurred_at": "2026-07-01T10:00:00.123456Z",
            "person_id": "111",
            "url": "https://www.example.com/blog/how-to-fix-abm/?utm_source=linkedin",
            "touch_type": "view",
            "channel": None,
        },
    )
    assert frame.lines == (2,)
    assert dict(out.skipped) == {
        ("dropped", "not a page_view event"): 1,
        ("dropped", "page_view without user_id (anonymous reader)"): 1,
    }


def test_bigquery_ndjson_reads_event_params():
    out = read_export(ga4_bigquery, EXPORTS / "ga4_bigquery/events_20260702.json")
    assert out.frames[0].rows[0]["url"] == "https://www.example.com/resources/ebook/"
    assert out.frames[0].rows[0]["person_id"] == "222"


def test_bigquery_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    pq.write_table(
        pa.table(
            {
                "event_timestamp": [1782900000000000],
                "event_name": ["page_view"],
                "user_pseudo_id": ["1.2"],
                "user_id": ["333"],
                "page_location": ["https://www.example.com/a/"],
            }
        ),
        path,
    )
    out = read_export(ga4_bigquery, path)
    assert out.frames[0].rows[0]["occurred_at"] == "2026-07-01T10:00:00.000000Z"
