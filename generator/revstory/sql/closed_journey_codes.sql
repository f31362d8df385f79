-- The closed journeys as integer codes (DuckDB; the journey frame of closed_journeys.sql in
-- journey order, for the data-driven models and effects.csv): one row per touch of a won or
-- lost deal, sorted by the journey key (quarter, deal_id, occurred_at, content_id,
-- touch_type, person_key), each string given as its rank in the code book beside it, so the
-- rows sort on integers and millions of them reach numpy without a string. deal_idx numbers
-- the closed deals by (quarter, deal_id) (joined to the journeys on their deal_code, an
-- integer: journeys.sql), content_idx the pieces by content_id (the content
-- inventory and any piece the journeys name), channel_idx the channels ((none) for none).
-- touch_type sorts by its rank among the journeys' touch types (tt_idx, ranked in the same
-- string order): the same row order, and an integer sort is about twice as fast as one on
-- the string (10M drop: 2M rows, 1.6 -> 0.8 s).
-- The code books are the queries named in revstory/attribute/coded.py, in the same orders.
WITH closed AS (
    SELECT w.deal_code,
           CAST(row_number() OVER (ORDER BY d.quarter, d.deal_id) - 1 AS INTEGER) AS deal_idx
    FROM deal_windows w JOIN deals d USING (deal_id) WHERE d.status IN ('won', 'lost')
),
pieces AS (
    SELECT content_id,
           CAST(row_number() OVER (ORDER BY content_id) - 1 AS INTEGER) AS content_idx
    FROM (SELECT content_id FROM content UNION SELECT content_id FROM journeys)
),
touch_types AS (
    SELECT touch_type,
           CAST(row_number() OVER (ORDER BY touch_type) AS INTEGER) AS tt_idx
    FROM (SELECT DISTINCT touch_type FROM journeys)
),
channels AS (
    SELECT channel,
           CAST(row_number() OVER (ORDER BY channel) - 1 AS INTEGER) AS channel_idx
    FROM (SELECT DISTINCT coalesce(channel, '(none)') AS channel FROM journeys)
)
SELECT d.deal_idx, p.content_idx, ch.channel_idx
FROM journeys j
JOIN closed d ON d.deal_code = j.deal_code
JOIN pieces p ON p.content_id = j.content_id
JOIN channels ch ON ch.channel = coalesce(j.channel, '(none)')
JOIN touch_types tt ON tt.touch_type IS NOT DISTINCT FROM j.touch_type
ORDER BY d.deal_idx, j.occurred_at, p.content_idx, tt.tt_idx, j.person_key
