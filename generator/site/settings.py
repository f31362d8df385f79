"""The revstory settings of a site: the ``revstory`` plugin block in mkdocs.yml.

One declarative schema extends :class:`~generator.config.AttributionConfig` with the
site's own options; every option is documented once, in its ``description``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from generator.config import AttributionConfig, format_validation_error
from generator.errors import ConfigError


class SiteSettings(AttributionConfig):
    """How the report site is built (plus every attribution option)."""

    data_dir: str = Field(
        "content",
        min_length=1,
        description="Folder holding one sub-folder per quarter (content/2026-Q3), "
        "relative to mkdocs.yml.",
    )
    templates_dir: str = Field(
        "site_templates", min_length=1,
        description="Folder of the Jinja page templates, relative to mkdocs.yml.",
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
