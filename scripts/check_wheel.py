#!/usr/bin/env python3
"""CI: check that a built wheel holds everything a build reads at run time.

    python scripts/check_wheel.py dist/revstory-0.1.0-py3-none-any.whl

Every file of the source package (generator/revstory/: modules, templates, assets, the
vendored JavaScript and its licences, SQL, the init scaffold, translation catalogs) must be
in the wheel, and the files a build cannot do without are named explicitly, so a broken
package-data pattern fails here rather than on an analyst's machine.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "revstory"
MUST_HAVE = (
    "revstory/site/templates/pages/home.md.j2",
    "revstory/site/templates/partials/macros.md.j2",
    "revstory/site/templates/assets/javascripts/charts.js",
    "revstory/site/templates/assets/stylesheets/revstory.css",
    "revstory/site/vendor/echarts.min.js",
    "revstory/site/vendor/echarts-LICENSE.txt",
    "revstory/site/vendor/echarts-NOTICE.txt",
    "revstory/site/vendor/echarts-LICENSE-d3.txt",
    "revstory/site/vendor/iframe-worker-shim.js",
    "revstory/site/vendor/iframe-worker-LICENSE.txt",
    "revstory/site/vendor/manifest.json",
    "revstory/scaffold/files/mkdocs.yml",
    "revstory/scaffold/files/github-report.yml",
    "revstory/scaffold/files/gitlab-ci.yml",
    "revstory/site/locales/messages.pot",
    "revstory/site/locales/fr/LC_MESSAGES/messages.mo",
    "revstory/site/locales/pl/LC_MESSAGES/messages.mo",
)
#: Kinds of file that must be present in the wheel whenever the source tree has them.
KINDS = {
    ".sql": "SQL",
    ".j2": "templates",
    ".po": "catalogs",
    ".mo": "catalogs",
    ".pot": "catalogs",
    ".js": "scripts",
    ".css": "stylesheets",
}


def expected() -> set[str]:
    """Every source file, and the compiled catalog (.mo) of every translation (.po)."""
    skip = {"__pycache__"}
    files = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and not skip & set(p.parts) and p.suffix not in (".pyc", ".mo")
    }
    files |= {f[: -len(".po")] + ".mo" for f in files if f.endswith(".po")}
    return {f"revstory/{f}" for f in files}


def main(wheel: str) -> int:
    """Check that ``wheel`` holds every packaged file and compiled catalog; 1 when not."""
    with zipfile.ZipFile(wheel) as zf:
        names = {n for n in zf.namelist() if n.startswith("revstory/")}
    want = expected() | set(MUST_HAVE)
    missing = sorted(want - names)
    for name in missing:
        print(
            f"check_wheel: {wheel} lacks {name} — add its folder to "
            "[tool.setuptools.package-data] in pyproject.toml",
            file=sys.stderr,
        )
    kinds: dict[str, int] = {}
    for n in names:
        kind = KINDS.get(Path(n).suffix)
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    size = Path(wheel).stat().st_size
    print(f"check_wheel: {Path(wheel).name}: {len(names)} files, {size / 1e6:.2f} MB ({summary})")
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: check_wheel.py WHEEL")
    raise SystemExit(main(sys.argv[1]))
