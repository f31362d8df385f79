"""The ``revstory`` MkDocs plugin: the revstory settings live in mkdocs.yml.

``mkdocs build`` / ``mkdocs serve`` run the same pipeline as ``revstory build``.

    plugins:
      - search
      - offline
      - revstory:
          data_dir: content
          default_model: position_based

The block is validated by :class:`~revstory.settings.SiteSettings` (unknown keys get a
"did you mean"). In ``on_config`` the plugin renders the pages into a generated docs folder
(``.cache/revstory/docs``, never the repository) and points MkDocs at it; ``revstory build``
renders them itself first and hands the folder over with :meth:`use_prepared`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, MutableMapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from revstory.errors import ConfigError, RevstoryError
from revstory.site.deferred import Deferred
from revstory.site.i18n import N_
from revstory.site.settings import SiteSettings, site_settings

log = logging.getLogger("mkdocs.plugins.revstory")


#: A table, or a link to a CSV download, not yet marked for Material's search to skip.
_UNMARKED = re.compile(r'<(table|a(?= [^>]*href="[^"]*\.csv"))(?![^>]*\bdata-search-exclude\b)')
#: An HTML tag: closing slash, name, attributes, self-closing slash.
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)([^>]*?)(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_EXCLUDE = "data-search-exclude"
#: Plugins known not to read or rewrite a page's content between its Markdown and its final
#: HTML in a way the set-aside tables would change (revstory.site.deferred); with any other
#: plugin (or hook) in mkdocs.yml, the tables stay in the Markdown.
_TABLE_SAFE_PLUGINS = frozenset({"revstory", "material/search", "material/offline", "search"})


def search_excluded_block(block: str) -> str:
    """Return :func:`search_excluded` of one HTML element, sparing the walk when it is moot.

    An excluded element holding no other element of its own tag needs no repeated mark (the
    walk would add none), so only the tables and CSV links in it are marked. The tables and
    charts revstory sets aside (:mod:`revstory.site.deferred`) are such elements.
    """
    root = _TAG.match(block)
    if root is not None and not root.group(1):
        marked = _UNMARKED.sub(lambda m: f"<{m.group(1)} {_EXCLUDE}", block)
        head = _TAG.match(marked)
        same = re.compile(rf"<{re.escape(root.group(2))}[\s/>]", re.I)
        if head is not None and _EXCLUDE in head.group(3) and len(same.findall(marked)) == 1:
            return marked
    return search_excluded(block)


def search_excluded(html: str) -> str:
    """Mark every table and CSV download link of ``html`` ``data-search-exclude``.

    The mark is repeated where Material would lose it.

    Material's search (9.8) compares elements by tag name only: an excluded ``<div>`` stops
    being excluded at the first ``</div>`` nested in it, and the rest of its text (the first
    screen's cards, say) reaches the index. So inside an excluded element, from the first
    descendant of the same tag on, every element carries the mark too (its text stays out
    of the index; tables, which nest no table, are left as they are).
    """
    html = _UNMARKED.sub(lambda m: f"<{m.group(1)} {_EXCLUDE}", html)
    out: list[str] = []
    roots: list[list[object]] = []  # per excluded element: [tag, nested same tag seen?]
    stack: list[int] = []  # per open element: index of its excluded root, or -1
    last = pos = 0
    while m := _TAG.search(html, pos):
        closing, name, attrs, selfclosing = m.groups()
        tag = name.lower()
        pos = m.end()
        if closing:
            if stack:
                stack.pop()
            continue
        root = stack[-1] if stack else -1
        if root >= 0:
            if roots[root][0] == tag:
                roots[root][1] = True
            if roots[root][1] and _EXCLUDE not in attrs:
                out.append(html[last : m.start(3)] + f" {_EXCLUDE}")
                last = m.start(3)
        elif _EXCLUDE in attrs:
            roots.append([tag, False])
            root = len(roots) - 1
        if tag in ("script", "style"):  # their text is not markup
            end = html.find(f"</{tag}", pos)
            pos = len(html) if end < 0 else end
        if tag not in _VOID and not selfclosing:
            stack.append(root)
    out.append(html[last:])
    return "".join(out)


class _NoOptions(Config):
    """MkDocs' own schema stays empty: pydantic validates the block (one schema only)."""


class RevstoryPlugin(BasePlugin[_NoOptions]):
    """Generate the report's Markdown pages before MkDocs reads the docs folder."""

    def __init__(self) -> None:
        self.settings: SiteSettings = SiteSettings()
        self._prepared: tuple[Path, Mapping[str, str]] | None = None
        self._pages: Mapping[str, str] = {}
        self._date = ExitStack()
        self._bar: Any = None
        self._tables = Deferred(finish=search_excluded_block)
        self._defer = False

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
        """Validate the block with :func:`site_settings` (errors as MkDocs reports them)."""
        where = f"{config_file_path or 'mkdocs.yml'}, plugin 'revstory'"
        try:
            self.settings = site_settings(dict(options), where)
        except ConfigError as exc:
            return [("settings", ValidationError(str(exc)))], []
        return super().load_config({}, config_file_path)

    def use_prepared(self, docs_dir: Path, pages: Mapping[str, str]) -> None:
        """Use pages already rendered into ``docs_dir`` (``revstory build`` times them)."""
        self._prepared = (docs_dir, pages)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Render the pages (unless prepared) and point MkDocs at them, with our nav."""
        from revstory.engines.remote import data_folder
        from revstory.site.publish import CACHE, quarter_end, render_docs, source_date_epoch

        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        # The build date (sitemap lastmod, gzip stamps) comes from SOURCE_DATE_EPOCH or the
        # data, for the whole MkDocs build, so `mkdocs build` gives revstory build's bytes.
        self._restore_date()
        try:
            data = data_folder(root, self.settings.data_dir, self.settings).path
            self._date.enter_context(source_date_epoch(quarter_end(data)))
        except RevstoryError as exc:
            raise PluginError(str(exc)) from None
        if self._prepared is not None:
            docs, pages = self._prepared
        else:
            docs = root / CACHE / "docs"
            try:
                pages = render_docs(
                    self.settings,
                    root,
                    docs,
                    lambda m: log.info("revstory: %s", m),
                    changed_only=True,
                )
            except RevstoryError as exc:
                self._restore_date()
                raise PluginError(str(exc)) from None
        config.docs_dir = str(docs)
        self._pages = pages
        config.nav = navigation(pages, self.settings.locale)
        # Material's own interface (search box, "Back to top", html lang) in the same language.
        config.theme["language"] = self.settings.locale
        translate_config(config, self.settings.locale)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Start the terminal's progress bar over the pages."""
        from revstory.terminal import bar

        self._bar = bar(len(self._pages), "building pages", unit="page")
        self._tables.clear()
        self._defer = set(config.plugins) <= _TABLE_SAFE_PLUGINS

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig, files: Any) -> str:
        """Set the page's table blocks aside (:mod:`revstory.site.deferred`)."""
        if not self._defer:
            return markdown
        return self._tables.take(page.file.src_uri, markdown)

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig, files: Any) -> str:
        """Keep tables out of the search index (it indexes prose); typeset the toc.

        Every table (a pipe table of a template included; revstory's own already carry the
        mark) and every "download as CSV" link is marked ``data-search-exclude``, which
        Material's search honours, so a result shows a section's sentences instead of its
        cells run together. The tables' figures stay on the page and in their CSV downloads.

        Python-Markdown's toc collapses every Unicode space of a heading into a plain one
        (``strip_tags``), so the sidebar's headings get the language's typography again
        (French no-break spaces before ``?``, ``:``).

        A page whose HTML lost a set-aside table's place is converted again from its
        original Markdown; the others get their tables' anchors for MkDocs' link checks.
        """
        from revstory.site.i18n import typeset

        if self._defer:
            src = page.file.src_uri
            original = self._tables.check(src, html)
            if original is not None:
                page.markdown = original
                page.render(config, files)
                html = page.content
            elif page.present_anchor_ids is not None:
                page.present_anchor_ids |= self._tables.anchors(src)
        stack = list(page.toc or ())
        while stack:
            link = stack.pop()
            link.title = typeset(self.settings.locale, link.title)
            stack.extend(link.children)
        return search_excluded(html)

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        """Put the page's tables back and advance the progress bar."""
        if self._bar is not None:
            self._bar.update()
        if self._defer:
            try:
                return self._tables.restore(page.file.src_uri, output)
            except ValueError as exc:
                raise PluginError(str(exc)) from None
        return output

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _restore_date(self) -> None:
        self._close_bar()
        self._date.close()
        self._date = ExitStack()

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Close the bar and restore the environment's build date."""
        self._restore_date()

    def on_build_error(self, error: Exception) -> None:
        """Close the bar and restore the environment's build date."""
        self._restore_date()

    def on_shutdown(self) -> None:
        """Close the bar and restore the environment's build date."""
        self._restore_date()

    def on_env(self, env: Any, config: MkDocsConfig, files: Any) -> Any:
        """Translate Material's 404 page, which says "404 - Not found" in any language.

        The same page, its heading from the catalog.
        """
        import jinja2
        from markupsafe import escape

        from revstory.site.i18n import translator

        t = translator(self.settings.locale)
        heading = escape(t("Not found"))
        page = (
            '{% extends "main.html" %}{% block content %}'
            f"<h1>404 - {heading}</h1>{{% endblock %}}"
        )
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"404.html": page}), env.loader])
        return env

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild the preview when the data or the report's templates change."""
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        for folder in (self.settings.data_dir, self.settings.site_templates):
            if folder and (root / folder).is_dir():
                server.watch(str(root / folder))
        return server


#: Wording of the shipped mkdocs.yml (the sample report's) that the catalogs translate; a
#: report's own site name or toggle labels are not in the catalog and stay as written.
CONFIG_WORDS = (
    N_("Marketing value report"),
    N_("Switch to dark mode"),
    N_("Switch to light mode"),
    N_("Switch to system preference"),
)


def translate_config(config: MutableMapping[str, Any], locale: str) -> None:
    """Put site name, description and the palette toggles' labels in the site's language.

    In MkDocs' config or in the plain mapping a successor generator reads (generators.py).
    """
    from revstory.site.i18n import translator

    t = translator(locale)
    if config.get("site_name"):
        config["site_name"] = t.verbatim(config["site_name"])
    if config.get("site_description"):
        config["site_description"] = t.verbatim(config["site_description"])
    theme = config.get("theme")
    for scheme in (theme.get("palette") if theme is not None else None) or []:
        toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
        if isinstance(toggle, dict) and isinstance(toggle.get("name"), str):
            toggle["name"] = t.verbatim(toggle["name"])


def navigation(pages: Mapping[str, str], locale: str = "en") -> list[dict[str, Any]]:
    """Build a small nav: home, quarters, content types, methodology, data quality.

    Articles are reached from index tables and search (a full nav would grow the build
    quadratically).
    """
    from revstory.site.i18n import translator

    t = translator(locale)
    quarters = sorted((p for p in pages if p.startswith("quarters/")), reverse=True)
    types = sorted(p for p in pages if p.startswith("types/") and p != "types/index.md")
    return [
        {t("Home"): "index.md"},
        {t("Quarters"): [{t.quarter(p[len("quarters/") : -3]): p} for p in quarters]},
        {
            t("Content"): [
                {t("All content"): "types/index.md"},
                # A type's label as its pages show it ("e-book/guide"), not its file name.
                *({pages[p] or t.content_type(p[len("types/") : -3]): p} for p in types),
            ]
        },
        {t("Methodology"): "methodology.md"},
        {t("Data quality"): "data-quality.md"},
    ]
