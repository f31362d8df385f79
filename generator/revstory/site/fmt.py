"""Locale-aware formatting (Babel) shared by the template filters and the narrative.

Every function takes a plain value and returns plain text; escaping is the renderer's job.
``None`` (an undefined figure, e.g. a win rate with no closed deals) prints as an en dash.
Patterns are parsed once per locale and results memoised: a 2,000-article site formats
hundreds of thousands of cells, most of them repeats.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale, dates
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_compact_decimal,
    get_currency_symbol,
    parse_pattern,
)

NONE = "–"
Number = Decimal | float | int


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=64)
def _pattern(locale: str, kind: str, digits: int) -> NumberPattern:
    loc = _locale(locale)
    if kind == "money":
        # Whole units: leadership reads "250,000 €", not "250,000.00 €" (digits=2 for cents).
        text = str(loc.currency_formats["standard"].pattern)
        return parse_pattern(text if digits else text.replace(".00", ""))
    if kind == "percent":
        text = str(loc.percent_formats[None].pattern)  # "#,##0 %" in fr
    else:
        text = "#,##0"
    if digits:
        i = text.rindex("0") + 1
        text = text[:i] + "." + "0" * digits + text[i:]
    return parse_pattern(text)


@lru_cache(maxsize=64)
def _money_pattern(locale: str, digits: int, currency: str) -> NumberPattern | None:
    """Return the money pattern with the currency already in its prefix and suffix.

    Babel's ``apply(..., currency=)`` looks the currency's name and symbol up again for every
    value and then puts them in place of ``¤¤`` and ``¤``; filled in once here, the same
    text comes out (the number part holds no ``¤``) at a fraction of the cost. None when the
    pattern names the currency in words (``¤¤¤``, which depends on the value's plural).
    """
    pattern = _pattern(locale, "money", digits)
    if any("¤¤¤" in affix for affix in (*pattern.prefix, *pattern.suffix)):
        return None
    symbol = get_currency_symbol(currency, _locale(locale))

    def fill(affix: str) -> str:
        return affix.replace("¤¤", currency.upper()).replace("¤", symbol)

    filled = copy.copy(pattern)
    filled.prefix = (fill(pattern.prefix[0]), fill(pattern.prefix[1]))
    filled.suffix = (fill(pattern.suffix[0]), fill(pattern.suffix[1]))
    return filled


@lru_cache(maxsize=200_000)
def _apply(locale: str, kind: str, digits: int, value: Number, currency: str) -> str:
    if kind == "money":
        amount = Decimal(value).quantize(Decimal(1).scaleb(-digits))
        filled = _money_pattern(locale, digits, currency)
        if filled is not None:
            return filled.apply(amount, _locale(locale), currency_digits=False)
        return _pattern(locale, kind, digits).apply(
            amount, _locale(locale), currency=currency, currency_digits=False
        )
    return _pattern(locale, kind, digits).apply(value, _locale(locale))


@dataclass(frozen=True)
class Formatter:
    """Formats numbers, money, percentages, dates and changes for one locale and currency."""

    locale: str
    currency: str

    def number(self, value: Number | None, digits: int = 0) -> str:
        """Format a number with ``digits`` decimals in the locale (a dash for None)."""
        return NONE if value is None else _apply(self.locale, "number", digits, value, "")

    def money(self, value: Number | None, digits: int = 0) -> str:
        """Whole currency units, or ``digits=2`` for cents (revenue per view)."""
        if value is None:
            return NONE
        return _apply(self.locale, "money", digits, Decimal(str(value)), self.currency)

    def percent(self, value: Number | None, digits: int = 0) -> str:
        """Format a ratio (0.25) as a percentage in the locale (25 %, a dash for None)."""
        return NONE if value is None else _apply(self.locale, "percent", digits, value, "")

    def compact_money(self, value: Number | None) -> str:
        """Money in the locale's short form for chart axes: €4.1M, 4,1 M €, 4,1 mln zł."""
        if value is None:
            return NONE
        return _compact(self.locale, float(value), self.currency)

    def compact_number(self, value: Number | None) -> str:
        """Format a count in the locale's short form for chart axes: 12K, 12 k, 12 tys."""
        return NONE if value is None else _compact(self.locale, float(value), "")

    def days(self, value: Number | None) -> str:
        """Format a number of days as a plain number (a dash for None)."""
        return NONE if value is None else self.number(value)

    def date(self, value: dt.date | None, style: str = "medium") -> str:
        """``medium`` in tables (30 sept. 2026), ``long`` in sentences (30 septembre 2026)."""
        if value is None:
            return NONE
        return _date(self.locale, value, style)

    def delta(self, value: Number | None, previous: Number | None, kind: str) -> str:
        """Format the change from ``previous``: relative (+12 %), points (+3 pts) or days (−4 d)."""
        if value is None or previous is None:
            return NONE
        diff = Decimal(str(value)) - Decimal(str(previous))
        if kind == "relative":
            if previous == 0:
                return NONE
            change = diff / abs(Decimal(str(previous)))
            return _signed(self.percent(abs(change)), change)
        from revstory.site.i18n import translator

        t = translator(self.locale)
        if kind == "points":
            return _signed(t("%(n)s pts", n=self.number(abs(diff) * 100)), diff)
        return _signed(t("%(n)s d", n=self.number(abs(diff))), diff)


@lru_cache(maxsize=20_000)
def _compact(locale: str, value: float, currency: str) -> str:
    # One decimal at most, and only while the leading figure is small (4.1M, 38M, 383K):
    # an axis label is read at a glance, the table next to the chart holds the exact figure.
    digits = 1 if abs(value) < 10 or _lead(abs(value)) < 10 else 0
    if currency:
        return format_compact_currency(
            value, currency, locale=_locale(locale), fraction_digits=digits
        )
    return format_compact_decimal(value, locale=_locale(locale), fraction_digits=digits)


def _lead(value: float) -> float:
    """Scale down to the figure before the compact unit: 4.1 for 4,100,000, 383.5 for 383,500."""
    while value >= 1000:
        value /= 1000
    return value


@lru_cache(maxsize=20_000)
def _date(locale: str, value: dt.date, style: str = "medium") -> str:
    return dates.format_date(value, format=style, locale=_locale(locale))


def _signed(text: str, value: Decimal) -> str:
    if not any(ch in "123456789" for ch in text):
        return "±" + text
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return "±" + text
