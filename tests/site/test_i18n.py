"""The message catalog: every key in every locale, the same placeholders, every plural form
the locale's CLDR rules use, and Polish plurals that read right."""

from __future__ import annotations

import string

import pytest
from revstory.site.fmt import Formatter
from revstory.site.i18n import CATALOGS, plural_tags, translator

#: Messages whose values let each locale pick what it needs (Translator.quarter).
CHOICE = {"quarter.name": {"q", "year", "roman"}}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_locale() -> None:
    keys = set(CATALOGS["en"])
    for locale, catalog in CATALOGS.items():
        assert set(catalog) == keys, (locale, sorted(keys ^ set(catalog)))


@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_placeholders_and_plural_forms(locale: str) -> None:
    tags = plural_tags(locale)
    for key, en in CATALOGS["en"].items():
        msg = CATALOGS[locale][key]
        assert isinstance(msg, dict) == isinstance(en, dict), (locale, key)
        if isinstance(msg, dict):
            assert isinstance(en, dict)
            assert tags <= set(msg), (locale, key, sorted(tags - set(msg)))
            allowed = set().union(*(_fields(v) for v in en.values()))
            for form, text in msg.items():
                # A singular form may spell the number out ("le dernier trimestre").
                assert _fields(text) <= allowed, (locale, key, form)
        elif key in CHOICE:
            assert isinstance(msg, str) and _fields(msg) <= CHOICE[key], (locale, key)
        else:
            assert isinstance(en, str)
            assert _fields(msg) == _fields(en), (locale, key)


@pytest.mark.parametrize(("count", "expected"), [
    (1, "ukryte: mniej niż 1 transakcja"), (3, "ukryte: mniej niż 3 transakcje"),
    (5, "ukryte: mniej niż 5 transakcji"), (22, "ukryte: mniej niż 22 transakcje"),
])
def test_polish_plurals_follow_babel(count: int, expected: str) -> None:
    assert translator("pl").n("hidden.deals", count) == expected


def test_french_sentences_and_numbers() -> None:
    t = translator("fr")
    assert t.n("nar.days", 1) == "1 jour"
    assert t.n("nar.days", 12) == "12 jours"
    assert t.quarter("2026-Q3") == "T3 2026"
    assert translator("pl").quarter("2026-Q3") == "III kw. 2026"
    assert Formatter("fr", "EUR").money(1234.5, 2) == "1\u202f234,50\u00a0€"
    assert Formatter("fr", "EUR").delta(30, 34, "days") == "−4 j"
