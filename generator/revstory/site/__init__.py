"""The site stage: attribution results → page contexts → Markdown (Jinja) → MkDocs site.

- ``settings``: the revstory block of mkdocs.yml (one declarative pydantic schema).
- ``context`` / ``story``: frozen, documented page contexts built from :class:`Results`.
- ``charts``: pyecharts charts → compact ECharts option JSON (no inline scripts).
- ``render``: the Jinja environment, locale-aware filters, Markdown and CSV output.
- ``publish``: ``build_site`` — render, run MkDocs into a temporary folder, swap ``site/``.
- ``plugin``: the ``revstory`` MkDocs plugin, so ``mkdocs build``/``serve`` run the same steps.
"""
