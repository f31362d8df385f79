"""Rule-based attribution models, vectorised over many journeys at once.

Input is a *touch table* sorted by journey then time: one row per touch with the journey's
index (``deal``, non-decreasing), the touch's role flags and timing. Output is one weight per
touch; within each journey the weights sum to 1 (up to float rounding).

Roles, in time order within a journey:

- FT, first touch: the journey's first touch.
- LC, lead creation: the first conversion touch (form fill or download).
- OC, opportunity creation: the last touch at or before the deal was created.
- CW, closed: the last touch before the close.

The one rule for coincidence and absence: a touch holding several roles gets the sum of
their weights; the weight of a role that is missing from a journey is shared among the
model's roles that are present, in proportion to their weights; the "middle" share is split
equally over the touches that hold none of the model's roles, and when there are none it is
shared among the role touches in proportion to their weights. So every journey's weights
sum to exactly 1 in exact arithmetic, whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PositionRule:
    """A position model: weight per role, and the share spread over the middle touches."""

    roles: dict[str, float]
    middle: float


#: The position models. Their weights are the published ones (see DESIGN.md).
POSITION_RULES: dict[str, PositionRule] = {
    # The rule of each model in words lives once, in the site's catalogs (rule.<model>).
    "first_touch": PositionRule({"FT": 1.0}, 0.0),
    "last_touch": PositionRule({"CW": 1.0}, 0.0),
    "position_based": PositionRule({"FT": 0.4, "CW": 0.4}, 0.2),
    "u_shaped": PositionRule({"FT": 0.4, "LC": 0.4}, 0.2),
    "w_shaped": PositionRule({"FT": 0.3, "LC": 0.3, "OC": 0.3}, 0.1),
    "full_path": PositionRule({"FT": 0.225, "LC": 0.225, "OC": 0.225, "CW": 0.225}, 0.1),
    "j_shaped": PositionRule({"FT": 0.2, "CW": 0.6}, 0.2),
    "inverse_j": PositionRule({"FT": 0.6, "CW": 0.2}, 0.2),
}


@dataclass(frozen=True)
class Touches:
    """Touch table for the models; all arrays have one entry per touch.

    ``deal`` must be non-decreasing and touches in time order within a deal.
    """

    deal: Ints
    n_deals: int
    #: Days from the touch to the close (>= 0), for time decay.
    days_before_close: Floats
    is_conversion: Bools
    #: Touch happened at or before the deal's creation.
    before_created: Bools


def _segment_bounds(t: Touches) -> tuple[Ints, Ints]:
    """Per deal: index of the first touch and number of touches (0 for deals without touches)."""
    counts = np.bincount(t.deal, minlength=t.n_deals).astype(np.int64)
    starts = np.zeros(t.n_deals, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    return starts, counts


def role_flags(t: Touches) -> dict[str, Bools]:
    """Boolean role masks FT, LC, OC, CW over the touches (see module docstring)."""
    n = len(t.deal)
    starts, counts = _segment_bounds(t)
    has = counts > 0
    flags = {r: np.zeros(n, dtype=bool) for r in ("FT", "LC", "OC", "CW")}
    flags["FT"][starts[has]] = True
    flags["CW"][(starts + counts - 1)[has]] = True
    idx = np.arange(n, dtype=np.int64)
    # LC: first conversion touch per deal = minimum index among conversion touches.
    conv = idx[t.is_conversion]
    first_conv = np.full(t.n_deals, n, dtype=np.int64)
    np.minimum.at(first_conv, t.deal[conv], conv)
    flags["LC"][first_conv[first_conv < n]] = True
    # OC: last touch at or before creation = maximum index among such touches.
    pre = idx[t.before_created]
    last_pre = np.full(t.n_deals, -1, dtype=np.int64)
    np.maximum.at(last_pre, t.deal[pre], pre)
    flags["OC"][last_pre[last_pre >= 0]] = True
    return flags


def role_presence(t: Touches, flags: dict[str, Bools]) -> dict[str, Ints]:
    """Per role, 1 for the deals one of whose touches holds it, else 0 (see :func:`role_flags`).

    The same for every position model: computed once, passed to each.
    """
    return {
        role: np.bincount(t.deal[mask], minlength=t.n_deals).clip(0, 1)
        for role, mask in flags.items()
    }


def position_weights(
    t: Touches,
    rule: PositionRule,
    flags: dict[str, Bools],
    presence: dict[str, Ints] | None = None,
) -> Floats:
    """Weights of a position model, following the module's coincidence/absence rule.

    ``presence``: :func:`role_presence` of ``flags``, when the caller has it already.
    """
    total_role = sum(rule.roles.values())
    n = len(t.deal)
    holds = np.zeros(n, dtype=bool)
    present_w = np.zeros(t.n_deals)
    for role, w in rule.roles.items():
        holds |= flags[role]
        has = (
            presence[role]
            if presence is not None
            else np.bincount(t.deal[flags[role]], minlength=t.n_deals).clip(0, 1)
        )
        present_w += w * has
    # A missing role's weight goes to the present ones in proportion: scale per deal.
    scale = np.divide(total_role, present_w, out=np.zeros_like(present_w), where=present_w > 0)
    role_w = np.zeros(n)
    for role, w in rule.roles.items():
        role_w += np.where(flags[role], w, 0.0)
    role_w *= scale[t.deal]
    n_mid = np.bincount(t.deal[~holds], minlength=t.n_deals)
    mid_each = np.divide(rule.middle, n_mid, out=np.zeros(t.n_deals), where=n_mid > 0)
    weights = role_w + np.where(holds, 0.0, mid_each[t.deal])
    # No middle touches: the middle share follows the role weights.
    no_mid = (n_mid == 0)[t.deal]
    if rule.middle and no_mid.any():
        weights = np.where(no_mid, role_w / total_role, weights)
    return weights


def linear_weights(t: Touches) -> Floats:
    """Return each touch's linear weight: one over the number of touches of its deal."""
    counts = np.bincount(t.deal, minlength=t.n_deals)
    return 1.0 / counts[t.deal]


def time_decay_weights(t: Touches, half_life_days: float) -> Floats:
    """2^(−days/half-life), normalised per deal (HubSpot's 7-day half-life by default)."""
    raw = np.exp2(-t.days_before_close / half_life_days)
    # Normalise against each deal's largest weight first so long journeys cannot underflow.
    peak = np.zeros(t.n_deals)
    np.maximum.at(peak, t.deal, raw)
    if (peak[t.deal] == 0).any():
        shift = np.full(t.n_deals, np.inf)
        np.minimum.at(shift, t.deal, t.days_before_close)
        raw = np.exp2(-(t.days_before_close - shift[t.deal]) / half_life_days)
    sums = np.bincount(t.deal, weights=raw, minlength=t.n_deals)
    return raw / sums[t.deal]


def weights_for(
    model: str,
    t: Touches,
    flags: dict[str, Bools],
    half_life_days: float,
    presence: dict[str, Ints] | None = None,
) -> Floats:
    """Per-touch weights of one heuristic model (``presence``: see :func:`position_weights`)."""
    if model == "linear":
        return linear_weights(t)
    if model == "time_decay":
        return time_decay_weights(t, half_life_days)
    return position_weights(t, POSITION_RULES[model], flags, presence)
