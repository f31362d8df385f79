-- Shared SQL macros, created once per connection.
-- URL keys, so analytics rows and touches land on the right piece (Python twin and the
-- decisions: generator/load/urls.py). norm_url: host without www. + path + query; scheme,
-- fragment, index.html, repeated and trailing slashes do not matter; host and path are
-- lower-cased and percent-decoded; tracking parameters (utm_*, fbclid, gclid, mkt_tok, hsa_*,
-- ...) are removed, other parameters kept, sorted. url_path: the path part only (a value
-- starting with '/' is a path without host).
CREATE OR REPLACE MACRO url_rest_(u) AS
    regexp_replace(regexp_replace(trim(u), '#.*$', ''), '^[A-Za-z][A-Za-z0-9+.-]*://', '');
CREATE OR REPLACE MACRO url_host(u) AS (
    CASE WHEN u IS NULL OR trim(u) = '' THEN NULL
         WHEN starts_with(url_rest_(u), '/') THEN ''
         ELSE regexp_replace(lower(regexp_extract(url_rest_(u), '^[^/?]*')), '^www\.', '') END
);
CREATE OR REPLACE MACRO url_path(u) AS (
    CASE WHEN u IS NULL OR trim(u) = '' THEN NULL ELSE
    coalesce(nullif(rtrim(regexp_replace(regexp_replace(lower(url_decode(
        CASE WHEN starts_with(url_rest_(u), '/') THEN regexp_extract(url_rest_(u), '^[^?]*')
             ELSE regexp_extract(url_rest_(u), '^[^/?]*([^?]*)', 1) END)),
        '/+', '/', 'g'), '/index\.(html?|php)$', ''), '/'), ''), '/')
    END
);
CREATE OR REPLACE MACRO url_query(u) AS coalesce(array_to_string(list_sort(list_filter(
    string_split(regexp_extract(url_rest_(u), '\?(.*)$', 1), '&'),
    lambda p: p <> '' AND NOT regexp_full_match(lower(split_part(p, '=', 1)),
        '(utm_.*|fbclid|gclid|gclsrc|gbraid|wbraid|dclid|msclkid|mkt_tok|hsa_.*|_hsenc|_hsmi|hsctatracking|mc_cid|mc_eid|_ga|_gl|igshid|yclid|twclid|li_fat_id|ttclid)'))), '&'), '');
CREATE OR REPLACE MACRO norm_url(u) AS (
    CASE WHEN u IS NULL OR trim(u) = '' THEN NULL ELSE
    url_host(u) || url_path(u) || CASE WHEN url_query(u) <> '' THEN '?' || url_query(u) ELSE '' END
    END
);
-- Quarter label of a timestamp, e.g. 2026-Q3.
CREATE OR REPLACE MACRO quarter_of(ts) AS (
    CAST(year(ts) AS VARCHAR) || '-Q' || CAST(quarter(ts) AS VARCHAR)
);
-- Pseudonymous person key: ids (often emails) match whatever their case or padding.
-- trim() is slow on millions of rows, so only padded values pay for it; and only values
-- holding a space pay for the two padding tests (contains() costs less than either).
CREATE OR REPLACE MACRO person_key(p) AS (
    hash(lower(CASE WHEN NOT contains(p, ' ') THEN p
                    WHEN starts_with(p, ' ') OR ends_with(p, ' ') THEN trim(p)
                    ELSE p END))
);
-- TIMESTAMPTZ → naive UTC TIMESTAMP without the per-row time-zone machinery of CAST.
CREATE OR REPLACE MACRO utc_naive(ts) AS (make_timestamp(epoch_us(ts)));
-- Text cell → trimmed text or NULL; only padded values pay for trim() (slow on big files).
-- A value without a space is only tested for being empty: one contains() costs less than
-- starts_with() and ends_with() (10M touches: about a CPU second over three columns).
-- trim() also takes Unicode spaces (no-break, ideographic) off the ends: values are trimmed
-- only when an ASCII space pads them, as before.
CREATE OR REPLACE MACRO clean_text(x) AS (
    CASE WHEN NOT contains(x, ' ') THEN NULLIF(x, '')
         WHEN starts_with(x, ' ') OR ends_with(x, ' ') THEN NULLIF(trim(x), '')
         ELSE x END
);
