"""Native touch files read and checked by Spark give the DuckDB path's messages and ledger.

The same bad touch files (CSV and Parquet, split into many small pieces so that rows are
numbered across Spark's splits) through `pipeline.check` (DuckDB) and
`engines.spark.check_on_spark`: every issue equal, in the same order file by file, and the
ledger equal; a few messages are checked word for word.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from revstory.config import AttributionConfig
from revstory.engines.spark import check_on_spark
from revstory.errors import Issue
from revstory.pipeline import check
from revstory.validate.ledger import summary

pytestmark = pytest.mark.slow

HEADER = "occurred_at,person_id,account_id,content_id,touch_type,channel"
# Rows 2 … 13 (the header is row 1): every kind of problem a touch row can have.
BAD = [
    "2026-07-20T10:00:00Z,ann@acme.example,ACC1,a,view,email",  # 2 good
    "2026-13-45,ann@acme.example,ACC1,a,view,email",  # 3 unreadable timestamp
    "2026-07-20,ann@acme.example,ACC1,a,view,email,extra",  # 4 a field too many
    "2026-07-20,,ACC1,a,view,email",  # 5 no person
    "2026-07-20,bo@globex.example,ACC2,b,clicked,email",  # 6 touch type not allowed
    "2026-07-20,bo@globex.example,ACC2,b, View ,email",  # 7 allowed once trimmed: kept
    "2026-07-20,bo@globex.example,ACC2,zz-gone,view,email",  # 8 unknown content
    "2026-07-20,N/A,ACC2,b,view,email",  # 9 placeholder person id
    "2026-07-20,cy@initech.example,ACC3,,view,email",  # 10 neither content_id nor url
    "2026-07-20,cy@initech.example",  # 11 too few fields
    "not a date,cy@initech.example,ACC3,c,view,email",  # 12 unreadable timestamp
    "2026-07-21,cy@initech.example,ACC3,c,sideways,email",  # 13 touch type not allowed
]


def _many_unknown(n: int) -> list[str]:
    return [
        f"2026-07-2{i % 9},di@initech.example,ACC3,gone-{n - i:02d},view,email" for i in range(n)
    ]


@pytest.fixture(scope="module")
def bad_drop(edge_drop: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad") / "content"
    q = root / "2026-Q3"
    q.mkdir(parents=True)
    for f in (edge_drop / "2026-Q3").iterdir():
        if f.name != "touches.csv":
            (q / f.name).write_bytes(f.read_bytes())
    (q / "touches_bad.csv").write_text("\n".join([HEADER, *BAD]) + "\n", encoding="utf-8")
    many = ["2026-07-20T10:00:00Z,di@initech.example,ACC3,a,view,email", *_many_unknown(14)]
    (q / "touches_many.csv").write_text("\n".join([HEADER, *many]) + "\n", encoding="utf-8")
    # Parquet, in row groups of three: rows numbered across row groups (Spark's splits).
    cells = [r.split(",") for r in [*_many_unknown(12), "when?,ed@umbrella.example,ACC4,a,view,x"]]
    table = pa.table({name: [c[i] for c in cells] for i, name in enumerate(HEADER.split(","))})
    pq.write_table(table, q / "touches_p.parquet", row_group_size=3)
    return root


@pytest.fixture
def small_splits(spark: Any) -> Iterator[None]:
    # Splits of a few rows each, so one file's rows are read by several Spark tasks.
    spark.conf.set("spark.sql.files.maxPartitionBytes", "160")
    spark.conf.set("spark.sql.files.openCostInBytes", "0")
    yield
    spark.conf.unset("spark.sql.files.maxPartitionBytes")
    spark.conf.unset("spark.sql.files.openCostInBytes")


def _quiet(_: str) -> None:
    return None


def _by_file(issues: tuple[Issue, ...], name: str) -> list[str]:
    return [str(i) for i in issues if Path(i.file).name == name]


@pytest.mark.parametrize("mode", ["contact", "account"])
def test_same_messages_and_ledger(
    spark: Any, bad_drop: Path, small_splits: None, mode: str
) -> None:
    config = AttributionConfig(journey_mode=mode, engine="spark")
    duck = check([bad_drop], config)
    on_spark, touches = check_on_spark([bad_drop], config, _quiet)
    assert touches is not None
    touches.unpersist()
    for name in ("touches_bad.csv", "touches_many.csv", "touches_p.parquet"):
        assert _by_file(on_spark.issues, name) == _by_file(duck.issues, name), name
    assert sorted(map(str, on_spark.issues)) == sorted(map(str, duck.issues))
    assert summary(on_spark.con) == summary(duck.con)

    bad = str(bad_drop / "2026-Q3" / "touches_bad.csv")
    shown = _by_file(on_spark.issues, "touches_bad.csv")
    # As the DuckDB load: lines whose fields do not match the header first (the load
    # stage's), then the timestamps that cannot be read (validation's).
    assert shown[:3] == [
        f"{bad}, row 4: has 7 fields, the header has 6; the row is dropped — every line needs "
        "as many fields as the header",
        f"{bad}, row 11: has 2 fields, the header has 6; the row is dropped — every line needs "
        "as many fields as the header",
        f"{bad}, row 3, column occurred_at: row cannot be read: '2026-13-45' — occurred_at is "
        "not a date or timestamp — use ISO 8601, e.g. 2026-07-01 or 2026-07-01T14:30:00Z",
    ]
    assert (
        f'{bad}, row 6, column touch_type: "clicked" is not an allowed value — use one of'
    ) in "\n".join(shown)
    assert f'{bad}, row 8, column content_id: "zz-gone" is not in the content inventory' in (
        "\n".join(shown)
    )
    many = _by_file(on_spark.issues, "touches_many.csv")
    assert many == [
        f"{bad_drop / '2026-Q3' / 'touches_many.csv'}, column content_id: 14 rows dropped: "
        "their content_id is not in the content inventory (e.g. 'gone-01', 'gone-02', "
        "'gone-03', 'gone-04', 'gone-05') — add the pieces to the content file, or check the "
        "ids/URLs match"
    ]
    ledger = {r["file"]: r for r in summary(on_spark.con)}
    row = ledger[bad]
    assert (row["rows_read"], row["kept"], row["dropped"]) == (12, 2, 10)
    p = ledger[str(bad_drop / "2026-Q3" / "touches_p.parquet")]
    assert (p["rows_read"], p["kept"], p["dropped"]) == (13, 0, 13)


# Quoted values spanning lines: Spark reads such a file again whole (multiLine). Without
# lines whose fields do not match the header DuckDB reads it on its fast path and numbers
# rows by record; with one, through the native adapter, by the line a record starts on.
QUOTED = [
    '2026-07-20T10:00:00Z,ann@acme.example,ACC1,a,view,"email\nnewsletter"',  # 2 kept
    "not a date,ann@acme.example,ACC1,a,view,email",  # 3 (line 4) unreadable timestamp
    '2026-07-20T10:00:00Z,bo@globex.example,ACC2,zz-lines,view,"a ""quoted""\r\nline"',  # 4
    "2026-07-20T10:00:00Z,N/A,ACC2,b,view,email",  # 5 (line 7) placeholder person id
]


@pytest.fixture(scope="module")
def quoted_drop(edge_drop: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("quoted") / "content"
    q = root / "2026-Q3"
    q.mkdir(parents=True)
    for f in (edge_drop / "2026-Q3").iterdir():
        if f.name != "touches.csv":
            (q / f.name).write_bytes(f.read_bytes())
    (q / "touches_quoted.csv").write_text("\n".join([HEADER, *QUOTED]) + "\n", encoding="utf-8")
    extra = "2026-07-21T10:00:00Z,cy@initech.example,ACC3,c,view,email,extra"  # 6 (line 8)
    (q / "touches_quoted_bad.csv").write_text(
        "\n".join([HEADER, *QUOTED, extra]) + "\n", encoding="utf-8", newline=""
    )
    return root


def test_quoted_line_breaks(spark: Any, quoted_drop: Path, small_splits: None) -> None:
    config = AttributionConfig(engine="spark")
    duck = check([quoted_drop], config)
    on_spark, touches = check_on_spark([quoted_drop], config, _quiet)
    assert touches is not None
    try:
        for name in ("touches_quoted.csv", "touches_quoted_bad.csv"):
            assert _by_file(on_spark.issues, name) == _by_file(duck.issues, name), name
        assert sorted(map(str, on_spark.issues)) == sorted(map(str, duck.issues))
        assert summary(on_spark.con) == summary(duck.con)
        q = quoted_drop / "2026-Q3"
        by_record = [i.row for i in on_spark.issues if Path(i.file).name == "touches_quoted.csv"]
        assert by_record == [3, 5, 4]  # unreadable, placeholder, unknown content
        by_line = [i.row for i in on_spark.issues if Path(i.file).name == "touches_quoted_bad.csv"]
        assert by_line == [8, 4, 7, 5]
        assert str(on_spark.issues[0]).startswith(
            f"{q / 'touches_quoted_bad.csv'}, row 8: has 7 fields, the header has 6"
        ) or any(
            str(i).startswith(f"{q / 'touches_quoted_bad.csv'}, row 8: has 7 fields")
            for i in on_spark.issues
        )
        ledger = {Path(r["file"]).name: r for r in summary(on_spark.con)}
        assert (
            ledger["touches_quoted.csv"]["rows_read"],
            ledger["touches_quoted.csv"]["kept"],
        ) == (
            4,
            1,
        )
        # Both pieces of the channel's value are one value: the kept touch says so.
        channels = {r["channel"] for r in touches.frame.select("channel").collect()}
        assert "email\nnewsletter" in channels
    finally:
        touches.unpersist()
