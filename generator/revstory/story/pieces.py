"""Piece-level facts of a quarter: what each piece did, what works and what does not.

Input: an :class:`~revstory.story.index.Indexed` and the settings' thresholds. Output: the
records of :mod:`revstory.story.records` (money in minor units, ids, counts).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

import pandas as pd

from revstory.story.figures import small
from revstory.story.index import Indexed
from revstory.story.records import (
    AgeBucket,
    Economics,
    Gem,
    Gems,
    ModelComparison,
    PieceFigures,
    RetreatCandidate,
)

#: Content age buckets at the deal's close, in days (upper bounds, exclusive).
AGE_BUCKETS = (91, 182, 365, 730)


#: A piece's deal-level figures and the deal count that backs each (see PieceFigures.hidden).
BACKED_BY = {
    "influenced": "influenced_won",
    "influenced_won": "influenced_won",
    "deals_touched": "deals_touched",
    "won_deals": "won_deals",
}


def withheld(counts: dict[str, int], min_group_size: int) -> tuple[str, ...]:
    """Name the figures whose backing deal count is too small to publish (see :func:`small`)."""
    return tuple(f for f, by in BACKED_BY.items() if small(counts[by], min_group_size))


def quarter_pieces(
    ix: Indexed, quarter: str, model: str, min_group_size: int = 1
) -> tuple[PieceFigures, ...]:
    """One record per piece with any traffic, influence or credit in ``quarter``.

    Deal-level figures backed by fewer than ``min_group_size`` deals are marked hidden.
    """
    ids = {c for q, c in ix.views if q == quarter}
    ids.update(c for q, c in ix.influence if q == quarter)
    ids.update(c for q, c, m in ix.attribution if q == quarter and m == model)
    rows = []
    for cid in sorted(ids):
        v = ix.views.get((quarter, cid))
        i = ix.influence.get((quarter, cid))
        a = ix.attribution.get((quarter, cid, model))
        counts = {
            "deals_touched": int(i["won_deals"] + i["lost_deals"] + i["open_deals"]) if i else 0,
            "influenced_won": int(i["won_deals"]) if i else 0,
            "won_deals": int(a["deals_influenced"]) if a else 0,
        }
        rows.append(
            PieceFigures(
                content_id=cid,
                views=int(v["views"]) if v else 0,
                influenced=int(i["influenced_revenue_minor"]) if i else 0,
                revenue=int(a["revenue_minor"]) if a else 0,
                hidden=withheld(counts, min_group_size),
                **counts,
            )
        )
    return tuple(rows)


def total_pieces(
    by_quarter: Sequence[Sequence[PieceFigures]],
    content_ids: Sequence[str],
    min_group_size: int = 1,
) -> tuple[PieceFigures, ...]:
    """Per piece, summed over the quarters given; every piece of ``content_ids`` included.

    A sum is hidden when too few deals back it, and also when any quarter's figure was:
    the total less the shown quarters would give the hidden one away.
    """
    fields = ("views", "influenced", "deals_touched", "influenced_won", "revenue", "won_deals")
    get = attrgetter(*fields)
    # Per piece the fields' sums in quarter order, from 0 (one list per piece, not a Counter).
    total: dict[str, list[Any]] = {}
    hidden: dict[str, set[str]] = {}
    for rows in by_quarter:
        for row in rows:
            acc = total.get(row.content_id)
            if acc is None:
                acc = total[row.content_id] = [0] * len(fields)
            for i, v in enumerate(get(row)):
                acc[i] += v
            hidden.setdefault(row.content_id, set()).update(row.hidden)
    for cid in content_ids:
        total.setdefault(cid, [0] * len(fields))
    out = []
    for cid, acc in sorted(total.items()):
        counts = dict(zip(fields, acc, strict=True))
        mine = hidden.get(cid, set()) | set(withheld(counts, min_group_size))
        out.append(PieceFigures(cid, **counts, hidden=tuple(f for f in BACKED_BY if f in mine)))
    return tuple(out)


def rank(pieces: Sequence[PieceFigures]) -> tuple[PieceFigures, ...]:
    """Pieces by attributed revenue, then influenced revenue, then content_id."""
    return tuple(sorted(pieces, key=lambda r: (-r.revenue, -r.influenced, r.content_id)))


def top_piece(pieces: Sequence[PieceFigures]) -> PieceFigures | None:
    """Find the piece with the most attributed revenue (ties: first content_id), if any."""
    best = sorted(pieces, key=lambda r: (-r.revenue, r.content_id))
    return best[0] if best and best[0].revenue > 0 else None


def silent_streak(ix: Indexed, content_id: str, quarters: Sequence[str]) -> tuple[int, int]:
    """Count the quarters in a row in which the piece had views but no influenced revenue.

    The streak ends with the last of ``quarters``; returns it and the piece's views over it.
    """
    streak = views = 0
    for q in reversed(quarters):
        v = int(ix.views.get((q, content_id), {}).get("views", 0))
        rev = int(ix.influence.get((q, content_id), {}).get("influenced_revenue_minor", 0))
        if v <= 0 or rev > 0:
            break
        streak += 1
        views += v
    return streak, views


def retreat(
    ix: Indexed, quarter: str, after_quarters: int, min_group_size: int = 1
) -> tuple[RetreatCandidate, ...]:
    """List the candidates to retire or rework, most read first.

    They are pieces read in ``quarter`` with no influenced revenue for ``after_quarters``
    quarters in a row or more; their count of lost and open deals is withheld (None) when
    fewer than ``min_group_size`` deals make it.
    """
    past = [q for q in ix.results.quarters if q <= quarter]
    if len(past) < after_quarters:
        return ()
    out = []
    for cid in sorted({c for q, c in ix.views if q == quarter}):
        streak, views = silent_streak(ix, cid, past)
        if streak < after_quarters:
            continue
        earned = [
            q for q in past if ix.influence.get((q, cid), {}).get("influenced_revenue_minor", 0) > 0
        ]
        i = ix.influence.get((quarter, cid), {})
        touched = int(i.get("lost_deals", 0) + i.get("open_deals", 0)) if i else 0
        shown = None if small(touched, min_group_size) else touched
        out.append(RetreatCandidate(cid, streak, views, shown, earned[-1] if earned else None))
    return tuple(sorted(out, key=lambda r: (-r.views, r.content_id)))


def gems(
    ix: Indexed,
    pieces: Sequence[PieceFigures],
    max_views_share: float,
    min_deals: int,
    quarter: str | None = None,
    min_group_size: int = 1,
) -> Gems:
    """Low-traffic pieces with high influenced revenue per view.

    A gem's views are at most the ``max_views_share`` quantile of the read pieces' views, it
    has at least ``min_deals`` influenced won deals, and gems rank by revenue per view. A
    piece whose influenced figures are hidden (fewer deals than ``min_group_size``) is no
    gem: the list and the sentences citing it would publish them. The quarter's average
    per view is over every read piece, and None (withheld) when fewer than
    ``min_group_size`` distinct won deals of ``quarter`` make it: views are published, so
    the average times them would give the deals' amounts away.
    """
    read = [r for r in pieces if r.views > 0]
    views = sorted(r.views for r in read)
    total_views = sum(views)
    average = ix.money(sum(r.influenced for r in read)) / total_views if total_views else None
    if quarter is not None:
        pairs = ix.pairs
        ids = {r.content_id for r in read}
        mine = (pairs["quarter"] == quarter) & pairs["content_id"].isin(ids)
        behind = pairs.loc[mine, "deal_id"]
        if small(int(behind.nunique()), min_group_size):
            average = None
    cut = views[max(int(len(views) * max_views_share) - 1, 0)] if views else 0
    found = [
        r
        for r in read
        if r.views <= cut
        and r.influenced_won >= min_deals
        and r.influenced > 0
        and "influenced" not in r.hidden
    ]
    found.sort(key=lambda r: (-r.influenced / r.views, r.content_id))
    out = []
    for r in found:
        per_view = ix.money(r.influenced) / r.views
        out.append(
            Gem(
                r.content_id,
                r.views,
                r.influenced_won,
                r.influenced,
                per_view,
                per_view / average if average else None,
            )
        )
    return Gems(average, tuple(out))


def economics(
    ix: Indexed, quarter: str, model: str, min_group_size: int = 1
) -> tuple[Economics, ...] | None:
    """Compute revenue per unit of cost and time to the first won deal, per piece with a cost.

    Over the quarters up to ``quarter``; sorted by attributed revenue per cost, then title.
    None when no piece has a cost. A piece's influenced revenue and first won deal are
    withheld (None) when fewer than ``min_group_size`` won deals back them.
    """
    r = ix.results
    past = [q for q in r.quarters if q <= quarter]
    content = r.content
    costs = (
        {
            cid: float(c)
            for cid, c in zip(content["content_id"], content["cost"], strict=True)
            if pd.notna(c) and float(c) > 0
        }
        if "cost" in content.columns
        else {}
    )
    if not costs:
        return None
    published = publication_dates(ix)
    closed = dict(zip(r.deals["deal_id"], r.deals["closed_at"], strict=True))
    pairs = ix.pairs[ix.pairs["quarter"].isin(past)]
    first_deal: dict[str, dt.date] = {}
    won_to_date = Counter(str(c) for c in pairs["content_id"])
    for cid, deal in zip(pairs["content_id"], pairs["deal_id"], strict=True):
        c = closed.get(deal)
        if c is not None and pd.notna(c):
            day = c.date()
            if cid not in first_deal or day < first_deal[cid]:
                first_deal[cid] = day
    rows = []
    for cid in sorted(costs):
        infl = sum(
            int(ix.influence.get((q, cid), {}).get("influenced_revenue_minor", 0)) for q in past
        )
        attr = sum(
            int(ix.attribution.get((q, cid, model), {}).get("revenue_minor", 0)) for q in past
        )
        cost = costs[cid]
        hide = small(won_to_date[cid], min_group_size)
        first = None if hide else first_deal.get(cid)
        pub = published.get(cid)
        rows.append(
            Economics(
                content_id=cid,
                cost=round(cost * 10**r.currency_digits),
                influenced=None if hide else infl,
                influenced_per_cost=None if hide else round(float(ix.money(infl)) / cost, 2),
                attributed_per_cost=round(float(ix.money(attr)) / cost, 2),
                published=pub,
                first_won_deal=first,
                days_to_first_won_deal=(first - pub).days
                if first and pub and first >= pub
                else None,
            )
        )
    rows.sort(key=lambda x: (-x.attributed_per_cost, ix.titles.get(x.content_id, x.content_id)))
    return tuple(rows)


def publication_dates(ix: Indexed) -> dict[str, dt.date]:
    """content_id → publication date, for the pieces that have one."""
    content = ix.results.content
    return {
        cid: p.date()
        for cid, p in zip(content["content_id"], content["published_at"], strict=True)
        if pd.notna(p)
    }


def age_buckets(ix: Indexed, quarter: str, model: str) -> tuple[AgeBucket, ...]:
    """Split the revenue attributed in ``quarter`` by the piece's age at the deal's close.

    Buckets are :data:`AGE_BUCKETS` under ``model``; the unknown-age bucket shows only when
    it holds revenue.
    """
    r = ix.results
    published = publication_dates(ix)
    closed = dict(zip(r.deals["deal_id"], r.deals["closed_at"], strict=True))
    dc = r.deal_credit
    dc = dc[(dc["quarter"] == quarter) & (dc["model"] == model)]
    totals = [0] * (len(AGE_BUCKETS) + 2)
    for cid, deal, minor in zip(dc["content_id"], dc["deal_id"], dc["revenue_minor"], strict=True):
        pub, c = published.get(str(cid)), closed.get(str(deal))
        if pub is None or c is None or pd.isna(c):
            totals[-1] += int(minor)
            continue
        age = (c.date() - pub).days
        totals[sum(1 for b in AGE_BUCKETS if age >= b)] += int(minor)
    out = [AgeBucket(i, totals[i]) for i in range(len(AGE_BUCKETS) + 1)]
    if totals[-1]:
        out.append(AgeBucket(None, totals[-1]))
    return tuple(out)


#: The two-sided 90 % normal quantile.
Z90 = 1.6448536269514722


def type_intervals(ix: Indexed, quarter: str, model: str) -> dict[str, tuple[int, int]]:
    """Compute per content type the 90 % bootstrap interval of its attributed revenue.

    In minor units, over the quarter's won deals, from the bootstrap's exact mean and variance
    (total ± z·sd, sd² = Σx² − (Σx)²/n), as revstory.uncertainty does for large figures.
    """
    dc = ix.results.deal_credit
    dc = dc[(dc["quarter"] == quarter) & (dc["model"] == model)]
    deals = ix.results.deals
    n = int(((deals["quarter"] == quarter) & (deals["status"] == "won")).sum())
    if not len(dc) or not n:
        return {}
    per = (
        dc.assign(ctype=dc["content_id"].map(lambda c: ix.types.get(str(c), "other")))
        .groupby(["ctype", "deal_id"], observed=True)["revenue_minor"]
        .sum()
    )
    out = {}
    for ctype, x in per.groupby(level=0):
        v = x.to_numpy(dtype="float64")
        total = float(v.sum())
        sd = max(float((v * v).sum()) - total * total / n, 0.0) ** 0.5
        out[str(ctype)] = (max(round(total - Z90 * sd), 0), round(total + Z90 * sd))
    return out


def model_comparison(
    ix: Indexed, quarter: str, models: Sequence[str], default_model: str | None = None
) -> ModelComparison:
    """Compare the attributed revenue of ``quarter`` per content type across ``models``.

    With the default model's 90 % interval per type when ``default_model`` is given.
    """
    a = ix.results.attribution
    a = a[a["quarter"] == quarter]
    # As lists: iterating an Arrow-backed column boxes each value (2,000 pieces × 12 models).
    ids, names, minors = (a[c].tolist() for c in ("content_id", "model", "revenue_minor"))
    types = sorted({ix.types.get(c, "other") for c in ids})
    totals = {(ty, m): 0 for ty in types for m in models}
    for cid, model, minor in zip(ids, names, minors, strict=True):
        if model in models:
            totals[(ix.types.get(cid, "other"), model)] += int(minor)
    iv = type_intervals(ix, quarter, default_model) if default_model else {}
    return ModelComparison(
        tuple(types),
        tuple(models),
        tuple(tuple(totals[(ty, m)] for ty in types) for m in models),
        tuple(iv.get(ty) for ty in types) if default_model else (),
    )


def type_influenced(ix: Indexed, min_group_size: int = 1) -> dict[tuple[str, str], int | None]:
    """Map (quarter, content_type) to the type's influenced revenue (minor units).

    The won revenue of the distinct won deals whose journey holds a piece of that type, each
    deal counted once: the sum of its pieces' would overstate it. None (withheld) when fewer
    than ``min_group_size`` deals make it.
    """
    pairs = ix.pairs.astype({"quarter": str, "deal_id": str, "content_id": str})
    typed = pairs.assign(content_type=pairs["content_id"].map(ix.types)).dropna(
        subset=["content_type"]
    )
    deals = ix.results.deals.astype({"quarter": str, "deal_id": str})[
        ["quarter", "deal_id", "amount_minor"]
    ]
    won = (
        typed[["quarter", "deal_id", "content_type"]]
        .drop_duplicates()
        .merge(deals, on=["quarter", "deal_id"])
    )
    sums = (
        won.groupby(["quarter", "content_type"], sort=True)["amount_minor"]
        .agg(["sum", "size"])
        .reset_index()
    )
    return {
        (str(r["quarter"]), str(r["content_type"])): None
        if small(int(r["size"]), min_group_size)
        else int(r["sum"])
        for r in sums.to_dict("records")
    }
