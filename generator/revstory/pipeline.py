"""The pipeline in one place: load → validate → journeys → attribute.

The CLI and the MkDocs plugin both call these functions; each stage reports its progress
through ``progress``.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from revstory.config import AttributionConfig
from revstory.errors import DropError

if TYPE_CHECKING:  # the stages import pandas and DuckDB: only when they run
    from revstory.attribute.stage import Results
    from revstory.journeys import CarriedTouches, Journeys
    from revstory.validate.stage import Drop

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass
class Took:
    """Seconds a stage took: wall clock and this process's CPU (filled when it ends)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def stage(name: str, progress: Progress) -> Iterator[Took]:
    """Report ``name …`` and ``name done in N s`` around a stage; yields its :class:`Took`."""
    start, cpu = time.perf_counter(), time.process_time()
    took = Took()
    progress(f"{name} …")
    yield took
    took.wall = time.perf_counter() - start
    took.cpu = time.process_time() - cpu
    progress(f"{name} done in {took.wall:.1f} s")


def check(
    paths: list[Path],
    config: AttributionConfig,
    progress: Progress = _quiet,
    before_validate: Callable[[], None] | None = None,
) -> Drop:
    """Load and validate drops; the :class:`~revstory.validate.stage.Drop` (errors inside).

    ``before_validate`` is called between the two stages.
    """
    from revstory.load.discover import load_drops
    from revstory.validate.stage import validate

    with stage("load", progress):
        staged = load_drops(paths, options=config.load)
    if before_validate is not None:
        before_validate()
    with stage("validate", progress):
        drop = validate(staged, config)
    return drop


#: What the journeys, the models and the results' writing import, and load and validate do
#: not: pandas, scipy.sparse and Babel, about a second and a half of a run's start.
_LATER_IMPORTS = ("pandas", "scipy.sparse", "babel.numbers")


def _import_behind() -> None:
    """Import :data:`_LATER_IMPORTS` in a thread while validate runs.

    DuckDB releases the GIL while it checks the drop (most of validate's time; load runs
    more Python between its statements, which the thread slowed), so the imports take wall
    time the run would otherwise spend on them alone afterwards. Only third-party modules:
    they import nothing of revstory, so the thread and the stages never wait on each
    other's module locks in a cycle. Not a daemon: an early exit waits for the imports
    rather than stopping the interpreter under them.
    """

    def load() -> None:
        for name in _LATER_IMPORTS:
            importlib.import_module(name)

    threading.Thread(target=load, name="revstory-imports").start()


def run(
    paths: list[Path],
    config: AttributionConfig,
    strict: bool = False,
    progress: Progress = _quiet,
    detail: bool = True,
    carried: CarriedTouches | None = None,
    keep_touches: bool = False,
) -> tuple[Results, Drop]:
    """Load, validate and attribute.

    Raises :class:`DropError` when the data has errors (or warnings, with ``strict``).
    ``detail=False`` skips the frames only the site needs (the touch-level journeys and the
    long ``deal_credit``); ``carried`` are touches of deleted quarters kept in their snapshots;
    ``keep_touches`` keeps the checked touches in the drop's connection when another engine
    checked them (the snapshots read them from there). Returns ``(results, drop)``.
    """
    results, drop, _ = run_stages(paths, config, strict, progress, detail, carried, keep_touches)
    return results, drop


def run_stages(
    paths: Sequence[Path | str],
    config: AttributionConfig,
    strict: bool = False,
    progress: Progress = _quiet,
    detail: bool = True,
    carried: CarriedTouches | None = None,
    keep_touches: bool = False,
) -> tuple[Results, Drop, Journeys]:
    """Run as :func:`run` does, and return the journeys stage too.

    Its connection holds the ``journeys`` table (``attribute --out`` reads effects.csv's
    journeys through it).
    """
    from revstory.engines.remote import drop_paths

    resolved = drop_paths(paths, config.engine)  # URIs: Spark's; file:// on DuckDB too
    if config.engine == "spark":  # the touches, journeys and models on Spark
        from revstory.engines.spark import run_spark_stages

        return run_spark_stages(resolved, config, strict, progress, detail, carried, keep_touches)
    drop = check([Path(p) for p in resolved], config, progress, _import_behind)
    if drop.errors or (strict and drop.warnings):
        raise DropError(list(drop.issues))
    # Waits for the thread's imports where they are not done yet (the module locks).
    from revstory.attribute.stage import attribute
    from revstory.journeys import build_journeys

    with stage("journeys", progress):
        journeys = build_journeys(drop, config, carried)
    with stage("attribution", progress):
        results = attribute(journeys, config, detail)
    return results, drop, journeys
