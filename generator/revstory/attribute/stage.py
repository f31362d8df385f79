"""Attribution stage: journeys → attribution results, reconciled to the cent.

The journeys come from :mod:`revstory.journeys` (``sql/journeys.sql``); the models run
vectorised in numpy over the won deals' touches; money is split per deal in integer minor
units by largest remainder, so per quarter and model ``attributed + unattributed = won
revenue`` exactly. The stage reads through the journeys' connection and creates no table.

With ``engine: spark`` the pipeline runs :mod:`revstory.engines.spark` instead, which computes
the same pair credit, per-deal and per-piece frames on Spark from the same SQL files and hands
them to :func:`credit_frame` and :func:`assemble` below.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import babel.numbers
import duckdb
import numpy as np
import pandas as pd

from revstory.attribute.data_driven import DATA_DRIVEN_MODELS, ClosedJourneys, data_driven_credit
from revstory.attribute.heuristic import Touches
from revstory.attribute.journey_codes import JourneyCodes, won_deals
from revstory.attribute.money import allocate
from revstory.attribute.pairs import CreditPairs, empty_credit_frame, per_piece
from revstory.attribute.touch_credit import PairCredit, pair_credit
from revstory.config import HEURISTIC_MODELS, AttributionConfig
from revstory.contracts import CONVERSION_TOUCH_TYPES
from revstory.engines import EngineName
from revstory.engines.dialect import shared_sql
from revstory.journeys import Journeys, journey_detail
from revstory.uncertainty.intervals import IntervalBounds, bounds_ahead


@dataclass(frozen=True)
class Results:
    """Everything the reports need. Frames are sorted; money is in minor units (``*_minor``).

    - ``attribution``: quarter, content_id, model, revenue_minor, credit (fractional won
      deals), deals_influenced (won deals whose journey holds the piece).
    - ``deal_credit``: quarter, deal_id, content_id, model, credit, revenue_minor — the audit
      trail: every attributed cent belongs to a deal (empty when the run skipped the detail:
      ``credit_pairs`` holds the same figures).
    - ``influence``: quarter, content_id, influenced_revenue_minor, influenced_pipeline_minor,
      won_deals, lost_deals, open_deals (deals whose journey holds the piece).
    - ``summary``: quarter, model, won_deals, won_revenue_minor, touched_won_deals,
      touched_won_revenue_minor, attributed_minor, unattributed_minor.
    - ``deals``: one row per reported deal with touched (bool), touches, readers, cycle_days.
    - ``journeys``: won and lost deals' touches in order: quarter, deal_id, occurred_at,
      content_id, touch_type, channel, reader (1, 2, … per deal; no person identifier), role (the
      reader's role on the deal in the CRM, or None).
    - ``content``, ``performance``, ``ledger``: the validated inputs and the row ledger.
    - ``credit_pairs``: ``deal_credit`` in its compact form, one row per (deal, piece) and a
      column per model (:class:`~revstory.attribute.pairs.CreditPairs`), when the run made
      it; None for results read back from snapshots.
    - ``bounds``: the bootstrap intervals of ``credit_pairs``, started by :func:`attribute`
      (without ``detail``) as soon as the models have run, computing in threads
      (:class:`~revstory.uncertainty.intervals.IntervalBounds`;
      :func:`~revstory.uncertainty.intervals.attribution_intervals` waits for them), or None.
    """

    quarters: tuple[str, ...]
    config: AttributionConfig
    currency_digits: int
    attribution: pd.DataFrame
    deal_credit: pd.DataFrame
    influence: pd.DataFrame
    summary: pd.DataFrame
    deals: pd.DataFrame
    journeys: pd.DataFrame
    content: pd.DataFrame
    performance: pd.DataFrame
    ledger: pd.DataFrame
    credit_pairs: CreditPairs | None = None
    bounds: IntervalBounds | None = None


def content_codes(con: duckdb.DuckDBPyConnection) -> tuple[np.ndarray, np.ndarray]:
    """Return the content ids in content_idx order and their content types.

    They are the code book of ``sql/won_touches.sql``'s content codes; ``(unknown)`` is the
    type of none.
    """
    book = con.execute(
        "SELECT content_id, coalesce(content_type, '(unknown)') AS content_type "
        "FROM content ORDER BY content_id"
    ).fetchnumpy()
    return (
        np.asarray(book["content_id"], dtype=object),
        np.asarray(book["content_type"], dtype=object),
    )


def won_touches_sql(engine: EngineName) -> str:
    """Return the shared touch query of the rule-based models (``sql/won_touches.sql``)."""
    conv = ", ".join(f"'{t}'" for t in CONVERSION_TOUCH_TYPES)
    return shared_sql("won_touches", engine, conversion_types=conv)


def _credit(
    journeys: Journeys,
    config: AttributionConfig,
    won: Mapping[str, Any],
    arrays: Mapping[str, Any],
    book: tuple[np.ndarray, np.ndarray],
) -> CreditPairs:
    """Per (deal, content) pair, every model's credit and revenue in minor units.

    ``won``: the won deals with a journey in deal_idx order (``sql/won_deals.sql``'s
    columns), the code book of the deal codes; ``arrays``: their touches as integer codes
    (``sql/won_touches.sql``'s columns, sorted by the journey key); ``book``: the content
    codes' book (:func:`content_codes`). Strings are looked up in the small code books at the
    end, so millions of touches cost little to move. Reads nothing through the connection.
    """
    pieces, types = book
    fitting = bool(set(DATA_DRIVEN_MODELS) & set(config.models))
    touches = Touches(
        deal=np.asarray(arrays["deal_idx"], dtype=np.int64),
        n_deals=len(won["deal_id"]),
        days_before_close=np.asarray(arrays["days_before_close"], dtype=np.float64),
        is_conversion=np.asarray(arrays["is_conversion"], dtype=bool),
        before_created=np.asarray(arrays["before_created"], dtype=bool),
    )
    credit = pair_credit(
        touches,
        np.asarray(arrays["content_idx"], dtype=np.int64),
        len(pieces),
        np.asarray(won["amount_minor"], dtype=np.int64),
        config.models,
        HEURISTIC_MODELS,
        config.half_life_days,
        # With markov or shapley the data-driven fit already runs beside (its solves on
        # BLAS's threads): more threads here only made both wait for cores (all twelve
        # models at 10M: 1.7 CPU s more, attribution 1 s slower). Else one a CPU.
        threads=1 if fitting else os.cpu_count() or 1,
    )
    return credit_pairs(credit, won, pieces, types, config, journeys.closed)


def credit_frame(
    credit: PairCredit,
    won: Mapping[str, Any],
    pieces: np.ndarray,
    types: np.ndarray,
    config: AttributionConfig,
    closed: Callable[[], ClosedJourneys],
) -> pd.DataFrame:
    """Build the ``deal_credit`` frame from either engine's rule-based pair credit.

    Its :func:`credit_pairs`, laid out long (:meth:`CreditPairs.frame`).
    """
    return credit_pairs(credit, won, pieces, types, config, closed).frame()


def credit_pairs(
    credit: PairCredit,
    won: Mapping[str, Any],
    pieces: np.ndarray,
    types: np.ndarray,
    config: AttributionConfig,
    closed: Callable[[], ClosedJourneys],
) -> CreditPairs:
    """Every model's credit per (deal, piece) from either engine's rule-based pair credit.

    Once the data-driven models are fitted (on ``closed()``, read only when one is asked for)
    and their cents allocated.
    """
    deal_ids = np.asarray(won["deal_id"], dtype=object)
    quarter = np.asarray(won["quarter"], dtype=object)
    amount = np.asarray(won["amount_minor"], dtype=np.int64)
    pair_deal, pair_content = credit.pair_deal, credit.pair_content
    credits, revenues = credit.credit, credit.revenue
    if set(DATA_DRIVEN_MODELS) & set(config.models):  # filled in below: not the caller's
        credits, revenues = credits.copy(order="K"), revenues.copy(order="K")
    journeys = None  # won and lost deals' journeys, read once for the data-driven models
    for m, model in enumerate(config.models):
        if model in DATA_DRIVEN_MODELS:
            journeys = closed() if journeys is None else journeys
            credits[:, m] = data_driven_credit(
                model,
                journeys,
                pair_deal,
                pair_content,
                quarter,
                pieces,
                types,
                credit.linear,
                config.markov_order,
            )
            revenues[:, m] = allocate(pair_deal, amount, credits[:, m], pair_content)
    q_codes, q_names = pd.factorize(pd.Series(quarter, dtype=object), sort=True)
    return CreditPairs(
        pair_deal=pair_deal,
        pair_content=pair_content,
        deal_quarter=np.asarray(q_codes, dtype=np.int64),
        quarters=pd.Index(q_names),
        deal_ids=pd.Index(deal_ids),
        pieces=pd.Index(pieces),
        models=pd.Index(list(config.models)),
        credit=credits,
        revenue=revenues,
    )


def attribute(journeys: Journeys, config: AttributionConfig, detail: bool = True) -> Results:
    """Run every configured model over ``journeys``; returns the reconciled :class:`Results`.

    Reads through the journeys stage's connection and creates no table in it.
    ``detail=False`` skips the touch-level ``journeys`` frame (anecdotes, co-reads) and the
    long ``deal_credit`` frame, which only the site needs; they are then empty (the credit
    is in ``credit_pairs``, which the exports read).
    """
    fitting = bool(set(DATA_DRIVEN_MODELS) & set(config.models))
    if fitting:
        journeys.fit_behind()  # the data-driven fit runs beside the rule-based models
    codes = JourneyCodes.build(journeys.con)
    try:
        deals = codes.deals()
        arrays = codes.won_touches()
        book = content_codes(journeys.con)
        # The influence query, which the models do not need, runs in DuckDB's threads while
        # the models run in numpy's; the connection is the thread's alone until it is done.
        # Not while the data-driven fit runs: it has the cores (its BLAS threads wait for
        # them actively), and more threads beside it made all twelve models slower.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="revstory-influence") as side:
            influence_read = side.submit(codes.influence)
            if fitting:
                influence_read.result()
            pairs = _credit(journeys, config, won_deals(deals), arrays, book)
            influence = influence_read.result()
    finally:
        codes.close()
    # The intervals only read the pairs and the deals: computed while the rest is assembled
    # and the exports write. Not for the site's run (detail), which forks its story's
    # workers later: no thread of this stage may be running then.
    bounds = None if detail else bounds_ahead(pairs, deals, journeys.quarters)
    detail_frame = journey_detail(journeys) if detail else None
    deal_credit = pairs.frame() if detail else empty_credit_frame()
    return assemble(journeys, config, deal_credit, deals, influence, detail_frame, pairs, bounds)


def assemble(
    journeys: Journeys,
    config: AttributionConfig,
    deal_credit: pd.DataFrame,
    deals: pd.DataFrame,
    influence: pd.DataFrame,
    detail_frame: pd.DataFrame | None,
    credit_pairs: CreditPairs | None = None,
    bounds: IntervalBounds | None = None,
) -> Results:
    """Assemble the :class:`Results` from an engine's frames.

    ``detail_frame`` None gives an empty journey detail; the validated inputs are read
    through ``journeys.con``. ``credit_pairs``, when given, is ``deal_credit`` in its
    compact form: the per-piece sums are then read from it; ``bounds``: its intervals, begun.
    """
    con = journeys.con
    if detail_frame is None:
        detail_frame = pd.DataFrame(
            columns=[
                "quarter",
                "deal_id",
                "occurred_at",
                "content_id",
                "touch_type",
                "channel",
                "reader",
                "role",
            ]
        )
    if credit_pairs is not None and len(credit_pairs.pair_deal):
        attribution = per_piece(credit_pairs)
    elif len(deal_credit):
        attribution = _per_piece(deal_credit)
    else:
        attribution = pd.DataFrame(
            columns=[
                "quarter",
                "content_id",
                "model",
                "revenue_minor",
                "credit",
                "deals_influenced",
            ]
        )
    summary = _summary(journeys.quarters, config, deals, attribution)
    digits = babel.numbers.get_currency_precision(config.reporting_currency)
    return Results(
        quarters=journeys.quarters,
        config=config,
        currency_digits=digits,
        attribution=attribution,
        deal_credit=deal_credit,
        influence=influence,
        summary=summary,
        deals=deals,
        journeys=detail_frame,
        content=con.execute("SELECT * FROM content ORDER BY content_id").df(),
        performance=con.execute(
            "SELECT * EXCLUDE (_file) FROM performance ORDER BY content_id, period_start"
        ).df(),
        ledger=con.execute("SELECT * FROM ledger ORDER BY file, outcome, reason").df(),
        credit_pairs=credit_pairs,
        bounds=bounds,
    )


def _per_piece(deal_credit: pd.DataFrame) -> pd.DataFrame:
    """Sum ``deal_credit`` per (quarter, content, model), sorted by their names.

    The groups are keyed on one integer built from the three categoricals' codes: pandas
    then factorizes one column instead of three (a sixth of a second a million pairs), and
    sums each group's rows in the same order, so the credit sums keep their bits.
    """
    cols = [deal_credit[c].cat for c in ("quarter", "content_id", "model")]
    key = cols[0].codes.to_numpy(np.int64)
    for c in cols[1:]:
        key = key * len(c.categories) + c.codes.to_numpy(np.int64)
    grouped = (
        pd.DataFrame(
            {"revenue_minor": deal_credit["revenue_minor"], "credit": deal_credit["credit"]}
        )
        .groupby(key, sort=True)
        # (deal, content, model) rows are unique, so counting rows counts deals.
        .agg(
            revenue_minor=("revenue_minor", "sum"),
            credit=("credit", "sum"),
            deals_influenced=("credit", "size"),
        )
    )
    code = grouped.index.to_numpy(np.int64)
    names = []
    for c in reversed(cols):
        n = len(c.categories)
        names.append(np.asarray(c.categories, dtype=object)[code % n].astype(str))
        code = code // n
    quarter, content_id, model = reversed(names)
    attribution = pd.DataFrame(
        {
            "quarter": quarter,
            "content_id": content_id,
            "model": model,
            "revenue_minor": grouped["revenue_minor"].to_numpy(),
            "credit": grouped["credit"].to_numpy(),
            "deals_influenced": grouped["deals_influenced"].to_numpy(),
        }
    )
    return attribution.sort_values(["quarter", "content_id", "model"], ignore_index=True)


def _summary(
    quarters: tuple[str, ...],
    config: AttributionConfig,
    deals: pd.DataFrame,
    attribution: pd.DataFrame,
) -> pd.DataFrame:
    # Masks over the three columns read, not the won deals' rows copied: the deals frame
    # has a score of columns, most of them text (200k deals: a twentieth of a second).
    won = (deals["status"] == "won").to_numpy(dtype=bool)
    touched_deal = deals["touched"].to_numpy(dtype=bool)
    amount = deals["amount_minor"]
    # Each (quarter, model)'s attributed cents, summed once: integers, so any order gives
    # the same sum (a mask per pair cost a tenth of a second at 10M touches).
    attributed_minor = (
        attribution.groupby(["quarter", "model"])["revenue_minor"].sum().to_dict()
        if len(attribution)
        else {}
    )
    rows = []
    for q in quarters:
        wq = won & (deals["quarter"] == q).to_numpy(dtype=bool)
        touched = wq & touched_deal
        won_rev = int(amount[wq].sum())
        touched_rev = int(amount[touched].sum())
        for model in config.models:
            attributed = int(attributed_minor.get((q, model), 0))
            if attributed != touched_rev:  # pragma: no cover - an invariant, not an input error
                raise AssertionError(f"{q} {model}: attributed {attributed} != {touched_rev}")
            rows.append(
                {
                    "quarter": q,
                    "model": model,
                    "won_deals": int(wq.sum()),
                    "won_revenue_minor": won_rev,
                    "touched_won_deals": int(touched.sum()),
                    "touched_won_revenue_minor": touched_rev,
                    "attributed_minor": attributed,
                    "unattributed_minor": won_rev - attributed,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "quarter",
            "model",
            "won_deals",
            "won_revenue_minor",
            "touched_won_deals",
            "touched_won_revenue_minor",
            "attributed_minor",
            "unattributed_minor",
        ],
    )
