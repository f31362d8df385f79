"""The package's own exceptions. No click import here: the CLI converts them in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem found in a data drop, located as precisely as the input allows."""

    severity: Severity
    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        text = f"{', '.join(where)}: {self.message}"
        if self.fix:
            text += f" — {self.fix}"
        return text


class RevstoryError(Exception):
    """Base class for every expected failure; the CLI prints it without a traceback."""


class ConfigError(RevstoryError):
    """The configuration (options or the mkdocs.yml plugin block) is invalid."""


class DropError(RevstoryError):
    """A data drop has errors; ``issues`` holds every problem found, errors and warnings."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        warnings = [i for i in issues if i.severity == "warning"]
        head = f"{len(errors)} error(s)" + (f", {len(warnings)} warning(s)" if warnings else "")
        lines = [f"the data drop has {head}:"] + [f"  {i.severity}: {i}" for i in issues]
        super().__init__("\n".join(lines))


class BuildError(RevstoryError):
    """The site could not be rendered or built; the previous site is left in place."""
