"""revstory settings: one declarative schema, shared by every command and the mkdocs.yml plugin.

Every option is defined and documented once, here (the loading options in
:mod:`revstory.load.options`, under ``load:``), in its ``description``; ``revstory --help``,
the methodology page and the error messages name it the same way. ``validate``, ``attribute``
and ``build`` read the ``revstory`` block of mkdocs.yml in the working folder, or the file given
with ``--config-file``; command-line options override it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from revstory.errors import ConfigError
from revstory.load.options import LoadOptions

HeuristicModelName = Literal[
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "u_shaped",
    "w_shaped",
    "full_path",
    "j_shaped",
    "inverse_j",
    "time_decay",
]
#: Every model: the rule-based ones, then the data-driven ones (revstory/attribute/data_driven.py).
ModelName = Literal[HeuristicModelName, "markov", "shapley"]
HEURISTIC_MODELS: tuple[str, ...] = HeuristicModelName.__args__  # type: ignore[attr-defined]
ALL_MODELS: tuple[ModelName, ...] = ModelName.__args__  # type: ignore[attr-defined]


class AttributionConfig(BaseModel):
    """How journeys are built and credit is shared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lookback_days: int = Field(
        365,
        ge=0,
        le=3650,
        description="Touches count from this many days before a deal was created until it closed.",
    )
    half_life_days: float = Field(
        7.0, gt=0, description="Half-life of the time_decay model, in days before the close."
    )
    journey_mode: Literal["contact", "account"] = Field(
        "contact",
        description=(
            "contact: a touch belongs to a deal when its person is one of the deal's contacts; "
            "account: when its account is the deal's account."
        ),
    )
    reporting_currency: str = Field(
        "EUR",
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code all revenue is reported in; other currencies need fx_rates.",
    )
    models: tuple[ModelName, ...] = Field(
        ALL_MODELS, min_length=1, description="Attribution models computed and shown."
    )
    default_model: ModelName = Field(
        "position_based", description="Model used for headline figures and rankings."
    )
    markov_order: int = Field(
        1,
        ge=1,
        le=3,
        description="Memory of the markov model: 1 looks at the last piece read, 2 and 3 at "
        "the last two or three (more states, needs more journeys).",
    )
    min_deals: int = Field(
        3, ge=1, description="Below this many won deals an article's figures are flagged thin."
    )
    engine: Literal["duckdb", "spark"] = Field(
        "duckdb",
        description="Where journeys and the models' touch-level work run: duckdb (embedded) or "
        "spark (Apache Spark 4; pip install 'revstory[spark]' and a Java runtime). Both give "
        "the same figures to the cent.",
    )
    spark_master: str = Field(
        "local[*]",
        min_length=1,
        description="Spark master when engine is spark: local[*] (this machine), "
        "spark://host:7077, yarn, k8s://...; not used with spark_remote or under spark-submit.",
    )
    spark_remote: str | None = Field(
        None,
        min_length=1,
        description="Spark Connect server to run on instead of starting Spark "
        "(sc://host:15002); needs no local Java.",
    )
    spark_staging: str | None = Field(
        None,
        min_length=1,
        description="Folder the validated tables are written to as Parquet for Spark to read "
        "(default: a temporary folder; on a cluster, a path every node can read).",
    )
    load: LoadOptions = Field(
        default_factory=LoadOptions,
        description="How real exports are read: date order, stage labels, column mappings.",
    )


class Settings(AttributionConfig):
    """Every revstory setting: the attribution and loading options, and the site's.

    The options above, plus how the report site is built. ``validate``, ``attribute`` and
    ``build`` all read it from the ``revstory``
    block of mkdocs.yml (or ``--config-file``).
    """

    data_dir: str = Field(
        "content",
        min_length=1,
        description="Folder holding one sub-folder per quarter (content/2026-Q3), "
        "relative to mkdocs.yml.",
    )
    site_templates: str | None = Field(
        None,
        min_length=1,
        description="Folder of the report's own templates and assets, relative to mkdocs.yml "
        "(default: the templates shipped with revstory). A file placed there under the same "
        "name as a shipped one (pages/article.md.j2, partials/macros.md.j2, "
        "assets/stylesheets/revstory.css, …) replaces it; everything else stays as shipped.",
    )
    locale: Literal["en", "fr", "pl"] = Field(
        "en", description="Language of numbers, dates, currency and the story's sentences."
    )
    redact_accounts: bool = Field(
        True, description="Replace account names by their segment ('a Mid-market customer')."
    )
    anecdotes: int = Field(
        4, ge=3, le=5, description="How many won deals the home page tells the story of."
    )
    top_articles: int = Field(
        10, ge=1, le=100, description="How many pieces the 'top content' tables list."
    )
    prepared_by: str | None = Field(
        None,
        min_length=1,
        max_length=120,
        description="Who prepared the report, shown on the first screen's title line and the "
        "board pack ('Marketing operations'). A team or role is better than a person's name.",
    )
    board_pack: bool = Field(
        False,
        description="revstory build also prints the home page's story as the board-pack PDF "
        "(site/board-pack.pdf, A4, page 1 the first screen) and the home page offers it beside "
        "the summary CSV; each quarter page offers its own quarter's "
        "(site/quarters/board-pack-2026-Q3.pdf). Needs the pdf extra "
        "(pip install 'revstory[pdf]') and Chromium; without them the build stops and the "
        "previous site stays. mkdocs build and serve leave the PDF out (use revstory build or "
        "revstory pdf).",
    )
    strict: bool = Field(False, description="Fail the build on data warnings, not only errors.")
    min_group_size: int = Field(
        3,
        ge=1,
        le=100,
        description="Per-article deal lists, deal anecdotes, and the figures of a deal type or "
        "content type (won revenue, pipeline, win rates, cycles) are hidden when fewer deals "
        "than this back them ('hidden: fewer than 3 deals'), so no small group can be singled "
        "out. So are a piece's deal-level figures (influenced revenue, won, lost and open deal "
        "counts, win rates, first won deal), per quarter and to date: a dash on the page, an "
        "empty CSV cell, and such a piece is not listed as a hidden gem. A piece's attributed "
        "revenue (a model's share of each deal) is always shown.",
    )
    retreat_after_quarters: int = Field(
        2,
        ge=1,
        le=12,
        description="A piece with traffic but no influenced revenue this many quarters in a "
        "row is listed as a candidate to retire or rework.",
    )
    gem_max_views_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="'Hidden gems' are pieces whose views are at most this quantile of the "
        "quarter's pieces (0.5 = the less-read half) ...",
    )
    gem_min_deals: int = Field(
        1,
        ge=1,
        le=100,
        description="... with at least this many influenced won deals, ranked by influenced "
        "revenue per view.",
    )
    write_snapshots: bool = Field(
        True,
        description="Save each quarter's computed results to <quarter>/.revstory/snapshot/ so "
        "the quarter stays on the site after its raw exports are deleted.",
    )
    snapshot_touches: bool = Field(
        True,
        description="Keep each quarter's touches in its snapshot, pseudonymised (hashed person "
        "keys, no email or name), so deleting a quarter's exports does not change later "
        "quarters whose deals look back into it; false keeps no touch (those later figures "
        "then fall, and the build says by how many touches).",
    )
    generator: Literal["mkdocs", "properdocs", "zensical"] = Field(
        "mkdocs",
        description="Site generator that builds the rendered pages: mkdocs (MkDocs 1.6 + "
        "Material, the default), properdocs (the maintained MkDocs fork; pip install "
        "'revstory[properdocs]') or zensical (Material's successor; pip install "
        "'revstory[zensical]'). revstory build --generator overrides it.",
    )
    snapshot_mismatch: Literal["fail", "label"] = Field(
        "fail",
        description="When a quarter restored from its snapshot was computed with other "
        "settings (lookback, half-life, journey mode, currency, loading): 'fail' stops the "
        "build naming the differences; 'label' keeps the quarter with a notice on its pages "
        "and no quarter-over-quarter change against it.",
    )

    @model_validator(mode="after")
    def _default_model_is_shown(self) -> Settings:
        if self.default_model not in self.models:
            raise ValueError(
                f"default_model '{self.default_model}' is not in models; add it to models "
                "or pick one of: " + ", ".join(self.models)
            )
        return self

    def attribution(self) -> AttributionConfig:
        """Return the attribution part alone, as the pipeline takes it."""
        keys = set(AttributionConfig.model_fields)
        return AttributionConfig(**self.model_dump(include=keys))


def _hint(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def format_validation_error(err: ValidationError, model: type[BaseModel], where: str) -> str:
    """Turn pydantic's error into one line per problem, with 'did you mean' hints."""
    lines = [f"invalid settings in {where}:"]
    allowed = list(model.model_fields)
    for e in err.errors():
        loc = " -> ".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            key = str(e["loc"][-1])
            if len(e["loc"]) == 1 and key in LoadOptions.model_fields:
                lines.append(
                    f"  - '{key}' is a loading setting: put it under load: (load: {{{key}: …}})"
                )
            else:
                lines.append(f"  - unknown setting '{key}'.{_hint(key, allowed)}")
        else:
            lines.append(f"  - {e['msg']} (at {loc})")
    return "\n".join(lines)


def make_config(values: dict[str, Any], where: str = "options") -> Settings:
    """Validate settings, dropping ``None`` values so defaults (or the config file) win."""
    clean = {k: v for k, v in values.items() if v is not None}
    if (
        clean.get("models")
        and "default_model" not in clean
        and "position_based" not in clean["models"]
    ):
        clean["default_model"] = next(iter(clean["models"]))
    try:
        return Settings(**clean)
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, Settings, where)) from None


#: Where every command looks for settings when no ``--config-file`` is given.
DEFAULT_CONFIG_FILE = Path("mkdocs.yml")


def plugin_block(raw: dict[str, object]) -> dict[str, object] | None:
    """Find the ``revstory`` entry of a raw mkdocs.yml ``plugins`` list or mapping."""
    plugins = raw.get("plugins") or []
    items = (
        plugins.items()
        if isinstance(plugins, dict)
        else [next(iter(p.items())) if isinstance(p, dict) else (p, None) for p in plugins]  # type: ignore[attr-defined]
    )
    for name, options in items:
        if name == "revstory":
            return options if isinstance(options, dict) else {}
    raise ConfigError("mkdocs.yml has no revstory plugin — add '- revstory' under plugins:")


def file_settings(config_file: Path | None) -> tuple[dict[str, Any], str]:
    """Read the raw ``revstory`` block of ``config_file`` and say where it came from.

    Without ``config_file``, ./mkdocs.yml when it exists; ``({}, "defaults")`` when no file
    is given and none is here.
    """
    if config_file is None:
        if not DEFAULT_CONFIG_FILE.is_file():
            return {}, "defaults"
        config_file = DEFAULT_CONFIG_FILE
    if not config_file.is_file():
        raise ConfigError(
            f"{config_file} not found — pass the mkdocs.yml that holds the "
            "revstory plugin block, or leave --config-file out to use defaults"
        )
    from mkdocs.utils import yaml_load

    try:
        with open(config_file, "rb") as fh:
            raw = yaml_load(fh) or {}
    except Exception as exc:  # YAML syntax errors come in several types
        raise ConfigError(f"{config_file} cannot be read as YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file} is not a mkdocs.yml mapping")
    return dict(plugin_block(raw) or {}), f"{config_file}, plugin 'revstory'"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Make a command's settings: the file's ``revstory`` block, then ``overrides``.

    Command-line ``overrides`` of ``None`` mean "not given". Raises :class:`ConfigError`
    naming the file and setting.
    """
    values, where = file_settings(config_file)
    given = {k: v for k, v in overrides.items() if v is not None}
    if (
        "models" in given
        and "default_model" not in given
        and values.get("default_model") not in given["models"]
    ):
        given["default_model"] = given["models"][0]
    merged = {**values, **given}
    where = where if not given else f"{where} and the command-line options"
    try:
        return Settings(**merged)
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, Settings, where)) from None
