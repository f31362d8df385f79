-- The touches of won deals as integer codes for the vectorised models (both engines; DuckDB
-- orders the rows by the journey key, Spark sorts each partition of whole deals by it:
-- deal_idx, occurred_at, content_idx, touch_type, person_key). deal_idx numbers won deals
-- with a journey by (quarter, deal_id) (as won_deals.sql lists them), content_idx the
-- content inventory by content_id.
-- Placeholders: <conversion_types>, the quoted touch types that mark a lead's creation, and
-- the two expressions spelled differently by the engines (revstory/engines/dialect.py):
-- <close_days> (whole days from the touch's date to the close date) and <close_seconds>
-- (seconds from the touch to the close). Days are only taken between dates: DuckDB counts
-- day boundaries between timestamps, Spark whole days.
WITH won_index AS (
    SELECT deal_id, created_at, closed_at, close_date_only,
           CAST(row_number() OVER (ORDER BY quarter, deal_id) - 1 AS BIGINT) AS deal_idx
    FROM deals WHERE status = 'won' AND deal_id IN (SELECT deal_id FROM journeys)
),
content_index AS (
    SELECT content_id,
           CAST(row_number() OVER (ORDER BY content_id) - 1 AS BIGINT) AS content_idx
    FROM content
)
SELECT w.deal_idx, c.content_idx, j.occurred_at, j.touch_type, j.person_key,
       j.touch_type IN ({conversion_types}) AS is_conversion,
       j.occurred_at <= w.created_at AS before_created,
       CASE WHEN w.close_date_only THEN CAST({close_days} AS DOUBLE)
            ELSE greatest({close_seconds}, 0) / 86400.0
       END AS days_before_close
FROM journeys j
JOIN won_index w ON w.deal_id = j.deal_id
JOIN content_index c ON c.content_id = j.content_id
