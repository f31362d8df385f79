"""The calendar quarter a data drop belongs to.

One type for parsing folder names, formatting, date bounds and stepping, so every stage
agrees on what ``2026_Q3`` means.

Frames and file names keep the canonical text (``str(Quarter)``, ``2026-Q3``), which sorts in
time order as plain text too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from revstory.errors import RevstoryError

#: Year, an optional separator (dash, underscore, space), Q or q, the quarter number.
_FORM = re.compile(r"(?P<year>\d{4})[-_ ]?[Qq](?P<number>[1-4])")


class QuarterError(RevstoryError, ValueError):
    """Text that names no quarter."""


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter; ordered in time (``Quarter(2025, 4) < Quarter(2026, 1)``)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        """Refuse a quarter number outside 1 to 4."""
        if not 1 <= self.number <= 4:
            raise QuarterError(f"quarter number {self.number} is not 1 to 4")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026-Q3``, ``2026_Q3``, ``2026q3`` or ``2026 Q3`` → ``Quarter(2026, 3)``."""
        m = _FORM.fullmatch(text.strip())
        if m is None:
            raise QuarterError(
                f"{text!r} is not a quarter — write it as 2026-Q3 (year, dash, "
                "Q and the quarter number 1 to 4)"
            )
        return cls(int(m["year"]), int(m["number"]))

    @classmethod
    def of_folder(cls, path: Path | str) -> Quarter | None:
        """Return the quarter a folder's name gives (``content/2026_Q3`` → 2026-Q3).

        ``None`` when the name is not a quarter.
        """
        m = _FORM.fullmatch(Path(path).name.strip())
        return cls(int(m["year"]), int(m["number"])) if m else None

    @classmethod
    def of_date(cls, day: dt.date) -> Quarter:
        """Return the quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        """Return the canonical text, ``2026-Q3``."""
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        """The first day (2026-Q3 → 2026-07-01)."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The last day, inclusive (2026-Q3 → 2026-09-30)."""
        return self.next.start - dt.timedelta(days=1)

    @property
    def next(self) -> Quarter:
        """The quarter after this one (2026-Q4 → 2027-Q1)."""
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def previous(self) -> Quarter:
        """The quarter before this one (2026-Q1 → 2025-Q4)."""
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def last(self, n: int) -> tuple[Quarter, ...]:
        """Return the ``n`` consecutive quarters ending with this one, oldest first."""
        out = [self]
        while len(out) < n:
            out.append(out[-1].previous)
        return tuple(reversed(out))


def quarter_folders(data_dir: Path) -> dict[Quarter, Path]:
    """Find the quarter folders directly inside ``data_dir``, by quarter, in time order.

    Two folders naming one quarter (``2026-Q3`` and ``2026_Q3``) are ambiguous: the error says
    which to merge.
    """
    found: dict[Quarter, Path] = {}
    if not data_dir.is_dir():
        return found
    for p in sorted(data_dir.iterdir()):
        q = Quarter.of_folder(p) if p.is_dir() else None
        if q is None:
            continue
        if q in found:
            raise QuarterError(
                f"{found[q]} and {p} are both quarter {q} — merge them into one folder"
            )
        found[q] = p
    return dict(sorted(found.items()))
