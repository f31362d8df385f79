"""Known script-injection vectors for the editor's story.md, and a site built with them.

Shared by test_story_injection.py (the HTML) and test_story_browser.py (a real browser)."""

from __future__ import annotations

import shutil
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

VECTORS = (
    "[md link](javascript:alert(1))",
    "[upper](JAVASCRIPT:alert(1))",
    "[tab entity](java&#x09;script:alert(1))",
    "[char ref](&#106;avascript:alert(1))",
    "[colon entity](javascript&colon;alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vbs](vbscript:msgbox(1))",
    "[ref link][evil]\n\n[evil]: javascript:alert(1)",
    "![img](javascript:alert(1))",
    '<a href="javascript:alert(1)">raw link</a>',
    '<a href="data:text/html,<script>alert(1)</script>">raw data</a>',
    '<a href="#" onclick="alert(1)">onclick</a>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<script>alert(1)</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<details open ontoggle=alert(1)><summary>t</summary></details>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)" style="position:fixed;inset:0">raw overlay</div>',
    'attr click\n{: onclick="alert(1)" }',
    'attr overlay\n{: onmouseover="alert(1)" style="position:fixed;top:0;left:0;'
    'width:100vw;height:100vh;z-index:9999" }',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input autofocus onfocus=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '!!! note "t\\" onmouseover=\\"alert(1)"\n    quoted title',
    '<a href="  javascript:alert(1)">spaced</a>',
)

#: What a safe note keeps: an admonition with its title, a link of each allowed kind.
GOOD = (
    '!!! note "Why webinars won"\n    They reached **buyers** early.\n\n'
    "[docs](https://example.com/a?b=1) · [mail](mailto:editor@example.com) · "
    "[page](articles/index.html)"
)

STORY = "\n\n".join((GOOD, *VECTORS)) + "\n"

MKDOCS = """site_name: Injection probe
docs_dir: docs
use_directory_urls: false
theme:
  name: material
  font: false
markdown_extensions:
  - tables
  - attr_list
  - md_in_html
  - admonition
plugins:
  - search
  - offline
  - revstory:
      data_dir: content
      min_deals: 1
      min_group_size: 1
"""


def build_probe_site(root: Path, story: str = STORY) -> Path:
    """The minimal fixture drop with ``story`` as its story.md, built; returns the site."""
    from click.testing import CliRunner
    from revstory.cli import main

    shutil.copytree(TESTS / "fixtures" / "drops" / "minimal", root / "content")
    (root / "content" / "2026-Q3" / "story.md").write_text(story, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    return root / "site"
