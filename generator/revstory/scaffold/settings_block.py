"""The revstory plugin block of a new mkdocs.yml, written from the settings schema itself.

Every setting of :class:`~revstory.site.settings.SiteSettings` (nested ones too) appears with
its one-line description and its default, commented out, so the file documents what can be
set and removing one ``# `` turns a line into a valid setting. Only the settings ``init``
chose (``data_dir``, ``locale``) are live.
"""

from __future__ import annotations

import textwrap
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from revstory.site.settings import SiteSettings

WIDTH = 96


def _choices(info: FieldInfo) -> str:
    ann = info.annotation
    args = typing.get_args(ann)
    if typing.get_origin(ann) is typing.Literal:
        return " One of: " + ", ".join(str(a) for a in args) + "."
    return ""


def _nested(info: FieldInfo) -> type[BaseModel] | None:
    ann = info.annotation
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _yaml_value(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
    return text.strip().removesuffix("...").strip()


def _lines(model: type[BaseModel], live: Mapping[str, Any] | None, indent: str) -> Iterator[str]:
    """Yield each setting's description comments and its line.

    With ``live=None`` every setting is live (the inside of a block that is commented out as
    a whole, so one ``# `` less makes each line valid).
    """
    for name, info in model.model_fields.items():
        text = (info.description or "") + _choices(info)
        for line in textwrap.wrap(text, WIDTH - len(indent) - 2):
            yield f"{indent}# {line}"
        on = live is None or name in live
        mark = "" if on else "# "
        nested = _nested(info)
        if live is not None and name in live:
            yield f"{indent}{name}: {_yaml_value(live[name])}"
        elif nested is not None:
            yield f"{indent}{mark}{name}:"
            for sub in _lines(nested, None, indent + "  "):
                yield f"{indent}{mark}{sub[len(indent) :]}"
        else:
            default = info.get_default(call_default_factory=True)
            yield f"{indent}{mark}{name}: {_yaml_value(default)}"


def plugin_block(live: Mapping[str, Any], indent: str = "      ") -> str:
    """Write the commented settings of the ``revstory`` plugin, ``live`` ones set."""
    unknown = set(live) - set(SiteSettings.model_fields)
    if unknown:
        raise ValueError(f"not settings: {sorted(unknown)}")
    return "\n".join(_lines(SiteSettings, live, indent)) + "\n"
