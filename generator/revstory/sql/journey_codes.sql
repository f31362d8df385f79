-- The deals' code books beside the journeys' codes (journey_codes and content_codes, made by
-- journey_rows.sql), for the attribution stage's queries on DuckDB (the Spark engine reads
-- the journeys' strings: deal_touch_stats.sql, won_touches.sql, influence.sql). Every query
-- over the journeys that follows groups, joins or sorts on these integers; the strings come
-- back through the small code books, so the 2.5M journey rows of a 10M-touch drop are hashed
-- on a string once (the piece's, in journey_rows.sql) instead of once per query.
-- deal_code is the deal's number in deal_windows (journeys.sql; the journeys carry it, in
-- no particular order); won_codes numbers the won deals with a journey by (quarter,
-- deal_id) (deal_idx, as won_deals.sql lists them). attribute/journey_codes.py drops the
-- tables it made.
CREATE OR REPLACE TEMP TABLE deal_codes AS
SELECT w.deal_code, d.deal_id, d.quarter, d.status, d.amount_minor, d.created_at, d.closed_at,
       d.close_date_only
FROM deal_windows w JOIN deals d USING (deal_id);

CREATE OR REPLACE TEMP TABLE won_codes AS
SELECT deal_code,
       CAST(row_number() OVER (ORDER BY quarter, deal_id) - 1 AS BIGINT) AS deal_idx,
       created_at, closed_at, close_date_only
FROM deal_codes
WHERE status = 'won' AND deal_code IN (SELECT deal_code FROM journey_codes);
