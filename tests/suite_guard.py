"""How tests/conftest.py reads the reasons of ``MOVED_TO_SLOW``: what each one names.

A reason names the default-run tests that still cover a test moved to the slow set: a folder
or file of tests (``tests/golden``, ``tests/site/test_i18n.py``), a test in one
(``tests/x/test_y.py::test_z[param]``), ``test_z`` of the moved test's own file, or "the
same test …" (another parametrisation of it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

NAMED = re.compile(
    r"(tests(?:/[\w.]+)*)(?:::(test_\w+(?:\[[^\]]*\])?))?"
    r"|(?<![\w/])(test_\w+(?:\[[^\]]*\])?)(?![\w.])"
)


def named(key: str, reason: str) -> list[str]:
    """Return what ``reason`` names, as node ids or node-id prefixes.

    A prefix ends in ``/`` (a folder), ``.py`` (a file) or ``[`` (any parametrisation).
    """
    here = key.split("::")[0]
    out = []
    for path, in_path, bare in NAMED.findall(reason):
        if bare or in_path:
            out.append(f"{here if bare else path}::{bare or in_path}")
        else:
            out.append(path if path.endswith(".py") else path + "/")
    if reason.startswith("the same test"):
        out.append(key.split("[")[0] + "[")
    return out


def held(test: str, fast: Iterable[str]) -> bool:
    """Say whether a node id (or prefix) of :func:`named` matches a default-run test."""
    if test.endswith(("/", ".py", "[")):
        return any(n.startswith(test) for n in fast)
    return any(n == test or n.startswith(test + "[") for n in fast)


def uncovered(moved: Mapping[str, str], fast: Iterable[str]) -> list[str]:
    """Return ``key → name`` for each name of a reason that matches no default-run test."""
    fast = list(fast)
    return [
        f"{key} → {test}"
        for key, reason in moved.items()
        for test in named(key, reason)
        if not held(test, fast)
    ]
