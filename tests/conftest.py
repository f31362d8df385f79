"""Shared fixtures; paths are relative to this file, never the working directory."""

from __future__ import annotations

import csv
import functools
import http.server
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from revstory.load.adapters.base import AdapterOutput, ReadContext
from revstory.load.options import LoadOptions
from revstory.load.sniff import sniff
from suite_guard import uncovered

if TYPE_CHECKING:  # pandas and DuckDB load when the first test needs them, not at collection
    from revstory.attribute.stage import Results

TESTS = Path(__file__).parent
REPO = TESTS.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output (read "
        "tests/golden/README.md first; say why in the commit).",
    )


#: Tests of the slow set (CI runs ``pytest -m slow`` after the default run), marked here rather
#: than beside each test so the default run's budget (90 s for the README's test command on
#: 2 cores) is kept in one place. Each entry names the test (or one parametrisation) and the
#: faster default-run test that still covers its behaviour. Keys are node ids without the
#: parameters, or with them (``name[param]``) to move only some of a parametrised test.
MOVED_TO_SLOW: dict[str, str] = {
    # Browser tests beyond the smoke test of the first screen (test_board.py, English: the
    # home page loads in Chromium with its charts drawn and the first screen above the fold).
    "tests/browser/test_site.py::test_home_and_article_load_without_errors": "browser smoke",
    "tests/browser/test_site.py::test_each_kind_of_chart_page_holds_rendered_charts": (
        "browser smoke (home charts); tests/site/test_charts.py (every chart's option)"
    ),
    "tests/browser/test_site.py::test_instant_navigation_renders_the_next_pages_charts": (
        "browser smoke"
    ),
    "tests/browser/test_site.py::test_charts_follow_the_palette": "tests/site/test_charts.py",
    "tests/browser/test_site.py::test_search_finds_an_article_by_title": (
        "tests/site/test_search.py (the search index)"
    ),
    "tests/browser/test_site.py::test_a_script_tag_in_a_title_renders_as_text": (
        "tests/site/test_build.py::test_xss_title_is_text"
    ),
    "tests/browser/test_site.py::test_search_finds_a_hostile_title_and_shows_it_as_text": (
        "tests/site/test_search.py, tests/site/test_build.py::test_xss_title_is_text"
    ),
    "tests/browser/test_site.py::test_the_site_works_from_file_urls": (
        "tests/browser/test_site.py::test_no_page_loads_anything_from_another_host"
    ),
    "tests/browser/test_charts_browser.py::test_chart_labels_never_overlap": (
        "tests/site/test_charts.py (label options)"
    ),
    "tests/hostile/test_story_browser.py::test_no_dialog_on_hover_or_click": (
        "tests/hostile/test_story_injection.py (the note's HTML holds no handler or script)"
    ),
    # Full sample rebuild: the golden test compares every result file and page of the minimal
    # drop byte for byte, so a build that is not deterministic fails there first.
    "tests/site/test_build.py::test_rebuild_is_byte_identical": "tests/golden/test_golden.py",
    # End-to-end runs (a CLI or pipeline run of a small drop costs about one CPU second): each
    # group keeps its cheapest test in the default run, named here; the golden test guards
    # every figure, sentence and page of the minimal drop (tests/golden/minimal/).
    # -- attribute: exact figures and the CLI's outputs
    "tests/cli/test_attribute.py::test_exact_figures": (
        "tests/golden/test_golden.py (attribution.csv, influence.csv, summary.json byte for byte)"
    ),
    "tests/cli/test_attribute.py::test_no_person_identifier_in_outputs": (
        "tests/golden/test_golden.py::test_outputs_hold_no_absolute_path_or_personal_data"
    ),
    "tests/cli/test_attribute.py::test_account_mode": (
        "tests/engines/test_counts.py::test_counts_equal_the_journey_frame[account]"
    ),
    "tests/attribute/test_effects.py::test_attribute_writes_effects_csv": (
        "tests/golden/test_golden.py (effects.csv byte for byte)"
    ),
    "tests/attribute/test_effects.py::test_no_effects_csv_without_a_data_driven_model": (
        "tests/cli/test_attribute.py::test_lookback_window (attribute with options)"
    ),
    "tests/attribute/test_properties.py::test_cents_add_up_and_row_order_does_not_matter": (
        "tests/attribute/test_model_properties.py (the same invariants per model, in memory)"
    ),
    "tests/engines/test_counts.py::test_counts_equal_the_journey_frame[contact]": (
        "the same test in account mode; tests/golden/test_golden.py (contact mode)"
    ),
    "tests/cli/test_output.py::test_quiet_shows_errors_only": (
        "test_default_output_summary_and_no_bar_off_a_terminal, test_verbose_adds_debug_lines"
    ),
    # -- validate: messages naming file, row, column and the fix
    "tests/validate/test_errors.py::test_missing_column": (
        "tests/load/test_cli.py::test_malformed_exports_fail_with_a_message (file-level errors)"
    ),
    "tests/validate/test_errors.py::test_unparseable_touch_timestamp": (
        "tests/validate/test_touch_rows.py::test_rows_after_unreadable_lines_keep_their_line"
    ),
    "tests/validate/test_errors.py::test_duplicate_deal": (
        "test_unparseable_amount_and_date (deals rows); tests/hostile/test_validate_values.py::"
        "test_of_two_copies_the_latest_last_modified_wins (duplicates)"
    ),
    "tests/validate/test_errors.py::test_closed_before_created_and_negative_amount": (
        "test_attribute_refuses_bad_drop_and_writes_nothing (a negative amount); "
        "tests/validate/test_export_quirks.py::"
        "test_deals_closed_before_creation_are_left_out_of_cycle_times"
    ),
    "tests/validate/test_errors.py::test_unknown_currency_and_missing_rate": (
        "test_unparseable_amount_and_date (deals rows); tests/validate/test_fx_decimal.py"
    ),
    "tests/validate/test_defaults.py::test_a_drop_without_any_deals_file_is_an_error_for_validate"
    "_and_attribute": "tests/validate/test_errors.py::test_missing_file (the same message)",
    "tests/validate/test_defaults.py::test_ga4_report_of_another_period_and_the_same_report"
    "_twice": "tests/load/test_ga4.py (GA4 reports)",
    "tests/validate/test_defaults.py::test_unsafe_content_ids_and_types_are_read_as_safe_names": (
        "tests/hostile/test_email_ids.py::test_an_email_id_is_the_placeholder_in_python_and_sql "
        "(the slug rule in Python and SQL)"
    ),
    "tests/validate/test_touch_rows.py::test_values_and_unknown_content_name_their_rows": (
        "test_rows_after_unreadable_lines_keep_their_line (the same messages, after bad lines)"
    ),
    "tests/validate/test_touch_rows.py::test_figures_are_those_of_the_file_read_once": (
        "test_rows_after_unreadable_lines_keep_their_line (the second reading); tests/golden"
    ),
    "tests/validate/test_touch_rows.py::test_the_numbered_copy_is_freed_after_validation": (
        "test_rows_after_unreadable_lines_keep_their_line (the second reading)"
    ),
    "tests/validate/test_touch_rows.py::test_many_unknown_pieces_are_summed_up_without_a_second"
    "_reading": "test_rows_after_unreadable_lines_keep_their_line (unknown pieces by row)",
    "tests/validate/test_touch_rows.py::test_blank_padded_and_placeholder_cells_are_told_apart": (
        "tests/validate/test_export_quirks.py::test_a_placeholder_id_is_no_one[NULL]"
    ),
    "tests/validate/test_export_quirks.py::test_a_midnight_close_is_the_whole_day_like_a_date": (
        "tests/golden (piece e, read on D1's closing date, counts)"
    ),
    **{
        f"tests/validate/test_export_quirks.py::test_a_placeholder_id_is_no_one[{p}]": (
            "the same test with NULL"
        )
        for p in ("None", "#N/A", "-", "N/A", "null", "000000000000000AAA")
    },
    "tests/validate/test_export_quirks.py::test_swapped_columns_and_email_ids_quote_no_person": (
        "tests/hostile/test_email_ids.py::"
        "test_touches_with_emails_as_content_ids_name_the_swapped_column"
    ),
    "tests/validate/test_e2e_crm.py::test_hubspot_all_properties_export_with_custom_stages_and_no"
    "_currency": (
        "tests/load/test_crm.py (HubSpot exports); tests/validate/test_export_quirks.py::"
        "test_hubspot_amount_in_company_currency_is_preferred"
    ),
    "tests/validate/test_identity.py::test_without_the_contacts_export_emails_meet_no_contact": (
        "test_mixed_drop_joins_emails_to_crm_contacts_with_exact_figures"
    ),
    "tests/validate/test_identity.py::test_a_person_under_three_ids_in_three_files_is_one_reader": (
        "test_mixed_drop_joins_emails_to_crm_contacts_with_exact_figures"
    ),
    "tests/validate/test_identity.py::test_attribute_ledger_lists_unrecognised_files_and_merged"
    "_contacts": (
        "tests/load/test_cli.py::test_mixed_drop_prints_sources_and_mappings_and_writes_the_ledger"
    ),
    "tests/validate/test_identity.py::test_without_alias_rows_nothing_is_rewritten": (
        "test_mixed_drop_joins_emails_to_crm_contacts_with_exact_figures"
    ),
    "tests/validate/test_identity.py::test_hubspot_job_titles_reach_every_deal_the_contact_is_on": (
        "tests/story/test_anecdotes.py::test_hubspot_drop_tells_the_cfo_and_the_director (the "
        "same drop's levels on the page); tests/load/test_crm.py::"
        "test_hubspot_contacts_give_each_contact_their_seniority_never_their_title"
    ),
    "tests/validate/test_identity.py::test_of_two_levels_for_one_person_the_later_files_is_kept": (
        "test_a_deal_contacts_own_seniority_wins_over_the_persons (the same person_seniority step)"
    ),
    "tests/validate/test_identity.py::test_a_native_identities_file_gives_levels_from_job_titles": (
        "test_a_deal_contacts_own_seniority_wins_over_the_persons; tests/load/test_seniority.py "
        "(the title → level table)"
    ),
    "tests/validate/test_settings.py::test_mkdocs_yml_in_the_working_folder_is_read": (
        "tests/validate/test_errors.py::test_bad_option_value (the working folder's mkdocs.yml)"
    ),
    # -- load: files and layouts
    **{
        f"tests/load/test_cli.py::test_malformed_exports_fail_with_a_message[{p}]": (
            "the same test with binary.csv"
        )
        for p in ("header only.csv", "truncated (1).csv", "wrong delimiter.csv")
    },
    "tests/load/test_cli.py::test_unrecognised_file_suggests_a_column_mapping": (
        "test_column_mapping_names_are_checked; tests/load/test_layouts.py::"
        "test_column_mapping_maps_values_and_sets_constants"
    ),
    "tests/load/test_cli.py::test_declared_column_mapping_reads_an_unknown_layout": (
        "tests/load/test_layouts.py::test_column_mapping_maps_values_and_sets_constants"
    ),
    "tests/load/test_cli.py::test_ledger_keeps_its_columns_and_adds_source": (
        "test_mixed_drop_prints_sources_and_mappings_and_writes_the_ledger"
    ),
    "tests/load/test_seniority.py::test_a_title_column_gives_the_level_and_is_kept_nowhere[;]": (
        "the same test with a comma"
    ),
    "tests/hostile/test_touch_files.py::test_sample_parquet_output_validates_and_attributes": (
        "tests/load/test_seniority.py::test_a_seniority_column_in_parquet; tests/golden"
    ),
    "tests/hostile/test_touch_files.py::test_wrong_rows_are_named_by_row": (
        "tests/validate/test_touch_rows.py::test_rows_after_unreadable_lines_keep_their_line"
    ),
    "tests/hostile/test_touch_files.py::test_parquet_touch_with_a_bad_timestamp_names_its_row": (
        "tests/validate/test_touch_rows.py::test_rows_after_unreadable_lines_keep_their_line; "
        "tests/load/test_seniority.py::test_a_seniority_column_in_parquet"
    ),
    "tests/hostile/test_touch_files.py::test_bad_lines_past_the_sniffed_sample_are_named": (
        "tests/validate/test_touch_rows.py::test_rows_after_unreadable_lines_keep_their_line"
    ),
    # -- hostile values, folders, identifiers
    **{
        f"tests/hostile/test_validate_values.py::test_amounts_out_of_range_are_errors[{p}]": (
            "the same test with NaN"
        )
        for p in ("inf", "Infinity", "1e309", "1e20", "100000000000000")
    },
    "tests/hostile/test_validate_values.py::test_fx_rate_nan_is_an_error": (
        "test_amounts_out_of_range_are_errors[NaN]"
    ),
    "tests/hostile/test_validate_values.py::test_infinite_and_sentinel_dates_are_errors": (
        "tests/validate/test_errors.py::test_unparseable_amount_and_date (a date that is none)"
    ),
    "tests/hostile/test_validate_values.py::test_a_date_only_close_on_the_creation_day_is_not"
    "_before_it": (
        "tests/validate/test_export_quirks.py::"
        "test_deals_closed_before_creation_are_left_out_of_cycle_times"
    ),
    "tests/hostile/test_validate_values.py::test_the_same_deal_in_two_deals_files_with_other"
    "_values_is_a_warning": "test_of_two_copies_the_latest_last_modified_wins",
    "tests/hostile/test_validate_values.py::test_two_fx_rates_for_one_currency_and_day_is_a"
    "_warning": "tests/validate/test_fx_decimal.py (the rates read)",
    "tests/hostile/test_validate_values.py::test_nul_in_a_title_and_a_duplicate_column_are"
    "_warnings": (
        "tests/validate/test_e2e_crm.py::"
        "test_salesforce_data_export_with_four_currencies_nul_bytes_and_placeholder_ids"
    ),
    "tests/hostile/test_validate_values.py::test_an_unclosed_quote_is_a_row_warning": (
        "tests/load/test_cli.py::test_malformed_exports_fail_with_a_message[binary.csv]"
    ),
    "tests/hostile/test_quarter_folders.py::test_validate_and_build_agree": (
        "test_two_folders_of_one_quarter_are_one_error_for_both"
    ),
    "tests/hostile/test_quarter_folders.py::test_only_empty_quarters_are_an_error_for_both": (
        "test_two_folders_of_one_quarter_are_one_error_for_both; "
        "tests/validate/test_errors.py::test_empty_drop"
    ),
    "tests/hostile/test_quarter_folders.py::test_strict_fails_both_on_an_empty_quarter": (
        "tests/validate/test_errors.py::test_strict_fails_on_warnings"
    ),
    "tests/hostile/test_email_ids.py::test_an_inventory_keyed_by_emails_is_an_error": (
        "test_touches_with_emails_as_content_ids_name_the_swapped_column"
    ),
    "tests/hostile/test_email_ids.py::test_an_email_as_a_page_url_is_no_page": (
        "test_an_email_id_is_the_placeholder_in_python_and_sql (the same rule for URLs)"
    ),
    "tests/hostile/test_personal_data.py::test_a_url_with_query_in_the_content_id_column_is"
    "_redacted": "test_redact (a query string's email cut off)",
    "tests/hostile/test_snapshots.py::test_without_kept_touches_the_loss_is_announced": (
        "test_the_snapshot_records_a_fingerprint_per_file (the snapshot written)"
    ),
    "tests/hostile/test_type_labels.py::test_types_read_as_written[fr]": (
        "the same test in English; tests/site/test_i18n.py (catalogs complete)"
    ),
    "tests/hostile/test_story_injection.py::test_the_built_home_page_carries_no_vector": (
        "test_each_vector_renders_inert, test_the_vectors_render_exactly_so (the same sanitiser)"
    ),
    # -- story and site
    "tests/story/test_anecdotes.py::test_budget_is_shared_by_the_whole_group": (
        "test_buying_group_by_role_latest_first (each reader's latest touch first)"
    ),
    "tests/story/test_anecdotes.py::test_seniority_from_the_job_title": (
        "tests/load/test_seniority.py (levels from job titles)"
    ),
    "tests/story/test_anecdotes.py::test_hubspot_drop_tells_seniority_in_each_language": (
        "test_hubspot_drop_tells_the_cfo_and_the_director (the same drop in English); "
        "tests/site/test_i18n.py (catalogs complete)"
    ),
    "tests/story/test_anecdotes.py::test_no_page_shows_a_job_title": (
        "tests/load/test_seniority.py::test_a_title_column_gives_the_level_and_is_kept_nowhere[,]"
    ),
    "tests/site/test_data_quality.py::test_open_deal_without_amount_is_unknown_not_zero": (
        "test_verdict_figures; tests/golden (the data-quality page)"
    ),
    "tests/site/test_data_quality.py::test_home_lists_earlier_quarters_only": (
        "tests/golden (the home page); the browser smoke test (the sample's home page)"
    ),
    "tests/site/test_headers.py::test_influenced_revenue_says_it_is_not_additive": (
        "test_type_influenced_counts_each_deal_once (the 'not additive' caption)"
    ),
    "tests/site/test_headers.py::test_article_headers_say_their_period": (
        "tests/golden (every header of the minimal drop's pages)"
    ),
    "tests/site/test_parallel_render.py::test_a_template_error_in_a_worker_keeps_its_message": (
        "tests/site/test_build.py::test_failed_build_leaves_site_untouched (a template error)"
    ),
    "tests/site/test_parallel_render.py::test_article_contexts_are_built_in_the_worker_processes": (
        "test_the_story_s_comparisons_computed_a_quarter_per_worker_are_the_same_frames (work "
        "done in the workers gives the one-process result)"
    ),
    "tests/site/test_board_pack.py::test_no_link_without_the_setting": (
        "tests/golden (the minimal drop's home page, built without it)"
    ),
    "tests/hostile/test_snapshots.py::test_deleted_exports_inside_a_live_lookback_do_not_move"
    "_the_live_quarter": "test_the_snapshot_records_a_fingerprint_per_file (the snapshot written)",
    "tests/hostile/test_snapshots.py::test_the_kept_touches_hold_no_id_in_clear": (
        "test_the_snapshot_records_a_fingerprint_per_file (the snapshot written); "
        "tests/journeys/test_journeys.py (no person key leaves the journeys)"
    ),
    "tests/hostile/test_small_groups.py::test_a_gem_is_picked_from_pieces_whose_figures_pass": (
        "test_the_attributed_share_stays_and_the_deal_figures_are_dashes"
    ),
    "tests/hostile/test_personal_data.py::test_validate_output_has_no_person": (
        "tests/validate/test_identity.py::test_no_email_is_written_to_any_output"
    ),
    "tests/hostile/test_personal_data.py::test_a_page_url_with_query_string_publishes_no_email": (
        "test_redact (a query string's email cut off); tests/site/test_build.py::"
        "test_no_person_identifier_in_site"
    ),
    "tests/site/test_notes.py::test_an_underscore_quarter_loads_and_its_story_reaches_the_home"
    "_page": "test_story_of_an_underscore_folder_is_kept",
    "tests/site/test_parallel_render.py::test_pages_rendered_in_worker_processes_are_the_same"
    "_bytes": "tests/golden (every page's bytes); the browser smoke test's sample build",
    # With PySpark installed (scripts/test.sh installs the spark extra) these two import it
    # (1.4 CPU s) on top of a validate run; the same stop without PySpark stays.
    **{
        f"tests/engines/test_session.py::{name}": (
            "test_missing_pyspark (the engine stops before any stage, naming the install)"
        )
        for name in ("test_missing_java", "test_spark_connect_client_missing")
    },
    "tests/engines/test_touch_credit.py::test_partitions_equal_the_whole_run[True]": (
        "the same test with False"
    ),
    "tests/validate/test_identity.py::test_native_identities_file_links_ids_and_drops_rows"
    "_without_alias": "test_mixed_drop_joins_emails_to_crm_contacts_with_exact_figures",
    "tests/validate/test_touch_rows.py::test_a_clean_file_is_read_once": (
        "test_rows_after_unreadable_lines_keep_their_line (the second reading)"
    ),
    "tests/validate/test_settings.py::test_validate_reads_deal_stages_and_default_currency_from"
    "_config_file": ("tests/validate/test_errors.py::test_bad_option_value (the config file read)"),
    "tests/validate/test_settings.py::test_command_line_overrides_the_file": (
        "test_a_loading_setting_at_the_top_level_says_where_it_belongs; "
        "tests/validate/test_errors.py::test_bad_option_value (file and options read together)"
    ),
    **{
        f"tests/hostile/test_touch_files.py::test_touch_file_layouts_give_the_plain_csv_figures"
        f"[{p}]": "tests/load/test_seniority.py::test_a_seniority_column_in_parquet (a Parquet "
        "file read); tests/golden (the figures)"
        for p in ("semicolon", "tab", "comment line first", "crlf", "utf-16 with BOM", "parquet")
    },
    **{
        f"tests/site/test_data_quality.py::test_page_opens_with_the_verdict[{p}]": (
            "the same test in English; tests/site/test_i18n.py (catalogs complete)"
        )
        for p in ("fr-expected1", "pl-expected2")
    },
    "tests/hostile/test_personal_data.py::test_no_person_reaches_the_site": (
        "tests/site/test_build.py::test_no_person_identifier_in_site (every file of the sample "
        "site)"
    ),
    "tests/validate/test_defaults.py::test_touch_file_whose_every_row_is_dropped_is_a_warning": (
        "tests/validate/test_errors.py::test_clean_drop_has_one_warning (a dropped row's warning)"
    ),
    "tests/validate/test_export_quirks.py::test_a_real_time_of_day_is_a_time": (
        "tests/golden (piece e, read on D1's closing date, counts)"
    ),
    "tests/story/test_anecdotes.py::test_told_by_seniority_and_role": (
        "tests/load/test_seniority.py (levels from job titles); "
        "test_buying_group_by_role_latest_first (the sentence, told by role)"
    ),
    "tests/story/test_anecdotes.py::test_told_by_role_never_by_number": (
        "test_buying_group_by_role_latest_first (told by role); tests/site/test_i18n.py"
    ),
    "tests/site/test_story_headers.py::test_economics_headers_say_to_date_and_per_unit_of_cost"
    "[fr-expected1]": "the same test in English; tests/site/test_i18n.py (catalogs complete)",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`MOVED_TO_SLOW` slow, before ``-m`` selects.

    A whole run (no paths given) refuses an entry that names no test, so a renamed test
    cannot silently come back into the default run, and an entry whose reason names no test
    of the default run (a covering test moved to slow or renamed).
    """
    found: set[str] = set()
    for item in items:
        for key in (item.nodeid, item.nodeid.split("[")[0]):
            if key in MOVED_TO_SLOW:
                item.add_marker(pytest.mark.slow)
                found.add(key)
    if config.args_source != pytest.Config.ArgsSource.TESTPATHS:
        return
    if stale := sorted(set(MOVED_TO_SLOW) - found):
        raise pytest.UsageError(f"tests/conftest.py MOVED_TO_SLOW names no test: {stale}")
    fast = [i.nodeid for i in items if i.get_closest_marker("slow") is None]
    if missing := uncovered(MOVED_TO_SLOW, fast):
        raise pytest.UsageError(
            "tests/conftest.py MOVED_TO_SLOW: a reason names no test of the default run: "
            + "; ".join(missing)
        )


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return TESTS / "fixtures"


@pytest.fixture(scope="session")
def minimal_results() -> Results:
    """The minimal drop's results with the default settings, computed once per session.

    For tests that only read them (a pipeline run costs about a CPU second); the settings'
    locale and ``min_group_size`` do not change the attribution, so any site settings fit.
    """
    from revstory.pipeline import run
    from revstory.site.settings import site_settings

    results, _ = run([TESTS / "fixtures" / "drops" / "minimal"], site_settings({}).attribution())
    return results


@pytest.fixture(scope="session")
def sample_results() -> Results:
    """The repository's sample drop (``content/``) run with the default settings, once."""
    from revstory.pipeline import run
    from revstory.site.settings import site_settings

    results, _ = run([REPO / "content"], site_settings({}).attribution())
    return results


EXPORTS = TESTS / "fixtures" / "exports"
NATIVE = EXPORTS / "native"  # a small native drop the exports are mixed into


def read_export(adapter, path: Path, **options) -> AdapterOutput:  # type: ignore[no-untyped-def]
    head = sniff(path)
    return adapter.read(path, head, ReadContext("2026-Q3", LoadOptions(**options)))


@pytest.fixture
def drop(tmp_path: Path) -> Callable[..., Path]:
    """``drop("ga4_ui/data-export.csv", native=True)`` → a 2026-Q3 folder holding those files."""

    def make(*names: str, native: bool = False) -> Path:
        folder = tmp_path / "content" / "2026-Q3"
        folder.mkdir(parents=True, exist_ok=True)
        if native:
            for f in NATIVE.glob("*.csv"):
                shutil.copy(f, folder / f.name)
        for n in names:
            shutil.copy(EXPORTS / n, folder / Path(n).name)
        return folder.parent

    return make


# --- One sample site for every test that only reads a built site (tests/site, tests/browser)


@dataclass(frozen=True)
class SampleSite:
    """The repository's sample drop with two hostile titles, built once by ``revstory build``
    with ``site_url`` set to the local server that serves it (Material's instant navigation
    follows only links matching sitemap.xml). Tests must not change it."""

    project: Path  # holds mkdocs.yml and content/; the site is project / "site"
    url: str  # where the site is served on 127.0.0.1
    article: str  # the first piece's page, relative to the site
    article_title: str
    nav_target: str  # the latest quarter's page
    xss_page: str  # the page of the added piece titled with a script tag
    probe: str  # content_id of the piece whose title was replaced by XSS_TITLE

    @property
    def root(self) -> Path:
        """The built site."""
        return self.project / "site"


XSS_TITLE = "<script>alert(1)</script> *bold* | pipe"
XSS_PROBE = "how-to-fix-lead-scoring"
XSS_ROW = {
    "content_id": "xss-probe",
    "url": "https://www.example.com/blog/xss-probe/",
    "title": "<script>alert(1)</script>",
    "content_type": "article",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sample_project(project: Path, site_url: str | None = None) -> Path:
    """Copy the sample drop (hostile titles added) and a mkdocs.yml into ``project``."""
    shutil.copytree(
        REPO / "content", project / "content", ignore=shutil.ignore_patterns(".revstory")
    )
    quarters = sorted(p.name for p in (project / "content").iterdir() if p.is_dir())
    table = project / "content" / quarters[-1] / "content.csv"
    with table.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["content_id"] == XSS_PROBE:
            row["title"] = XSS_TITLE
    rows.append({k: XSS_ROW.get(k, "") for k in rows[0]})
    with table.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    templates = (REPO / "site_templates").as_posix()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_templates", f"docs_dir: {templates}")
    text = text.replace("site_templates: site_templates", f"site_templates: {templates}")
    if site_url:
        text = re.sub(r"(?m)^site_url:.*$", f"site_url: {site_url}", text)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    return project / "mkdocs.yml"


@contextmanager
def served_sample(project: Path, generator: str = "mkdocs") -> Iterator[SampleSite]:
    """The sample site built into ``project`` by ``revstory build --generator <generator>``
    and served on 127.0.0.1 while the context lasts."""
    from click.testing import CliRunner
    from revstory.cli import main

    handler = functools.partial(_QuietHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        config = sample_project(project, url)
        args = ["build", "-f", str(config), "--generator", generator]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        with (project / "content" / "2026-Q3" / "content.csv").open(
            newline="", encoding="utf-8"
        ) as fh:
            first = next(csv.DictReader(fh))
        quarters = sorted(p.name for p in (project / "content").iterdir() if p.is_dir())
        yield SampleSite(
            project=project,
            url=url,
            article=f"articles/{first['content_id']}.html",
            article_title=first["title"],
            nav_target=f"quarters/{quarters[-1]}.html",
            xss_page=f"articles/{XSS_ROW['content_id']}.html",
            probe=XSS_PROBE,
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def serve_sample() -> Callable[..., AbstractContextManager[SampleSite]]:
    """:func:`served_sample`, for conftest files below (a module of theirs named conftest
    shadows this one)."""
    return served_sample


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleSite]:
    """The sample site built with MkDocs, once per session, served on 127.0.0.1."""
    with served_sample(tmp_path_factory.mktemp("sample")) as site:
        yield site
