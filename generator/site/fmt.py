"""Locale-aware formatting (Babel) shared by the template filters and the narrative.

Every function takes a plain value and returns plain text; escaping is the renderer's job.
``None`` (an undefined figure, e.g. a win rate with no closed deals) prints as an en dash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, dates, numbers

NONE = "–"
Number = Decimal | float | int


@dataclass(frozen=True)
class Formatter:
    """Formats numbers, money, percentages, dates and changes for one locale and currency."""

    locale: str
    currency: str

    def number(self, value: Number | None, digits: int = 0) -> str:
        if value is None:
            return NONE
        fmt = "#,##0" + ("." + "0" * digits if digits else "")
        return numbers.format_decimal(value, format=fmt, locale=self.locale)

    def money(self, value: Number | None) -> str:
        if value is None:
            return NONE
        # Whole units: leadership reads "250,000 €", not "250,000.00 €".
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        return numbers.format_currency(Decimal(value).quantize(Decimal(1)), self.currency,
                                       format=pattern.replace(".00", ""), locale=self.locale,
                                       currency_digits=False)

    def percent(self, value: Number | None, digits: int = 0) -> str:
        if value is None:
            return NONE
        return numbers.format_percent(value, format=self._percent_pattern(digits),
                                      locale=self.locale)

    def _percent_pattern(self, digits: int) -> str:
        pattern = str(Locale.parse(self.locale).percent_formats[None].pattern)  # "#,##0 %"
        if digits:
            i = pattern.rindex("0") + 1
            pattern = pattern[:i] + "." + "0" * digits + pattern[i:]
        return pattern

    def days(self, value: Number | None) -> str:
        return NONE if value is None else self.number(value)

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return NONE
        return dates.format_date(value, format="medium", locale=self.locale)

    def delta(self, value: Number | None, previous: Number | None, kind: str) -> str:
        """The change from ``previous``: relative (+12 %), points (+3 pts) or days (−4 d)."""
        if value is None or previous is None:
            return NONE
        if kind == "relative":
            if previous == 0:
                return NONE
            change = (Decimal(str(value)) - Decimal(str(previous))) / abs(Decimal(str(previous)))
            return _signed(numbers.format_percent(abs(change), format=self._percent_pattern(0),
                                                  locale=self.locale), change)
        diff = Decimal(str(value)) - Decimal(str(previous))
        if kind == "points":
            text = numbers.format_decimal(abs(diff) * 100, format="#,##0", locale=self.locale)
            return _signed(f"{text} pts", diff)
        text = numbers.format_decimal(abs(diff), format="#,##0", locale=self.locale)
        return _signed(f"{text} d", diff)


def _signed(text: str, value: Decimal) -> str:
    if not any(ch in "123456789" for ch in text):
        return "±" + text
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return "±" + text
