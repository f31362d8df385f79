"""The message catalogs: the template matches the code and templates, every message is
translated in every language with its placeholders intact and every plural form filled, and
French and Polish sentences read right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po
from revstory.site import i18n
from revstory.site.fmt import Formatter
from revstory.site.i18n import LOCALES_DIR, catalog, languages, translator

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%|%")


def _po(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def _placeholders(text: str) -> set[str]:
    found = set()
    for m in PLACEHOLDER.finditer(text):
        assert m.group(0) != "%", f"a lone % in {text!r}: write %% for a literal percent"
        if m.group(1):
            found.add(m.group(1))
    return found


def test_languages() -> None:
    assert languages() == ("en", "fr", "pl")


def test_template_matches_code_and_templates() -> None:
    """messages.pot is what `scripts/catalogs.sh extract` gives today: a message added to the
    code without re-extracting (and translating) fails here."""
    spec = re.search(r"KEYWORDS=\(([^)]*)\)", (REPO / "scripts" / "catalogs.sh").read_text())
    assert spec
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(spec.group(1).split()[1::2]))
    with (REPO / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    fresh = {
        (ctx, msg if isinstance(msg, str) else msg[0])
        for _, _, msg, _, ctx in extract_from_dir(REPO, method_map, options_map, keywords)
    }
    with (LOCALES_DIR / "messages.pot").open("rb") as fh:
        stored = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(fh) if m.id
        }
    assert fresh == stored, ("run scripts/catalogs.sh extract", sorted(fresh ^ stored)[:5])


@pytest.mark.parametrize("locale", ["fr", "pl"])
def test_every_message_translated_with_its_placeholders(locale: str) -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as fh:
        template = {(m.context, str(m.id)) for m in read_po(fh) if m.id}
    po = _po(locale)
    assert {(m.context, str(m.id)) for m in po if m.id} == template
    nplurals = po.num_plurals
    assert nplurals == 3  # one / many / other in French, one / few / many in Polish
    for m in po:
        if not m.id:
            continue
        assert not m.fuzzy, (locale, m.id)
        if isinstance(m.id, tuple):
            allowed = _placeholders(m.id[0]) | _placeholders(m.id[1])
            assert isinstance(m.string, tuple) and len(m.string) == nplurals, (locale, m.id)
            for form in m.string:
                assert form, (locale, m.id, "empty plural form")
                # A singular form may spell the number out ("le dernier trimestre").
                assert _placeholders(form) <= allowed, (locale, m.id, form)
        else:
            assert m.string, (locale, m.id, "untranslated")
            assert _placeholders(m.string) == _placeholders(m.id), (locale, m.id, m.string)
    # Babel's own python-format check, as the wheel build runs it.
    assert [(m.id, e) for m, errs in po.check() for e in errs] == []


@pytest.mark.parametrize("locale", ["fr", "pl"])
def test_plural_index_follows_cldr(locale: str) -> None:
    """gettext's plural expression picks the form CLDR names for each count."""
    po = _po(locale)
    rule = Locale.parse(locale).plural_form
    forms = {"fr": ("one", "many", "other"), "pl": ("one", "few", "many")}[locale]
    import gettext

    index = gettext.c2py(po.plural_expr)
    for n in [*range(0, 130), 1_000_000]:
        assert forms[index(n)] == rule(n), (locale, n)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "ukryte: mniej niż 1 transakcja"),
        (3, "ukryte: mniej niż 3 transakcje"),
        (5, "ukryte: mniej niż 5 transakcji"),
        (22, "ukryte: mniej niż 22 transakcje"),
        (12, "ukryte: mniej niż 12 transakcji"),
    ],
)
def test_polish_plurals(count: int, expected: str) -> None:
    t = translator("pl")
    assert (
        t.n("hidden: fewer than %(num)s deal", "hidden: fewer than %(num)s deals", count)
        == expected
    )


def test_french_sentences_and_numbers() -> None:
    t = translator("fr")
    assert t.n("%(num)s day", "%(num)s days", 1) == "1 jour"
    assert t.n("%(num)s day", "%(num)s days", 12) == "12 jours"
    assert t.n("%(num)s day", "%(num)s days", 1234) == "1\u202f234 jours"
    assert t.quarter("2026-Q3") == "T3 2026"
    assert translator("pl").quarter("2026-Q3") == "III kw. 2026"
    assert translator("en").quarter("2026-Q3") == "Q3 2026"
    assert t.deal_type("renewal") == "renouvellement"
    assert t.content_type("case_study") == "étude de cas"
    assert t.content_type("podcast_episode") == "podcast episode"  # not in the catalog
    assert Formatter("fr", "EUR").money(1234.5, 2) == "1\u202f234,50\u00a0€"
    assert Formatter("fr", "EUR").delta(30, 34, "days") == "−4 j"


def test_english_is_the_source() -> None:
    t = translator("en")
    assert t("Change vs %(quarter)s", quarter="Q2 2026") == "Change vs Q2 2026"
    assert t("90 %% interval") == "90 % interval"
    assert t.n("%(num)s day", "%(num)s days", 1) == "1 day"
    assert t.p("deal type", "new") == "new"


def test_checkout_compiles_the_po_and_a_wheel_reads_the_mo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh .mo wins; without one the .po is compiled in memory (an edited .po shows at
    once); a stale .mo (older than its .po) is ignored."""
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_bytes((LOCALES_DIR / "fr" / "LC_MESSAGES" / "messages.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    catalog.cache_clear()
    try:
        assert catalog("fr").gettext("Home") == "Accueil"
        from babel.messages.mofile import write_mo

        edited = read_po(po.open("rb"), locale="fr")
        edited["Home"].string = "Page d’accueil"
        with (folder / "messages.mo").open("wb") as fh:
            write_mo(fh, edited)
        catalog.cache_clear()
        assert catalog("fr").gettext("Home") == "Page d’accueil"  # the fresh .mo
        import os

        os.utime(folder / "messages.mo", (0, 0))
        catalog.cache_clear()
        assert catalog("fr").gettext("Home") == "Accueil"  # stale .mo: the .po
        with pytest.raises(LookupError, match="no message catalog for locale 'de'"):
            catalog("de")
    finally:
        catalog.cache_clear()


def test_config_wording_is_translated_only_when_it_is_ours() -> None:
    """The shipped site name reads in the site's language; a report's own name (not in the
    catalog, here with a percent sign) comes back untouched and unformatted."""
    fr = translator("fr")
    assert fr.verbatim("Marketing value report") == "Rapport sur la valeur du marketing"
    assert fr.verbatim("Rapport 100 % maison") == "Rapport 100 % maison"
    assert translator("pl").verbatim("Switch to dark mode") == "Przełącz na tryb ciemny"
    assert fr.label("ledger outcome", "merged") == "fusionnée"


def test_money_with_the_currency_filled_in_once_is_babel_s_own_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from decimal import Decimal

    from babel.numbers import format_currency
    from revstory.site import fmt

    # Hand-checked: CLDR's standard currency patterns, whole units and cents.
    assert Formatter("en", "EUR").money(-1234567) == "-€1,234,567"
    assert Formatter("fr", "EUR").money(1234567) == "1\u202f234\u202f567\u00a0€"
    assert Formatter("pl", "PLN").money(1234.5, 2) == "1\u00a0234,50\u00a0zł"
    assert Formatter("en", "USD").money(Decimal("0.5"), 2) == "$0.50"
    # And the same text as Babel looking the currency up for every value, in any locale.
    for locale in ("en", "fr", "pl", "de_CH", "ja", "ar", "en_IN", "he"):
        for currency in ("EUR", "USD", "PLN", "JPY", "CHF"):
            for digits in (0, 2):
                for value in ("-98765432.1", "-1", "0", "7", "999.5", "1234567.891"):
                    amount = Decimal(value).quantize(Decimal(1).scaleb(-digits))
                    pattern = fmt._pattern(locale, "money", digits).pattern
                    babel = format_currency(
                        amount, currency, pattern, locale=locale, currency_digits=False
                    )
                    got = Formatter(locale, currency).money(Decimal(value), digits)
                    assert got == babel, (locale, currency, digits, value)
    # A pattern naming the currency in words (¤¤¤) is left to Babel, value by value.
    from babel.numbers import parse_pattern

    words = parse_pattern("#,##0 ¤¤¤")
    monkeypatch.setattr(fmt, "_pattern", lambda locale, kind, digits: words)
    fmt._money_pattern.cache_clear()
    fmt._apply.cache_clear()
    try:
        assert fmt._money_pattern("en", 0, "EUR") is None
        assert Formatter("en", "EUR").money(1) == "1 euro"
        assert Formatter("en", "EUR").money(12) == "12 euros"
    finally:
        fmt._money_pattern.cache_clear()
        fmt._apply.cache_clear()
