"""CSV downloads: text cells that a spreadsheet would run as a formula get a leading quote,
also after leading spaces, tabs or line breaks; the signed figures of the summary table
("+17 pts", "+1 %") and every non-text cell stay as they are."""

from __future__ import annotations

from decimal import Decimal

import pytest
from revstory.site.context import table
from revstory.site.fmt import Formatter
from revstory.site.render import table_csv

FORMULAS = [
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    '  =HYPERLINK("http://x","y")',
    "\t=1+1",
    "\n=1+1",
    "\r@x",
    "\tplain",
    " +A1",
    "=cmd|' /C calc'!A0",
]


def _csv(kind: str, values: list[object]) -> list[str]:
    t = table([("v", "V", kind)], [(v,) for v in values], "t.csv")  # type: ignore[arg-type]
    return table_csv(t).splitlines()


def test_formulas_in_text_cells_are_quoted() -> None:
    text = table_csv(table([("v", "V", "text")], [(v,) for v in FORMULAS], "t.csv"))
    assert text == (
        "v\n'=1+1\n'+1+cmd|' /C calc'!A0\n'-2+3+cmd|' /C calc'!A0\n'@SUM(A1:A9)\n"
        '"\'  =HYPERLINK(""http://x"",""y"")"\n\'\t=1+1\n"\'\n=1+1"\n"\'\n@x"\n'
        "'\tplain\n' +A1\n'=cmd|' /C calc'!A0\n"
    )


@pytest.mark.parametrize("locale", ["en", "fr", "pl"])
def test_signed_figures_stay_numbers(locale: str) -> None:
    f = Formatter(locale, "EUR")
    deltas = [
        f.delta(Decimal("0.5"), Decimal("0.33"), "points"),
        f.delta(Decimal("101"), Decimal("100"), "relative"),
        f.delta(Decimal("30"), Decimal("42"), "days"),
        f.delta(Decimal("42"), Decimal("30"), "days"),
    ]
    assert _csv("text", deltas)[1:] == deltas
    assert deltas[0] == "+17 pts" if locale != "pl" else "+17 pp"


def test_only_text_cells_are_touched() -> None:
    assert _csv("number", [-5.0, 12.5]) == ["v", "-5", "12.5"]
    assert _csv("int", [-3]) == ["v", "-3"]
    assert _csv("text", ["hello", "a=b", "-", "–"]) == ["v", "hello", "a=b", "'-", "–"]
