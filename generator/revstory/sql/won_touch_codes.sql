-- won_touches.sql over the journeys' codes (journey_codes.sql; DuckDB): the won deals'
-- touches of pieces in the inventory, in the journey key's order, with the same columns and
-- the same expressions (the placeholders are won_touches.sql's).
SELECT w.deal_idx, j.content_idx,
       j.touch_type IN ({conversion_types}) AS is_conversion,
       j.occurred_at <= w.created_at AS before_created,
       CASE WHEN w.close_date_only THEN CAST({close_days} AS DOUBLE)
            ELSE greatest({close_seconds}, 0) / 86400.0
       END AS days_before_close
FROM journey_codes j
JOIN won_codes w ON w.deal_code = j.deal_code
WHERE j.content_idx IS NOT NULL
ORDER BY w.deal_idx, j.occurred_at, j.content_idx, j.touch_type, j.person_key
