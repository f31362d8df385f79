-- The closed journeys as integer codes (DuckDB; the journey frame of closed_journeys.sql in
-- journey order, for the data-driven models and effects.csv): one row per touch of a won or
-- lost deal, sorted by the journey key (quarter, deal_id, occurred_at, content_id,
-- touch_type, person_key), each string given as its rank in the code book beside it, so the
-- rows sort on integers and millions of them reach numpy without a string. Read from the
-- journeys' coded rows (journey_codes, content_codes: journey_rows.sql), not their strings.
-- deal_idx numbers the closed deals by (quarter, deal_id) (joined to the journeys on their
-- deal_code, an integer: journeys.sql), content_idx the pieces by content_id (the content
-- inventory and any piece the journeys name: a piece of the inventory is found through its
-- code in content_codes, which numbers the inventory in the same order; one outside it by
-- its id, content_other), channel_idx the channels ((none) for none).
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
    FROM (SELECT content_id FROM content
          UNION SELECT content_other FROM journey_codes WHERE content_other IS NOT NULL)
),
piece_of_code AS (
    SELECT c.content_idx AS code, p.content_idx FROM content_codes c JOIN pieces p USING (content_id)
),
touch_types AS (
    SELECT touch_type,
           CAST(row_number() OVER (ORDER BY touch_type) AS INTEGER) AS tt_idx
    FROM (SELECT DISTINCT touch_type FROM journey_codes)
),
channels AS (
    SELECT channel,
           CAST(row_number() OVER (ORDER BY channel) - 1 AS INTEGER) AS channel_idx
    FROM (SELECT DISTINCT coalesce(channel, '(none)') AS channel FROM journey_codes)
),
coded AS (
    SELECT d.deal_idx, coalesce(pc.content_idx, po.content_idx) AS content_idx,
           ch.channel_idx, j.occurred_at, tt.tt_idx, j.person_key
    FROM journey_codes j
    JOIN closed d ON d.deal_code = j.deal_code
    LEFT JOIN piece_of_code pc ON pc.code = j.content_idx
    LEFT JOIN pieces po ON po.content_id = j.content_other
    JOIN channels ch ON ch.channel = coalesce(j.channel, '(none)')
    JOIN touch_types tt ON tt.touch_type IS NOT DISTINCT FROM j.touch_type
)
SELECT deal_idx, content_idx, channel_idx
FROM coded
WHERE content_idx IS NOT NULL
ORDER BY deal_idx, occurred_at, content_idx, tt_idx, person_key
