"""The revstory settings of a site: the ``revstory`` plugin block in mkdocs.yml.

One declarative schema extends :class:`~revstory.config.AttributionConfig` with the
site's own options; every option is documented once, in its ``description``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from revstory.config import AttributionConfig, format_validation_error
from revstory.errors import ConfigError


class SiteSettings(AttributionConfig):
    """How the report site is built (plus every attribution option)."""

    data_dir: str = Field(
        "content",
        min_length=1,
        description="Folder holding one sub-folder per quarter (content/2026-Q3), "
        "relative to mkdocs.yml.",
    )
    site_templates: str | None = Field(
        None, min_length=1,
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
    strict: bool = Field(False, description="Fail the build on data warnings, not only errors.")
    min_group_size: int = Field(
        3, ge=1, le=100,
        description="Per-article deal lists and deal anecdotes are hidden when fewer deals "
        "than this back them ('hidden: fewer than 3 deals'), so no small group can be singled "
        "out.",
    )
    retreat_after_quarters: int = Field(
        2, ge=1, le=12,
        description="A piece with traffic but no influenced revenue this many quarters in a "
        "row is listed as a candidate to retire or rework.",
    )
    gem_max_views_share: float = Field(
        0.5, gt=0, le=1,
        description="'Hidden gems' are pieces whose views are at most this quantile of the "
        "quarter's pieces (0.5 = the less-read half) ...",
    )
    gem_min_deals: int = Field(
        1, ge=1, le=100,
        description="... with at least this many influenced won deals, ranked by influenced "
        "revenue per view.",
    )
    write_snapshots: bool = Field(
        True,
        description="Save each quarter's computed results to <quarter>/.revstory/snapshot/ so "
        "the quarter stays on the site after its raw exports are deleted.",
    )
    snapshot_mismatch: Literal["fail", "label"] = Field(
        "fail",
        description="When a quarter restored from its snapshot was computed with other "
        "settings (lookback, half-life, journey mode, currency, loading): 'fail' stops the "
        "build naming the differences; 'label' keeps the quarter with a notice on its pages "
        "and no quarter-over-quarter change against it.",
    )

    @model_validator(mode="after")
    def _default_model_is_shown(self) -> SiteSettings:
        if self.default_model not in self.models:
            raise ValueError(
                f"default_model '{self.default_model}' is not in models; add it to models "
                "or pick one of: " + ", ".join(self.models)
            )
        return self

    def attribution(self) -> AttributionConfig:
        """The attribution part alone, as the pipeline takes it."""
        keys = set(AttributionConfig.model_fields)
        return AttributionConfig(**self.model_dump(include=keys))


def site_settings(values: dict[str, Any] | None, where: str = "mkdocs.yml") -> SiteSettings:
    """Validate the plugin block; raises :class:`ConfigError` with one line per problem."""
    try:
        return SiteSettings(**(values or {}))
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, SiteSettings, where)) from None
