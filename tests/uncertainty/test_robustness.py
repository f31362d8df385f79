"""How robust the top list is: across bootstrap resamples and across models."""

from __future__ import annotations

import numpy as np
import pytest
from revstory.attribute.stage import Results
from revstory.site.first_screen import article_robustness, robustness_line
from revstory.site.fmt import Formatter
from revstory.site.i18n import translator
from revstory.site.settings import site_settings
from revstory.uncertainty.intervals import attribution_intervals
from revstory.uncertainty.robustness import (
    Robustness,
    in_top,
    resampled_totals,
    top_robustness,
    total_interval,
)

MODELS = site_settings({}).models


@pytest.fixture(scope="module")
def results(minimal_results: Results) -> Results:
    return minimal_results


def test_in_top_counts_ties_and_leaves_out_pieces_without_credit() -> None:
    totals = np.array(
        [
            [5.0, 3.0, 3.0, 1.0],  # top 2: 5, then 3 and 3 share second place
            [0.0, 0.0, 2.0, 1.0],  # 2 and 1
            [0.0, 0.0, 0.0, 4.0],  # only one piece has credit
        ]
    )
    assert in_top(totals, 2).tolist() == [
        [True, True, True, False],
        [False, False, True, True],
        [False, False, False, True],
    ]
    # A top larger than the pieces holds every piece with credit.
    assert in_top(totals, 10).sum(axis=0).tolist() == [1, 1, 2, 3]


def test_robustness_from_hand_made_resamples(results: Results) -> None:
    # Four resamples of the minimal drop's five pieces; top 1.
    boot = np.array(
        [
            [4.0, 1.0, 1.0, 1.0, 4.0],  # a and e tie first
            [0.0, 0.0, 0.0, 0.0, 0.0],  # D1 not drawn: nobody has credit
            [8.0, 2.0, 2.0, 2.0, 9.0],  # e first
            [8.0, 2.0, 2.0, 2.0, 8.0],  # a and e tie first
        ]
    )
    r = top_robustness(results, "2026-Q3", MODELS, 1, (["a", "b", "c", "d", "e"], boot))
    assert r["a"].resamples_in_top == 2 and r["e"].resamples_in_top == 3
    assert r["b"].resamples_in_top == 0
    assert r["a"].samples == 4 and r["a"].resample_share == 0.5


def test_robustness_of_the_minimal_drop(results: Results) -> None:
    resampled = resampled_totals(results, "2026-Q3", "position_based")
    pieces, boot = resampled
    assert pieces == ["a", "b", "c", "d", "e"] and boot.shape == (200, 5)
    # The resamples are the intervals' own: the same percentiles per piece.
    iv = attribution_intervals(results)
    iv = iv[iv["model"] == "position_based"].set_index("content_id")
    low, high = np.quantile(boot, [0.05, 0.95], axis=0)
    assert low.round().tolist() == iv.loc[pieces, "revenue_low_minor"].tolist()
    assert high.round().tolist() == iv.loc[pieces, "revenue_high_minor"].tolist()
    # Every resample draws D1 (the only touched won deal) or not: the pieces share one fate.
    drawn = int((boot[:, 0] > 0).sum())
    r = top_robustness(results, "2026-Q3", MODELS, 10, resampled)
    # D1's journey is a, b, c, d, e (its touch of a on 9 Aug is after the close on 8 Aug):
    # first_touch gives nothing to b-e, last_touch nothing to a-d.
    assert r == {
        "a": Robustness("a", 10, drawn, 200, 11, 12),
        "b": Robustness("b", 10, drawn, 200, 10, 12),
        "c": Robustness("c", 10, drawn, 200, 10, 12),
        "d": Robustness("d", 10, drawn, 200, 10, 12),
        "e": Robustness("e", 10, drawn, 200, 11, 12),
    }
    # D1 and D3 are the quarter's won deals: D1 is left out of about a quarter of them.
    assert 0.6 < drawn / 200 < 0.9
    assert total_interval(results, "2026-Q3", "position_based", boot) == (0, 2_400_000)


def test_the_robustness_line_in_three_languages() -> None:
    r = Robustness("a", 10, 188, 200, 10, 12)
    assert robustness_line(r, translator("en"), Formatter("en", "EUR")) == (
        "top 10 in 94% of resamples and 10 of 12 models"
    )
    assert robustness_line(r, translator("fr"), Formatter("fr", "EUR")) == (
        "dans le top 10 pour 94\xa0% des rééchantillonnages et pour 10 modèles sur 12"
    )
    assert robustness_line(r, translator("pl"), Formatter("pl", "EUR")) == (
        "wśród 10 najlepszych w 94% losowań bootstrapowych i w 10 z 12 modeli"
    )
    assert article_robustness(r, "2026-Q3", translator("en"), Formatter("en", "EUR")) == (
        "In Q3 2026: top 10 in 94% of resamples and 10 of 12 models."
    )
    assert robustness_line(None, translator("en"), Formatter("en", "EUR")) == ""
