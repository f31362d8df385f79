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
        """Return the message with its place: file, row and column when known."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        from revstory.redact import PERSON_COLUMNS, redact, redact_person_values

        message = self.message
        if self.column is not None and self.column.strip().lower() in PERSON_COLUMNS:
            message = redact_person_values(message)
        # Messages reach the terminal and the published data-quality page: no personal data.
        text = f"{', '.join(where)}: {redact(message)}"
        if self.fix:
            text += f" — {redact(self.fix)}"
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


def os_error(exc: OSError) -> str:
    """Describe a file-system failure in one line: the path, what the system said, the fix."""
    import errno

    path = exc.filename if exc.filename is not None else "a file"
    if exc.filename2 is not None:
        path = f"{exc.filename} → {exc.filename2}"
    fixes = {
        errno.EACCES: "give your user write permission there (chmod u+w) or choose another folder",
        errno.EPERM: "give your user write permission there (chmod u+w) or choose another folder",
        errno.EROFS: "the file system is mounted read-only: choose a folder on a writable one",
        errno.ENOSPC: "the disk is full: free some space and try again",
        errno.EXDEV: "keep site_dir on the same file system as the project folder",
        errno.ENAMETOOLONG: "use a shorter name",
    }
    fix = fixes.get(exc.errno or 0, "check the path and its permissions")
    return f"{path}: {exc.strerror or type(exc).__name__} — {fix}"
