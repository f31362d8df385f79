"""Synthetic, seeded quarter drops in the native format.

The data has the shape real drops have: a content inventory of several types with a few
popular pieces and a long tail; buying groups of several contacts per account who read
content months before a deal is created; won, lost and open deals (new business, renewals,
expansion) in several currencies; touched deals that win more often and close faster; some
pieces with plenty of traffic that no buyer reads; and person ids that are real-looking
emails, so pseudonymisation is exercised. Same seed and sizes → byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from revstory.quarter import Quarter

#: Sizes of one unit of ``--scale``. The ratios match the benchmark target
#: (10M touches / 200k deals / 5k articles ≈ scale 250 with overrides).
BASE_ARTICLES = 40
BASE_DEALS = 600
BASE_TOUCHES = 30_000

TYPES = np.array(["article", "ebook", "video", "webinar", "case_study"])
TYPE_P = np.array([0.55, 0.12, 0.13, 0.1, 0.1])
TOUCH_BY_TYPE = {
    "article": (["view", "email_click", "sales_share", "form_submit"], [0.8, 0.1, 0.05, 0.05]),
    "ebook": (["download", "view", "email_click"], [0.5, 0.35, 0.15]),
    "video": (["video_view", "view", "sales_share"], [0.75, 0.15, 0.1]),
    "webinar": (["webinar_attended", "form_submit", "view"], [0.55, 0.3, 0.15]),
    "case_study": (["view", "sales_share", "download"], [0.6, 0.3, 0.1]),
}
CHANNELS = np.array(["organic_search", "email", "paid_social", "direct", "referral", "sales"])
CHANNEL_P = np.array([0.35, 0.22, 0.13, 0.14, 0.08, 0.08])
TOPICS = [
    "revenue attribution",
    "pipeline reviews",
    "sales and marketing alignment",
    "ABM",
    "content ROI",
    "buyer journeys",
    "intent data",
    "lead scoring",
    "customer retention",
    "pricing pages",
    "product-led growth",
    "demand generation",
    "win-loss analysis",
    "renewal playbooks",
    "CRM hygiene",
    "forecast accuracy",
    "onboarding",
    "expansion revenue",
    "partner marketing",
    "event marketing",
]
PATTERNS = {
    "article": [
        "How to fix {t}",
        "{t}: a practical guide",
        "Five myths about {t}",
        "What leaders get wrong about {t}",
        "A checklist for {t}",
    ],
    "ebook": ["The complete ebook of {t}", "{t} handbook", "The {t} playbook"],
    "video": ["{t} in ten minutes", "Demo: {t} step by step", "Video: {t} explained"],
    "webinar": ["Webinar: {t} with practitioners", "Live panel on {t}", "{t} office hours"],
    "case_study": [
        "Case study: {t} at a logistics firm",
        "How a bank rebuilt {t}",
        "Customer story: {t} in retail",
    ],
}
INDUSTRIES = [
    "Logistics",
    "Retail",
    "Banking",
    "Insurance",
    "Software",
    "Manufacturing",
    "Healthcare",
    "Energy",
    "Media",
    "Telecom",
]
NAME_A = [
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Wonka",
    "Oscorp",
    "Gringotts",
    "Aperture",
    "Monarch",
    "Pied Piper",
    "Dunder",
    "Sterling",
]
#: Words that tell accounts of one name and industry apart ("Acme Retail Group"), then a
#: region before the name ("Nordic Acme Retail Group"), so no sample account carries a
#: number. Past the combinations (26,400 accounts, scale 80) names repeat; ids do not.
SUFFIXES = [
    "Group",
    "Holdings",
    "Partners",
    "Systems",
    "Labs",
    "Solutions",
    "Works",
    "Industries",
    "International",
    "Services",
    "Networks",
]
REGIONS = [
    "Nordic",
    "Atlantic",
    "Alpine",
    "Baltic",
    "Pacific",
    "Iberian",
    "Danube",
    "Celtic",
    "Adriatic",
    "Rhine",
]


def account_name(i: int) -> str:
    """Name the ``i``-th sample account, never with a number.

    ``Acme Logistics``, …, ``Acme Logistics Group``, …, ``Nordic Acme Logistics``, …
    """
    base = len(NAME_A) * len(INDUSTRIES)
    name = f"{NAME_A[i % len(NAME_A)]} {INDUSTRIES[(i // len(NAME_A)) % len(INDUSTRIES)]}"
    suffix = (i // base) % (len(SUFFIXES) + 1)
    region = (i // (base * (len(SUFFIXES) + 1))) % (len(REGIONS) + 1)
    if suffix:
        name = f"{name} {SUFFIXES[suffix - 1]}"
    if region:
        name = f"{REGIONS[region - 1]} {name}"
    return name


FIRST = [
    "anna",
    "marc",
    "julia",
    "piotr",
    "claire",
    "tomasz",
    "emma",
    "louis",
    "zofia",
    "david",
    "ines",
    "jakub",
    "sarah",
    "hugo",
    "ola",
    "ben",
]
LAST = [
    "martin",
    "nowak",
    "smith",
    "bernard",
    "kowalski",
    "dubois",
    "jones",
    "wisniewska",
    "moreau",
    "brown",
    "lewandowski",
    "petit",
]
SEGMENTS = np.array(["SMB", "Mid-market", "Enterprise"])
SEGMENT_P = np.array([0.45, 0.35, 0.2])
SEGMENT_AMOUNT = {"SMB": 9_000, "Mid-market": 38_000, "Enterprise": 140_000}
CURRENCIES = np.array(["EUR", "USD", "GBP", "PLN"])
CURRENCY_P = np.array([0.6, 0.25, 0.1, 0.05])
FX = {"EUR": 1.0, "USD": 0.92, "GBP": 1.17, "PLN": 0.23}


#: The largest drop sample writes. The touches stay numbers until they are written, a chunk
#: of rows at a time (:class:`SampleTouches`), so memory grows by about 120 B a touch:
#: 1.9 GiB at 10M touches, 5.8 GiB at 50M (the benchmark's largest drop, 1M deals).
LIMITS = {
    "--scale": 500,
    "--quarters": 20,
    "--articles": 50_000,
    "--deals": 1_000_000,
    "--touches": 50_000_000,
}
MINIMUMS = {"--quarters": 1, "--articles": 1, "--deals": 1, "--touches": 1}


def check_options(
    scale: float, quarters: int, articles: int | None, deals: int | None, touches: int | None
) -> None:
    """Refuse sizes that are not numbers, not positive or past :data:`LIMITS`."""
    import math

    import click

    if not math.isfinite(scale) or not 0 < scale <= LIMITS["--scale"]:
        raise click.BadParameter(
            f"{scale} is not a size: use a number above 0 and at most "
            f"{LIMITS['--scale']} (1 = 40 pieces, 600 deals, 30,000 "
            "touches)",
            param_hint="--scale",
        )
    given = {"--quarters": quarters, "--articles": articles, "--deals": deals, "--touches": touches}
    for name, value in given.items():
        if value is not None and not MINIMUMS[name] <= value <= LIMITS[name]:
            raise click.BadParameter(
                f"{value} is out of range: use {MINIMUMS[name]} to {LIMITS[name]:,}",
                param_hint=name,
            )


@dataclass(frozen=True)
class SampleSizes:
    """How big a generated sample drop is: pieces, deals, touches and its quarters."""

    articles: int
    deals: int
    touches: int
    quarters: tuple[str, ...]


def sizes_for(
    scale: float = 1.0,
    quarters: int = 2,
    last_quarter: str = "2026-Q3",
    articles: int | None = None,
    deals: int | None = None,
    touches: int | None = None,
) -> SampleSizes:
    """Compute the sizes ``revstory sample`` uses for these options.

    The defaults give the sample drop shipped in the repository's content/ and written by
    ``revstory init --sample``.
    """
    return SampleSizes(
        articles=articles if articles is not None else max(3, round(BASE_ARTICLES * scale)),
        deals=deals if deals is not None else max(5, round(BASE_DEALS * scale)),
        touches=touches if touches is not None else max(100, round(BASE_TOUCHES * scale)),
        quarters=previous_quarters(last_quarter, quarters),
    )


def quarter_bounds(q: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start of the quarter and start of the next one."""
    quarter = Quarter.parse(q)
    return pd.Timestamp(quarter.start), pd.Timestamp(quarter.next.start)


def previous_quarters(last: str, n: int) -> tuple[str, ...]:
    """Return the ``n`` quarters ending with ``last``, oldest first, as canonical text."""
    return tuple(str(q) for q in Quarter.parse(last).last(n))


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in keep.split("-") if p)


#: Job titles of the sample's contacts (blank: the CRM has none), every seniority level.
TITLES = (
    "Chief Financial Officer",
    "VP Marketing",
    "Head of Demand Generation",
    "Marketing Operations Manager",
    "",
    "Director of IT",
    "Chief Executive Officer",
    "Procurement Specialist",
    "Sales Manager",
    "Chief Technology Officer",
    "",
    "Senior Data Analyst",
    "Chief Revenue Officer",
    "Vice President, Operations",
    "Chief Marketing Officer",
    "Chief Operating Officer",
    "Chief People Officer",
)


def _content(rng: np.random.Generator, n: int, first_q: str) -> pd.DataFrame:
    types = rng.choice(TYPES, size=n, p=TYPE_P)
    start, _ = quarter_bounds(first_q)
    rows, seen = [], set()
    for i, ctype in enumerate(types):
        topic = TOPICS[i % len(TOPICS)]
        pattern = PATTERNS[ctype][(i // len(TOPICS)) % len(PATTERNS[ctype])]
        title = pattern.format(t=topic)
        title = title[0].upper() + title[1:]
        slug = _slug(title)
        if slug in seen:
            slug = f"{slug}-{i}"
            title = f"{title} ({i})"
        seen.add(slug)
        published = start - pd.Timedelta(days=int(rng.integers(0, 540)))
        rows.append(
            {
                "content_id": slug,
                "url": f"https://www.example.com/{'blog' if ctype == 'article' else 'resources'}"
                f"/{slug}/",
                "title": title,
                "content_type": ctype,
                "published_at": published.date().isoformat(),
                "author": ["Editorial team", "Product marketing", "Customer success"][i % 3],
                "tags": ";".join(sorted({topic.split()[0], ctype})),
                "cost": "" if ctype == "article" and i % 3 else str(int(rng.integers(8, 60)) * 100),
            }
        )
    return pd.DataFrame(rows)


#: Every touch type of :data:`TOUCH_BY_TYPE`, in a fixed order: a touch keeps its index.
TOUCH_TYPES = sorted({kind for kinds, _ in TOUCH_BY_TYPE.values() for kind in kinds})
#: The touch columns of the native format, in file order.
TOUCH_COLUMNS = ("occurred_at", "person_id", "account_id", "content_id", "touch_type", "channel")
#: Touch rows turned into text at a time: the text of 50M touches would not fit in memory
#: (about 1 KiB a touch as Python strings), their numbers do. A multiple of DuckDB's
#: Parquet row group (122,880 rows), so the files are the bytes one frame would give.
CHUNK_ROWS = 8 * 122_880


@dataclass(frozen=True, eq=False)
class SampleTouches:
    """The sample's touches as numbers, written as the native format's text chunk by chunk.

    Rows are indices into the combined arrays (the buyers' touches first, then the
    crowd's); ``order`` lists them in file order (by time, then piece) and ``times`` holds
    their epoch seconds in that order. ``start`` and ``stop`` bound one quarter's rows.
    """

    order: np.ndarray
    times: np.ndarray
    content: np.ndarray
    touch_type: np.ndarray
    channel: np.ndarray
    content_ids: np.ndarray
    buyer_person: np.ndarray
    buyer_account: np.ndarray
    crowd_reader: np.ndarray
    crowd_blank: np.ndarray
    start: int = 0
    stop: int | None = None

    def between(self, lo: int | None, hi: int) -> SampleTouches:
        """Return the touches at ``lo`` (unbounded if None) up to ``hi`` (epoch seconds)."""
        start = 0 if lo is None else int(np.searchsorted(self.times, lo, "left"))
        stop = int(np.searchsorted(self.times, hi, "left"))
        return replace(self, start=start, stop=max(start, stop))

    @property
    def end(self) -> int:
        """Return the row after the last one."""
        return len(self.order) if self.stop is None else self.stop

    def __len__(self) -> int:
        """Count the touches."""
        return self.end - self.start

    def frames(self, rows: int | None = None) -> Iterator[pd.DataFrame]:
        """Yield the touches as text frames of ``rows`` rows (:data:`CHUNK_ROWS`), in order."""
        rows = rows or CHUNK_ROWS
        for first in range(self.start, self.end, rows):
            yield self.frame(first, min(first + rows, self.end))

    def frame(self, first: int, last: int) -> pd.DataFrame:
        """Give rows ``first`` to ``last`` (file order) as the native format's text."""
        idx = self.order[first:last]
        n_buyers = len(self.buyer_person)
        buyer = idx < n_buyers
        crowd = idx[~buyer] - n_buyers
        reader = self.crowd_reader[crowd]
        person = np.empty(len(idx), dtype=object)
        person[buyer] = self.buyer_person[idx[buyer]]
        person[~buyer] = np.char.add(np.char.add("reader", reader.astype(str)), "@mail.example")
        account = np.empty(len(idx), dtype=object)
        account[buyer] = self.buyer_account[idx[buyer]]
        account[~buyer] = np.where(
            self.crowd_blank[crowd], "", np.char.add("LEAD-", (reader % 997).astype(str))
        )
        stamps = pd.to_datetime(self.times[first:last], unit="s")
        return pd.DataFrame(
            {
                "occurred_at": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "person_id": person,
                "account_id": account,
                "content_id": self.content_ids[self.content[idx]],
                "touch_type": np.array(TOUCH_TYPES, dtype=object)[self.touch_type[idx]],
                "channel": CHANNELS.astype(object)[self.channel[idx]],
            }
        )


#: A generated table: a frame, or the touches still as numbers.
Table = pd.DataFrame | SampleTouches


def generate(
    sizes: SampleSizes, seed: int = 7, progress: Callable[[int], None] | None = None
) -> dict[str, dict[str, Table]]:
    """Generate drops: ``{quarter: {table: frame}}`` in the native format (all text columns).

    The touches are :class:`SampleTouches`: numbers until :func:`write_drops` writes them.
    """
    rng = np.random.default_rng([seed, sizes.articles, sizes.deals, sizes.touches])
    quarters = sizes.quarters
    content = _content(rng, sizes.articles, quarters[0])
    n_content = len(content)
    # A few pieces draw crowds no buyer reads ("vanity"): traffic, no revenue.
    vanity = rng.random(n_content) < 0.15
    popularity = 1.0 / np.arange(1, n_content + 1) ** 1.1
    rng.shuffle(popularity)
    buyer_p = np.where(vanity, 0.0, popularity)
    buyer_p /= buyer_p.sum()
    crowd_p = np.where(vanity, popularity * 6, popularity)
    crowd_p /= crowd_p.sum()
    ctypes = content["content_type"].to_numpy()
    if progress:
        progress(5)

    # Accounts and their people.
    n_accounts = max(3, int(sizes.deals * 0.55))
    acc_seg = rng.choice(SEGMENTS, size=n_accounts, p=SEGMENT_P)
    acc_name = np.array([account_name(i) for i in range(n_accounts)])
    acc_id = np.array([f"ACC-{i:06d}" for i in range(n_accounts)])
    acc_industry = np.array(
        [INDUSTRIES[(i // len(NAME_A)) % len(INDUSTRIES)] for i in range(n_accounts)]
    )
    acc_people = rng.integers(2, 7, size=n_accounts)

    def person(account: np.ndarray, k: np.ndarray) -> np.ndarray:
        first = np.array(FIRST)[(account * 7 + k * 3) % len(FIRST)]
        last = np.array(LAST)[(account * 5 + k) % len(LAST)]
        # The account's index keeps domains (and so emails) apart when names repeat.
        domain = np.char.add(
            np.char.replace(np.char.lower(acc_name[account].astype(str)), " ", "-"),
            np.char.add("-", account.astype(str)),
        )
        return np.char.add(
            np.char.add(
                np.char.add(np.char.add(first, "."), last), np.char.add(k.astype(str), "@")
            ),
            np.char.add(domain, ".example"),
        )

    # Deals, spread evenly over the quarters.
    n_deals = sizes.deals
    deal_q = np.sort(rng.integers(0, len(quarters), size=n_deals))
    deal_acc = rng.integers(0, n_accounts, size=n_deals)
    seg = acc_seg[deal_acc]
    dtype = rng.choice(np.array(["new", "renewal", "expansion"]), size=n_deals, p=[0.6, 0.25, 0.15])
    # Content reaches some buying groups and not others: an account-level trait.
    touched = (rng.random(n_accounts) < 0.72)[deal_acc]
    win_p = np.where(touched, 0.5, 0.3)
    u = rng.random(n_deals)
    status = np.where(u < 0.18, "open", np.where(u < 0.18 + 0.82 * win_p, "won", "lost"))
    base = np.array([SEGMENT_AMOUNT[s] for s in seg])
    amount = np.round(base * rng.lognormal(0, 0.45, size=n_deals) / 50) * 50
    currency = rng.choice(CURRENCIES, size=n_deals, p=CURRENCY_P)
    q_start = np.array([quarter_bounds(quarters[i])[0].value for i in deal_q]) // 10**9
    q_len = np.array(
        [(quarter_bounds(quarters[i])[1] - quarter_bounds(quarters[i])[0]).days for i in deal_q]
    )
    close_day = (rng.random(n_deals) * q_len).astype(np.int64)
    closed = q_start + close_day * 86400
    cycle = np.where(touched, rng.gamma(3.0, 18.0, n_deals), rng.gamma(3.0, 26.0, n_deals))
    cycle = cycle.astype(np.int64) + 7
    created = closed - cycle * 86400 + rng.integers(8 * 3600, 18 * 3600, n_deals)
    open_mask = status == "open"
    created = np.where(open_mask, q_start + (close_day // 2) * 86400 + 9 * 3600, created)
    if progress:
        progress(15)

    # Buying groups: 1–4 of the account's people per deal.
    n_contacts = np.minimum(rng.integers(1, 5, size=n_deals), acc_people[deal_acc])
    dc_deal = np.repeat(np.arange(n_deals), n_contacts)
    dc_k = (
        np.concatenate(
            [rng.permutation(acc_people[deal_acc[d]])[: n_contacts[d]] for d in range(n_deals)]
        )
        if n_deals
        else np.zeros(0, dtype=np.int64)
    )
    dc_person = person(deal_acc[dc_deal], dc_k)
    dc_primary = np.r_[True, dc_deal[1:] != dc_deal[:-1]] if n_deals else np.zeros(0, bool)
    roles = np.array(["Decision Maker", "Champion", "Evaluator", "Economic Buyer", "Influencer"])
    dc_role = roles[(dc_k + dc_deal) % len(roles)]
    # A person's job title, fixed per person (no draw from rng: every other figure of the
    # sample stays what it was); revstory keeps only its seniority.
    dc_title = np.array(TITLES)[(deal_acc[dc_deal] * 3 + dc_k) % len(TITLES)]

    # Journeys: each contact of a touched deal reads several pieces before the close.
    reads = np.where(touched[dc_deal], rng.poisson(4, size=len(dc_deal)), 0)
    budget_buyers = int(sizes.touches * 0.6)
    if reads.sum() > budget_buyers and reads.sum() > 0:
        reads = np.floor(reads * budget_buyers / reads.sum()).astype(np.int64)
    t_dc = np.repeat(np.arange(len(dc_deal)), reads)
    t_deal = dc_deal[t_dc]
    end = np.where(
        open_mask[t_deal],
        q_start[t_deal] + q_len[t_deal] * 86400 - 86400,
        closed[t_deal] + 86400 - 3600,
    )
    span = (end - created[t_deal]) + rng.integers(20, 200, len(t_dc)) * 86400
    t_time = end - (rng.random(len(t_dc)) ** 1.3 * span).astype(np.int64)
    t_content = rng.choice(n_content, size=len(t_dc), p=buyer_p)
    if progress:
        progress(40)

    # The crowd: readers who never become deal contacts, across the whole period.
    n_crowd = max(0, sizes.touches - len(t_dc))
    first_start = quarter_bounds(quarters[0])[0].value // 10**9 - 120 * 86400
    last_end = quarter_bounds(quarters[-1])[1].value // 10**9
    c_time = rng.integers(first_start, last_end, size=n_crowd)
    c_content = rng.choice(n_content, size=n_crowd, p=crowd_p)
    pool = max(50, n_crowd // 6)
    c_idx = rng.integers(0, pool, size=n_crowd)
    c_blank = rng.random(n_crowd) < 0.3  # a reader with no account id
    if progress:
        progress(60)

    all_time = np.concatenate([t_time, c_time])
    all_content = np.concatenate([t_content, c_content]).astype(np.int32)
    del t_time, c_time, t_content, c_content
    touch_type = np.zeros(len(all_time), dtype=np.int8)
    for ctype, (kinds, p) in TOUCH_BY_TYPE.items():
        m = (ctypes == ctype)[all_content]
        codes = np.array([TOUCH_TYPES.index(kind) for kind in kinds], dtype=np.int8)
        touch_type[m] = codes[rng.choice(len(kinds), size=int(m.sum()), p=p)]
    channel = rng.choice(len(CHANNELS), size=len(all_time), p=CHANNEL_P).astype(np.int8)
    order = np.lexsort((all_content, all_time))
    touches = SampleTouches(
        order,
        np.take(all_time, order),
        all_content,
        touch_type,
        channel,
        content["content_id"].to_numpy(),
        dc_person.astype(object)[t_dc],
        acc_id.astype(object)[deal_acc[t_deal]],
        c_idx,
        c_blank,
    )
    del all_time
    if progress:
        progress(80)

    deals = pd.DataFrame(
        {
            "deal_id": [f"D-{i:07d}" for i in range(n_deals)],
            "account_id": acc_id[deal_acc],
            "name": acc_name[deal_acc],
            "amount": amount.astype(np.int64).astype(str),
            "currency": currency,
            "created_at": pd.to_datetime(created, unit="s").strftime("%Y-%m-%dT%H:%M:%SZ"),
            "closed_at": np.where(
                open_mask, "", pd.to_datetime(closed, unit="s").strftime("%Y-%m-%d")
            ),
            "status": status,
            "deal_type": dtype,
            "segment": seg,
            "industry": acc_industry[deal_acc],
            "_q": deal_q,
        }
    )
    contacts = pd.DataFrame(
        {
            "deal_id": deals["deal_id"].to_numpy()[dc_deal],
            "person_id": dc_person,
            "role": dc_role,
            "is_primary": np.where(dc_primary, "true", "false"),
            "title": dc_title,
            "_q": deal_q[dc_deal],
        }
    )

    drops: dict[str, dict[str, Table]] = {}
    for qi, q in enumerate(quarters):
        start, stop = quarter_bounds(q)
        lo = None if qi == 0 else start.value // 10**9
        hi = stop.value // 10**9
        months = pd.date_range(start, stop, freq="MS")[:-1]
        perf = []
        for m in months:
            views = rng.poisson(crowd_p * max(sizes.touches, 1000) * 2.2 / len(quarters) / 3) + 3
            users = np.maximum(1, (views * rng.uniform(0.6, 0.85, n_content)).astype(np.int64))
            perf.append(
                pd.DataFrame(
                    {
                        "content_id": content["content_id"],
                        "period_start": m.date().isoformat(),
                        "period_end": (m + pd.offsets.MonthEnd(0)).date().isoformat(),
                        "views": views,
                        "users": users,
                        "engagement_seconds": np.round(users * rng.uniform(25, 160, n_content), 1),
                        "shares": rng.poisson(views * 0.01),
                        "clicks": rng.poisson(views * 0.04),
                    }
                )
            )
        fx_rows = [
            {
                "currency": c,
                "date": m.date().isoformat(),
                "rate": f"{FX[c] * (1 + 0.01 * np.sin(i + j)):.4f}",
            }
            for j, m in enumerate(months)
            for i, c in enumerate(CURRENCIES)
            if c != "EUR"
        ]
        drops[q] = {
            "content": content if qi == 0 else content.iloc[:0],
            "performance": pd.concat(perf, ignore_index=True),
            "touches": touches.between(lo, hi),
            "deals": deals[deals["_q"] == qi].drop(columns="_q"),
            "deal_contacts": contacts[contacts["_q"] == qi].drop(columns="_q"),
            "fx_rates": pd.DataFrame(fx_rows),
        }
        # Later inventories repeat the pieces (as a CMS export would) plus any new ones.
        if qi > 0:
            drops[q]["content"] = content
    if progress:
        progress(90)
    return drops


STORY = """The quarter in one line: buyers read before they talk to sales.

Our editorial focus this quarter was on attribution and pipeline reviews; the playbooks were
shared by sales in late-stage deals more often than ever.
"""


def write_drops(
    drops: dict[str, dict[str, Table]],
    out: Path,
    fmt: str = "csv",
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write each quarter's tables to ``out/<quarter>/<table>.<fmt>``; returns the folders.

    The touches stream to their file a chunk of rows at a time; ``progress`` hears the
    share of them written (0–100).
    """
    import duckdb
    import pyarrow as pa

    folders = []
    con = duckdb.connect()
    lazy = [t for tables in drops.values() for t in tables.values() if isinstance(t, SampleTouches)]
    total = sum(len(t) for t in lazy) or 1
    written = 0
    schema = pa.schema([(name, pa.string()) for name in TOUCH_COLUMNS])

    def batches(touches: SampleTouches) -> Iterator[pa.RecordBatch]:
        nonlocal written
        for frame in touches.frames():
            yield pa.RecordBatch.from_pandas(frame, schema=schema, preserve_index=False)
            written += len(frame)
            if progress:
                progress(100 * written // total)

    for q, tables in drops.items():
        folder = out / q
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            path = folder / f"{name}.{fmt}"
            if isinstance(table, SampleTouches):
                source = pa.RecordBatchReader.from_batches(schema, batches(table))
                con.register("frame", source)
            else:
                con.register("frame", table)
            target = str(path).replace("'", "''")
            if fmt == "parquet":
                con.execute(f"COPY frame TO '{target}' (FORMAT parquet)")
            else:
                con.execute(f"COPY frame TO '{target}' (FORMAT csv, HEADER true)")
            con.unregister("frame")
        folders.append(folder)
    last = list(drops)[-1]
    (out / last / "story.md").write_text(STORY, encoding="utf-8")
    return folders
