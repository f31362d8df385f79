-- The journeys as integer codes, for the attribution stage's queries on DuckDB (the Spark
-- engine reads the journeys' strings: deal_touch_stats.sql, won_touches.sql, influence.sql).
-- Every query over the journeys that follows groups, joins or sorts on these integers; the
-- strings come back through the small code books, so the 2.5M journey rows of a 10M-touch
-- drop are hashed on their strings once, here, instead of once per query.
-- deal_code numbers every deal by (quarter, deal_id), the order of deal_journeys.sql;
-- content_idx the content inventory by content_id, as won_touches.sql numbers it (NULL for a
-- piece outside the inventory). won_codes numbers the won deals with a journey the same way
-- (deal_idx, as won_deals.sql lists them). attribute/journey_codes.py drops the tables.
CREATE OR REPLACE TEMP TABLE deal_codes AS
SELECT CAST(row_number() OVER (ORDER BY quarter, deal_id) - 1 AS INTEGER) AS deal_code,
       deal_id, quarter, status, amount_minor, created_at, closed_at, close_date_only
FROM deals;

CREATE OR REPLACE TEMP TABLE content_codes AS
SELECT CAST(row_number() OVER (ORDER BY content_id) - 1 AS INTEGER) AS content_idx, content_id
FROM content;

CREATE OR REPLACE TEMP TABLE journey_codes AS
SELECT d.deal_code, c.content_idx, j.occurred_at, j.touch_type, j.person_key
FROM journeys j
JOIN deal_codes d USING (deal_id)
LEFT JOIN content_codes c USING (content_id);

CREATE OR REPLACE TEMP TABLE won_codes AS
SELECT deal_code, CAST(row_number() OVER (ORDER BY deal_code) - 1 AS BIGINT) AS deal_idx,
       created_at, closed_at, close_date_only
FROM deal_codes
WHERE status = 'won' AND deal_code IN (SELECT deal_code FROM journey_codes);
