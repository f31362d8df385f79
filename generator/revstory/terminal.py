"""What revstory says on a terminal: messages through :mod:`logging`, bars on long steps.

Progress bars are tqdm's.

``revstory -v`` shows more (debug messages, MkDocs' own info), ``-q`` errors only. Bars show
only on an interactive terminal and never under ``-q``, so CI logs and pipes stay plain.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # imported by bar(): 40 ms of every command's start (importlib.metadata)
    from tqdm import tqdm

LOG = logging.getLogger("revstory")
#: Loggers configured together: revstory's own and MkDocs' (its plugin logs under it).
_LOGGERS = ("revstory", "mkdocs")


class _ClickHandler(logging.Handler):
    """Write to the standard error of the moment a record is emitted.

    That is whatever it is then (a test runner's capture, a pipe), not the one of the moment
    the handler was made.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(self.format(record), err=True)
        except Exception:  # logging must never raise into the pipeline
            self.handleError(record)


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        level = f"{record.levelname.lower()}: " if record.levelno >= logging.WARNING else ""
        if record.name.startswith("mkdocs"):
            return f"mkdocs: {level}{msg}"
        return level + msg if level else f"revstory: {msg}"


def configure(verbosity: int = 0) -> None:
    """Set what revstory and MkDocs log for a ``verbosity``.

    -1 (``-q``): errors only; 0: progress and warnings; 1 (``-v``): also debug messages and
    MkDocs' info; 2 (``-vv``): MkDocs' debug too.
    """
    own = logging.ERROR if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    theirs = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
        max(-1, min(verbosity, 2)), logging.DEBUG
    )
    for name, level in zip(_LOGGERS, (own, theirs), strict=True):
        logger = logging.getLogger(name)
        for h in [h for h in logger.handlers if isinstance(h, _ClickHandler)]:
            logger.removeHandler(h)
        handler = _ClickHandler()
        handler.setFormatter(_Format())
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


def quiet() -> bool:
    """Whether only errors are to be shown (``-q``)."""
    return LOG.getEffectiveLevel() > logging.WARNING


def say(message: str) -> None:
    """Print a command's summary line on standard output (left out under ``-q``)."""
    if not quiet():
        click.echo(message)


def bar(total: int, desc: str, **kwargs: Any) -> tqdm[Any]:
    """Return a progress bar on standard error.

    It is disabled when that is not a terminal or under ``-q`` (the step's start and end are
    logged either way).
    """
    from tqdm import tqdm

    enabled = sys.stderr.isatty() and LOG.getEffectiveLevel() <= logging.INFO
    return tqdm(
        total=total,
        desc=desc,
        file=sys.stderr,
        disable=not enabled,
        leave=False,
        dynamic_ncols=True,
        **kwargs,
    )
