"""Time the full site build at 2,000 articles against the generator alone on the same Markdown.

The floor is the site generator alone on the same rendered Markdown. Generates a seeded
two-quarter drop with ``revstory sample --articles 2000`` into benchmarks/data/site-2000 (reused
when present) and an mkdocs.yml beside it that points at the repository's templates. The
pages are rendered once into ``rendered/docs`` with a derived config (the plugin's work
done, its block removed: what ``--generator`` hands a successor). Then, alternating for
three rounds, each in a fresh process:

- the floor: the generator alone (``python -m mkdocs build`` by default) on ``rendered/``;
- ``revstory build`` (pipeline, render, assets and the same generator).

Medians of three, the ratio full ÷ floor (in wall and in CPU seconds: the build's worker
processes included, and steadier than wall time on a busy machine), the phases of the
middle full run, and one-line verdicts against the targets (issue 15): the build within
1.25× of the generator alone, and revstory's own work (pipeline, render, assets) at most a
quarter of the generator's time alone. With MkDocs, revstory's tables and charts skip
Markdown (revstory.site.deferred), so its MkDocs phase is shorter than MkDocs alone on the
same Markdown; both are printed.

    .venv/bin/python benchmarks/bench_site.py [--articles 2000] [--generator mkdocs]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "revstory"
TARGET = 1.25
#: revstory's own phases, together at most this share of the generator's time alone.
OWN_SHARE = 0.25
OWN_PHASES = ("pipeline", "render pages", "assets")
PHASE = re.compile(r"revstory: (.+) done in ([\d.]+) s")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(cmd: list[str], cwd: Path) -> tuple[float, str, float]:
    """Run ``cmd`` in ``cwd``; return its wall time, its stderr and its CPU seconds.

    The CPU seconds are user and system time of the process and of the worker processes it
    ran (a busy machine stretches the wall time far more than them). Exits with the
    command's output when it fails.
    """
    cpu, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)  # noqa: S603 - our own argv, no shell
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return wall, proc.stderr, _children_cpu() - cpu


def render_once(root: Path) -> Path:
    """Render the docs and their derived config once, as revstory hands them to a generator."""
    from mkdocs.utils import yaml_load
    from revstory.config import plugin_block
    from revstory.site.generators import derived_config
    from revstory.site.plugin import navigation, translate_config
    from revstory.site.publish import quarter_end, render_docs, source_date_epoch
    from revstory.site.settings import site_settings

    out = root / "rendered"
    shutil.rmtree(out, ignore_errors=True)
    with open(root / "mkdocs.yml", "rb") as fh:
        raw = yaml_load(fh)
    settings = site_settings(plugin_block(raw))
    with source_date_epoch(quarter_end(root / settings.data_dir)):
        pages = render_docs(settings, root, out / "docs")
    cfg = derived_config(
        raw, Path("docs"), Path("site"), navigation(pages, settings.locale), settings.locale
    )
    translate_config(cfg, settings.locale)
    (out / "mkdocs.yml").write_text(
        yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return out


def main() -> None:
    """Generate the drop if absent, render once, then time floor and build alternately."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--deals", type=int, default=1200)
    ap.add_argument("--touches", type=int, default=60_000)
    ap.add_argument("--generator", default="mkdocs", choices=["mkdocs", "properdocs", "zensical"])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    root = REPO / "benchmarks" / "data" / f"site-{args.articles}"
    data = root / "content"
    if not data.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - our own revstory script and fixed arguments, no shell
            [
                str(BIN),
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
    text = re.sub(r"(?m)^\s*generator:.*$", "", text)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    rendered = render_once(root)
    alone_cmd = [
        sys.executable,
        "-m",
        args.generator,
        "build",
        "--config-file",
        str(rendered / "mkdocs.yml"),
    ]
    if args.generator != "zensical":
        alone_cmd.insert(4, "--quiet")
    full_cmd = [str(BIN), "build", "-f", str(root / "mkdocs.yml"), "--generator", args.generator]
    alone, full = [], []
    alone_cpu = []
    load = os.getloadavg()[0]
    for i in range(args.rounds):
        wall, _, cpu = timed(alone_cmd, rendered)
        alone.append(wall)
        alone_cpu.append(cpu)
        full.append(timed(full_cmd, root))
        print(
            f"round {i + 1}: {args.generator} alone {alone[-1]:.1f} s ({cpu:.1f} s CPU), "
            f"revstory build {full[-1][0]:.1f} s ({full[-1][2]:.1f} s CPU)",
            flush=True,
        )
    a = statistics.median(alone)
    f = statistics.median(t for t, _, _ in full)
    a_cpu = statistics.median(alone_cpu)
    f_cpu = statistics.median(c for _, _, c in full)
    middle = sorted(full, key=lambda r: r[0])[len(full) // 2][1]
    phases = [ln.split("revstory: ")[1] for ln in middle.splitlines() if " done in " in ln]
    took = {m.group(1): float(m.group(2)) for m in map(PHASE.search, middle.splitlines()) if m}
    site = root / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    print(
        f"pages: {len(list(site.rglob('*.html')))} HTML, files: {len(files)}, "
        f"site size: {sum(p.stat().st_size for p in files) / 1e6:.1f} MB"
    )
    print(f"phases of the middle build: {'; '.join(phases)}")
    ratio = f / a
    print(
        f"medians of {args.rounds}: revstory build {f:.1f} s, {args.generator} alone on the "
        f"same rendered Markdown {a:.1f} s → ×{ratio:.2f} (load average {load:.1f} → "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    print(
        f"CPU seconds (this process tree's user and system time, medians): revstory build "
        f"{f_cpu:.1f} s, {args.generator} alone {a_cpu:.1f} s → ×{f_cpu / a_cpu:.2f}"
    )
    print(
        f"verdict: build ×{ratio:.2f} of {args.generator} alone — target ≤ {TARGET}× "
        f"{'met' if ratio <= TARGET else 'NOT met'}"
    )
    own = sum(took.get(p, 0.0) for p in OWN_PHASES)
    inside = took.get(args.generator)
    print(
        f"revstory's own phases ({', '.join(OWN_PHASES)}) {own:.1f} s = {own / a:.0%} of "
        f"{args.generator} alone"
        + (f", {own / inside:.0%} of its {inside:.1f} s inside the build" if inside else "")
        + f" — target ≤ {OWN_SHARE:.0%} of {args.generator} alone "
        f"{'met' if own <= OWN_SHARE * a else 'NOT met'}"
    )
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(rendered, ignore_errors=True)


if __name__ == "__main__":
    main()
