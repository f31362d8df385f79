"""Site generators: the rendered docs folder → a static site, by MkDocs, ProperDocs or Zensical.

revstory renders every page's Markdown, table CSV and asset itself (:func:`render_docs`), so a
generator only has to turn that docs folder into HTML:

- ``mkdocs`` (default): MkDocs 1.6 + Material 9.8, in this process, with the revstory plugin
  handed the prepared folder (:meth:`RevstoryPlugin.use_prepared`).
- ``properdocs``: ProperDocs, the maintained MkDocs 1.6 fork (``pip install
  'revstory[properdocs]'``), which runs Material unchanged.
- ``zensical``: Zensical, Material's successor (``pip install 'revstory[zensical]'``). It
  reads mkdocs.yml but has no plugin API and silently ignores plugins it does not know.

For the two successors revstory does the plugin's work before the build: it writes a derived
config beside the rendered docs (``docs_dir`` = the rendered folder, the plugin's navigation
and locale filled in, the revstory plugin removed) and runs the generator on it in its own
process, so its ``mkdocs.*`` import redirection never meets this process's MkDocs. After every
build :func:`check_site` is the canary: the home page, every rendered page and revstory's
assets must be in the built site, or the build fails, so a step a generator skipped silently
cannot publish a half site.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal

from revstory.errors import BuildError

Generator = Literal["mkdocs", "properdocs", "zensical"]
GENERATORS: tuple[Generator, ...] = ("mkdocs", "properdocs", "zensical")

#: Import name and the pip extra that installs each generator.
_MODULES = {"mkdocs": "mkdocs", "properdocs": "properdocs", "zensical": "zensical"}

#: Files of revstory's own every built site must hold (charts, styles, offline search shim).
ASSETS = (
    "assets/javascripts/echarts.min.js",
    "assets/javascripts/charts.js",
    "assets/javascripts/iframe-worker-shim.js",
    "assets/stylesheets/revstory.css",
)


#: Every page must load these (extra_javascript), or no chart is drawn.
SCRIPTS = ("echarts.min.js", "charts.js")
#: MkDocs' and ProperDocs' search index, Zensical's.
SEARCH_INDEXES = ("search/search_index.json", "search.json")


def available(generator: str) -> bool:
    """Tell whether ``generator`` can be imported here."""
    return importlib.util.find_spec(_MODULES.get(generator, generator)) is not None


def require(generator: str) -> Generator:
    """Check ``generator``: a known name that is installed, else :class:`BuildError`."""
    if generator not in GENERATORS:
        raise BuildError(
            f"unknown site generator {generator!r} — use one of "
            f"{', '.join(GENERATORS)} (--generator or generator: in the revstory "
            "plugin block)"
        )
    if not available(generator):
        raise BuildError(
            f"site generator {generator!r} is not installed — pip install 'revstory[{generator}]'"
        )
    return generator


def derived_config(
    raw: dict[str, Any], docs_dir: Path, site_dir: Path, nav: list[dict[str, Any]], locale: str
) -> dict[str, Any]:
    """Copy mkdocs.yml for a generator that builds ``docs_dir`` as it is.

    The revstory plugin's work (pages, navigation, interface language) is already done and its
    block removed.
    """
    cfg = copy.deepcopy(raw)
    cfg["docs_dir"] = str(docs_dir)
    cfg["site_dir"] = str(site_dir)
    cfg["nav"] = nav
    theme = cfg.get("theme")
    theme = theme if isinstance(theme, dict) else {"name": theme or "material"}
    theme["language"] = locale
    cfg["theme"] = theme
    plugins = cfg.get("plugins") or []
    if isinstance(plugins, dict):
        cfg["plugins"] = {k: v for k, v in plugins.items() if k != "revstory"}
    else:
        cfg["plugins"] = [
            p for p in plugins if p != "revstory" and not (isinstance(p, dict) and "revstory" in p)
        ]
    cfg.pop("hooks", None)  # neither successor would run them the same way
    return cfg


def run_external(generator: Generator, config_file: Path, cwd: Path) -> None:
    """Build with ProperDocs or Zensical in a child process working in ``cwd``.

    ``cwd`` is the folder of the derived config (Zensical takes it as the project root); the
    child's output is shown only when it fails.
    """
    if generator == "properdocs":
        cmd = [
            sys.executable,
            "-m",
            "properdocs",
            "build",
            "--quiet",
            "--config-file",
            str(config_file),
        ]
    else:
        cmd = [
            sys.executable,
            "-m",
            "zensical",
            "build",
            "--clean",
            "--config-file",
            str(config_file),
        ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)  # noqa: S603 - argv is this interpreter, a fixed module and our own paths
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise BuildError(f"{generator} failed (exit {proc.returncode}):\n{tail}")


def expected(raw: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    """Say what mkdocs.yml asks every built page to have.

    That is revstory's chart scripts it lists in ``extra_javascript``, and whether the search
    plugin is on (so a search index is due).
    """
    entries = raw.get("extra_javascript") or []
    paths = [str(e.get("path", "")) if isinstance(e, dict) else str(e) for e in entries]
    scripts = tuple(name for name in SCRIPTS if any(p.endswith(name) for p in paths))
    plugins = raw.get("plugins") or []
    names = (
        list(plugins)
        if isinstance(plugins, dict)
        else [next(iter(p), "") if isinstance(p, dict) else p for p in plugins]
    )
    return scripts, "search" in names


def check_site(
    site_dir: Path,
    pages: list[str],
    generator: str,
    scripts: tuple[str, ...] = SCRIPTS,
    search: bool = True,
) -> None:
    """Run the canary: fail unless the built ``site_dir`` holds everything due.

    Every rendered page as HTML, revstory's assets, the chart ``scripts`` on the home page and
    (with ``search``) a search index.
    """
    missing = [p for p in ASSETS if not (site_dir / p).is_file()]
    html = [p[:-3] + ".html" for p in pages if p.endswith(".md")]
    missing += [h for h in html if not (site_dir / h).is_file()]
    home = site_dir / "index.html"
    if not home.is_file():
        missing.insert(0, "index.html")
    else:
        text = home.read_text(encoding="utf-8", errors="replace")
        missing += [f"the {name} script tag in index.html" for name in scripts if name not in text]
    if search and not any((site_dir / p).is_file() for p in SEARCH_INDEXES):
        missing.append("a search index (" + " or ".join(SEARCH_INDEXES) + ")")
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise BuildError(
            f"{generator} built the site without {shown} — a build step was "
            "skipped silently; nothing was published"
        )
