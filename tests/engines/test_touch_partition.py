"""What one Spark partition's check sends back, run here without Spark (fast).

`check_partition` gets Arrow batches as mapInArrow gives them: two splits of one file, the
first split's rows over two batches. Hand-checked: the clean touches (re-keyed through the
identities), each problem's count, its first rows by split and place, and the rows per split.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from revstory.contracts import TOUCHES
from revstory.engines.partition import FilePlan, Plan, check_partition, path_key
from revstory.engines.touches import TouchFile
from revstory.validate.checks import Check, column_checks

URI = "file:///data/my drop/2026-Q3/touches.csv"
COLUMNS = ("occurred_at", "person_id", "content_id", "touch_type")


def _batch(
    rows: list[tuple[str | None, ...]], block: int, corrupt: list[str | None]
) -> pa.RecordBatch:
    data = {c: pa.array([r[i] for r in rows], pa.string()) for i, c in enumerate(COLUMNS)}
    data["_corrupt"] = pa.array(corrupt, pa.string())
    data["_path"] = pa.array(["file:/data/my%20drop/2026-Q3/touches.csv"] * len(rows))
    data["_block"] = pa.array([block] * len(rows), pa.int64())
    return pa.RecordBatch.from_pydict(data)


def _hash(value: str) -> int:
    con = duckdb.connect()
    return int(con.execute("SELECT hash(lower(?))", [value]).fetchone()[0])  # type: ignore[index]


def test_partition() -> None:
    t = TouchFile("/data/my drop/2026-Q3/touches.csv", URI, "2026-Q3", "csv", COLUMNS)
    checks = tuple(column_checks(TOUCHES, set(t.columns), True))
    plan = Plan(
        {path_key(URI): FilePlan(0, t.label, t.quarter, "csv", COLUMNS, checks)},
        pa.table({"content_id": ["a", "b"], "url_key": ["x.example/a", "x.example/b"]}),
        pa.table(
            {
                "alias_key": pa.array([_hash("ann@x.example")], pa.uint64()),
                "person_key": pa.array([_hash("ann@acme.example")], pa.uint64()),
            }
        ),
        keep_accounts=False,
    )
    good = ("2026-07-01T10:00:00Z", "ann@x.example", "a", "view")
    batches = [
        _batch([good, ("2026-13-01", "bo@x", "a", "view")], 0, [None, None]),
        _batch([("2026-07-02", "bo@x", "zz", "view"), good], 0, [None, "x,y"]),
        _batch(
            [("2026-07-03", "", "b", "view"), ("2026-07-04", "cy@x", "b", "hop")], 700, [None, None]
        ),
    ]
    out = pa.Table.from_batches(list(check_partition(plan, iter(batches)))).to_pylist()
    touches = [r for r in out if r["kind"] == "touch"]
    assert [(str(r["occurred_at"]), r["content_id"]) for r in touches] == [
        ("2026-07-01 10:00:00", "a")
    ]
    # ann@x.example is an alias of ann@acme.example; keys shifted into signed BIGINT.
    assert touches[0]["person_key"] == _hash("ann@acme.example") - 2**63
    found = {
        (r["kind"], r["what"], r["reason"], r["block"], r["idx"], r["n"], r["value"])
        for r in out
        if r["kind"] != "touch"
    }
    empty_person = _check(checks, "person_id", "empty")
    not_allowed = _check(checks, "touch_type", "allowed")
    assert found == {
        ("block", None, None, 0, None, 4, None),
        ("block", None, None, 700, None, 2, None),
        ("count", "cast", 0, None, None, 1, None),
        ("example", "cast", 0, 0, 1, None, "2026-13-01"),
        ("count", "columns", 0, None, None, 1, None),
        ("example", "columns", 0, 0, 3, None, "x,y"),
        ("count", "unknown", 0, None, None, 1, None),
        ("example", "unknown", 0, 0, 2, None, "zz"),
        ("smallest", None, None, None, None, None, "zz"),
        ("count", "check", empty_person, None, None, 1, None),
        ("example", "check", empty_person, 700, 0, None, ""),
        ("count", "check", not_allowed, None, None, 1, None),
        ("example", "check", not_allowed, 700, 1, None, "hop"),
    }


def _check(checks: tuple[Check, ...], column: str, word: str) -> int:
    return next(i for i, ch in enumerate(checks) if ch.column == column and word in ch.message)
