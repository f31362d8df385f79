"""The slow-set guard (tests/suite_guard.py): a reason must name tests of the default run."""

from __future__ import annotations

from suite_guard import named, uncovered

FAST = [
    "tests/golden/test_golden.py::test_golden_files",
    "tests/site/test_i18n.py::test_catalogs",
    "tests/a/test_x.py::test_fast",
    "tests/a/test_x.py::test_param[NULL]",
    "tests/b/test_y.py::test_z[en]",
]


def test_what_a_reason_names() -> None:
    key = "tests/a/test_x.py::test_slow"
    assert named(key, "test_fast; tests/b/test_y.py::test_z[en] (the same rule)") == [
        "tests/a/test_x.py::test_fast",
        "tests/b/test_y.py::test_z[en]",
    ]
    # A file's or a folder's name is not read as a test of the entry's own file.
    assert named(key, "tests/site/test_i18n.py (catalogs), tests/golden") == [
        "tests/site/test_i18n.py",
        "tests/golden/",
    ]
    assert named("tests/a/test_x.py::test_param[None]", "the same test with NULL") == [
        "tests/a/test_x.py::test_param["
    ]


def test_a_reason_naming_default_run_tests_passes() -> None:
    moved = {
        "tests/a/test_x.py::test_slow": "test_fast, tests/b/test_y.py::test_z (any locale)",
        "tests/a/test_x.py::test_param[None]": "the same test with NULL",
        "tests/a/test_x.py::test_other": "tests/golden; tests/site/test_i18n.py",
    }
    assert uncovered(moved, FAST) == []


def test_a_reason_naming_a_slow_missing_or_longer_named_test_is_refused() -> None:
    moved = {
        "tests/a/test_x.py::test_slow": "test_gone; tests/c (a folder without tests)",
        # test_fast_more is not test_fast, nor is test_fast a parametrisation of it.
        "tests/a/test_x.py::test_more": "test_fast_more",
        "tests/b/test_y.py::test_w[fr]": "the same test in English",
    }
    assert uncovered(moved, [*FAST, "tests/a/test_x.py::test_fast_most"]) == [
        "tests/a/test_x.py::test_slow → tests/a/test_x.py::test_gone",
        "tests/a/test_x.py::test_slow → tests/c/",
        "tests/a/test_x.py::test_more → tests/a/test_x.py::test_fast_more",
        "tests/b/test_y.py::test_w[fr] → tests/b/test_y.py::test_w[",
    ]
