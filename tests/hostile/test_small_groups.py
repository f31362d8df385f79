"""A piece's deal-level figures backed by fewer deals than ``min_group_size`` are withheld
(issue 14): a hidden gem "1 won deal, €12,000 influenced" gave that deal's amount away.

The hand-built drop: piece ``solo`` is read by the buyer of one €12,000 deal (D1) only, second of
four reads (the others of ``partner``, which is also in one €19,300 deal, D2); ``many`` is in
four larger deals (W1–W4), which the anecdotes tell. Position-based credit gives ``solo`` half
of the 20 % middle share of D1, €1,200: that share stays published. Its influenced revenue
(€12,000), ``partner``'s and their won-deal counts are withheld: a dash on the page, an empty
CSV cell, and no page, chart, search index or CSV of the site holds D1's amount.
(``partner``'s influenced €31,300 equals its first-touch credit, a model's share, which is
published by design.)
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main

MKDOCS = """site_name: Small groups
docs_dir: docs
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - revstory:
      data_dir: content
      min_deals: 1
      min_group_size: 3
      write_snapshots: false
"""
DEALS = [
    # deal, amount, person, [(day in July/August, piece)], close
    ("D1", 12000, "p1", [("2026-07-06", "partner"), ("2026-07-10", "solo"),
                         ("2026-07-20", "partner"), ("2026-07-25", "partner")], "2026-08-10"),
    ("D2", 19300, "p2", [("2026-07-08", "partner")], "2026-08-12"),
    ("W1", 25100, "p3", [("2026-07-07", "many")], "2026-08-14"),
    ("W2", 31700, "p4", [("2026-07-09", "many")], "2026-08-18"),
    ("W3", 40300, "p5", [("2026-07-11", "many")], "2026-08-20"),
    ("W4", 27900, "p6", [("2026-07-13", "many")], "2026-08-24"),
]  # fmt: skip


def _write(path: Path, header: str, rows: list[str]) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    q = root / "content" / "2026-Q3"
    q.mkdir(parents=True)
    _write(
        q / "content.csv",
        "content_id,url,title,content_type,published_at",
        [
            f"{c},https://www.example.com/{c}/,Piece {c},article,2026-01-10"
            for c in ("many", "partner", "solo")
        ],
    )
    _write(
        q / "performance.csv",
        "content_id,period_start,period_end,views,users,engagement_seconds,shares,clicks",
        [
            "many,2026-07-01,2026-09-30,4000,3000,90000,0,0",
            "partner,2026-07-01,2026-09-30,60,50,900,0,0",
            "solo,2026-07-01,2026-09-30,10,9,300,0,0",
        ],
    )
    _write(
        q / "deals.csv",
        "deal_id,account_id,name,amount,currency,created_at,closed_at,status,deal_type,segment",
        [
            f"{d},ACC-{d},Account {d},{amount},EUR,2026-07-01T09:00:00Z,{close},won,new,SMB"
            for d, amount, _, _, close in DEALS
        ],
    )
    _write(
        q / "deal_contacts.csv",
        "deal_id,person_id,role,is_primary",
        [f"{d},{p},Champion,true" for d, _, p, _, _ in DEALS],
    )
    _write(
        q / "touches.csv",
        "occurred_at,person_id,account_id,content_id,touch_type,channel",
        [
            f"{day}T10:00:00Z,{p},ACC-{d},{c},view,email"
            for d, _, p, reads, _ in DEALS
            for day, c in reads
        ],
    )
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    return root / "site"


def _rows(site: Path, name: str) -> list[dict[str, str]]:
    with (site / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


#: 12,000 in any way the site writes money: 12000.00, €12,000, 12 000 €, €12K.
WITHHELD = re.compile(r"(?<![\d.,])12[,.\s\u00a0\u202f]?000(?![\d,])|€12(\.0)?[kK]")


def test_no_page_or_csv_holds_a_one_deal_amount(site: Path) -> None:
    found = []
    for f in sorted(site.rglob("*")):
        rel = f.relative_to(site).as_posix()
        if rel.startswith("assets/"):  # Material's and ECharts' own files
            continue
        if f.is_file() and f.suffix in (".html", ".json", ".csv", ".xml", ".md", ".txt"):
            for m in WITHHELD.finditer(f.read_text(encoding="utf-8", errors="replace")):
                found.append(f"{rel}: {m.group(0)!r}")
    assert found == []


def test_the_attributed_share_stays_and_the_deal_figures_are_dashes(site: Path) -> None:
    engagement = _rows(site, "articles/solo-engagement.csv")
    assert [
        (r["attributed_revenue"], r["influenced_revenue"], r["won_deals"]) for r in engagement
    ] == [("1200.00", "", "")]
    page = (site / "articles" / "solo.html").read_text(encoding="utf-8")
    assert '<td style="text-align: right">€1,200</td>' in page
    assert "Figures backed by fewer than 3 deals are withheld" in page
    pieces = {r["piece"]: r for r in _rows(site, "types/index-pieces.csv")}
    assert {p: (r["won_deals"], r["influenced_revenue"]) for p, r in pieces.items()} == {
        "Piece many": ("4", "125000.00"),
        "Piece partner": ("", ""),
        "Piece solo": ("", ""),
    }


@pytest.mark.parametrize(("min_group_size", "gems"), [(1, ["solo"]), (3, [])])
def test_a_gem_is_picked_from_pieces_whose_figures_pass(
    site: Path, min_group_size: int, gems: list[str]
) -> None:
    """``solo`` (the least read: 10 views, 1 won deal, €12,000 influenced) is the quarter's gem
    only when its figures may be published; with min_group_size 3 no gem is left to cite,
    and the home page's next step promotes none."""
    from revstory.config import Settings
    from revstory.pipeline import run
    from revstory.story.tell import tell

    results, _ = run([site.parent / "content"], Settings().attribution())
    settings = Settings(min_deals=1, min_group_size=min_group_size, gem_min_deals=1)
    qs = tell(results, settings).quarters["2026-Q3"]
    assert [g.content_id for g in qs.gems.gems] == gems
    hidden = {p.content_id: p.hidden for p in qs.pieces}
    assert hidden == (
        {"many": (), "partner": (), "solo": ()}
        if min_group_size == 1
        else {
            "many": (),
            "partner": ("influenced", "influenced_won", "deals_touched", "won_deals"),
            "solo": ("influenced", "influenced_won", "deals_touched", "won_deals"),
        }
    )
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Promote" not in home and "promote" not in home
