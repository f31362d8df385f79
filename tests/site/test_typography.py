"""French typography: a no-break space before the high punctuation and inside guillemets, set
once when the French catalog is read (revstory.site.i18n.french_spacing), never by hand."""

from __future__ import annotations

from babel.messages.pofile import read_po
from revstory.site.i18n import LOCALES_DIR, catalog, french_spacing, translator, typeset

NNBSP, NBSP = "\u202f", "\xa0"


def test_french_spacing_sets_each_mark() -> None:
    assert french_spacing("Quelle confiance accorder à ce chiffre ?") == (
        f"Quelle confiance accorder à ce chiffre{NNBSP}?"
    )
    assert french_spacing("a ; b ! c : d") == f"a{NNBSP}; b{NNBSP}! c{NBSP}: d"
    assert french_spacing("voir « Ce qui ne marche pas ».") == (
        f"voir «{NBSP}Ce qui ne marche pas{NBSP}»."
    )
    # A no-break space a translator typed is kept or narrowed, never doubled.
    assert french_spacing(f"a{NBSP}? b{NNBSP}:") == f"a{NNBSP}? b{NBSP}:"


def test_french_spacing_leaves_what_has_no_space_alone() -> None:
    text = "à 14:30, voir https://exemple.fr/?q=1;p=2 (« » vides)"
    assert (
        french_spacing("14:30 https://exemple.fr/?q=1;p=2") == "14:30 https://exemple.fr/?q=1;p=2"
    )
    assert french_spacing(text) == f"à 14:30, voir https://exemple.fr/?q=1;p=2 («{NBSP}» vides)"


def test_only_french_is_typeset() -> None:
    assert typeset("fr", "Pourquoi ?") == f"Pourquoi{NNBSP}?"
    assert typeset("fr_CA", "Pourquoi ?") == f"Pourquoi{NNBSP}?"
    assert typeset("pl", "Dlaczego ?") == "Dlaczego ?"
    assert typeset("en", "Why ?") == "Why ?"


def test_every_french_translation_is_typeset_when_read() -> None:
    """The .po keeps the translators' plain spaces; what the site gets has none left."""
    with (LOCALES_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        po = read_po(fh, locale="fr")
    cat = catalog("fr")
    plain = 0
    for m in po:
        if not m.id or not m.string:
            continue
        if isinstance(m.id, str):
            context = m.context
            got = [cat.pgettext(context, m.id) if context else cat.gettext(m.id)]
            typed = [m.string]
        else:
            got = [
                cat.ngettext(m.id[0], m.id[1], n) for n in (1, 1_000_000, 5)
            ]  # three French forms
            typed = list(m.string)
        plain += sum(" ?" in s or " :" in s or " ;" in s for s in typed)
        for text in got:
            assert " ?" not in text and " :" not in text and " ;" not in text, text
            assert "« " not in text and " »" not in text, text
    assert plain > 20  # the check is not vacuous: translators type plain spaces
    assert translator("fr")("How sure is this figure?") == (
        f"Quelle confiance accorder à ce chiffre{NNBSP}?"
    )
