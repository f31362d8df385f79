-- Shared SQL macros, created once per connection.
-- A URL reduced to host + path so analytics rows and touches land on the right piece:
-- scheme, www., query, fragment, index.html and trailing slashes do not matter; host is lowercased.
CREATE OR REPLACE MACRO norm_url(u) AS (
    CASE WHEN u IS NULL OR trim(u) = '' THEN NULL ELSE
    rtrim(
        regexp_replace(
            regexp_replace(
                lower(regexp_replace(trim(u), '^[A-Za-z][A-Za-z0-9+.-]*://', '')),
                '[?#].*$', ''),
            '/index\.html?$', ''),
        '/')
    END
);
-- Quarter label of a timestamp, e.g. 2026-Q3.
CREATE OR REPLACE MACRO quarter_of(ts) AS (
    CAST(year(ts) AS VARCHAR) || '-Q' || CAST(quarter(ts) AS VARCHAR)
);
