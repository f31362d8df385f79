#!/usr/bin/env bash
# Install revstory with its test tools into .venv and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
# The successor site generators too: the browser tests run against each one installed.
.venv/bin/pip install --quiet -e ".[test,dev,spark,properdocs,zensical]"
# The engine equivalence tests (tests/engines/, under -m slow) fail rather than skip when
# PySpark or Java is missing.
export REVSTORY_REQUIRE_SPARK=1
# House style first: lint and types (config in pyproject.toml), then the suite.
.venv/bin/ruff check generator tests benchmarks scripts
.venv/bin/ruff format --check generator tests benchmarks scripts
.venv/bin/mypy -p revstory
.venv/bin/python -m pytest -q "$@"            # the default run (browser included; the goal is 90 s)
.venv/bin/python -m pytest -q -m slow "$@"    # the slow end-to-end builds (history, French site)
