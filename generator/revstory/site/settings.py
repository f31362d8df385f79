"""The revstory settings of a site: the ``revstory`` plugin block in mkdocs.yml.

Defined once, in :mod:`revstory.config` (:class:`~revstory.config.Settings`), so ``validate``,
``attribute`` and ``build`` read the same settings; this module keeps the site's names.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from revstory.config import Settings, format_validation_error
from revstory.errors import ConfigError

SiteSettings = Settings


def site_settings(values: dict[str, Any] | None, where: str = "mkdocs.yml") -> SiteSettings:
    """Validate the plugin block; raises :class:`ConfigError` with one line per problem."""
    try:
        return SiteSettings(**(values or {}))
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, SiteSettings, where)) from None
