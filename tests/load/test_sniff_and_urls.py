"""Sniffing (encodings, delimiters, preambles), cell values and URL keys."""

from __future__ import annotations

from importlib import resources

import duckdb
import pytest
from revstory.load import values
from revstory.load.adapters import choose
from revstory.load.adapters.crm import sfid18
from revstory.load.sniff import sniff
from revstory.load.urls import norm_url, url_path

from tests.conftest import EXPORTS

DETECTED = {
    "ga4_ui/Pages_and_screens_Page_path_and_screen_class (1).csv": "ga4_ui",
    "ga4_ui/data-export.csv": "ga4_ui",
    "ga4_ui/Landing_page_Landing_page.csv": "ga4_ui",
    "ga4_bigquery/bq-results-20261001-120000.csv": "ga4_bigquery",
    "ga4_bigquery/events_20260702.json": "ga4_bigquery",
    "hubspot/hubspot-crm-exports-all-deals-2026-09-30 (1).csv": "hubspot",
    "hubspot/export_fr.csv": "hubspot",
    "hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv": "hubspot",
    "salesforce/report1712345678901 (1).csv": "salesforce",
    "salesforce/report_de.csv": "salesforce",
    "salesforce/export (1).csv": "salesforce",
    "salesforce/export (2).csv": "salesforce",
    "marketo/activities (1).csv": "marketo",
    "bizible/report (3).csv": "bizible",
    "youtube/Table data.csv": "youtube",
    "zoom/87234567890_attendee_report.csv": "zoom",
    "wordpress/example.WordPress.2026-09-30.xml": "wordpress",
}


@pytest.mark.parametrize(("name", "source"), sorted(DETECTED.items()))
def test_source_is_detected_from_the_header_not_the_name(name, source, tmp_path):
    # The same bytes under a meaningless name are detected the same way.
    renamed = tmp_path / ("export (1)" + EXPORTS.joinpath(name).suffix)
    renamed.write_bytes(EXPORTS.joinpath(name).read_bytes())
    adapter = choose(sniff(renamed))
    assert adapter is not None and adapter.NAME == source


def test_encodings_and_delimiters():
    assert sniff(EXPORTS / "ga4_ui/Landing_page_Landing_page.csv").encoding == "utf-16"
    assert sniff(EXPORTS / "youtube/Table data.csv").encoding == "utf-8-sig"
    fr = sniff(EXPORTS / "hubspot/export_fr.csv")
    assert (fr.encoding, fr.delimiter, fr.decimal_comma) == ("cp1252", ";", True)
    assert fr.warnings == (
        "is not UTF-8 (first odd byte on line 1); it was read as "
        "Windows-1252 — check accented names, or export it again as UTF-8",
    )
    assert fr.header[5] == "Date de création"


def test_ga4_preamble_is_skipped_to_the_header():
    head = sniff(EXPORTS / "ga4_ui/Pages_and_screens_Page_path_and_screen_class (1).csv")
    assert head.header_line == 10 and head.header[:2] == ("Page path and screen class", "Views")


@pytest.mark.parametrize(
    ("raw", "order", "iso"),
    [
        ("3/31/2026", None, "2026-03-31"),
        ("31/03/2026", None, "2026-03-31"),
        ("31.03.2026", None, "2026-03-31"),
        ("03.04.2026", None, "2026-04-03"),
        ("3/4/2026", None, "3/4/2026"),
        ("3/4/2026", "mdy", "2026-03-04"),
        ("3/4/2026", "dmy", "2026-04-03"),
        ("3/31/2026, 2:05 PM", None, "2026-03-31T14:05:00"),
        ("Mar 22, 2025 19:13:27", None, "2025-03-22T19:13:27"),
        ("20250101", None, "2025-01-01"),
        ("2022-07-27T17:40:52.000+0000", None, "2022-07-27T17:40:52.000+00:00"),
    ],
)
def test_dates(raw, order, iso):
    assert values.timestamp(raw, order) == iso


@pytest.mark.parametrize(
    ("raw", "comma", "out"),
    [
        ("3,047", False, "3047"),
        ("USD 10,000.00", False, "10000.00"),
        ("EUR 8.000,00", False, "8000.00"),
        ("12,5", True, "12.5"),
        ("12,5", False, "12,5"),
        ("1.500", True, "1500"),
        ("12.14%", False, "0.1214"),
        ("(not set)", False, None),
    ],
)
def test_numbers(raw, comma, out):
    assert values.number(raw, comma) == out


def test_salesforce_15_to_18():
    assert sfid18("001A0000006Vm9r") == "001A0000006Vm9rIAC"
    assert sfid18("001A0000006Vm9rIAC") == "001A0000006Vm9rIAC"
    assert sfid18("not-an-id") == "not-an-id"


URLS = [
    "https://WWW.Example.com/blog/x/?utm_source=a&v=2#top",
    "/blog/x/index.html",
    "//checkout/",
    "/",
    "https://www.example.com/",
    "/caf%C3%A9/?fbclid=1",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "/x?b=2&a=1&gclid=z&hsa_cam=1&mkt_tok=q",
    "https://www.example.com/?p=123",
    "",
    None,
]


@pytest.mark.parametrize("url", URLS)
def test_sql_and_python_url_keys_agree(url):
    con = duckdb.connect()
    con.execute(resources.files("revstory.sql").joinpath("macros.sql").read_text())
    assert con.execute("SELECT norm_url(?), url_path(?)", [url, url]).fetchone() == (
        norm_url(url),
        url_path(url),
    )


def test_url_key_decisions():
    url = "https://WWW.Example.com/blog/x/?utm_source=a&v=2#top"
    assert norm_url(url) == "example.com/blog/x?v=2"
    assert norm_url("/x?b=2&a=1&gclid=z&hsa_cam=1&mkt_tok=q") == "/x?a=1&b=2"
    assert norm_url("/blog/x/index.html") == "/blog/x"
    assert url_path("https://www.example.com/blog/x/?q=1") == "/blog/x"


LEGACY_CASES = {
    # A Polish CRM export saved by Excel on a Polish Windows: ł, ś, ż are cp1250's own.
    "polish": ("cp1250", "deal_id,name\nD1,Spółka Łódzka — Świętokrzyskie\nD2,Żabka\n"),
    "french": ("cp1252", "deal_id,name\nD1,Société Générale à Genève\nD2,Crédit\n"),
    "spanish": ("cp1252", "deal_id,name\nD1,¿Qué? ¡Año récord en España!\nD2,Niño\n"),
}


@pytest.mark.parametrize("case", sorted(LEGACY_CASES))
def test_a_legacy_code_page_is_the_one_that_reads_words(tmp_path, case):
    encoding, text = LEGACY_CASES[case]
    path = tmp_path / "deals.csv"
    path.write_bytes(text.encode(encoding))
    head = sniff(path)
    assert head.encoding == encoding
    assert head.text() == text
    name = {"cp1250": "Windows-1250 (Central European)", "cp1252": "Windows-1252"}[encoding]
    assert head.warnings == (
        f"is not UTF-8 (first odd byte on line 2); it was read as {name} — check accented "
        "names, or export it again as UTF-8",
    )


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_such(tmp_path, encoding):
    text = "deal_id,name\nD1,Spółka Łódzka — Świętokrzyskie\n"
    path = tmp_path / "deals.csv"
    path.write_bytes(text.encode(encoding))
    head = sniff(path)
    assert (head.encoding, head.text(), head.warnings) == (encoding, text, ())
    assert head.header == ("deal_id", "name")
