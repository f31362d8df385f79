-- Deal windows (DuckDB; deals are a small table, so both engines take them from here): a
-- touch counts for a deal inside [window_start, window_end), from created_at - lookback to
-- the close. A close given as a date covers that whole day; an open deal's window ends with
-- its quarter. The touch side is journeys_match.sql (both engines), over journey_touches.
-- deal_code numbers the deals in no particular order (numbering them in (quarter, deal_id)
-- order cost the statement a sort): the journeys carry it, so the queries over them join and
-- group deals on an integer (attribute/journey_codes.py); whatever needs that order sorts
-- the deals themselves, a small table.
-- Parameter: $lookback_days (INTEGER).
CREATE OR REPLACE TEMP TABLE deal_windows AS
SELECT deal_id, account_id,
       CAST(row_number() OVER () - 1 AS INTEGER) AS deal_code,
       -- A deal closed before it was created (imported) looks back from its close.
       least(created_at, coalesce(closed_at, created_at))
           - to_days(CAST($lookback_days AS INTEGER)) AS window_start,
       coalesce(close_cutoff,
                CAST(strptime(substr(quarter, 1, 4) || '-'
                              || CAST((CAST(substr(quarter, 7, 1) AS INTEGER) - 1) * 3 + 1
                                      AS VARCHAR) || '-01', '%Y-%m-%d') AS TIMESTAMP)
                + INTERVAL 3 MONTH) AS window_end
FROM deals;
