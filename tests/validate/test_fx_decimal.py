"""Money conversion in DECIMAL, rounded half up to the minor unit (issue 11): binary floats
would turn 0.285 into 28 cents and 15,950 GBP × 1.1717 = 18,688.615 into 18,688.61."""

from __future__ import annotations

from pathlib import Path

import pytest
from revstory.config import make_config
from revstory.pipeline import check

DEALS = """deal_id,account_id,amount,currency,created_at,closed_at,status,deal_type
D1,A1,0.285,EUR,2026-07-01T09:00:00Z,2026-08-01,won,new
D2,A2,15950,GBP,2026-07-01T09:00:00Z,2026-08-01,won,new
D3,A3,0.125,EUR,2026-07-01T09:00:00Z,2026-08-01,won,new
"""


@pytest.fixture
def drop_dir(tmp_path: Path) -> Path:
    q = tmp_path / "2026-Q3"
    q.mkdir()
    (q / "deals.csv").write_text(DEALS, encoding="utf-8")
    (q / "fx_rates.csv").write_text("currency,date,rate\nGBP,2026-07-01,1.1717\n", encoding="utf-8")
    (q / "content.csv").write_text(
        "content_id,url,title,content_type\na,https://x.example/a,A,article\n", encoding="utf-8"
    )
    return q


def test_amounts_convert_in_decimal_half_up(drop_dir: Path) -> None:
    drop = check([drop_dir], make_config({}))
    rows = drop.con.execute("SELECT deal_id, amount_minor FROM deals ORDER BY deal_id").fetchall()
    assert rows == [("D1", 29), ("D2", 1_868_862), ("D3", 13)]


def test_the_minor_unit_is_the_nearest_one_not_the_one_below(tmp_path: Path) -> None:
    """The product is cast to whole minor units: a half rounds up, anything below it down."""
    q = tmp_path / "2026-Q3"
    q.mkdir()
    rows = "\n".join(
        f"D{i},A{i},{amount},GBP,2026-07-01T09:00:00Z,2026-08-01,won,new"
        for i, amount in enumerate(["0.02499", "0.025", "0.99999", "1000000.004999"], 1)
    )
    (q / "deals.csv").write_text(DEALS.splitlines()[0] + "\n" + rows + "\n", encoding="utf-8")
    (q / "fx_rates.csv").write_text("currency,date,rate\nGBP,2026-07-01,2\n", encoding="utf-8")
    (q / "content.csv").write_text(
        "content_id,url,title,content_type\na,https://x.example/a,A,article\n", encoding="utf-8"
    )
    drop = check([q], make_config({}))
    got = drop.con.execute("SELECT deal_id, amount_minor FROM deals ORDER BY deal_id").fetchall()
    # × 2 × 100: 4.998 → 5, 5.0 → 5, 199.998 → 200, 200000000.9998 → 200000001
    assert got == [("D1", 5), ("D2", 5), ("D3", 200), ("D4", 200_000_001)]
