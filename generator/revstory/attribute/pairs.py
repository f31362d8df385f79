"""``deal_credit`` in its compact form: one row per (deal, piece) pair, one column per model.

The models produce their credit this way (:class:`~revstory.attribute.touch_credit.PairCredit`):
a pair's quarter, deal and piece are the same for every model, so the long
``deal_credit`` frame (one row per pair *and* model: ten to twelve times as many rows, 25M at
10M touches) repeats them. :attr:`Results.credit_pairs` keeps this form beside the frame, and
the per-piece sums (:func:`per_piece`) and the intervals
(:func:`revstory.uncertainty.intervals.attribution_intervals`) read it: the same sums in the
same order, so the same bits, over a tenth of the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CreditPairs:
    """Credit and cents per (deal, piece) pair, pairs in (deal, content) order.

    Deals are the won deals with a journey in (quarter, deal_id) order, so each quarter's
    pairs are one run of rows.
    """

    pair_deal: Ints
    """The deal of each pair: its position in :attr:`deal_ids` (non-decreasing)."""
    pair_content: Ints
    """The piece of each pair: its position in :attr:`pieces`."""
    deal_quarter: Ints
    """Each deal's quarter: its position in :attr:`quarters` (non-decreasing)."""
    quarters: pd.Index
    """The won deals' quarters, sorted."""
    deal_ids: pd.Index
    pieces: pd.Index
    """The content inventory by content_id (the content codes' book)."""
    models: pd.Index
    """The configured models, in their configured order (the columns)."""
    credit: Floats
    """Fractional deals, shape (pairs, models)."""
    revenue: npt.NDArray[np.int64]
    """Minor units, shape (pairs, models)."""

    def quarter_rows(self, quarter: int) -> slice:
        """Return the rows of the pairs of the deals of quarter code ``quarter``."""
        lo, hi = np.searchsorted(self.deal_quarter[self.pair_deal], [quarter, quarter + 1])
        return slice(int(lo), int(hi))

    def frame(self) -> pd.DataFrame:
        """Lay the pairs out long: ``Results.deal_credit``, one row per pair and model.

        Sorted by quarter, deal, content and model in code order, categorical keys.
        """
        n_models = len(self.models)
        if len(self.pair_deal) == 0:
            return empty_credit_frame()
        # Deals are numbered in (quarter, deal_id) order and pairs sorted by (deal, content),
        # so laying the models side by side gives the documented sort order without sorting.
        return pd.DataFrame(
            {
                "quarter": pd.Categorical.from_codes(
                    np.repeat(self.deal_quarter[self.pair_deal], n_models),
                    categories=self.quarters,
                ),
                "deal_id": pd.Categorical.from_codes(
                    np.repeat(self.pair_deal, n_models), categories=self.deal_ids
                ),
                "content_id": pd.Categorical.from_codes(
                    np.repeat(self.pair_content, n_models), categories=self.pieces
                ),
                "model": pd.Categorical.from_codes(
                    np.tile(np.arange(n_models), len(self.pair_deal)), categories=self.models
                ),
                "credit": self.credit.ravel(),
                "revenue_minor": self.revenue.ravel(),
            }
        )


def empty_credit_frame() -> pd.DataFrame:
    """Return a ``deal_credit`` frame without rows (no pairs, or none asked for)."""
    return pd.DataFrame(
        {
            "quarter": pd.Series(dtype=object),
            "deal_id": pd.Series(dtype=object),
            "content_id": pd.Series(dtype=object),
            "model": pd.Series(dtype=object),
            "credit": pd.Series(dtype="float64"),
            "revenue_minor": pd.Series(dtype="int64"),
        }
    )


def per_piece(pairs: CreditPairs) -> pd.DataFrame:
    """Sum the credit per (quarter, content, model), sorted by their names.

    The frame ``_per_piece`` of :mod:`revstory.attribute.stage` makes from the long
    ``deal_credit``, bit for bit: pandas sums each group's rows in row order (compensated),
    and a (quarter, piece) group's rows here are that group's rows there, model by model, in
    the same deal order. Every pair holds every model, so a group's pairs count its deals.
    """
    n_models, n_pieces = len(pairs.models), len(pairs.pieces)
    key = pairs.deal_quarter[pairs.pair_deal] * n_pieces + pairs.pair_content
    # The (pairs, models) arrays as they are: one block each, no copy; a group's sums are
    # the same whichever frame holds the column.
    grouped = pd.DataFrame(pairs.revenue, copy=False).groupby(key, sort=True)
    revenue = grouped.sum().to_numpy(np.int64)
    counts = grouped.size()
    size, code = counts.to_numpy(np.int64), counts.index.to_numpy(np.int64)
    credit_sums = pd.DataFrame(pairs.credit, copy=False).groupby(key, sort=True).sum()
    credit = credit_sums.to_numpy(np.float64)
    n_groups = len(code)
    quarters, pieces, models = (_names(i) for i in (pairs.quarters, pairs.pieces, pairs.models))
    # Rows (group, model) with the models by name: the groups come in (quarter, piece) code
    # order, which is their names' order when the books are sorted (they are: the quarters
    # factorized sorted, the pieces by content_id). Then no sort of 100k rows by three strings.
    by_name = np.argsort(np.asarray(models, dtype=object), kind="stable")
    group = np.repeat(np.arange(n_groups), n_models)
    model = np.tile(by_name, n_groups)
    attribution = pd.DataFrame(
        {
            "quarter": quarters.take(code[group] // n_pieces),
            "content_id": pieces.take(code[group] % n_pieces),
            "model": models.take(model),
            "revenue_minor": revenue[group, model],
            "credit": credit[group, model],
            "deals_influenced": size[group],
        }
    )
    if _sorted(quarters) and _sorted(pieces):
        return attribution
    return attribution.sort_values(["quarter", "content_id", "model"], ignore_index=True)


def _names(book: pd.Index) -> pd.api.extensions.ExtensionArray:
    """Return a code book's names as pandas strings, to be taken per row (one string each)."""
    return pd.array(np.asarray(book, dtype=object).astype(str), dtype="str")


def _sorted(names: pd.api.extensions.ExtensionArray) -> bool:
    """Tell whether ``names`` are strictly increasing (as pandas sorts strings)."""
    index = pd.Index(names)
    return bool(index.is_monotonic_increasing and index.is_unique)
