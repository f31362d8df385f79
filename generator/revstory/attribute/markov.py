"""Exact removal-effect Markov attribution, solved as an absorbing chain (no simulation).

Conventions (ChannelAttribution's, made exact):

- A journey is a sequence of states (content pieces, or content types or channels): the
  chain starts in START, walks through the journey's states and ends in CONVERSION (a won
  deal) or NULL (a lost deal). Consecutive touches of the same state are one state.
- Transition probabilities are the observed transition counts, normalised per state (each
  journey counts with its weight; 1 by default).
- The removal effect of ``k`` is ``RE_k = 1 − P(conv | k removed) / P(conv)``, where
  removing ``k`` sends every walk that reaches ``k`` to NULL. Same input, same figures.
- Order ``o > 1``: a state is the tuple of the last ``o`` (collapsed) pieces of the journey,
  shorter at the journey's start; removing piece ``k`` removes every state whose tuple holds
  ``k``.

How it is solved (one inverse, not one solve per state). With ``Q`` the transient part of
the transition matrix, ``N = (I − Q)⁻¹`` the fundamental matrix and ``b = N r`` the
absorption probability into CONVERSION from each state (``r`` = one-step probabilities into
CONVERSION), the walks from START that avoid ``k`` convert with probability
``b_s − (N_sk / N_kk)·b_k``: ``N_sk / N_kk`` is the probability of ever reaching ``k`` from
START. Hence ``RE_k = (N_sk / N_kk)·b_k / b_s``, computed without a subtraction, so it is
never negative. For a removed *set* ``S`` (order > 1) the same argument gives
``b_s − N_sS (N_SS)⁻¹ b_S``.

The value variant replaces ``r`` by the expected conversion value per step (the mean value
of the conversions leaving each state times its probability of converting next), which is
the exact quantity ChannelAttribution's value simulation estimates.

Input frame (as arrays, one entry per touch): journey id (touches of one journey contiguous,
in time order), state code in ``[0, n_states)``, converted flag (read on the journey's last
touch), optional journey weight and conversion value (also read on the last touch; the value
is the journey's total, already multiplied by its weight). Output: removal effects per state
code (0 for states that never occur).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: Above this many chain states the dense inverse gets too large (memory ~ 8·M² bytes ×3).
MAX_DENSE_STATES = 8_000


@dataclass(frozen=True)
class MarkovResult:
    """Removal effects per state code, and the chain's figures the methodology page shows."""

    order: int
    #: ``RE_k`` per input state code, in [0, 1]; 0 for codes that never occur.
    removal_effects: Floats
    #: The same for the expected conversion value (None when no value was given).
    value_removal_effects: Floats | None
    #: P(reaching CONVERSION from START).
    conversion_probability: float
    #: Number of chain states (tuples for order > 1), START and absorbing states excluded.
    n_chain_states: int

    def shares(self) -> Floats:
        """Return the removal effects normalised to sum to 1 (all zeros when every one is 0)."""
        return _normalise(self.removal_effects)

    def value_shares(self) -> Floats:
        """Return the value-weighted removal effects normalised to sum to 1.

        Raises ``ValueError`` when no conversion value was given.
        """
        if self.value_removal_effects is None:
            raise ValueError("no conversion value was given to removal_effects(value=...)")
        return _normalise(self.value_removal_effects)


def _normalise(x: Floats) -> Floats:
    total = float(x.sum())
    return x / total if total > 0 else np.zeros_like(x)


def _collapse(journey: Ints, state: Ints) -> tuple[Bools, Bools]:
    """Rows kept after merging consecutive repeats, and the journey-start flags of all rows."""
    n = len(journey)
    start = np.ones(n, dtype=bool)
    start[1:] = journey[1:] != journey[:-1]
    keep = start.copy()
    keep[1:] |= state[1:] != state[:-1]
    return keep, start


def _tuple_states(state: Ints, start: Bools, order: int, base: int) -> Ints:
    """Encode the last ``order`` pieces at each row as one integer (shorter at journey start)."""
    n = len(state)
    pos = np.arange(n) - np.maximum.accumulate(np.where(start, np.arange(n), 0))
    key = state + 1
    for lag in range(1, order):
        prev = np.zeros(n, dtype=np.int64)
        prev[lag:] = state[:-lag] + 1
        prev[pos < lag] = 0
        key = key * base + prev
    return key


def _decode(keys: Ints, order: int, base: int) -> list[set[int]]:
    """Pieces held by each tuple state."""
    out: list[set[int]] = []
    for key in keys.tolist():
        pieces = set()
        for _ in range(order):
            digit = key % base
            if digit:
                pieces.add(digit - 1)
            key //= base
        out.append(pieces)
    return out


def removal_effects(
    journey: npt.ArrayLike,
    state: npt.ArrayLike,
    converted: npt.ArrayLike,
    n_states: int,
    *,
    order: int = 1,
    weight: npt.ArrayLike | None = None,
    value: npt.ArrayLike | None = None,
) -> MarkovResult:
    """Exact removal effects of an order-``order`` Markov chain (see the module docstring).

    Raises ``ValueError`` for malformed input and when a higher order gives more chain
    states than a dense solve can hold.
    """
    if order not in (1, 2, 3):
        raise ValueError(f"order must be 1, 2 or 3, not {order}")
    j = np.asarray(journey, dtype=np.int64)
    s = np.asarray(state, dtype=np.int64)
    conv = np.asarray(converted, dtype=bool)
    if not (len(j) == len(s) == len(conv)):
        raise ValueError("journey, state and converted must have one entry per touch")
    w_row = np.ones(len(j)) if weight is None else np.asarray(weight, dtype=np.float64)
    v_row = None if value is None else np.asarray(value, dtype=np.float64)
    empty = np.zeros(n_states)
    if len(j) == 0:
        return MarkovResult(order, empty, None if v_row is None else empty.copy(), 0.0, 0)
    if s.min() < 0 or s.max() >= n_states:
        raise ValueError(f"state codes must lie in [0, {n_states})")

    keep, start = _collapse(j, s)
    if order > 1:
        base = n_states + 1
        if base**order >= 2**62:
            raise ValueError(f"too many states ({n_states}) for order {order}")
        key = _tuple_states(s[keep], start[keep], order, base)
    else:
        key = s[keep]
    j, start = j[keep], start[keep]
    last = np.zeros(len(j), dtype=bool)
    last[:-1] = start[1:]
    last[-1] = True
    # Per-journey attributes live on the journey's last original row.
    orig = np.asarray(journey, dtype=np.int64)
    orig_last = np.r_[orig[1:] != orig[:-1], True]
    conv_j, w_j = conv[orig_last], w_row[orig_last]
    v_j = None if v_row is None else v_row[orig_last]

    if order == 1:
        present = np.bincount(key, minlength=n_states) > 0
        codes = np.flatnonzero(present).astype(np.int64)
        remap = np.cumsum(present) - 1
        idx = remap[key]
    else:
        codes, idx = np.unique(key, return_inverse=True)
    m = len(codes)
    if m > MAX_DENSE_STATES:
        raise ValueError(
            f"the order-{order} chain has {m} states, more than the {MAX_DENSE_STATES} a dense "
            "solve handles; use order 1 or group pieces (content types or channels)"
        )
    s_idx, c_idx, n_idx = m, m + 1, m + 2
    width = m + 3
    w_touch = w_j[np.cumsum(start) - 1]
    # Transitions: START → first state; state → next state; last state → CONV or NULL.
    frm = np.concatenate([np.full(int(start.sum()), s_idx), idx])
    nxt = np.empty(len(idx), dtype=np.int64)
    nxt[:-1] = idx[1:]
    nxt[last] = np.where(conv_j, c_idx, n_idx)
    to = np.concatenate([idx[start], nxt])
    wt = np.concatenate([w_j, w_touch])
    value_out: Floats | None = None
    if v_j is not None:
        last_state = idx[last]
        value_out = np.asarray(
            np.bincount(last_state[conv_j], weights=v_j[conv_j], minlength=m + 1),
            dtype=np.float64,
        )
    # Counted straight into LAPACK's (Fortran) layout, to-state major: the transient block
    # the solve factorises is then the counts' own first m + 1 columns, divided in place,
    # so the solve holds one (m + 1)² matrix, never a copy (5,000 pieces: 200 MB, not 600).
    # Each cell sums the same weights in the same order as a row-major count would.
    # Not kept under a name here: chain_effects overwrites the counts once read.
    return chain_effects(
        np.asarray(
            np.bincount(to * (m + 1) + frm, weights=wt, minlength=width * (m + 1)),
            dtype=np.float64,
        )
        .reshape(width, m + 1)
        .T,
        codes,
        n_states,
        order,
        value_out,
    )


def chain_effects(
    counts: Floats,
    codes: Ints,
    n_states: int,
    order: int = 1,
    value_out: Floats | None = None,
) -> MarkovResult:
    """Solve the exact removal effects from the chain's transition counts.

    The solve of :func:`removal_effects`, for an engine that counts the transitions itself.

    ``counts`` has ``m + 1`` rows (the ``m`` chain states, in the order of ``codes``, then
    START) and ``m + 3`` columns (the states, START, CONVERSION, NULL); ``codes`` are the
    states' input codes (order 1) or tuple keys (order > 1), ascending. ``value_out``: the
    conversion value leaving each row into CONVERSION, for the value variant. ``counts`` is
    overwritten; in Fortran order (as :func:`removal_effects` counts) it is solved in place,
    otherwise its transient block is copied into that order first.
    """
    m = len(codes)
    s_idx, c_idx = m, m + 1
    # Row sums: in Fortran order numpy adds a row's cells one by one, in C order pairwise;
    # both exact for counts (whole numbers below 2⁵³), so the same totals either way.
    out = counts.sum(axis=1)
    out[out == 0] = 1.0
    r = counts[:, c_idx] / out
    rv = None if value_out is None else value_out / out
    a: Floats = counts[:, : m + 1]  # a view, Fortran-contiguous when counts is
    if not a.flags.f_contiguous or a.dtype != np.float64:
        a = np.array(a, dtype=np.float64, order="F")  # LAPACK's layout: factorised in place
    del counts
    a /= -out[:, None]
    a[np.diag_indices(m + 1)] += 1.0

    if order == 1:
        system = [a]  # handed over: the solve frees the matrix as soon as it is factorised
        del a
        diag, row_s, absorbs = _diag_row_solve(system, s_idx, [r] if rv is None else [r, rv])
        fundamental = None
    else:
        fundamental = np.linalg.inv(a)
        del a
        absorbs = [fundamental @ x for x in ([r] if rv is None else [r, rv])]
    b = absorbs[0]
    bv = absorbs[1] if rv is not None else None
    b_s = float(b[s_idx])

    def effects(absorb: Floats) -> Floats:
        base_p = float(absorb[s_idx])
        res = np.zeros(n_states)
        if base_p <= 0:
            return res
        if fundamental is None:
            reach = row_s[:m] / diag[:m]
            res[codes] = np.clip(reach * absorb[:m] / base_p, 0.0, 1.0)
            return res
        for piece, members in _members(codes, order, n_states + 1).items():
            sel = np.asarray(members, dtype=np.int64)
            lost = fundamental[s_idx, sel] @ np.linalg.solve(
                fundamental[np.ix_(sel, sel)], absorb[sel]
            )
            res[piece] = min(max(lost / base_p, 0.0), 1.0)
        return res

    re = effects(b)
    re_v = None if bv is None else effects(bv)
    return MarkovResult(order, re, re_v, b_s, m)


def _diag_row_solve(
    system: list[Floats], s_idx: int, rhs: list[Floats]
) -> tuple[Floats, Floats, list[Floats]]:
    """For ``N = a⁻¹``: its diagonal, its row ``s_idx`` and ``N @ x`` for each ``x`` in ``rhs``.

    ``system`` holds ``a`` alone (Fortran order), handed over: it is taken out of the list and
    overwritten, so no caller keeps the n² matrix alive through the solve.
    With SciPy: one LU factorisation and the two triangular inverses (4/3·n³ flops, half of a
    full inverse); ``diag(N) = diag(U⁻¹ L⁻¹ P)`` is read off without forming ``N``. Without
    SciPy, a plain dense inverse.
    """
    a = system.pop()
    try:
        from scipy.linalg import lapack, lu_factor, lu_solve
    except ImportError:  # pragma: no cover - scipy is a dependency; this keeps numpy-only use
        inv = np.linalg.inv(a)
        return np.diagonal(inv).copy(), inv[s_idx].copy(), [inv @ x for x in rhs]
    n = a.shape[0]
    lu, piv = lu_factor(a, overwrite_a=True, check_finite=False)
    del a
    e_s = np.zeros(n)
    e_s[s_idx] = 1.0
    row_s = lu_solve((lu, piv), e_s, trans=1, check_finite=False)
    solved = [lu_solve((lu, piv), x, check_finite=False) for x in rhs]
    # getrf's pivots are successive row swaps: turn them into the permutation of A's rows.
    perm = np.arange(n)
    for i, p in enumerate(piv.tolist()):
        if p != i:
            perm[i], perm[p] = perm[p], perm[i]
    # Both triangular inverses in lu itself: dtrtri reads and writes only its own triangle
    # (the unit diagonal of L is not referenced), so the strict lower part becomes L⁻¹'s and
    # the upper part with the diagonal U⁻¹'s, the very values of two separate inversions
    # without their two n² copies.
    inv, info_l = lapack.dtrtri(lu, lower=1, unitdiag=1, overwrite_c=1)
    inv, info_u = lapack.dtrtri(inv, lower=0, overwrite_c=1)
    del lu
    if info_l or info_u:
        raise np.linalg.LinAlgError("the Markov chain's transition system is singular")
    # A[perm] = L U, so A⁻¹ = U⁻¹ L⁻¹ P with (P x)_i = x[perm_i]; column m of L⁻¹ P is
    # column pos(m) of L⁻¹, pos the inverse permutation.
    pos = np.empty(n, dtype=np.int64)
    pos[perm] = np.arange(n)
    return _diagonal(inv, pos), row_s, solved


#: Diagonal entries computed per block (two n × 64 slices: 5,000 pieces, 5 MB).
DIAG_BLOCK = 64


def _diagonal(inv: Floats, pos: Ints) -> Floats:
    """``diag(U⁻¹ L⁻¹ P)`` from ``inv`` (U⁻¹ on and above its diagonal, L⁻¹ below it).

    Block by block of diagonal entries ``k``: U⁻¹'s rows ``k`` and L⁻¹'s columns ``pos(k)``
    (unit diagonal, zeros above) as full slices, and the same ``einsum`` a whole-matrix
    product runs, in the same layouts (rows of U⁻¹ in Fortran order, gathered columns of
    L⁻¹ in C order: ``k`` the contiguous axis of both), so each entry adds the same
    products in the same order as the product of the two whole triangles did.
    """
    n = inv.shape[0]
    diag = np.empty(n)
    j = np.arange(n)
    for lo in range(0, n, DIAG_BLOCK):
        ks = j[lo : lo + DIAG_BLOCK]
        upper = np.array(inv[lo : lo + len(ks)], order="F")  # a copy: zero left of k
        upper[j[None, :] < ks[:, None]] = 0.0
        cols = pos[ks]
        lower = np.ascontiguousarray(inv[:, cols])  # L⁻¹'s columns: zero above, 1 on it
        lower[j[:, None] <= cols[None, :]] = 0.0
        lower[cols, j[: len(ks)]] = 1.0
        diag[lo : lo + len(ks)] = np.einsum("kj,jk->k", upper, lower, optimize=False)
    return diag


def _members(codes: Ints, order: int, base: int) -> dict[int, list[int]]:
    """Piece → indexes of the tuple states that hold it (ascending piece order)."""
    out: dict[int, list[int]] = {}
    for i, pieces in enumerate(_decode(codes, order, base)):
        for p in pieces:
            out.setdefault(p, []).append(i)
    return dict(sorted(out.items()))


def pair_credit(
    pair_deal: Ints, pair_state: Ints, effects: Floats, n_deals: int, fallback: Floats
) -> Floats:
    """Split each deal over its (deal, state) pairs in proportion to the removal effects.

    Deals whose pairs all have a zero effect keep ``fallback`` (e.g. linear) credit.

    Credits sum to 1 per deal (up to float rounding), so money reconciles through
    :func:`revstory.attribute.money.allocate`.
    """
    raw = effects[pair_state]
    total = np.bincount(pair_deal, weights=raw, minlength=n_deals)
    ok = total[pair_deal] > 0
    share = np.divide(raw, total[pair_deal], out=np.zeros_like(raw), where=ok)
    return np.where(ok, share, fallback)
