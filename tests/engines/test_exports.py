"""The large adapters' exports (GA4 BigQuery events, Marketo activities, Bizible touchpoints)
read on Spark: the same messages, ledger and output files as the DuckDB adapters give.

The exports are in those vendors' layouts with invented values, over the edge drop's deals
and content (tests/engines/conftest.py): GA4 as CSV, NDJSON and Parquet (``event_params``
nested), Marketo's bulk activity extract (JSON attributes in a quoted cell, a line with a
field too many, a blank line), a Bizible report with Salesforce's footer.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from revstory.config import AttributionConfig
from revstory.engines.spark import check_on_spark
from revstory.errors import Issue
from revstory.load.adapters.crm import sfid18
from revstory.pipeline import check
from revstory.validate.ledger import summary

from tests.engines.test_build_engine import assert_same_site
from tests.engines.test_engine_attribute import FILES, assert_same, run


def run_uri(uri: str, out: Path) -> dict[str, bytes]:
    """Run ``revstory attribute`` on Spark over the drop at ``uri``."""
    from click.testing import CliRunner
    from revstory.cli import main

    args = ["attribute", uri, "--out", str(out), "--engine", "spark"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in FILES if (out / name).exists()}


pytestmark = pytest.mark.slow

GA4_HEADER = (
    "event_date,event_timestamp,event_name,user_pseudo_id,user_id,ga_session_id,"
    "page_location,page_title"
)
MARKETO_HEADER = (
    "marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,"
    "primaryAttributeValue,attributes"
)
BIZIBLE_HEADER = (
    '"Id","bizible2__Touchpoint_Date__c","bizible2__Touchpoint_Type__c",'
    '"bizible2__Marketing_Channel__c","bizible2__Landing_Page__c","bizible2__Form_URL__c",'
    '"bizible2__Contact__c","bizible2__Account__c"'
)
CONTACT = "0033000000PpPpP"  # Bizible's Salesforce contact and account ids (15 characters)
ACCOUNT = "001A0000006Vm9r"


def _micros(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1_000_000)


def _ga4_csv(rows: list[tuple[str, str, str, str]]) -> str:
    """GA4 CSV lines from (timestamp, event, user_id, page)."""
    lines = [GA4_HEADER]
    for n, (ts, event, user, page) in enumerate(rows):
        stamp = str(_micros(ts)) if ts[:1].isdigit() else ts
        lines.append(f"{ts[:10].replace('-', '')},{stamp},{event},{n}.{n},{user},{n},{page},T")
    return "\n".join(lines) + "\n"


def _write_exports(q: Path, bad: bool) -> None:
    ga4 = [
        ("2026-07-20T10:00:00", "page_view", "ann@acme.example", "https://www.example.com/blog/b/"),
        ("2026-07-20T10:00:05", "scroll", "ann@acme.example", "https://www.example.com/blog/b/"),
        ("2026-07-21T10:00:00", "page_view", "", "https://www.example.com/blog/a/"),
        ("2026-07-22T09:00:00", "page_view", "bo@globex.example", "https://www.example.com/res/c/"),
        ("2026-07-23T09:00:00", "page_view", "cy@initech.example", "https://www.example.com/x/"),
        (
            "2026-07-24T09:00:00",
            "page_view",
            "di@initech.example",
            "https://www.example.com/vid/e/",
        ),
    ]
    if bad:
        ga4 += [
            ("soon", "page_view", "di@initech.example", "https://www.example.com/vid/e/"),
            ("2026-07-25T09:00:00", "page_view", "di@initech.example", ""),
        ]
    (q / "bq-results-20261001-120000.csv").write_text(_ga4_csv(ga4), encoding="utf-8")
    events = [
        {
            "event_timestamp": str(_micros("2026-07-26T08:00:00")),
            "event_name": "page_view",
            "user_id": "gus@vandelay.example",
            "event_params": [
                {
                    "key": "page_location",
                    "value": {"string_value": "https://www.example.com/res/d/"},
                },
                {"key": "source", "value": {"string_value": "Newsletter"}},
            ],
        },
        {"event_timestamp": str(_micros("2026-07-26T08:01:00")), "event_name": "session_start"},
        {
            "event_timestamp": str(_micros("2026-07-27T08:00:00")),
            "event_name": "page_view",
            "user_id": "ed@umbrella.example",
            "event_params": [
                {
                    "key": "page_location",
                    "value": {"string_value": "https://www.example.com/blog/a/"},
                }
            ],
        },
    ]
    (q / "events_20260726.json").write_text(
        "\n".join(json.dumps(e) for e in events) + "\n", encoding="utf-8"
    )
    params = pa.list_(
        pa.struct([("key", pa.string()), ("value", pa.struct([("string_value", pa.string())]))])
    )
    table = pa.table(
        {
            "event_timestamp": pa.array(
                [_micros("2026-07-28T08:00:00"), _micros("2026-07-29T08:00:00")], pa.int64()
            ),
            "event_name": ["page_view", "page_view"],
            "user_pseudo_id": ["7.7", "8.8"],
            "user_id": ["fay@hooli.example", "zed@acme.example"],
            "event_params": pa.array(
                [
                    [
                        {
                            "key": "page_location",
                            "value": {"string_value": "https://www.example.com/vid/e/"},
                        }
                    ],
                    [
                        {
                            "key": "page_location",
                            "value": {"string_value": "https://www.example.com/blog/b/"},
                        }
                    ],
                ],
                params,
            ),
        }
    )
    pq.write_table(table, q / "events_20260728.parquet")
    marketo = [
        MARKETO_HEADER,
        '1,5001,2026-07-30T14:06:20Z,1,,12,www.example.com/blog/a/,"{""Webpage URL"":'
        '""https://www.example.com/blog/a/?mkt_tok=abc"",""Referrer URL"":""https://g.example/""}"',
        '2,5001,2026-07-31T09:00:00Z,2,777,45,Ebook form,"{""Referrer URL"":'
        '""https://www.example.com/res/c/""}"',
        '3,5002,2026-08-01T11:30:00Z,10,888,9,Newsletter July,"{""Campaign Run ID"":3}"',
        "",
        '4,5001,2026-08-02T11:31:00Z,11,888,9,Newsletter,"{""Link"":'
        '""https://www.example.com/res/d/?utm_source=newsletter""}"',
    ]
    if bad:
        marketo += [
            '5,5001,2026-08-03T11:31:00Z,11,888,9,Newsletter,"{}",extra',
            '6,5001,the third,1,,12,www.example.com/blog/a/,"{}"',
        ]
    (q / "activities (1).csv").write_text("\n".join(marketo) + "\n", encoding="utf-8")
    bizible = [
        BIZIBLE_HEADER,
        f'"a01","2026-07-01T10:00:00.000+0000","Web Form","Organic Search",'
        f'"https://www.example.com/blog/a/","https://www.example.com/blog/a/","{CONTACT}",'
        f'"{ACCOUNT}"',
        f'"a02","2026-07-05T10:00:00.000+0000","Web Visit","Paid Social",'
        f'"https://www.example.com/res/c/?fbclid=xyz","","{CONTACT}","{ACCOUNT}"',
        f'"a03","2026-07-06T10:00:00.000+0000","Offline","Events","","","{CONTACT}","{ACCOUNT}"',
        "",
        '"Grand Totals (3 records)"',
        '"Confidential Information - Do Not Distribute"',
        '"Copyright © 2000-2026 salesforce.com, inc. All rights reserved."',
    ]
    (q / "report (3).csv").write_text("\n".join(bizible) + "\n", encoding="utf-8")


def _drop(edge_drop: Path, root: Path, bad: bool) -> Path:
    q = root / "content" / "2026-Q3"
    q.mkdir(parents=True)
    for f in (edge_drop / "2026-Q3").iterdir():
        if f.name not in ("touches.csv", "deal_contacts.csv", "deals.csv"):
            (q / f.name).write_bytes(f.read_bytes())
    # Bizible's account (its 18-character id) is E2's, for account-mode journeys.
    deals = (edge_drop / "2026-Q3" / "deals.csv").read_text(encoding="utf-8")
    (q / "deals.csv").write_text(deals.replace("E2,ACC2,", f"E2,{sfid18(ACCOUNT)},"), "utf-8")
    contacts = (edge_drop / "2026-Q3" / "deal_contacts.csv").read_text(encoding="utf-8")
    # Marketo's lead 5001 and Bizible's contact (its 18-character id) are deal contacts.
    contacts += f"E1,5001,Influencer,false,\nE2,{sfid18(CONTACT)},Influencer,false,\n"
    (q / "deal_contacts.csv").write_text(contacts, encoding="utf-8")
    _write_exports(q, bad)
    return root / "content"


@pytest.fixture(scope="module")
def exports_drop(edge_drop: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _drop(edge_drop, tmp_path_factory.mktemp("exports"), bad=False)


@pytest.fixture(scope="module")
def bad_exports(edge_drop: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _drop(edge_drop, tmp_path_factory.mktemp("bad_exports"), bad=True)


def _quiet(_: str) -> None:
    return None


def _by_file(issues: tuple[Issue, ...], name: str) -> list[str]:
    return [str(i) for i in issues if Path(i.file).name == name]


NAMES = (
    "bq-results-20261001-120000.csv",
    "events_20260726.json",
    "events_20260728.parquet",
    "activities (1).csv",
    "report (3).csv",
)


@pytest.mark.parametrize("mode", ["contact", "account"])
def test_exports_same_files(spark: Any, exports_drop: Path, tmp_path: Path, mode: str) -> None:
    out = assert_same(exports_drop, tmp_path, "--mode", mode)
    ledger = out["ledger.csv"].decode()
    assert "ga4_bigquery" in ledger and "marketo" in ledger and "bizible" in ledger


def test_exports_read_on_spark(spark: Any, exports_drop: Path) -> None:
    # The exports are staged by Spark's executors: the driver's DuckDB holds no row of them.
    config = AttributionConfig(engine="spark")
    drop, touches = check_on_spark([exports_drop], config, _quiet)
    assert touches is not None and touches.frame is not None
    try:
        staged = {Path(f.path).name: f for f in drop.files if f.table == "touches"}
        assert sorted(staged) == sorted(NAMES)
        assert all(f.stage.startswith("stage_spark_export_") for f in staged.values())
        assert drop.con.execute("SELECT count(*) FROM touches").fetchone() == (0,)
        ledger = {r["file"]: r for r in summary(drop.con)}
        bq = ledger[str(exports_drop / "2026-Q3" / NAMES[0])]
        # 6 events: 1 scroll, 1 anonymous page view, 1 page not in the inventory, 3 kept.
        assert (bq["source"], bq["rows_read"], bq["kept"], bq["dropped"]) == (
            "ga4_bigquery",
            6,
            3,
            3,
        )
        assert bq["dropped_reasons"] == (
            "not a page_view event: 1; page_view without user_id (anonymous reader): 1; "
            "unknown content: 1"
        )
        mk = ledger[str(exports_drop / "2026-Q3" / NAMES[3])]
        assert (mk["rows_read"], mk["kept"], mk["dropped"]) == (5, 3, 2)
        bz = ledger[str(exports_drop / "2026-Q3" / NAMES[4])]
        assert (bz["rows_read"], bz["kept"], bz["dropped"]) == (7, 2, 5)
        assert touches.frame.count() == 3 + 2 + 2 + 3 + 2
    finally:
        touches.unpersist()


@pytest.mark.parametrize("mode", ["contact", "account"])
def test_exports_same_messages(spark: Any, bad_exports: Path, mode: str) -> None:
    config = AttributionConfig(journey_mode=mode, engine="spark")
    duck = check([bad_exports], config)
    on_spark, touches = check_on_spark([bad_exports], config, _quiet)
    if touches is not None:
        touches.unpersist()
    for name in NAMES:
        assert _by_file(on_spark.issues, name) == _by_file(duck.issues, name), name
    assert sorted(map(str, on_spark.issues)) == sorted(map(str, duck.issues))
    assert summary(on_spark.con) == summary(duck.con)
    q = bad_exports / "2026-Q3"
    bq = _by_file(on_spark.issues, NAMES[0])
    assert bq == [
        f'{q / NAMES[0]}, row 8, column occurred_at: "soon" is not a date or timestamp — '
        "use ISO 8601, e.g. 2026-07-01 or 2026-07-01T14:30:00Z",
        f"{q / NAMES[0]}, row 9: has no content_id or url — fill content_id or url",
        f'{q / NAMES[0]}, row 6, column content_id: "https://www.example.com/x/" is not in the '
        "content inventory — add the pieces to the content file, or check the ids/URLs match",
    ]
    mk = _by_file(on_spark.issues, NAMES[3])
    assert mk[0] == (
        f"{q / NAMES[3]}, row 7: has 9 fields, the header has 8; the row is dropped — every "
        "line needs as many fields as the header"
    )


def test_exports_at_a_uri(spark: Any, exports_drop: Path, tmp_path: Path) -> None:
    # A file:// drop: Spark lists it, reads the exports where they are (only their first
    # lines reach the driver, to recognise them) and names them by their URI.
    drop = tmp_path / "my drop" / "content"  # a space: URIs are given to Spark as written
    shutil.copytree(exports_drop, drop)
    duck = run(drop, tmp_path / "duck", "--engine", "duckdb")
    on_spark = run_uri("file://" + str(drop), tmp_path / "spark")
    for name in ("attribution.csv", "influence.csv", "summary.json", "effects.csv"):
        assert on_spark[name] == duck[name], name
    ledger = on_spark["ledger.csv"].decode()
    assert f"file:{drop}/2026-Q3/activities (1).csv,marketo,touches,2026-Q3,5,3,0,2," in ledger
    assert ledger.replace(f"file:{drop}/", f"{drop}/") == duck["ledger.csv"].decode()
    config = AttributionConfig(engine="spark")
    staged, touches = check_on_spark(["file://" + str(drop)], config, _quiet)
    assert touches is not None
    touches.unpersist()
    sources = {Path(f.path).name: f.stage for f in staged.files if f.table == "touches"}
    assert sorted(sources) == sorted(NAMES)
    assert all(stage.startswith("stage_spark_export_") for stage in sources.values())


def test_exports_build_the_same_site(spark: Any, exports_drop: Path, tmp_path: Path) -> None:
    # The quarter snapshots keep the exports' touches too (checked on Spark, not in DuckDB).
    assert_same_site(exports_drop, tmp_path)
