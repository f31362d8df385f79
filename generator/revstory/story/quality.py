"""The data-quality verdict: how much of the drop the report stands on, in three figures.

Input: :class:`~revstory.attribute.stage.Results` (its ``ledger`` and ``deals``). Output: a
:class:`Verdict` — the share of deal rows loaded, the share of won revenue whose deal has at
least one reader of content, and the rows dropped with their reasons, largest first. Money in
minor units; every quarter of the report counted (restored ones included).
"""

from __future__ import annotations

from dataclasses import dataclass

from revstory.attribute.stage import Results


@dataclass(frozen=True)
class Dropped:
    """Rows dropped for one reason, over every file."""

    reason: str
    """The ledger's reason, untranslated ("unknown content", "amount is negative")."""
    rows: int


@dataclass(frozen=True)
class Verdict:
    """The figures the data-quality page opens with."""

    deal_rows: int
    """Deal rows read from every deals file."""
    deal_rows_loaded: int
    """Of those, rows kept or merged (the same deal in a later row or drop): not dropped."""
    won_revenue: int
    """Won revenue of the reported deals (minor units)."""
    linked_revenue: int
    """The part of it whose deal has at least one touch in its journey (a reader of content)."""
    won_deals: int
    linked_deals: int
    rows_read: int
    """Rows read from every file."""
    dropped: tuple[Dropped, ...]
    """Rows dropped per reason, most rows first (then by reason)."""
    unpriced_open: int
    """Open content-touched deals without an amount: the pipeline value leaves them out."""

    @property
    def deal_share(self) -> float | None:
        """Deal rows loaded over deal rows read (None: no deal row)."""
        return self.deal_rows_loaded / self.deal_rows if self.deal_rows else None

    @property
    def linked_share(self) -> float | None:
        """Won revenue linked to a reader of content over won revenue (None: none won)."""
        return self.linked_revenue / self.won_revenue if self.won_revenue else None

    @property
    def rows_dropped(self) -> int:
        """Rows dropped for any reason."""
        return sum(d.rows for d in self.dropped)


def unpriced_open(results: Results, quarter: str | None = None) -> int:
    """Open content-touched deals with no amount (stored as 0), in ``quarter`` or in all."""
    d = results.deals
    if quarter is not None:
        d = d[d["quarter"] == quarter]
    return int(((d["status"] == "open") & d["touched"] & d["amount"].isna()).sum())


def verdict(results: Results) -> Verdict:
    """Judge the drop: every file of the ledger and every reported deal."""
    ledger = results.ledger
    deal_rows = ledger[ledger["table_name"] == "deals"]
    totals: dict[str, int] = {}
    for r in ledger[ledger["outcome"] == "dropped"].to_dict("records"):
        reason = str(r["reason"]) if isinstance(r["reason"], str) else ""
        totals[reason] = totals.get(reason, 0) + int(r["rows"])
    reasons = sorted(
        (Dropped(reason, rows) for reason, rows in totals.items()),
        key=lambda d: (-d.rows, d.reason),
    )
    deals = results.deals
    won = deals[deals["status"] == "won"]
    linked = won[won["touched"].astype(bool)]
    return Verdict(
        deal_rows=int(deal_rows["rows"].sum()),
        deal_rows_loaded=int(deal_rows.loc[deal_rows["outcome"] != "dropped", "rows"].sum()),
        won_revenue=int(won["amount_minor"].sum()),
        linked_revenue=int(linked["amount_minor"].sum()),
        won_deals=len(won),
        linked_deals=len(linked),
        rows_read=int(ledger["rows"].sum()),
        dropped=tuple(reasons),
        unpriced_open=unpriced_open(results),
    )
