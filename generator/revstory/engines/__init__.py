"""Engines that run the stages growing with touches.

DuckDB (embedded, the default) and Apache Spark (:mod:`revstory.engines.spark`, optional
extra ``revstory[spark]``).

One definition per query: the SQL both engines run lives in ``revstory/sql/`` and is read
through :func:`revstory.engines.dialect.shared_sql`, which fills the few placeholders whose
spelling differs between the engines. Everything else in those files is written in constructs
proven identical on both (tests/engines/). This package imports neither PySpark nor Java:
only :mod:`revstory.engines.spark` does, when ``engine: spark`` runs.
"""

from __future__ import annotations

from typing import Literal

EngineName = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = EngineName.__args__  # type: ignore[attr-defined]
