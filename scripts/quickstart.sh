#!/usr/bin/env bash
# Install revstory into .venv and run the main job on the sample drops in content/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
.venv/bin/revstory validate content/
.venv/bin/revstory attribute content/ --out out/
.venv/bin/revstory build
