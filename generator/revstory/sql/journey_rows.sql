-- The journeys' rows as codes (DuckDB): content_codes numbers the content inventory by
-- content_id (the book the stage's queries read pieces through), and journey_codes holds
-- one row per journey touch with the deal's number in deal_windows (deal_code), the piece's
-- code (content_idx; NULL for a piece outside the inventory, whose id is then kept in
-- content_other), the touch's time, type, channel and reader.
-- The placeholder (journeys, in braces) is the journeys' rows: sql/journeys_match.sql as a subquery (journeys.py, which
-- then makes the journeys view over these tables), or a journeys table already made
-- (attribute/journey_codes.py). Read into codes once, the journeys are never held as
-- strings: a 10M-touch drop's 2.5M rows, one materialisation instead of two. The drop's
-- touches name the piece and the touch type by ENUMs (validate/canonical.py code_types):
-- the touch type stays one here; the view gives it as text.
CREATE OR REPLACE TEMP TABLE content_codes AS
SELECT CAST(row_number() OVER (ORDER BY content_id) - 1 AS INTEGER) AS content_idx, content_id
FROM content;

-- The piece's code ({content_idx}, with its {content_join}): the content_codes row of its id
-- (a join on the ids' text), or, when the touches name pieces by the ENUM piece_id and every
-- piece of the inventory has a value of it, the value's number: the ENUM was made of the
-- same ids in the same order (journeys.py journey_rows).
CREATE OR REPLACE TEMP TABLE journey_codes AS
SELECT j.deal_code, {content_idx} AS content_idx, j.occurred_at, j.touch_type, j.person_key,
       j.channel, CASE WHEN {content_idx} IS NULL THEN CAST(j.content_id AS VARCHAR) END
       AS content_other
FROM {journeys} j
{content_join};
