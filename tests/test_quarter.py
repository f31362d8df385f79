"""The Quarter type: every folder form parses to one canonical quarter; bounds, steps, order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from revstory.load.adapters.base import ReadContext
from revstory.load.discover import quarter_of_folder
from revstory.load.options import LoadOptions
from revstory.quarter import Quarter, QuarterError, quarter_folders
from revstory.sample import previous_quarters, quarter_bounds


@pytest.mark.parametrize("text", ["2026-Q3", "2026_Q3", "2026q3", "2026 Q3", "2026Q3", " 2026-q3 "])
def test_every_folder_form_is_one_quarter(text: str) -> None:
    q = Quarter.parse(text)
    assert q == Quarter(2026, 3)
    assert str(q) == "2026-Q3"


@pytest.mark.parametrize(
    "text", ["2026-Q5", "2026-Q0", "Q3 2026", "26-Q3", "2026-Q3x", "notes", "2026--Q3", ""]
)
def test_a_non_quarter_is_refused_with_the_form_to_use(text: str) -> None:
    with pytest.raises(QuarterError) as exc:
        Quarter.parse(text)
    assert str(exc.value) == (
        f"{text!r} is not a quarter — write it as 2026-Q3 (year, dash, "
        "Q and the quarter number 1 to 4)"
    )


def test_bounds() -> None:
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
    )
    assert (Quarter(2026, 2).start, Quarter(2026, 2).end) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
    )
    assert Quarter(2026, 3).end == dt.date(2026, 9, 30)
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert Quarter.of_date(dt.date(2026, 9, 30)) == Quarter(2026, 3)
    assert Quarter.of_date(dt.date(2026, 10, 1)) == Quarter(2026, 4)


def test_steps_cross_the_year() -> None:
    assert Quarter(2026, 4).next == Quarter(2027, 1)
    assert Quarter(2027, 1).previous == Quarter(2026, 4)
    assert [str(q) for q in Quarter(2026, 2).last(3)] == ["2025-Q4", "2026-Q1", "2026-Q2"]


def test_order_is_time_order() -> None:
    qs = [Quarter(2026, 1), Quarter(2025, 4), Quarter(2026, 3), Quarter(2024, 2)]
    assert [str(q) for q in sorted(qs)] == ["2024-Q2", "2025-Q4", "2026-Q1", "2026-Q3"]
    assert Quarter(2025, 4) < Quarter(2026, 1)


def test_quarter_number_out_of_range() -> None:
    with pytest.raises(QuarterError, match="quarter number 5 is not 1 to 4"):
        Quarter(2026, 5)


# No deadline: the property, not its speed, is under test (two workers on two cores can stall
# an example past hypothesis's 200 ms).
@settings(deadline=None)
@given(st.integers(1000, 9998), st.integers(1, 4))
def test_round_trips_and_steps_are_inverse(year: int, n: int) -> None:
    q = Quarter(year, n)
    assert Quarter.parse(str(q)) == q
    assert q.next.previous == q
    assert q.next.start == q.end + dt.timedelta(days=1)
    assert Quarter.of_date(q.start) == q == Quarter.of_date(q.end)
    # The canonical text sorts like the quarters.
    assert (str(q) < str(q.next)) and q < q.next


def test_folders_in_any_form_in_time_order(tmp_path: Path) -> None:
    for name in ("2026_Q3", "2025q4", "2026 Q1", "notes", "2026-Q2"):
        (tmp_path / name).mkdir()
    (tmp_path / "2024-Q1.csv").write_text("not a folder", encoding="utf-8")
    found = quarter_folders(tmp_path)
    assert [(str(q), p.name) for q, p in found.items()] == [
        ("2025-Q4", "2025q4"),
        ("2026-Q1", "2026 Q1"),
        ("2026-Q2", "2026-Q2"),
        ("2026-Q3", "2026_Q3"),
    ]
    assert quarter_folders(tmp_path / "missing") == {}


def test_two_folders_for_one_quarter_are_refused(tmp_path: Path) -> None:
    (tmp_path / "2026-Q3").mkdir()
    (tmp_path / "2026_Q3").mkdir()
    with pytest.raises(QuarterError) as exc:
        quarter_folders(tmp_path)
    assert str(exc.value) == (
        f"{tmp_path / '2026-Q3'} and {tmp_path / '2026_Q3'} are both "
        "quarter 2026-Q3 — merge them into one folder"
    )


def test_the_stages_agree() -> None:
    """Discover, the adapters' read context and the sample generator all use the type."""
    assert quarter_of_folder(Path("content/2026_Q3")) == "2026-Q3"
    assert quarter_of_folder(Path("content/drafts")) is None
    ctx = ReadContext("2026-Q4", LoadOptions())
    assert ctx.quarter_bounds == ("2026-10-01", "2026-12-31")
    start, stop = quarter_bounds("2026-Q4")
    assert (str(start.date()), str(stop.date())) == ("2026-10-01", "2027-01-01")
    assert previous_quarters("2026-Q1", 2) == ("2025-Q4", "2026-Q1")
