"""Every word revstory writes on the site, through gettext catalogs (Babel), as MkDocs does.

The source language is English: a message's id is its English text, so a translator's tool
(Poedit, Weblate, Lokalize) shows the sentence to translate, and English needs no catalog.
``locales/messages.pot`` is extracted from the code and the templates (``babel.cfg``,
``scripts/catalogs.sh``); ``locales/<lang>/LC_MESSAGES/messages.po`` holds one language with
its gettext plural forms (French 3, Polish 3); the wheel carries the compiled ``.mo`` (built
by the setuptools hook in ``setup.py``). A source checkout without a fresh ``.mo`` compiles the
``.po`` in memory, so an edited translation shows on the next build without a compile step.

Messages are Python %-format strings with named placeholders (``%(quarter)s``) and ``%%`` for
a literal percent sign, always formatted — the convention of ``jinja2.ext.i18n``'s new-style
gettext, so one message reads the same from Python and from a template, and Babel's
``python-format`` check proves every translation keeps its placeholders. In a plural message
``%(num)s`` is the count, formatted for the locale ("1 234" in French).
Numbers, money and dates are formatted by :mod:`revstory.site.fmt`, never here.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from revstory.quarter import Quarter, QuarterError

#: ``<lang>/LC_MESSAGES/messages.po`` (and ``.mo`` in a built wheel) per language.
LOCALES_DIR = Path(__file__).with_name("locales")
DOMAIN = "messages"
SOURCE_LOCALE = "en"


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it is defined; translate it where it is used."""
    return message


def NP_(context: str, message: str) -> str:
    """:func:`N_` for a message translated with its context (``t.p(context, message)``)."""
    return message


#: Labels of the data's own codes (content types, deal types, journey positions, models), by
#: code; translated with their context, since "new" or "first" agree with a noun in French
#: and Polish. Codes not listed here (a report's own content type) show as written.
CONTEXT_LABELS: dict[str, dict[str, str]] = {
    "content type": {
        "article": NP_("content type", "article"),
        "ebook": NP_("content type", "ebook"),
        "video": NP_("content type", "video"),
        "webinar": NP_("content type", "webinar"),
        "case_study": NP_("content type", "case study"),
    },
    "deal type": {
        "new": NP_("deal type", "new"),
        "renewal": NP_("deal type", "renewal"),
        "expansion": NP_("deal type", "expansion"),
    },
    # Roles on a deal as CRMs name them (Salesforce's standard contact roles, and the
    # champion sales teams add); any other role shows as the CRM wrote it.
    "contact role": {
        "Business User": NP_("contact role", "Business User"),
        "Champion": NP_("contact role", "Champion"),
        "Decision Maker": NP_("contact role", "Decision Maker"),
        "Economic Buyer": NP_("contact role", "Economic Buyer"),
        "Economic Decision Maker": NP_("contact role", "Economic Decision Maker"),
        "Evaluator": NP_("contact role", "Evaluator"),
        "Executive Sponsor": NP_("contact role", "Executive Sponsor"),
        "Influencer": NP_("contact role", "Influencer"),
        "Technical Buyer": NP_("contact role", "Technical Buyer"),
        "Other": NP_("contact role", "Other"),
    },
    # A contact's level, chosen at load from their job title (revstory.load.seniority);
    # "other" has no label: the reader is told by their role alone.
    "seniority": {
        "ceo": NP_("seniority", "CEO"),
        "cfo": NP_("seniority", "CFO"),
        "cmo": NP_("seniority", "CMO"),
        "cto": NP_("seniority", "CTO"),
        "coo": NP_("seniority", "COO"),
        "cro": NP_("seniority", "CRO"),
        "c_level": NP_("seniority", "C-level executive"),
        "vp": NP_("seniority", "VP"),
        "director": NP_("seniority", "Director"),
        "manager": NP_("seniority", "Manager"),
    },
    "ledger outcome": {
        "kept": NP_("ledger outcome", "kept"),
        "merged": NP_("ledger outcome", "merged"),
        "dropped": NP_("ledger outcome", "dropped"),
    },
    "journey position": {
        "first": NP_("journey position", "first"),
        "middle": NP_("journey position", "middle"),
        "last": NP_("journey position", "last"),
    },
    "attribution model": {
        "first_touch": NP_("attribution model", "first touch"),
        "last_touch": NP_("attribution model", "last touch"),
        "linear": NP_("attribution model", "linear"),
        "position_based": NP_("attribution model", "position-based"),
        "u_shaped": NP_("attribution model", "U-shaped"),
        "w_shaped": NP_("attribution model", "W-shaped"),
        "full_path": NP_("attribution model", "full path"),
        "j_shaped": NP_("attribution model", "J-shaped"),
        "inverse_j": NP_("attribution model", "inverse J"),
        "time_decay": NP_("attribution model", "time decay"),
        "markov": NP_("attribution model", "Markov chain"),
        "shapley": NP_("attribution model", "Shapley"),
    },
}


_SPACES = "[ \u00a0\u202f]+"
_FRENCH_SPACING = (
    (re.compile(_SPACES + "([;!?])"), "\u202f\\1"),
    (re.compile(_SPACES + "(:|»)"), "\u00a0\\1"),
    (re.compile("«" + _SPACES), "«\u00a0"),
)


def french_spacing(text: str) -> str:
    """Make the spaces before French high punctuation and inside guillemets no-break.

    The rule of French typography as LaTeX's babel-french sets it (the Imprimerie
    nationale's): a thin no-break space before the semicolon, exclamation and question
    marks, a word-wide no-break space before the colon and inside guillemets, so a line never
    starts with the punctuation. Translators type an ordinary space; only an existing space is
    changed (``14:30``, ``?q=`` in a link stay as written). Numbers and percentages are
    CLDR's business (:mod:`revstory.site.fmt`).
    """
    for pattern, repl in _FRENCH_SPACING:
        text = pattern.sub(repl, text)
    return text


#: Per language, the typography applied to every translation once, when its catalog is read:
#: one place, so no template, sentence or chart label has to remember it.
TYPOGRAPHY: dict[str, Callable[[str], str]] = {"fr": french_spacing}


def typeset(locale: str, text: str) -> str:
    """Apply ``locale``'s :data:`TYPOGRAPHY` to ``text`` (unchanged in other languages)."""
    rule = TYPOGRAPHY.get(locale.split("_")[0])
    return text if rule is None else rule(text)


def _typeset(messages: Catalog, locale: str) -> Translations:
    rule = TYPOGRAPHY.get(locale.split("_")[0])
    if rule is not None:
        for m in messages:
            if not m.id:
                continue  # the header
            if isinstance(m.string, str):
                m.string = rule(m.string)
            elif m.string:
                m.string = tuple(rule(s) for s in m.string)
    buf = io.BytesIO()
    write_mo(buf, messages, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@lru_cache(maxsize=8)
def catalog(locale: str) -> gettext.NullTranslations:
    """Read the messages of ``locale``: its compiled ``.mo`` when fresh, else its ``.po``.

    Either way the language's :data:`TYPOGRAPHY` is applied to every translation.
    """
    if locale == SOURCE_LOCALE:
        return gettext.NullTranslations()
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return _typeset(read_mo(fh), locale)
    if po.is_file():
        with po.open("rb") as fh:
            return _typeset(read_po(fh, locale=locale, domain=DOMAIN), locale)
    raise LookupError(f"no message catalog for locale {locale!r} under {folder}")


def languages() -> tuple[str, ...]:
    """Every language with a catalog, the source language first."""
    found = sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LOCALE, *found)


def plural_count(value: int | float) -> int:
    """Return the whole count gettext's plural rules take."""
    # gettext plural rules take integers; counts are whole (days are rounded before).
    return value if isinstance(value, int) else round(value)


@dataclass(frozen=True)
class Translator:
    """The messages of one locale.

    ``t("Won revenue")``, ``t("Change vs %(quarter)s", quarter=q)``,
    ``t.n("%(num)s day", "%(num)s days", 3)``, ``t.p("deal type", "new")``. These four
    spellings (and :func:`N_`, :func:`NP_`) are what ``pybabel extract`` looks for.
    """

    locale: str

    def __call__(self, message: str, **values: object) -> str:
        """Translate ``message`` and fill in its ``%(name)s`` placeholders from ``values``."""
        return catalog(self.locale).gettext(message) % values

    def n(self, singular: str, plural: str, count: int | float, **values: object) -> str:
        """Translate the plural form for ``count``; ``%(num)s`` is the count, locale-formatted."""
        text = catalog(self.locale).ngettext(singular, plural, plural_count(count))
        return text % {"num": self.number(count), **values}

    def verbatim(self, text: str) -> str:
        """Translate ``text`` if the catalog has it, else keep it unchanged (never formatted).

        For wording a report may have written itself (its site name).
        """
        return catalog(self.locale).gettext(text)

    def p(self, context: str, message: str, **values: object) -> str:
        """Translate a message whose translation depends on ``context`` (``"deal type"``)."""
        return catalog(self.locale).pgettext(context, message) % values

    def number(self, value: int | float) -> str:
        """Format ``value`` as the locale writes numbers."""
        if type(value) is int:  # the counts of plural messages, on every page
            return _whole_number(self.locale, value)
        return format_decimal(value, locale=self.locale)

    def label(self, context: str, code: str, written: str | None = None) -> str:
        """Translate a code of the data to its label (see :data:`CONTEXT_LABELS`).

        A code without a label is shown as the data wrote it (``written``, in every locale),
        else as itself with underscores as spaces. A code with a label is translated; in the
        catalog's own language (English) a spelling of the data's own (``Case Study`` for
        ``case_study``) stays as written, since there is nothing to translate.
        """
        message = CONTEXT_LABELS[context].get(code)
        if message is not None and not (written and written != code and self.locale == "en"):
            return self.p(context, message)
        return written if written else code.replace("_", " ")

    def content_type(self, code: str, written: str | None = None) -> str:
        """Label a content type: ``case_study`` → case study, translated.

        A report's own type shows as its inventory wrote it (``written``: ``e-book/guide``,
        not ``e book guide``).
        """
        return self.label("content type", code, written)

    def deal_type(self, code: str) -> str:
        """Label a deal type (new, renewal, expansion)."""
        return self.label("deal type", code)

    def position(self, code: str) -> str:
        """Label a journey position (first touch, lead creation, …)."""
        return self.label("journey position", code)

    def model(self, name: str) -> str:
        """Label an attribution model."""
        return self.label("attribution model", name)

    def quarter(self, quarter: str | Quarter) -> str:
        """``2026-Q3`` as readers write it, from CLDR: Q3 2026, T3 2026, III kw. 2026."""
        return _quarter_label(self.locale, quarter)


@lru_cache(maxsize=4096)
def _whole_number(locale: str, value: int) -> str:
    """Format an integer in ``locale``, memoised (Babel parses the locale on every call)."""
    return format_decimal(value, locale=locale)


@lru_cache(maxsize=4096)
def _quarter_label(locale: str, quarter: str | Quarter) -> str:
    """Label a quarter in ``locale``, memoised: a large site labels a few quarters 10⁴ times."""
    try:
        q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    except QuarterError:
        return str(quarter)
    return format_date(q.start, "QQQ y", locale=locale)


def translator(locale: str) -> Translator:
    """Return the :class:`Translator` of ``locale``."""
    return Translator(locale)
