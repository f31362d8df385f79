"""Marketo, Bizible, YouTube, Zoom and WordPress exports."""

from __future__ import annotations

from revstory.load.adapters import bizible, marketo, wordpress, youtube, zoom

from tests.conftest import EXPORTS, read_export


def test_marketo_json_attributes_and_activity_types():
    out = read_export(marketo, EXPORTS / "marketo/activities (1).csv")
    (frame,) = out.frames
    assert [(r["person_id"], r["touch_type"], r["url"]) for r in frame.rows] == [
        ("5001", "view", "https://www.example.com/blog/how-to-fix-abm/?mkt_tok=abc123"),
        ("5001", "form_submit", "https://www.example.com/resources/ebook/"),
        (
            "5002",
            "email_click",
            "https://www.example.com/blog/how-to-fix-abm/?utm_source=newsletter",
        ),
    ]
    assert frame.rows[0]["occurred_at"] == "2026-07-02T14:06:20Z"
    assert dict(out.skipped) == {("dropped", "activity type 10 (Open Email)"): 1}


def test_bizible_touchpoints_and_footer():
    out = read_export(bizible, EXPORTS / "bizible/report (3).csv")
    (frame,) = out.frames
    assert frame.rows[0] == {
        "occurred_at": "2026-07-01T10:00:00.000+00:00",
        "person_id": "0033000000PpPpPAAV",
        "account_id": "001A0000006Vm9rIAC",
        "url": "https://www.example.com/blog/how-to-fix-abm/",
        "touch_type": "form_submit",
        "channel": "organic_search",
    }
    assert frame.rows[1]["touch_type"] == "view"
    assert (
        out.skipped[("dropped", "touchpoint without a landing page or form URL (offline or ad)")]
        == 1
    )
    assert (
        out.skipped[("dropped", "report footer (totals, confidentiality and copyright lines)")] == 4
    )


def test_youtube_total_row_and_watch_time():
    out = read_export(
        youtube, EXPORTS / "youtube/Table data.csv", asset_content={"a1B2c3D4e5F": "how-to-fix-abm"}
    )
    (frame,) = out.frames
    assert frame.rows[0] == {
        "content_id": None,
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "views": "1200",
        "engagement_seconds": "252003.96",
    }
    assert frame.rows[1]["content_id"] == "how-to-fix-abm" and frame.rows[1]["url"] is None
    assert frame.lines == (3, 4)
    assert dict(out.skipped) == {("dropped", "Total row"): 1}


def test_zoom_one_touch_per_attendee():
    out = read_export(
        zoom,
        EXPORTS / "zoom/87234567890_attendee_report.csv",
        asset_content={"81234567890": "how-to-fix-abm"},
    )
    (frame,) = out.frames
    assert frame.rows == (
        {
            "occurred_at": "2026-07-22T15:01:10",
            "person_id": "jo@globex.example",
            "touch_type": "webinar_attended",
            "channel": "webinar",
            "content_id": "how-to-fix-abm",
        },
        {
            "occurred_at": "2026-07-22T15:00:30",
            "person_id": "ann@globex.example",
            "touch_type": "webinar_attended",
            "channel": "webinar",
            "content_id": "how-to-fix-abm",
        },
    )
    assert out.skipped[("merged", "another join by the same attendee")] == 1
    assert out.skipped[("dropped", "registered but did not attend")] == 1
    assert out.warnings == ()
    lines = (EXPORTS / "zoom/87234567890_attendee_report.csv").read_bytes().count(b"\n")
    assert len(frame.rows) + sum(out.skipped.values()) == lines


def test_wordpress_wxr_inventory():
    out = read_export(wordpress, EXPORTS / "wordpress/example.WordPress.2026-09-30.xml")
    (frame,) = out.frames
    assert frame.rows[0] == {
        "content_id": "how-to-fix-revenue-attribution",
        "url": "https://www.example.com/blog/how-to-fix-revenue-attribution/",
        "title": "How to fix revenue attribution",
        "content_type": "article",
        "published_at": "2024-11-14",
        "author": "editorial",
        "tags": "Attribution;revenue",
    }
    assert frame.lines == (14, 30)
    assert dict(out.skipped) == {
        ("dropped", "not published (draft)"): 1,
        ("dropped", "WordPress attachment (not a content piece)"): 1,
    }


def test_wordpress_refuses_a_dtd(tmp_path):
    import pytest
    from revstory.load.sniff import UnreadableFile

    bomb = tmp_path / "x.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaa">]>\n'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel/></rss>\n'
    )
    with pytest.raises(UnreadableFile, match="declares a DTD"):
        read_export(wordpress, bomb)
