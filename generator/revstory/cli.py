"""revstory's command line.

Thin: parse options, call the pipeline, turn the package's errors into clean messages in one
place, print a summary. Heavy imports live inside the commands so ``revstory --help`` is
instant.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from revstory import __version__
from revstory.errors import DropError, RevstoryError, os_error
from revstory.terminal import LOG, configure, quiet, say

if TYPE_CHECKING:  # config imports pydantic: only when a command runs
    from revstory.config import Settings

F = TypeVar("F", bound=Callable[..., Any])


def _progress(msg: str) -> None:
    LOG.info(msg)


def handle_errors(fn: F) -> F:
    """Turn expected failures into a message and exit code 1 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DropError as exc:
            for issue in exc.issues:
                (LOG.error if issue.severity == "error" else LOG.warning)(str(issue))
            n_err = sum(i.severity == "error" for i in exc.issues)
            n_warn = len(exc.issues) - n_err
            raise click.ClickException(
                f"{n_err} error(s), {n_warn} warning(s); nothing was written"
            ) from None
        except RevstoryError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # an unwritable --out, --ledger or project folder
            raise click.ClickException(os_error(exc)) from None

    return wrapper  # type: ignore[return-value]


def attribution_options(fn: F) -> F:
    """Add the options shared by the commands that build journeys.

    ``None`` means "use the settings" (the revstory block of mkdocs.yml, or --config-file,
    else the defaults).
    """
    opts = [
        click.option(
            "--config-file",
            "-f",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="mkdocs.yml whose revstory block holds the settings "
            "(default: ./mkdocs.yml when present). Options below override it.",
        ),
        click.option(
            "--lookback-days",
            type=int,
            default=None,
            help="Setting lookback_days: days before deal creation that touches "
            "count (default 365).",
        ),
        click.option(
            "--half-life-days",
            type=float,
            default=None,
            help="Setting half_life_days: half-life of time_decay in days (default 7).",
        ),
        click.option(
            "--mode",
            "journey_mode",
            type=click.Choice(["contact", "account"]),
            default=None,
            help="Setting journey_mode: match touches to deals by contact (default) or account.",
        ),
        click.option(
            "--currency",
            "reporting_currency",
            default=None,
            help="Setting reporting_currency, ISO 4217 (default EUR).",
        ),
        click.option(
            "--models",
            default=None,
            metavar="LIST",
            help="Setting models, comma-separated (default: all; e.g. "
            "linear,position_based,markov).",
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def engine_options(fn: F) -> F:
    """Add ``--engine`` and where Spark runs (settings engine, spark_master, spark_remote).

    ``None`` means "use the settings".
    """
    opts = [
        click.option(
            "--engine",
            type=click.Choice(["duckdb", "spark"]),
            default=None,
            help="Setting engine: run journeys and the models on DuckDB (default) or Apache "
            "Spark (pip install 'revstory[spark]'; needs Java). Same figures either way.",
        ),
        click.option(
            "--spark-master",
            default=None,
            metavar="URL",
            help="Setting spark_master (default local[*]; spark://host:7077, yarn, ...).",
        ),
        click.option(
            "--spark-remote",
            default=None,
            metavar="URL",
            help="Setting spark_remote: a Spark Connect server, e.g. sc://host:15002.",
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _close(*connections: Any) -> None:
    """Close DuckDB ``connections`` (cursors first): the database is freed with the last."""
    for con in connections:
        con.close()


def _config(config_file: Path | None = None, **values: Any) -> Settings:
    from revstory.config import load_settings

    if values.get("models"):
        values["models"] = tuple(m.strip() for m in values["models"].split(",") if m.strip())
    return load_settings(config_file, **values)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="revstory")
@click.option("-v", "--verbose", count=True, help="Say more (-vv: MkDocs' debug messages too).")
@click.option("-q", "--quiet", "quiet_", is_flag=True, help="Errors only.")
def main(verbose: int, quiet_: bool) -> None:
    """Prove content's revenue.

    revstory joins content exports with closed deals, attributes revenue to each piece, and
    publishes the quarter's story as a static site.
    """
    configure(-1 if quiet_ else verbose)


@main.command()
# Text, not click.Path: with --engine spark a drop may be a URI (s3a://bucket/content/).
@click.argument("paths", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (setting strict).")
@click.option(
    "--ledger",
    "ledger_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the row ledger (per file: source, table, rows read, "
    "kept, merged, dropped by reason) to this CSV file.",
)
@attribution_options
@engine_options
@handle_errors
def validate(
    paths: tuple[str, ...], strict: bool, ledger_file: Path | None, **options: Any
) -> None:
    """Check quarter drops and list every problem (file, row, column, how to fix).

    PATHS are quarter folders (content/2026-Q3) or folders holding them (content/); with
    --engine spark also URIs Spark reads (s3a://, abfss://, gs://, hdfs://, file://), and
    the native touch files are checked on Spark, as attribute does.
    Exits 1 when any error is found (or any warning, with --strict).

    Example:

        revstory validate content/ --ledger ledger.csv

        revstory validate s3a://bucket/content/ --engine spark
    """
    from revstory.engines.remote import check_drops

    config = _config(**options)
    strict = strict or config.strict
    drop = check_drops(list(paths), config, _progress)
    for f in drop.files:
        say(f"{f.path}: {f.table} ({f.source}), {f.rows_read} rows")
        if f.mapping:
            say(f"  columns: {f.mapping}")
    if ledger_file is not None:
        from revstory.validate.ledger import write_csv

        say(f"wrote {write_csv(drop.con, ledger_file)}")
    for issue in drop.issues:
        if issue.severity == "error" or not quiet():
            click.echo(f"{issue.severity}: {issue}")
    errors, warnings = len(drop.errors), len(drop.warnings)
    say(f"{len(drop.files)} file(s), {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
# Text, not click.Path: a drop may be a URI Spark reads (s3a://bucket/content/).
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for attribution.csv, influence.csv, summary.json, effects.csv and ledger.csv.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (setting strict).")
@attribution_options
@engine_options
@handle_errors
def attribute(paths: tuple[str, ...], out: Path, strict: bool, **options: Any) -> None:
    """Attribute won revenue to content under every model and write the results.

    Writes attribution.csv (per quarter, piece and model), influence.csv (per piece:
    influenced revenue and pipeline, deals touched), summary.json (per quarter and model:
    won revenue, content-attributed and unattributed, reconciled to the cent), effects.csv
    (with markov or shapley among the models: per quarter and piece, content type and
    channel the Markov removal effect, its share and the Shapley value per content type, as
    ChannelAttribution, DP6 and mta report them) and ledger.csv (per file: rows read, kept,
    merged, dropped by reason; as validate --ledger).

    PATHS are quarter folders or folders holding them; with --engine spark also URIs Spark
    reads (s3a://, abfss://, gs://, hdfs://, file://).

    Example:

        revstory attribute content/ --out results/

        revstory attribute content/ --out results/ --engine spark

        revstory attribute s3a://bucket/content/ --out results/ --engine spark
    """
    from revstory.pipeline import run_stages

    config = _config(**options)
    results, drop, journeys = run_stages(
        list(paths), config, strict or config.strict, _progress, detail=False
    )
    for issue in drop.warnings:
        LOG.warning(str(issue))
    from revstory.export import write_effects, write_results
    from revstory.validate.ledger import write_csv

    # The files read through DuckDB first: then the database (10M touches: 0.18 s to free
    # on one core, the process's last step otherwise) is closed on a thread of its own
    # while the results are written from the frames and the bounds computed beside them.
    effects = write_effects(journeys, results, out)
    ledger = write_csv(drop.con, out / "ledger.csv")
    closing = threading.Thread(target=_close, args=(journeys.con, drop.con), name="revstory-close")
    closing.start()
    written = [*write_results(results, out), *([effects] if effects else []), ledger]
    closing.join()
    cur = config.reporting_currency
    d = results.currency_digits
    for row in results.summary[results.summary["model"] == config.default_model].itertuples():
        say(
            f"{row.quarter}: won {row.won_revenue_minor / 10**d:,.2f} {cur} in {row.won_deals} "
            f"deals; content-touched {row.touched_won_revenue_minor / 10**d:,.2f} {cur} "
            f"({row.touched_won_deals} deals)"
        )
    say("wrote " + ", ".join(str(p) for p in written))


@main.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the quarter folders into.",
)
@click.option(
    "--scale",
    type=float,
    default=1.0,
    show_default=True,
    help="Size multiplier: 1 = 40 pieces, 600 deals, 30,000 touches.",
)
@click.option(
    "--quarters", type=int, default=2, show_default=True, help="Number of consecutive quarters."
)
@click.option(
    "--last-quarter", default="2026-Q3", show_default=True, help="The latest quarter, e.g. 2026-Q3."
)
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
@click.option("--articles", type=int, default=None, help="Override the number of pieces.")
@click.option("--deals", type=int, default=None, help="Override the number of deals.")
@click.option("--touches", type=int, default=None, help="Override the number of touches.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="File format of the drop.",
)
@handle_errors
def sample(
    out: Path,
    scale: float,
    quarters: int,
    last_quarter: str,
    seed: int,
    articles: int | None,
    deals: int | None,
    touches: int | None,
    fmt: str,
) -> None:
    """Generate a realistic synthetic drop (seeded; same options, same files).

    Example:

        revstory sample --out content/ --scale 1
    """
    from revstory import sample as smp
    from revstory.quarter import Quarter, QuarterError

    try:
        last_quarter = str(Quarter.parse(last_quarter))
    except QuarterError as exc:
        raise click.BadParameter(str(exc), param_hint="--last-quarter") from None
    smp.check_options(scale, quarters, articles, deals, touches)
    sizes = smp.sizes_for(scale, quarters, last_quarter, articles, deals, touches)
    LOG.debug(
        f"seed {seed}: {sizes.articles} pieces, {sizes.deals} deals, {sizes.touches} "
        f"touches over {', '.join(sizes.quarters)}"
    )
    from revstory.terminal import bar

    with bar(100, "generating", unit="%") as progress:

        def tick(pct: int) -> None:
            progress.update(pct - progress.n)

        drops = smp.generate(sizes, seed, tick)
        folders = smp.write_drops(drops, out, fmt, lambda pct: tick(90 + pct * 9 // 100))
        tick(100)
    n_touches = sum(len(t["touches"]) for t in drops.values())
    say(
        f"wrote {len(folders)} quarter(s) to {out}: {sizes.articles} pieces, "
        f"{sizes.deals} deals, {n_touches} touches"
    )


@main.command()
@click.option(
    "--config-file",
    "-f",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml (its revstory plugin block holds the settings).",
)
@click.option(
    "--generator",
    type=click.Choice(["mkdocs", "properdocs", "zensical"]),
    default=None,
    help="Site generator (default: generator: in the plugin block, else mkdocs). "
    "properdocs and zensical are extras: pip install 'revstory[zensical]'.",
)
@engine_options
@handle_errors
def build(config_file: Path, generator: str | None, **engine: str | None) -> None:
    """Build the report site: every quarter in the data folder → site/.

    Runs the pipeline, renders the pages from site_templates/, builds them with MkDocs and
    replaces site/ only when the build is complete (a failure leaves it untouched). Set
    SOURCE_DATE_EPOCH for a chosen build date; the same inputs give the same bytes.
    --engine, --spark-master and --spark-remote override the plugin block's settings.

    Example:

        revstory build

        revstory build --engine spark
    """
    from revstory.site.publish import build_site

    overrides = {k: v for k, v in engine.items() if v is not None}
    timings = build_site(config_file, _progress, generator, overrides)
    total = sum(timings.phases.values())
    for phase, seconds in timings.phases.items():
        LOG.debug(f"{phase}: {seconds:.1f} s, {timings.cpu.get(phase, 0.0):.1f} s CPU")
    names = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}
    say(
        f"built {timings.pages} pages in {total:.1f} s ({names[timings.generator]} "
        f"{timings.phases.get(timings.generator, 0.0):.1f} s)"
    )


@main.command()
@click.option(
    "--config-file",
    "-f",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml.",
)
@click.option(
    "--quarter",
    "-q",
    default=None,
    metavar="YYYY-QN",
    help="Quarter to print (default: the latest, as on the home page).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="PDF to write (default: board-pack-<quarter>.pdf).",
)
@handle_errors
def pdf(config_file: Path, quarter: str | None, out: Path | None) -> None:
    """Build the site and print a quarter's story page to PDF (A4, charts drawn).

    The page's print stylesheet lays it out. Needs the pdf extra
    (pip install 'revstory[pdf]') and Chromium (Debian: apt-get install chromium).

    Example:

        revstory pdf --quarter 2026-Q3 --out board-pack.pdf
    """
    from mkdocs.utils import yaml_load

    from revstory.site.pdf import chromium_path, page_for, write_pdf
    from revstory.site.publish import build_site

    chromium_path()  # fail before a build when the browser is missing
    build_site(config_file, _progress)
    with open(config_file, "rb") as fh:
        site_dir = config_file.resolve().parent / str((yaml_load(fh) or {}).get("site_dir", "site"))
    page = page_for(site_dir, quarter)
    if out is None:
        known = sorted(p.stem for p in (site_dir / "quarters").glob("*.html"))
        label = quarter or (known[-1] if known else "latest")
        out = Path(f"board-pack-{label}.pdf")
    _progress(f"printing {page.relative_to(site_dir)} with Chromium …")
    pages = write_pdf(page, out)
    click.echo(f"wrote {out} ({pages} pages)")


@main.command()
@click.option(
    "--config-file",
    "-f",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml.",
)
@click.option("--dev-addr", default=None, help="Address to serve on (default 127.0.0.1:8000).")
@handle_errors
def serve(config_file: Path, dev_addr: str | None) -> None:
    """Preview the report site with live reload (wraps mkdocs serve).

    Edits to the data folder, the templates or mkdocs.yml rebuild the pages.

    Example:

        revstory serve --dev-addr 127.0.0.1:8001
    """
    import os

    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    if not config_file.is_file():
        raise click.ClickException(
            f"{config_file} not found — run revstory serve in the folder "
            "holding mkdocs.yml, or pass --config-file"
        )
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _progress(f"serving {config_file}; press Ctrl+C to stop")
    kwargs: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    try:
        mkdocs_serve(config_file=str(config_file), livereload=True, **kwargs)
    except MkDocsException as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--sample",
    is_flag=True,
    help="Fill content/ with the sample quarters (else one empty quarter folder).",
)
@click.option(
    "--locale",
    type=click.Choice(["en", "fr", "pl"]),
    default="en",
    show_default=True,
    help="Language of the report.",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist already.")
@handle_errors
def init(directory: Path, sample: bool, locale: str, force: bool) -> None:
    """Write a ready report repository.

    It holds mkdocs.yml (every setting listed), content/, a README, .gitignore and CI
    workflows for GitHub Actions and GitLab CI.

    Refuses to overwrite existing files unless --force.

    Example:

        revstory init myreport --sample && cd myreport && revstory build
    """
    from revstory.scaffold import init_report

    written = init_report(directory, sample=sample, locale=locale, force=force)
    say(f"wrote {len(written)} files to {directory}")
    say(f"next: cd {directory} && revstory validate content/ && revstory build")


#: Where DuckDB writes what it spills to disk for an in-memory database (relative to the
#: working directory); only the closing of the database deletes those files.
DUCKDB_SPILL = Path(".tmp")


def _spilled(folder: Path = DUCKDB_SPILL) -> bool:
    """Tell whether DuckDB has spill files in ``folder`` (its closing must delete them)."""
    return folder.is_dir() and any(folder.glob("duckdb_temp*"))


def quiet_blas() -> None:
    """Let OpenBLAS's idle threads sleep at once instead of spinning (unless the user chose).

    After each call OpenBLAS keeps its worker threads spinning for 2^28 cycles (about a
    tenth of a second) by default. The exact Markov solve makes a dozen calls in a thread
    beside the rule-based models and the per-deal queries, so each call's spin took a core
    from them: with all twelve models at 10M touches, attribution 5.8-6.1 -> 5.3-5.6 s and
    a CPU second less (three alternating rounds); the factorisations themselves take the
    same time (5,000 states: 1.41-1.48 s either way). Read once, when numpy first loads
    OpenBLAS: set before any import of numpy (the commands import it later).
    """
    import os

    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")


def run() -> None:
    """Run the console script: :func:`main`, then end the process without tearing it down.

    Once a command has written everything, freeing a large drop's tables and arrays object by
    object takes a third of a second at ten million touches (the DuckDB database alone
    0.18 s), memory the operating system takes back at once when the process ends. So the
    output streams and the log are flushed and the process ends with the command's exit code;
    every file the commands write is closed before they return. When DuckDB has spilled to
    disk, the interpreter ends normally so that closing the database deletes the files.
    ``python -m revstory``, the MkDocs plugin and the tests call :func:`main` and are not
    concerned.
    """
    import logging
    import os

    quiet_blas()
    try:
        main()  # standalone: ends with SystemExit carrying the exit code
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"): Python prints it and exits with 1
            print(exc.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `revstory … | head`: nothing more can reach the reader
        code = code or 1
    logging.shutdown()
    if _spilled():
        sys.exit(code)
    os._exit(code)
