"""More layouts read as they are, and the quirks of ordinary exports, adapter by adapter.
Fixtures reproduce the vendors' documented layouts with invented values."""

from __future__ import annotations

from pathlib import Path

import pytest
from revstory.load.adapters import hubspot, wordpress, zoom
from revstory.load.adapters.base import ReadContext
from revstory.load.adapters.crm import stage_word, status_from
from revstory.load.options import LoadOptions
from revstory.load.sniff import UnreadableFile, sniff
from revstory.load.urls import slug, type_slug

from tests.conftest import EXPORTS, read_export


def test_zoom_meeting_participant_report():
    path = EXPORTS / "zoom/participants_81234567890.csv"
    assert zoom.detect(sniff(path)) == 0.9
    out = read_export(zoom, path)
    (touches,) = out.frames
    # The host is dropped, Jo's second join is merged into the first, the guest without an
    # email is dropped; 12-hour times are read month first (Zoom's layout), PM as 13:02.
    assert [(r["person_id"], r["occurred_at"]) for r in touches.rows] == [
        ("jo@acme.example", "2026-05-12T09:01:00"),
        ("ann@globex.example", "2026-05-12T13:02:00"),
    ]
    assert {r["content_id"] for r in touches.rows} == {"81234567890"}
    assert dict(out.skipped) == {
        ("dropped", "meeting header, its values and blank lines"): 4,
        ("dropped", "host (not a buyer)"): 1,
        ("merged", "another join by the same participant"): 1,
        ("dropped", "participant without an email (joined without signing in)"): 1,
    }
    assert out.warnings == (
        "meeting 812 3456 7890 ('Quarterly product tour') is not in asset_content; its touches "
        "use content_id 81234567890 — map it under load: asset_content in the revstory block "
        "of mkdocs.yml (or --config-file): {'81234567890': <content_id>}",
    )


def test_twelve_hour_times_of_an_unknown_layout_need_date_order(tmp_path: Path):
    path = tmp_path / "deals.csv"
    path.write_text(
        '"Record ID","Deal Name","Deal Stage","Amount","Close Date","Create Date"\n'
        '"1","A","Closed Won","10","05/12/2026 09:00:00 AM","04/03/2026 10:00:00 AM"\n'
    )
    out = read_export(hubspot, path)
    assert out.errors == (
        (
            2,
            "Create Date",
            '"04/03/2026 10:00:00 AM" is ambiguous: day and '
            "month could be either way round, and no date in the column is past "
            "the 12th (a 12-hour time does not settle it: this layout's date order "
            "is not known)",
            "set load: date_order in the revstory block of "
            "mkdocs.yml (or --config-file) to dmy or mdy, to say how the exporting "
            "user's locale writes dates",
        ),
        (
            2,
            "Close Date",
            '"05/12/2026 09:00:00 AM" is ambiguous: day and '
            "month could be either way round, and no date in the column is past "
            "the 12th (a 12-hour time does not settle it: this layout's date order "
            "is not known)",
            "set load: date_order in the revstory block of "
            "mkdocs.yml (or --config-file) to dmy or mdy, to say how the exporting "
            "user's locale writes dates",
        ),
    )
    # The cells are reported once, for the column; validation does not report them again.
    assert out.unread == {"created_at", "closed_at"}
    fixed = read_export(hubspot, path, date_order="mdy")
    assert fixed.errors == () and fixed.frames[0].rows[0]["closed_at"] == "2026-05-12T09:00:00"


def test_wordpress_wxr_1_2_https_namespace_shared_slug_encoded_slug_and_empty_title():
    out = read_export(wordpress, EXPORTS / "wordpress/site.WordPress.2026-09-30.xml")
    (content,) = out.frames
    assert [(r["content_id"], r["content_type"], r["title"]) for r in content.rows] == [
        ("about", "page", "About us"),
        ("about-post", "article", "About our pricing"),
        ("变身小说", "article", "变身小说"),
        ("untitled-launch", "article", "untitled-launch"),
    ]
    assert out.warnings == (
        "line 24: the slug is also the page's above; this post is read as 'about-post'",
        "line 47: a published post has an empty title; it is shown by its slug "
        "'untitled-launch' — give it a title in WordPress",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/变身小说/", "变身小说"),
        ("/", "home"),
        ("a..b", "a.b"),
        ("/caf%C3%A9/", "café"),
        ("blog/New Post", "blog-new-post"),
        ("how-to-fix-abm", "how-to-fix-abm"),
        ("x" * 300, "x" * 113 + "-8a4876"),
    ],
)
def test_slugs_keep_any_script_and_are_safe_file_names(text: str, expected: str):
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Case Study", "case_study"),
        ("white paper", "white_paper"),
        ("wébinar", "wébinar"),
        ("e-book/guide", "e_book_guide"),
        ("article", "article"),
    ],
)
def test_content_types_become_safe_keys(text: str, expected: str):
    assert type_slug(text) == expected


@pytest.mark.parametrize(
    ("label", "word"),
    [
        ("Closed: won", "won"),
        ("#09 WON", "won"),
        ("Gagné - signé", "won"),
        ("Wygrana", "won"),
        ("Gewonnen", "won"),
        ("Ganado", "won"),
        ("#10 Closed lost", "lost"),
        ("Perdu", "lost"),
        ("Przegrana", "lost"),
        ("Verloren", "lost"),
        ("Perdido", "lost"),
        ("Demo booked", None),
        ("Window shopping", None),
    ],
)
def test_custom_stage_labels_in_five_languages(label: str, word: str | None):
    assert stage_word(label.lower()) == word


def test_a_listed_stage_wins_over_contradicting_flags():
    options = LoadOptions(deal_stages={"lost": ["Verbal yes"]})
    assert status_from("Verbal yes", "true", "true", options) == "lost"
    assert status_from("Verbal yes", "true", "true", LoadOptions()) == "won"


def test_hubspot_export_without_required_columns_is_one_error(tmp_path: Path):
    path = tmp_path / "hubspot-crm-exports-all-deals-2026-09-30.csv"
    path.write_text('"Record ID","Deal Name","Amount","Pipeline"\n"1","A","10","Sales"\n')
    with pytest.raises(UnreadableFile) as exc:
        hubspot.read(path, sniff(path), ReadContext("2026-Q3", LoadOptions()))
    assert exc.value.message == (
        "this HubSpot deals export has no Deal Stage, Create Date and Close Date columns"
    )
    assert exc.value.fix == (
        "add them to the export view (Deals → Export, or Edit columns) and export again"
    )


def test_nul_bytes_inside_quoted_fields_are_stripped_with_a_warning(tmp_path: Path):
    path = tmp_path / "Opportunity.csv"
    path.write_bytes(b'"Id","Description"\n"1","a\x00b\x00"\n')
    head = sniff(path)
    assert head.warnings == (
        "holds 2 NUL byte(s) inside its values (Salesforce Data Export writes them in "
        "rich-text fields); they were removed",
    )
    assert "\x00" not in head.text()
    # A real binary file is still refused.
    with pytest.raises(UnreadableFile, match="is a binary file"):
        sniff(EXPORTS / "malformed/binary.csv")


def test_column_mapping_maps_values_and_sets_constants(drop):  # type: ignore[no-untyped-def]
    from revstory.config import make_config
    from revstory.pipeline import check

    root = drop("mapped/partner events.csv", native=True)
    config = make_config(
        {
            "load": {
                "column_mappings": [
                    {
                        "match": ["ts", "visitor", "asset", "interaction"],
                        "table": "touches",
                        "name": "partner events",
                        "columns": {
                            "ts": "occurred_at",
                            "visitor": "person_id",
                            "asset": "content_id",
                            "interaction": "touch_type",
                        },
                        "values": {
                            "interaction": {"impression": "view", "conversion": "form_submit"}
                        },
                        "constants": {"channel": "partner"},
                    }
                ]
            }
        }
    )
    d = check([Path(root)], config)
    (f,) = [f for f in d.files if f.path.endswith("partner events.csv")]
    assert f.mapping == (
        "ts → occurred_at, visitor → person_id, asset → content_id, "
        "interaction (values mapped) → touch_type, 'partner' (constant) → "
        "channel"
    )
    assert d.con.execute(
        "SELECT touch_type, channel FROM touches WHERE channel = 'partner' ORDER BY occurred_at"
    ).fetchall() == [("view", "partner"), ("form_submit", "partner")]
    # A value not listed stays as written, and is reported like any bad touch type.
    assert [str(i) for i in d.errors] == [
        f'{f.path}, row 4, column touch_type: "share" is not an allowed value — use one of '
        "view, form_submit, download, email_click, webinar_attended, video_view, sales_share"
    ]


def test_column_mapping_constants_and_values_are_checked():
    from revstory.config import make_config
    from revstory.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        make_config(
            {
                "load": {
                    "column_mappings": [
                        {
                            "match": ["A"],
                            "table": "touches",
                            "columns": {"A": "person_id"},
                            "constants": {"chanel": "x"},
                        }
                    ]
                }
            }
        )
    assert "constant 'chanel' is not a column of touches" in str(exc.value)


def test_youtube_footer_and_total_row_are_dropped_and_counted():
    from revstory.load.adapters import youtube

    out = read_export(youtube, EXPORTS / "youtube/Table data (1).csv")
    (perf,) = out.frames
    assert [r["url"] for r in perf.rows] == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=a1B2c3D4e5F",
    ]
    assert dict(out.skipped) == {
        ("dropped", "footer ('Showing top N results', totals)"): 2,
        ("dropped", "Total row"): 1,
    }
    assert out.errors == ()


def test_salesforce_report_without_required_columns_is_one_error(tmp_path: Path):
    from revstory.load.adapters import salesforce

    path = tmp_path / "report1712345678901.csv"
    path.write_text(
        '"Opportunity Name","Stage","Close Date","Opportunity ID"\n'
        '"A","Closed Won","7/15/2026","0063000000ABCdE"\n'
    )
    with pytest.raises(UnreadableFile) as exc:
        salesforce.read(path, sniff(path), ReadContext("2026-Q3", LoadOptions()))
    assert exc.value.message == (
        "this Salesforce opportunity report has no Created Date and Amount columns"
    )
    assert exc.value.fix == (
        "add them to the report's columns (Edit → Columns) and export it again as Details Only"
    )
