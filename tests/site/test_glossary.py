"""The French and Polish catalogs keep the glossary at the top of each .po (issue 12).

Where an English message speaks of a touch, the translation says interaction (fr) or
interakcja (pl), never a contact ("contact" is a CRM contact, a person) nor a calque of
"touched"; where it speaks of a deal, it says affaire or transakcja, never "deal" (and in
French never « opportunité »: one word for one thing); "attributed" is attribué or
przypisany. Every plural message has its three forms (French one/many/other, Polish
one/few/many), and a percentage written in a message is spaced as the build's numbers are
(CLDR: "51,4 %" with a no-break space in French, "51,4%" in Polish).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from babel.messages.pofile import read_po
from revstory.site.i18n import LOCALES_DIR

TOUCH = re.compile(r"\btouch(es|ed)?\b", re.IGNORECASE)  # not "touchpoint"
#: The CRM's opportunity is a deal too: one word for both (opportunity creation, OC).
DEAL = re.compile(r"\bdeals?\b|\bopportunit", re.IGNORECASE)
ATTRIBUTED = re.compile(r"\battribut", re.IGNORECASE)


@dataclass(frozen=True)
class Terms:
    """What a language's msgstr must say, and must not, for a term of its msgid."""

    touch: str
    deal: str
    attributed: str
    banned_touch: str
    banned_deal: str
    #: A digit, then what may not stand before a percent sign written in a message.
    bad_percent: str


TERMS = {
    "fr": Terms(
        touch="interaction",
        deal="affaire",
        attributed="attribu",
        banned_touch=r"\bcontacts?\b|\btouch[ée]e?s?\b",
        banned_deal=r"\bdeals?\b|opportunit",
        bad_percent=r"\d(?:%%| %%|\u202f%%)",
    ),
    "pl": Terms(
        touch="interakc",
        deal="transakcj",
        attributed="przypisa",
        banned_touch=r"\bkontakt\w*|dotkn\w*|dotyk\w*",
        banned_deal=r"\bdeal\w*|\bszans\w*",
        bad_percent=r"\d[ \u00a0\u202f]%%",
    ),
}


#: Placeholders ("%(deals)s") and code ("`revstory attribute`") are names, not words.
NOT_WORDS = re.compile(r"%\(\w+\)s|`[^`]*`")


def problems(lang: str, msgid: str, msgstr: str) -> list[str]:
    """Say what is wrong with one translation against the glossary (empty when nothing).

    A contact is banned for a touch unless the English says contact too (a CRM contact, a
    person, may share a sentence with touches).
    """
    t = TERMS[lang]
    msgid = NOT_WORDS.sub(" ", msgid)
    said = NOT_WORDS.sub(" ", msgstr).lower()
    found = []
    if TOUCH.search(msgid):
        if re.search(t.banned_touch, said) and "contact" not in msgid.lower():
            found.append(f"touch is {re.search(t.banned_touch, said)[0]!r}")  # type: ignore[index]
        if t.touch not in said:
            found.append(f"touch without {t.touch!r}")
    if DEAL.search(msgid):
        if re.search(t.banned_deal, said):
            found.append(f"deal is {re.search(t.banned_deal, said)[0]!r}")  # type: ignore[index]
        if t.deal not in said:
            found.append(f"deal without {t.deal!r}")
    if ATTRIBUTED.search(msgid) and t.attributed not in said:
        found.append(f"attributed without {t.attributed!r}")
    if re.search(t.bad_percent, msgstr):
        found.append("percent spaced unlike the build's numbers")
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", sorted(TERMS))
def test_every_translation_keeps_the_glossary(lang: str) -> None:
    bad = []
    for m in _catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            # The singular and plural msgids say the same thing; either names the term.
            if why := problems(lang, " ".join(ids), s):
                bad.append(f"{ids[0]!r} → {s!r}: {', '.join(why)}")
    assert bad == []


@pytest.mark.parametrize("lang", sorted(TERMS))
def test_every_plural_message_has_all_three_forms(lang: str) -> None:
    catalog = _catalog(lang)
    assert catalog.num_plurals == 3
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert len(plurals) > 20  # the catalog's plural messages, not an empty read
    incomplete = [m.id[0] for m in plurals if len(m.string) != 3 or not all(m.string)]
    assert incomplete == []


@pytest.mark.parametrize(
    ("lang", "msgid", "msgstr", "expected"),
    [
        (
            "fr",
            "Deals touched",
            "Affaires touchées",
            ["touch is 'touchées'", "touch without 'interaction'"],
        ),
        (
            "fr",
            "Touches, to date",
            "Contacts, depuis le début",
            ["touch is 'contacts'", "touch without 'interaction'"],
        ),
        ("fr", "Won deals", "Deals gagnés", ["deal is 'deals'", "deal without 'affaire'"]),
        (
            "fr",
            "Won deals",
            "Opportunités gagnées",
            ["deal is 'opportunit'", "deal without 'affaire'"],
        ),
        (
            "fr",
            "90 %% interval",
            "Intervalle à 90 %%",
            ["percent spaced unlike the build's numbers"],
        ),
        ("fr", "Attributed revenue", "CA crédité", ["attributed without 'attribu'"]),
        (
            "pl",
            "Touches, to date",
            "Kontakty, od początku",
            ["touch is 'kontakty'", "touch without 'interakc'"],
        ),
        ("pl", "Won deals", "Wygrane deale", ["deal is 'deale'", "deal without 'transakcj'"]),
        (
            "pl",
            "opportunity creation",
            "utworzenie szansy sprzedaży",
            ["deal is 'szansy'", "deal without 'transakcj'"],
        ),
        ("pl", "90 %% interval", "Przedział 90 %%", ["percent spaced unlike the build's numbers"]),
        ("pl", "Deals touched", "Transakcje z interakcją", []),
        ("fr", "Deals touched", "Affaires avec interaction", []),
        ("fr", "touchpoint without a landing page", "point de contact sans page", []),
        ("fr", "A touch by a deal's contacts", "Une interaction d’un contact de l’affaire", []),
        ("fr", "%(amount)s from %(deals)s", "%(amount)s sur %(deals)s", []),
        ("pl", "`revstory attribute` writes", "`revstory attribute` zapisuje", []),
    ],
)
def test_the_check_names_each_breach(
    lang: str, msgid: str, msgstr: str, expected: list[str]
) -> None:
    assert problems(lang, msgid, msgstr) == expected
