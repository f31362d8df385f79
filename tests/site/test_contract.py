"""Templates and contexts agree: every name a page template uses is a documented field of
its context dataclass, every field is documented, and macros use only their arguments."""

from __future__ import annotations

import dataclasses
import typing

import jinja2
import pytest
from jinja2 import meta
from revstory.site import context
from revstory.site.assets import PACKAGED_TEMPLATES
from revstory.site.render import make_env

TEMPLATES = PACKAGED_TEMPLATES
#: jinja2.ext.i18n's functions: the words, from the catalogs, in every template.
GETTEXT = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})


def _env() -> jinja2.Environment:
    return make_env([TEMPLATES], "en", "EUR")


def _dataclasses() -> list[type]:
    return [
        obj
        for obj in vars(context).values()
        if isinstance(obj, type)
        and dataclasses.is_dataclass(obj)
        and obj.__module__
        in (context.__name__, "revstory.site.charts", "revstory.site.first_screen")
    ] + [context.Chart]


@pytest.mark.parametrize("template", sorted(context.TEMPLATE_CONTEXTS))
def test_template_uses_only_documented_fields(template: str) -> None:
    env = _env()
    source = (TEMPLATES / "pages" / template).read_text(encoding="utf-8")
    used = meta.find_undeclared_variables(env.parse(source)) - GETTEXT
    fields = {f.name for f in dataclasses.fields(context.TEMPLATE_CONTEXTS[template])}
    assert used <= fields, f"{template} uses undocumented names: {sorted(used - fields)}"


def test_every_page_template_has_a_context() -> None:
    on_disk = {p.name for p in (TEMPLATES / "pages").glob("*.md.j2")}
    assert on_disk == set(context.TEMPLATE_CONTEXTS)


def test_partials_use_only_their_arguments() -> None:
    env = _env()
    for path in sorted((TEMPLATES / "partials").glob("*.j2")):
        used = meta.find_undeclared_variables(env.parse(path.read_text(encoding="utf-8"))) - GETTEXT
        assert not used, f"{path.name} reads global names {sorted(used)}; pass them as arguments"


@pytest.mark.parametrize("cls", _dataclasses(), ids=lambda c: c.__name__)
def test_every_field_is_documented_and_frozen(cls: type) -> None:
    assert cls.__dataclass_params__.frozen, f"{cls.__name__} must be frozen"  # type: ignore[attr-defined]
    for f in dataclasses.fields(cls):
        assert f.metadata.get("doc"), f"{cls.__name__}.{f.name} has no documentation"


def test_contexts_hold_no_data_frames() -> None:
    for cls in _dataclasses():
        for name, hint in typing.get_type_hints(cls).items():
            assert "DataFrame" not in str(hint), f"{cls.__name__}.{name} is a data frame"
