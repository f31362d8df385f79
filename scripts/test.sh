#!/usr/bin/env bash
# The README's test command: install revstory with its test tools into .venv (skipped while
# pyproject.toml and setup.py are those of the last install), lint and types, then the
# default test run (browser smoke test included) on two pytest-xdist workers, one per core
# (`-n 0` among the arguments runs it in one process). The goal once installed is 90 s on a
# 2-core machine: 664 tests took 87 s in one process on CI's fresh clone, 51 s on two workers
# (2026-12-02); lint and types 1 s with mypy's cache, 12 CPU s without (CONTRIBUTING.md has
# the history). The slow end-to-end set is left
# out here; CI (.ci/run) runs it after this script:
#   .venv/bin/python -m pytest -q -m slow
# Arguments go to the default pytest run (e.g. `bash scripts/test.sh tests/load -x`).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.revstory-install
wanted="$(cat pyproject.toml setup.py | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
    # The successor site generators too: the slow browser tests run against each one installed.
    .venv/bin/pip install --quiet -e ".[test,dev,spark,properdocs,zensical]"
    echo "$wanted" >"$stamp"
fi
# House style first: lint and types (config in pyproject.toml), then the default run.
.venv/bin/ruff check generator tests benchmarks scripts
.venv/bin/ruff format --check generator tests benchmarks scripts
.venv/bin/mypy -p revstory
.venv/bin/python -m pytest -q -n 2 "$@"
