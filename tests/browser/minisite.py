"""A tiny MkDocs site with the report's mkdocs.yml settings and charts in the house format.

Used by the browser tests when the repository has no ``mkdocs.yml`` yet, so charts.js and the
assets can be checked on their own; the real sample site replaces it once ``revstory build``
exists.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from generator.site.assets import install_assets

XSS_TITLE = "<script>alert(1)</script>"

MKDOCS_YML = """\
site_name: revstory mini site
site_url: {site_url}
use_directory_urls: false
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.tabs, navigation.sections, search.highlight]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}
plugins:
  # Material's recommended separator: also splits at punctuation and escaped < >, so a
  # title like "<script>alert(1)</script>" is found by "alert".
  - search:
      separator: '[\\s\\-,:!=\\[\\]()"/]+|(?!\\b)(?=[A-Z][a-z])|\\.(?!\\d)|&[lg]t;'
  - offline
extra:
  generator: false
  polyfills: [assets/javascripts/iframe-worker-shim.js]
extra_javascript: [assets/javascripts/echarts.min.js, assets/javascripts/charts.js]
extra_css: [assets/stylesheets/revstory.css]
markdown_extensions: [tables, attr_list, md_in_html]
nav:
  - Home: index.md
  - 2026-Q3: quarters/2026-Q3.md
  - Articles:
      - articles/alpha-ebook.md
      - articles/xss-title.md
"""


def _chart(chart_id: str, title: str, values: list[int]) -> str:
    option = {
        "backgroundColor": "transparent",
        "title": {"text": title},
        "tooltip": {},
        "xAxis": {"type": "category", "data": ["first", "middle", "last"]},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": title, "data": values}],
    }
    text = html.escape(json.dumps(option, separators=(",", ":")), quote=True)
    return (
        f'<div class="echart" data-option-id="{chart_id}" data-option="{text}" '
        'style="height:360px"></div>\n'
    )


PAGES = {
    "index.md": "# Quarter story\n\nRead [Alpha ebook](articles/alpha-ebook.md).\n\n"
    + _chart("models", "Credit by model", [3, 5, 2]),
    "quarters/2026-Q3.md": "# 2026-Q3\n\n"
    + _chart("q-revenue", "Revenue", [1, 2, 3])
    + "\n"
    + _chart("q-pipeline", "Pipeline", [4, 1, 2]),
    "articles/alpha-ebook.md": "# Alpha ebook\n\nAn ebook.\n\n"
    + _chart("engagement", "Engagement", [9, 4, 1])
    + "\n"
    + _chart("credit", "Credit", [2, 2, 6]),
    "articles/xss-title.md": "# &lt;script&gt;alert(1)&lt;/script&gt;\n\nA hostile title.\n",
}


def write_minisite(root: Path, *, site_url: str) -> Path:
    """Write the project under ``root`` and return its mkdocs.yml."""
    docs = root / "docs"
    for rel, text in PAGES.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    install_assets(docs)
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_YML.replace("{site_url}", site_url), encoding="utf-8")
    return config
