"""Build hook: compile the gettext catalogs into the wheel (project metadata: pyproject.toml).

As MkDocs does with its hatch hook, each ``locales/<lang>/LC_MESSAGES/messages.po`` becomes a
``messages.mo`` beside it in the built package, so an installed revstory reads compiled
catalogs; a source checkout (editable install) compiles the ``.po`` in memory instead. A
translation with broken placeholders fails the build.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALES = Path("revstory", "site", "locales")


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted((Path(self.build_lib) / LOCALES).glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name)
            errors = [f"{po}: {m.id!r}: {e}" for m, errs in catalog.check() for e in errs]
            if errors:
                raise SystemExit("\n".join(errors))
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
