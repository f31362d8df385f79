-- The touches of won deals as integer codes, in journey order, for the vectorised models.
-- deal_idx numbers won deals with a journey by (quarter, deal_id) (as won_deals.sql lists
-- them), content_idx the content inventory by content_id. Parameter: $conversion_types
-- (VARCHAR[]), the touch types that mark a lead's creation.
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
SELECT w.deal_idx, c.content_idx,
       list_contains($conversion_types, j.touch_type) AS is_conversion,
       j.occurred_at <= w.created_at AS before_created,
       CASE WHEN w.close_date_only
            THEN CAST(date_diff('day', CAST(j.occurred_at AS DATE), CAST(w.closed_at AS DATE))
                      AS DOUBLE)
            ELSE greatest(epoch(w.closed_at) - epoch(j.occurred_at), 0) / 86400.0
       END AS days_before_close
FROM journeys j
JOIN won_index w USING (deal_id)
JOIN content_index c USING (content_id)
ORDER BY w.deal_idx, j.occurred_at, c.content_idx, j.touch_type, j.person_key
