"""Render stage: page contexts → Markdown text (Jinja) and tables → CSV text.

Jinja runs with ``StrictUndefined`` and autoescaping; a ``finalize`` hook escapes every
data-derived string for HTML *and* Markdown, so a title ``<script>alert(1)</script>`` or
``*bold* | pipe`` shows as typed. Filters (money, percent, number, date, delta, days, cell)
format plain values for the site's locale with Babel; templates never format numbers
themselves. Words come from the gettext catalogs through ``jinja2.ext.i18n`` (``_()``,
``ngettext()``, ``{% trans %}``), the same calls ``pybabel extract`` reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from revstory.site.charts import Chart
from revstory.site.context import Figure, Link, Page, Table
from revstory.site.fmt import Formatter
from revstory.site.i18n import catalog, plural_count, translator

#: Characters HTML and Markdown (and attr_list) would interpret, as HTML entities — one
#: table, one pass, so an entity is never escaped twice ("'" → "&#39;", not "&&#35;39;").
_MD = str.maketrans(
    {
        **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~"},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&#34;",
        "'": "&#39;",
    }
)


def md_escape(value: object) -> Markup:
    """Escape text for Markdown pages: HTML and every Markdown control character."""
    return Markup(str(value).translate(_MD))  # noqa: S704 - every control character is an entity now


def _finalize(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined):
        return str(value)  # StrictUndefined raises here, naming the missing field
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return md_escape(value)
    if value is None:
        return Markup("–")
    if isinstance(value, (bool, int, float, Decimal, dt.date)):
        return md_escape(value)
    raise jinja2.TemplateRuntimeError(
        f"templates must format {type(value).__name__} values with a filter"
    )


_LEFT = frozenset({"text", "link", "date", "flag", "quarter", "code"})
#: Kinds whose cells are formatted by value through the Formatter's caches, so equal values
#: (``5``, ``5.0``, ``Decimal("5.00")``) print the same: their cells are remembered by value.
_BY_VALUE = frozenset({"money", "percent", "number", "int", "days", "date"})


def make_env(templates: Sequence[Path], locale: str, currency: str) -> jinja2.Environment:
    """Build the Jinja environment with the site's filters.

    ``templates`` are searched in order (the report's own ``site_templates`` first, then the
    packaged defaults).
    """
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in templates]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    f = Formatter(locale, currency)
    tr = translator(locale)

    def _args(values: dict[str, Any]) -> dict[str, Markup]:
        # Values from the data are escaped; Markup (already rendered) passes as is.
        return {k: v if isinstance(v, Markup) else md_escape(v) for k, v in values.items()}

    # jinja2.ext.i18n's new-style gettext (``_("Change vs %(quarter)s", quarter=q)``,
    # ``ngettext("%(num)s day", "%(num)s days", n)``, ``{% trans %}``), with the catalog
    # message trusted as Markdown and every value escaped like the rest of the data.
    cat = catalog(locale)

    def gettext(message: str, **values: Any) -> Markup:
        return Markup(cat.gettext(message)) % _args(values)  # noqa: S704 - our catalog; values escaped

    def ngettext(singular: str, plural: str, count: float, **values: Any) -> Markup:
        text = cat.ngettext(singular, plural, plural_count(count))
        return Markup(text) % _args({"num": tr.number(count), **values})  # noqa: S704 - our catalog; values escaped

    def pgettext(context: str, message: str, **values: Any) -> Markup:
        return Markup(cat.pgettext(context, message)) % _args(values)  # noqa: S704 - our catalog; values escaped

    def npgettext(context: str, singular: str, plural: str, count: float, **values: Any) -> Markup:
        text = cat.npgettext(context, singular, plural, plural_count(count))
        return Markup(text) % _args({"num": tr.number(count), **values})  # noqa: S704 - our catalog; values escaped

    env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
    # jinja2.ext.i18n adds this attribute at run time; jinja2's annotations do not declare it.
    cast(Any, env).newstyle_gettext = True

    def cell_text(value: Any, kind: str) -> str:
        """Format and escape a value that is not a link (plain text: tables join ~10⁵)."""
        if kind == "money":
            text = f.money(value)
        elif kind == "percent":
            text = f.percent(value, 1)
        elif kind == "number":
            text = f.number(value, 1)
        elif kind in ("int", "days"):
            text = f.number(value)
        elif kind == "date":
            text = f.date(value)
        elif kind == "quarter":  # 2026-Q3 in the CSV, T3 2026 on the page
            text = "–" if value is None else tr.quarter(str(value))
        elif kind == "code":  # identifiers of the drop (file and table names), not words
            return f"<code>{str(value).translate(_MD)}</code>"
        else:
            text = "–" if value is None else str(value)
        return text.translate(_MD)

    def cell(value: Any, kind: str) -> Markup:
        if isinstance(value, Link):
            return Markup(f"[{md_escape(value.text)}]({quote(value.href, safe='/.#-_~')})")  # noqa: S704 - text escaped, href quoted
        return Markup(cell_text(value, kind))  # noqa: S704 - escaped by cell_text

    def delta(fig: Figure) -> str:
        return f.delta(fig.value, fig.previous, fig.delta_kind)

    def chart(c: Chart) -> Markup:
        return c.markup()

    def external(url: str) -> Markup:
        if not url.startswith(("https://", "http://")):
            return Markup("")
        label = escape(tr("original page"))
        return Markup(f'<a href="{escape(url)}">{label}</a>')  # noqa: S704 - url and label escaped

    def front_matter_title(title: str) -> Markup:
        # JSON is valid YAML; the HTML escaping survives because themes print it verbatim.
        return Markup(json.dumps(str(escape(title)), ensure_ascii=False))  # noqa: S704 - escaped, then quoted

    def css_string(text: str) -> Markup:
        """Quote ``text`` as a CSS string literal (the print stylesheet's running header).

        Quotes, backslashes and anything that could close the <style> element are escaped.
        """
        out = "".join(
            c if c.isalnum() or c in " .,:;·—–-_()'" else f"\\{ord(c):X} " for c in str(text)
        )
        return Markup(f'"{out}"')  # noqa: S704 - all but a few safe characters are CSS escapes

    def html_href(href: str) -> str:
        # Raw HTML is not rewritten by MkDocs: point at the built page (use_directory_urls
        # is off, so articles/x.md becomes articles/x.html).
        path, sep, frag = href.partition("#")
        if path.endswith(".md"):
            path = path[:-3] + ".html"
        return quote(path, safe="/.-_~") + sep + frag

    #: (kind, alignment) → value → its finished cell: a 2,000-article site writes ~330,000
    #: cells, most of them repeats (the same quarters, models, zeros and amounts).
    td_memo: dict[tuple[str, str], dict[Any, str]] = {}

    def td(v: Any, k: str, a: str, memo: dict[Any, str] | None) -> str:
        """Write one cell; remember it in ``memo`` when equal values print alike.

        They do for text (a ``str``), an empty cell, and the kinds formatted through
        :class:`~revstory.site.fmt.Formatter`, whose caches already treat equal values as one.
        """
        if isinstance(v, Link):
            return f'<td{a}><a href="{html_href(v.href)}">{md_escape(v.text)}</a></td>'
        text = f"<td{a}>{cell_text(v, k)}</td>"
        if memo is not None and (v is None or type(v) is str or k in _BY_VALUE):
            memo[v] = text
        return text

    def md_table(t: Table) -> Markup:
        """Write the table as an HTML block (Python, not a macro: big sites have ~10⁵ cells).

        Raw HTML passes through Python-Markdown untouched, where a pipe table would run every
        inline pattern over every cell: on a 2,000-article site that was most of MkDocs' time.
        Material styles ``table:not([class])`` alike either way.
        """
        if not t.rows:
            return Markup("*" + md_escape(tr("None.")) + "*\n")  # noqa: S704 - escaped
        # Columns empty in every row say nothing: left out on the page (the CSV keeps them).
        keep = [
            i
            for i in range(len(t.columns))
            if any(row[i] is not None and row[i] != "" for row in t.rows)
        ]
        columns = [t.columns[i] for i in keep]
        align = ["" if c.kind in _LEFT else ' style="text-align: right"' for c in columns]
        head = "".join(
            f'<th scope="col"{a}>{md_escape(c.label)}</th>'
            for c, a in zip(columns, align, strict=True)
        )
        cols = [
            (i, c.kind, a, td_memo.setdefault((c.kind, a), {}))
            for i, c, a in zip(keep, columns, align, strict=True)
        ]
        lines = []
        for row in t.rows:
            parts = ["<tr>"]
            for i, k, a, memo in cols:
                v = row[i]
                try:
                    parts.append(memo[v])
                except KeyError:
                    parts.append(td(v, k, a, memo))
                except TypeError:  # not hashable: formatted, never remembered
                    parts.append(td(v, k, a, None))
            parts.append("</tr>")
            lines.append("".join(parts))
        body = "\n".join(lines)
        label = md_escape(tr("Download this table as CSV"))
        # A name for the scrolling region (not inside the f-string: Babel cannot extract it).
        scrolls = tr("Table (scrolls sideways)")
        link = f"[{label}]({quote(t.csv_href, safe='/.-_~')})"
        anchor = t.anchor
        caption = ""
        name = (
            f' aria-labelledby="{anchor}-caption"'
            if t.caption
            else f' aria-label="{md_escape(scrolls)}"'
        )
        if t.caption:
            caption = f'<caption id="{anchor}-caption">{md_escape(t.caption)}</caption>'
        # The wrapper scrolls (not the table): reachable by keyboard, first column sticky; the
        # search index leaves it out (prose is indexed, not run-together table cells).
        return Markup(  # noqa: S704 - every data-derived part above is escaped or quoted
            f'<div class="rs-table" id="{anchor}" role="region" tabindex="0"{name} '
            f"data-search-exclude>\n<table>{caption}\n<thead><tr>{head}</tr></thead>"
            f"\n<tbody>\n{body}\n</tbody>\n</table>\n</div>\n\n{link}\n"
        )

    env.filters.update(
        md_table=md_table,
        external=external,
        front_matter_title=front_matter_title,
        css_string=css_string,
        money=f.money,
        percent=f.percent,
        number=f.number,
        date=f.date,
        days=f.days,
        delta=delta,
        cell=cell,
        chart=chart,
        quarter=tr.quarter,
        figure=lambda fig: cell(fig.value, fig.kind),
        link=lambda link: cell(link, "link"),
    )
    return env


def context_names(ctx: object) -> dict[str, Any]:
    """Return a context dataclass's fields as the template's top-level names."""
    if not is_dataclass(ctx):
        raise TypeError(f"a page context is a dataclass, not {type(ctx).__name__}")
    return {fl.name: getattr(ctx, fl.name) for fl in fields(ctx)}


def render_page(env: jinja2.Environment, page: Page) -> str:
    """Render the page's Markdown."""
    return env.get_template(f"pages/{page.template}").render(context_names(page.context))


def _csv_value(value: Any, kind: str) -> str:
    if type(value) is int:  # most cells: no line break, and a number is never a formula
        return str(value)
    if value is None:
        return ""
    if isinstance(value, Link):
        value = value.text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6g}" if kind != "percent" else f"{value:.6f}"
    # A lone carriage return is a line break too; as "\n" the writer quotes the cell.
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return neutral_cell(text) if kind in ("text", "link") else text


#: A signed figure with at most a short unit ("+17 pts", "+1 %", "-4 d", "+3 dn."): what the
#: text cells of a figures table hold. A spreadsheet reads it as a number, never a formula.
_FIGURE = re.compile(r"[+\-−±]?\d[\d\s\u00a0\u202f.,]*(?:\s*(?:%|[^\W\d_]{1,4}\.?))?")


def neutral_cell(text: str) -> str:
    """Make a text cell that spreadsheets will not run as a formula (CSV injection).

    Excel, LibreOffice and Google Sheets start a formula at ``=``, ``+``, ``-`` or ``@``, also
    after leading spaces, tabs or line breaks, and a cell that starts with a tab or carriage
    return is treated the same way; such cells get a leading ``'``. Signed figures
    (:data:`_FIGURE`) are left as they are: they are numbers, not formulas.
    """
    stripped = text.lstrip()
    risky = stripped[:1] in ("=", "+", "-", "@") or text[:1] in ("\t", "\r")
    if risky and not _FIGURE.fullmatch(stripped):
        return "'" + text
    return text


def table_csv(t: Table) -> str:
    """Write the table as CSV: raw values (no locale), header from the column keys."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c.key for c in t.columns])
    kinds = [c.kind for c in t.columns]
    # Money arrives as Decimal (most cells after the integers): its text holds no line break
    # and is only checked as a formula in a text column.
    plain = [k not in ("text", "link") for k in kinds]
    for row in t.rows:
        w.writerow(
            [
                str(v) if type(v) is int or (type(v) is Decimal and p) else _csv_value(v, k)
                for v, k, p in zip(row, kinds, plain, strict=True)
            ]
        )
    return buf.getvalue()


def page_tables(ctx: object) -> list[Table]:
    """Every table of a context (top level and one level down, e.g. ``story``)."""
    out = []
    for value in context_names(ctx).values():
        if isinstance(value, Table):
            out.append(value)
        elif hasattr(value, "__dataclass_fields__"):
            out += [v for v in context_names(value).values() if isinstance(v, Table)]
    return out
