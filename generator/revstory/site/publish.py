"""Publish stage: results → Markdown docs folder → MkDocs build → atomic swap of ``site/``.

Two phases, like MkDocs itself: gather everything (pipeline, contexts, Markdown, CSV, assets)
into a temporary docs folder, run MkDocs into a temporary site folder beside ``site/``, and
only then swap the folders by rename. Any failure leaves the previous ``site/`` untouched and
raises :class:`BuildError` saying why.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath, PurePosixPath
from typing import TYPE_CHECKING, Any

from revstory.config import plugin_block
from revstory.engines.remote import data_folder
from revstory.errors import BuildError, ConfigError, os_error
from revstory.files import write_if_changed
from revstory.pipeline import Progress, _quiet, stage
from revstory.quarter import Quarter, quarter_folders
from revstory.site.assets import PACKAGED_TEMPLATES
from revstory.site.generators import (
    Generator,
    check_site,
    derived_config,
    expected,
    require,
    run_external,
)
from revstory.site.settings import SiteSettings, site_settings
from revstory.terminal import bar

if TYPE_CHECKING:
    from revstory.attribute.stage import Results

CACHE = Path(".cache") / "revstory"


@dataclass
class Timings:
    """Seconds spent per phase of a build (the benchmark reports them)."""

    phases: dict[str, float] = field(default_factory=dict)
    #: CPU seconds per phase, this process's and its worker processes' (the render phase's
    #: pools; wall time depends on what else runs)
    cpu: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    #: The site generator that built the site (its phase in ``phases`` has its name).
    generator: str = "mkdocs"

    @contextmanager
    def phase(self, name: str, progress: Progress) -> Iterator[None]:
        """Time the block as phase ``name`` (wall and CPU seconds), shown on ``progress``.

        The CPU seconds include those of the worker processes the block ended.
        """
        before = _children_cpu()
        with stage(name, progress) as took:
            yield
        self.phases[name] = took.wall
        self.cpu[name] = took.cpu + _children_cpu() - before


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's ended and reaped children."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _inside(root: Path, rel: str) -> Path:
    """Join ``root / rel``, refused when ``rel`` leaves ``root``.

    Checked on the path's text: ``root`` is revstory's own docs folder, and resolving each of
    a large site's ten thousand files on disk took seconds of the render phase.
    """
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm in (".", "..") or norm.startswith("../"):
        raise BuildError(f"refusing to write {rel!r}: it is outside the docs folder")
    return root / norm


class _NewFolder:
    """Writes files into a new, empty folder: each folder made once, no compare or rename.

    :func:`~revstory.files.write_if_changed` compares and renames for a folder a live preview
    watches; a build's own folder is new (12,000 files at 2,000 articles).
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.made: set[Path] = {base}

    def write(self, rel: str, text: str) -> None:
        """Write ``text`` as UTF-8 to ``rel`` under the folder (refused outside it)."""
        path = _inside(self.base, rel)
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        path.write_bytes(text.encode("utf-8"))


def editor_notes(data_dir: Path, quarters: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """Read the editors' ``story.md`` per quarter as sanitised HTML, with warnings about them.

    Whatever form the folder's name takes (2026-Q3, 2026_Q3, …); the HTML is cleaned by
    :mod:`revstory.site.sanitise`.

    The file is decoded as the data files are (:func:`revstory.load.sniff.detect_encoding`: a
    BOM, UTF-16, strict UTF-8, else Windows-1252 or -1250 with a warning), so a note saved as
    UTF-16 or in a legacy code page still reads.
    """
    from revstory.load.sniff import UnreadableFile, decode, detect_encoding
    from revstory.site.sanitise import editor_html

    folders = {str(q): p for q, p in quarter_folders(data_dir).items()}
    notes: dict[str, str] = {}
    warnings: list[str] = []
    for q in quarters:
        f = folders[q] / "story.md" if q in folders else None
        if f is None or not f.is_file():
            continue
        data = f.read_bytes()
        try:
            encoding, found = detect_encoding(data)
        except UnreadableFile:
            warnings.append(
                f"{f.relative_to(data_dir)}: is a binary file, not text; the "
                "editor's note is left out — save it as UTF-8 text"
            )
            continue
        warnings.extend(f"{f.relative_to(data_dir)}: {w}" for w in found)
        notes[q] = editor_html(decode(data, encoding).replace("\x00", "").strip())
    return notes, warnings


def data_name(path: str, data_dir: str = "content") -> str:
    """Name an input file as the site names it.

    From its quarter folder on, under the data folder as mkdocs.yml names it
    (``/home/ana/report/content/2026_Q3/deals.csv`` → ``content/2026_Q3/deals.csv``, as
    ``revstory validate content/`` prints it), so no published page shows where the build
    machine keeps the data, whichever machine built a restored quarter's snapshot.
    """
    parts = PurePath(path).parts
    for i in range(len(parts) - 2, -1, -1):
        if Quarter.of_folder(parts[i]) is not None:
            return PurePosixPath(data_dir, *parts[i:]).as_posix()
    return PurePosixPath(data_dir, PurePath(path).name).as_posix()


def relative_names(
    results: Results,
    warnings: tuple[str, ...],
    data_dir: Path,
    shown: str,
    uris: tuple[str, ...] = (),
) -> tuple[Results, tuple[str, ...]]:
    """Name the ledger's files and the warnings' paths as mkdocs.yml names the data folder.

    The ledger's files by :func:`data_name`, and in ``warnings`` the data folder's path
    ``data_dir`` (and ``uris``, a URI data folder's spellings) written as ``shown``.
    """
    ledger = results.ledger.copy()
    if "file" in ledger.columns:
        ledger["file"] = [data_name(str(f), shown) for f in ledger["file"]]
    prefixes = sorted(
        {f"{data_dir}{os.sep}", f"{data_dir.resolve()}{os.sep}", *(f"{u}/" for u in uris)},
        key=len,
        reverse=True,
    )
    clean = []
    for w in warnings:
        for prefix in prefixes:
            w = w.replace(prefix, f"{PurePosixPath(shown)}/")
        clean.append(w)
    return replace(results, ledger=ledger), tuple(clean)


def render_docs(
    settings: SiteSettings,
    root: Path,
    docs_dir: Path,
    progress: Progress = _quiet,
    timings: Timings | None = None,
    changed_only: bool = False,
) -> dict[str, str]:
    """Run the pipeline and write every page, CSV and asset into ``docs_dir``.

    ``root`` is the folder of mkdocs.yml (data and templates are relative to it). Returns
    the pages' paths, each with its navigation label ("" for pages the navigation names
    itself). With ``changed_only`` (live preview), unchanged files are not rewritten
    and stale ones are removed.
    """
    from revstory.history import run_with_history
    from revstory.site.pages import nav_labels, plan_pages
    from revstory.site.render import make_env

    timings = timings or Timings()
    # A URI (engine: spark) is read through a local copy of its small files and notes.
    folder = data_folder(root, settings.data_dir, settings)
    data_dir = folder.path
    templates = template_dirs(root, settings)
    if not data_dir.is_dir():
        raise BuildError(
            f"data folder {data_dir} does not exist — set data_dir in the "
            "revstory plugin block of mkdocs.yml"
        )
    with timings.phase("pipeline", progress):
        # Quarters from their exports, or from their snapshots once the exports are deleted
        # (none of a URI's: they would be written to its local copy).
        history = (
            settings.model_copy(update={"write_snapshots": False}) if folder.remote else settings
        )
        results, warnings, sources = run_with_history(history, data_dir, settings.strict, progress)
        results, warnings = relative_names(results, warnings, data_dir, folder.shown, folder.uris)
    with timings.phase("render pages", progress):
        notes, note_warnings = editor_notes(data_dir, results.quarters)
        for w in note_warnings:
            progress(f"warning: {w}")
        # Article pages are built where they render: in the workers, on big sites.
        pages = plan_pages(results, settings, notes, (*warnings, *note_warnings), sources)
        env = make_env(templates, settings.locale, settings.reporting_currency)
        if not docs_dir.exists():
            # A build's own new folder: nobody watches it, nothing to compare, so each file
            # is written where it is rendered (on every core), and none is left on failure.
            docs_dir.mkdir(parents=True)
            try:
                files = render_files(env, pages, into=docs_dir.resolve())
            except BaseException:
                shutil.rmtree(docs_dir, ignore_errors=True)
                raise
        else:
            files = render_files(env, pages)
            base = docs_dir.resolve()
            for rel, text in sorted(files.items()):
                write_if_changed(_inside(base, rel), text.encode("utf-8"))
        if changed_only:
            for old in sorted(docs_dir.rglob("*")):
                rel = old.relative_to(docs_dir).as_posix()
                if old.is_file() and rel not in files and not rel.startswith("assets/"):
                    old.unlink()
    with timings.phase("assets", progress):
        install_assets(docs_dir, templates)
    timings.pages = len(pages)
    return nav_labels(pages)


#: From this many pages on, pages render in worker processes (one per core, at most
#: :data:`RENDER_WORKERS`); below it a pool costs more than it saves.
PARALLEL_PAGES = 400
RENDER_WORKERS = 2
#: The pages a forked worker renders, and the new folder it writes them into (None: the texts
#: come back): set just before the fork, so nothing is pickled in.
_JOB: tuple[Any, list[Any], _NewFolder | None] | None = None


def _render_range(bounds: tuple[int, int]) -> list[tuple[str, str]]:
    """Render pages ``bounds`` of :data:`_JOB` as (path, text) pairs.

    Each page's Markdown and its tables' CSV; a template error comes back as
    ``("", message)``. With a folder to write into, each file is written there and its
    text comes back empty.
    """
    import jinja2

    from revstory.site.article_pages import PendingPage
    from revstory.site.render import page_tables, render_page, table_csv

    if _JOB is None:
        raise RuntimeError("_render_range runs inside render_files only")
    env, pages, folder = _JOB
    out: list[tuple[str, str]] = []
    for planned in pages[bounds[0] : bounds[1]]:
        page = planned.build() if isinstance(planned, PendingPage) else planned
        try:
            files = [(page.path, render_page(env, page))]
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or page.template
            line = getattr(exc, "lineno", None)
            return [
                (
                    "",
                    f"{where}{f', line {line}' if line else ''}: {exc} "
                    f"(rendering {page.path}) — fix the template; names a page can use "
                    "are the fields of its context in generator/revstory/site/context.py",
                )
            ]
        files += [
            (t.csv_path, table_csv(t)) for t in page_tables(page.context) if t.rows
        ]  # an empty table shows "None." and offers no download
        if folder is not None:
            for rel, text in files:
                folder.write(rel, text)
            files = [(rel, "") for rel, _ in files]
        out += files
    return out


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def render_files(
    env: Any, pages: list[Any], workers: int | None = None, into: Path | None = None
) -> dict[str, str]:
    """Render every page's Markdown and table CSV, by path in page order.

    Large sites render in forked worker processes (the pages are shared by the fork, only
    text comes back); small ones, and platforms without fork, in this process. Same bytes
    either way. A :class:`~revstory.site.pages.PendingPage` is built where it is rendered,
    so the article pages' contexts are built on every core too. With ``into``, a new and
    empty folder, each file is written there where it is rendered and the texts returned
    are empty; two pages writing one path is then an error (it cannot be told which won).
    """
    import multiprocessing

    global _JOB
    n = workers if workers is not None else min(_cores(), RENDER_WORKERS)
    step = 50
    chunks = [(i, min(i + step, len(pages))) for i in range(0, len(pages), step)]
    _JOB = (env, pages, _NewFolder(into) if into is not None else None)
    try:
        small = len(pages) < PARALLEL_PAGES and workers is None
        with bar(len(pages), "rendering pages", unit="page") as shown:
            if n < 2 or small or "fork" not in multiprocessing.get_all_start_methods():
                parts = []
                for c in chunks:
                    parts.append(_render_range(c))
                    shown.update(c[1] - c[0])
            else:
                with multiprocessing.get_context("fork").Pool(n) as pool:
                    parts = []
                    for c, part in zip(chunks, pool.imap(_render_range, chunks), strict=True):
                        parts.append(part)
                        shown.update(c[1] - c[0])
    finally:
        _JOB = None
    files: dict[str, str] = {}
    for part in parts:
        if part[:1] and part[0][0] == "":
            raise BuildError(part[0][1])
        for rel, text in part:
            if into is not None and rel in files:
                raise BuildError(
                    f"two pages write {rel} — page and table file names must be unique "
                    "(a bug in revstory: please report it)"
                )
            files[rel] = text
    return files


def template_dirs(root: Path, settings: SiteSettings) -> list[Path]:
    """List where templates and assets are looked up, first match winning.

    The report's own ``site_templates`` folder (when set), then the templates shipped in the
    package.
    """
    if settings.site_templates is None:
        return [PACKAGED_TEMPLATES]
    own = root / settings.site_templates
    if not own.is_dir():
        raise BuildError(
            f"site_templates folder {own} does not exist — create it, or remove "
            "site_templates from the revstory plugin block of mkdocs.yml to use "
            "the shipped templates"
        )
    return [own, PACKAGED_TEMPLATES]


def install_assets(docs_dir: Path, templates: list[Path]) -> None:
    """Put echarts.min.js, charts.js and the iframe-worker shim into the docs folder."""
    try:
        from revstory.site.assets import install_assets as install
    except ImportError as exc:
        raise BuildError(
            f"generator/revstory/site/assets.py is missing or broken ({exc}) — it installs "
            "echarts.min.js, charts.js and the search shim; update your checkout"
        ) from None
    install(docs_dir, templates=templates)


@contextmanager
def source_date_epoch(latest_quarter_end: dt.date | None) -> Iterator[None]:
    """Honour SOURCE_DATE_EPOCH; when unset, use the end of the latest quarter.

    The date comes from the data, so the same inputs give the same bytes.
    """
    old = os.environ.get("SOURCE_DATE_EPOCH")
    old_warn = os.environ.get("NO_MKDOCS_2_WARNING")
    if old is None and latest_quarter_end is not None:
        stamp = dt.datetime.combine(latest_quarter_end, dt.time(), dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        yield
    finally:
        for key, value in (("SOURCE_DATE_EPOCH", old), ("NO_MKDOCS_2_WARNING", old_warn)):
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def quarter_end(data_dir: Path) -> dt.date | None:
    """Return the end date of the latest quarter reported (2026-Q3 or 2026_Q3 → 2026-09-30).

    That is the latest quarter folder holding data files or its snapshot: a folder made
    ahead of its exports does not date the site.
    """
    from revstory.load.discover import SNAPSHOT_DIR, data_files

    quarters = [
        q
        for q, p in quarter_folders(data_dir).items()
        if data_files(p) or (p / SNAPSHOT_DIR).is_dir()
    ]
    return max(quarters).end if quarters else None


def _staging(target: Path) -> tuple[Path, Path]:
    """Return where the new site is built and the old one parked during the swap.

    Both sit beside ``target``, so both renames stay on its file system (a cache on another
    disk cannot break them).
    """
    return (
        target.with_name(f".{target.name}.revstory-new"),
        target.with_name(f".{target.name}.revstory-old"),
    )


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames on one file system.

    A kill between the renames leaves the old site parked beside ``target``:
    :func:`recover` puts it back when the next build starts.
    """
    _, old = _staging(target)
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists() and not target.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def recover(target: Path, cache: Path) -> list[str]:
    """Undo what an interrupted build left (call with the build lock held).

    Put a parked site back when ``target`` is missing, remove half-built sites and stale
    ``build-*`` folders. Returns what was done, for the terminal.
    """
    done: list[str] = []
    new, old = _staging(target)
    # Earlier versions parked the old site in build-*/previous-site.
    earlier = sorted(
        cache.glob("build-*/previous-site"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    parked = [old, *earlier]
    for site in parked:
        if site.is_dir() and not target.exists():
            os.replace(site, target)
            done.append(
                f"restored the previous site to {target} (an earlier build was "
                "interrupted while publishing)"
            )
    for leftover in (new, old):
        if leftover.exists():
            shutil.rmtree(leftover)
            done.append(f"removed {leftover} left by an interrupted build")
    stale = sorted(cache.glob("build-*")) if cache.is_dir() else []
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    if stale:
        done.append(f"removed {len(stale)} folder(s) of interrupted builds from {cache}")
    return done


@contextmanager
def build_lock(cache: Path) -> Iterator[None]:
    """Allow one build at a time per project.

    An exclusive lock on ``cache/build.lock`` (released by the system when the process ends,
    however it ends) holding the builder's pid.
    """
    import fcntl

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / "build.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise BuildError(
                f"another build is running (pid {pid}) in {cache.parent.parent} — "
                "wait for it to finish, then build again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def build_site(
    config_path: Path,
    progress: Progress = _quiet,
    generator: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Timings:
    """Build the site described by ``config_path`` (mkdocs.yml) and publish it atomically.

    ``generator`` (mkdocs, properdocs or zensical; default: ``generator`` in the plugin
    block, else mkdocs) builds the rendered pages, see :mod:`revstory.site.generators`.
    ``overrides`` (the command line's ``--engine``, ``--spark-master``, ``--spark-remote``)
    replace those settings of the plugin block.
    Returns the time spent per phase ("pipeline", "render pages", "assets", and the
    generator's name).
    """
    from mkdocs.utils import yaml_load

    config_path = Path(config_path).resolve()
    if not config_path.is_file():
        raise BuildError(
            f"{config_path} not found — run revstory build in the folder holding "
            "mkdocs.yml, or pass --config-file"
        )
    root = config_path.parent
    with open(config_path, "rb") as fh:
        raw = yaml_load(fh) or {}
    target = (root / str(raw.get("site_dir", "site"))).resolve()
    # Validate our block first so its message (with "did you mean") is the error shown.
    where = f"{config_path}, plugin 'revstory'"
    if overrides:
        where += " and the command-line options"
    block = site_settings({**(plugin_block(raw) or {}), **(overrides or {})}, where)
    gen = require(generator or block.generator)
    if block.board_pack:
        from revstory.site.pdf import chromium_path

        chromium_path()  # before the build, not after it
    cache = root / CACHE
    try:
        with build_lock(cache):
            for line in recover(target, cache):
                progress(line)
            return _build_locked(config_path, raw, block, gen, root, target, cache, progress)
    except OSError as exc:
        raise BuildError(f"{os_error(exc)}\n{_kept(target)}") from None


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep the collector off the objects alive before MkDocs starts.

    The pipeline's leftovers are collected first; what remains (imports, the config, the
    theme) is moved out of the collector's generations, so MkDocs' many small objects are
    not scanned against it again and again. The bytes built do not depend on it.
    """
    import gc

    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _kept(target: Path) -> str:
    """Say what a failed build did to the site: the previous one stays, or none was written."""
    if target.exists():
        return f"The previous site in {target} was left untouched."
    return f"No site was written to {target}."


def _build_locked(
    config_path: Path,
    raw: dict[str, Any],
    block: SiteSettings,
    gen: Generator,
    root: Path,
    target: Path,
    cache: Path,
    progress: Progress,
) -> Timings:
    from mkdocs import exceptions as mkexc
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    work = Path(tempfile.mkdtemp(prefix="build-", dir=cache))
    new_site, _ = _staging(target)
    timings = Timings(generator=gen)
    try:
        if gen != "mkdocs":
            _build_external(gen, raw, block, root, work, new_site, progress, timings)
            _board_pack(block, new_site, progress, timings)
            _swap(new_site, target)
            progress(f"published {timings.pages} pages to {target}")
            return timings
        try:
            cfg = load_config(config_file=str(config_path), site_dir=str(new_site))
        except (mkexc.ConfigurationError, mkexc.Abort) as exc:
            raise ConfigError(f"{config_path}: {exc}") from None
        plugin = cfg.plugins.get("revstory")
        if plugin is None:
            raise ConfigError(
                f"{config_path} has no revstory plugin — add '- revstory' under plugins:"
            )
        # The plugin validated the same block; the command line's overrides are in ``block``.
        settings: SiteSettings = block
        plugin.settings = block
        with source_date_epoch(quarter_end(data_folder(root, settings.data_dir, settings).path)):
            docs = work / "docs"
            pages = render_docs(settings, root, docs, progress, timings)
            plugin.use_prepared(docs, pages)
            with timings.phase("mkdocs", progress), _frozen_heap():
                cfg.plugins.on_startup(command="build", dirty=False)
                try:
                    build(cfg)
                except (mkexc.MkDocsException, mkexc.Abort) as exc:
                    raise BuildError(f"MkDocs failed: {exc}") from None
                except OSError:
                    raise
                except Exception as exc:
                    raise BuildError(f"MkDocs failed: {type(exc).__name__}: {exc}") from exc
                finally:
                    cfg.plugins.on_shutdown()
        check_site(new_site, list(pages), gen, *expected(raw))
        _board_pack(block, new_site, progress, timings)
        _swap(new_site, target)
        progress(f"published {timings.pages} pages to {target}")
        return timings
    except BuildError as exc:
        raise BuildError(f"{exc}\n{_kept(target)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(new_site, ignore_errors=True)


def _board_pack(settings: SiteSettings, site: Path, progress: Progress, timings: Timings) -> None:
    """With ``board_pack: true``, the home and each quarter page printed into ``site`` as PDF."""
    if settings.board_pack:
        from revstory.site.pdf import packs, write_pdfs

        with timings.phase("board pack", progress):
            write_pdfs(packs(site))


def _build_external(
    gen: Generator,
    raw: dict[str, Any],
    settings: SiteSettings,
    root: Path,
    work: Path,
    new_site: Path,
    progress: Progress,
    timings: Timings,
) -> None:
    """Render the pages, let ProperDocs or Zensical build them, and run the canary.

    The successor builds into ``new_site`` from a derived config (the plugin's work done by
    revstory).
    """
    import yaml

    from revstory.site.plugin import navigation, translate_config

    try:  # checked before rendering: a successor reads plain YAML only
        yaml.safe_dump(raw)
    except yaml.YAMLError:
        raise ConfigError(
            f"{gen} cannot read a mkdocs.yml holding !!python/ tags (an emoji index, for "
            "instance) — remove them, or build with --generator mkdocs"
        ) from None
    with source_date_epoch(quarter_end(data_folder(root, settings.data_dir, settings).path)):
        docs = work / "docs"
        pages = render_docs(settings, root, docs, progress, timings)
        # Both folders relative to the derived config, which sits beside the docs in
        # ``work`` (Zensical refuses a site_dir outside the config's folder).
        nav = navigation(pages, settings.locale)
        cfg = derived_config(raw, Path("docs"), Path("site"), nav, settings.locale)
        translate_config(cfg, settings.locale)
        config_file = work / "mkdocs.yml"
        text = yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False)
        config_file.write_text(text, encoding="utf-8")
        with timings.phase(gen, progress):
            run_external(gen, config_file, work)
    # Into the staging folder beside the target, so the swap is a rename on one device
    # (shutil.move copies when the cache is on another one).
    if (work / "site").is_dir():
        shutil.move(work / "site", new_site)
    check_site(new_site, list(pages), gen, *expected(raw))
