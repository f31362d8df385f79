"""Full site build at 2,000 articles: total time and the share spent inside MkDocs.

Generates a seeded two-quarter drop with ``revstory sample --articles 2000`` into
benchmarks/data/site-2000 (reused when present), writes an mkdocs.yml beside it that points
at the repository's templates, and times ``build_site`` phase by phase. Target: < 60 s on
a 2-vCPU machine.

    .venv/bin/python benchmarks/bench_site.py [--articles 2000] [--touches 60000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--deals", type=int, default=1200)
    ap.add_argument("--touches", type=int, default=60_000)
    args = ap.parse_args()
    root = REPO / "benchmarks" / "data" / f"site-{args.articles}"
    data = root / "content"
    if not data.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                str(Path(sys.executable).parent / "revstory"),
                "sample",
                "--out",
                str(data),
                "--articles",
                str(args.articles),
                "--deals",
                str(args.deals),
                "--touches",
                str(args.touches),
            ],
            check=True,
        )
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    templates = REPO / "site_templates"
    text = text.replace("docs_dir: site_templates", f"docs_dir: {templates}")
    text = text.replace("site_templates: site_templates", f"site_templates: {templates}")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")

    from revstory.site.publish import build_site

    start = time.perf_counter()
    timings = build_site(root / "mkdocs.yml")
    total = time.perf_counter() - start
    site = root / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    mk = timings.phases.get("mkdocs", 0.0)
    print(f"pages: {timings.pages}, files: {len(files)}, site size: {size / 1e6:.1f} MB")
    for name, secs in timings.phases.items():
        print(f"  {name:<14} {secs:6.1f} s wall, {timings.cpu[name]:6.1f} s CPU")
    cpu = sum(timings.cpu.values())
    print(
        f"total: {total:.1f} s wall (target < 60 s); inside MkDocs: {mk:.1f} s "
        f"({mk / total:.0%}); CPU {cpu:.1f} s, MkDocs {timings.cpu.get('mkdocs', 0):.1f} s"
    )
    shutil.rmtree(site, ignore_errors=True)


if __name__ == "__main__":
    main()
