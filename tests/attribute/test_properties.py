"""The pipeline-level invariant on generated drops (Hypothesis): per deal and model the credit
sums to 1 and is never negative, the cents add up to the deal amount, and the result does not
depend on the order of rows. The models' own invariants (hundreds of examples, in memory) are
in test_model_properties.py."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from revstory.config import make_config
from revstory.pipeline import run

CONFIG = make_config({})


@st.composite
def drops(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    n_content = draw(st.integers(1, 4))
    n_people = draw(st.integers(1, 4))
    n_deals = draw(st.integers(1, 4))
    content = pd.DataFrame(
        {
            "content_id": [f"c{i}" for i in range(n_content)],
            "url": [f"https://x.example/c{i}" for i in range(n_content)],
            "title": [f"Piece {i}" for i in range(n_content)],
            "content_type": "article",
        }
    )
    deals, contacts = [], []
    for d in range(n_deals):
        deals.append(
            {
                "deal_id": f"D{d}",
                "account_id": f"A{d}",
                "amount": draw(st.integers(0, 10**7)) / 100,
                "currency": "EUR",
                "created_at": f"2026-07-{draw(st.integers(1, 20)):02d}T09:00:00Z",
                "closed_at": f"2026-09-{draw(st.integers(1, 28)):02d}",
                "status": draw(st.sampled_from(["won", "won", "lost"])),
                "deal_type": "new",
            }
        )
        for p in sorted(draw(st.sets(st.integers(0, n_people - 1), min_size=1))):
            contacts.append({"deal_id": f"D{d}", "person_id": f"p{p}@x.example"})
    n_touches = draw(st.integers(1, 14))
    # Distinct instants: ties would be broken by content id, which renaming may reorder.
    minutes = draw(
        st.lists(st.integers(0, 60 * 24 * 150), min_size=n_touches, max_size=n_touches, unique=True)
    )
    touches = pd.DataFrame(
        {
            "occurred_at": [
                (pd.Timestamp("2026-04-15") + pd.Timedelta(minutes=m)).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                )
                for m in minutes
            ],
            "person_id": [f"p{draw(st.integers(0, n_people - 1))}@x.example" for _ in minutes],
            "content_id": [f"c{draw(st.integers(0, n_content - 1))}" for _ in minutes],
            "touch_type": [
                draw(st.sampled_from(["view", "download", "form_submit"])) for _ in minutes
            ],
        }
    )
    return {
        "content": content,
        "deals": pd.DataFrame(deals),
        "deal_contacts": pd.DataFrame(contacts),
        "touches": touches,
    }


def attribute(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "2026-Q3"
        folder.mkdir()
        for name, frame in tables.items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        results, _ = run([folder], CONFIG)
    return results.deal_credit, results.deals


# Each example is two pipeline runs (CSV → DuckDB → models, then its rows shuffled); the
# hundreds of examples are spent in memory, on the models themselves
# (test_model_properties.py). The default run tries two drops, the slow set (CI) twenty.
FEW = settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cents_add_up_and_row_order_does_not_matter(
    tables: dict[str, pd.DataFrame], rnd: random.Random
) -> None:
    """The one property kept at pipeline level."""
    credit, deals = attribute(tables)
    shuffled = {
        k: v.sample(frac=1, random_state=rnd.randint(0, 10**6)).reset_index(drop=True)
        for k, v in tables.items()
    }
    pd.testing.assert_frame_equal(credit, attribute(shuffled)[0])
    if credit.empty:
        return
    assert (credit["credit"] >= 0).all()
    assert (credit["revenue_minor"] >= 0).all()
    per_deal = credit.groupby(["deal_id", "model"], observed=True).agg(
        c=("credit", "sum"), r=("revenue_minor", "sum")
    )
    np.testing.assert_allclose(per_deal["c"], 1.0, rtol=0, atol=1e-9)
    amounts = deals.set_index("deal_id")["amount_minor"]
    assert (
        per_deal["r"].to_numpy() == amounts.loc[per_deal.index.get_level_values(0)].to_numpy()
    ).all()


@FEW
@given(drops(), st.randoms(use_true_random=False))
def test_cents_add_up_and_row_order_does_not_matter(
    tables: dict[str, pd.DataFrame], rnd: random.Random
) -> None:
    cents_add_up_and_row_order_does_not_matter(tables, rnd)


@pytest.mark.slow
@MANY
@given(drops(), st.randoms(use_true_random=False))
def test_cents_add_up_and_row_order_does_not_matter_on_many_drops(
    tables: dict[str, pd.DataFrame], rnd: random.Random
) -> None:
    cents_add_up_and_row_order_does_not_matter(tables, rnd)
