-- influence.sql over the journeys' codes (journey_codes.sql; DuckDB): the distinct (deal,
-- piece) pairs and the per-(quarter, piece) sums on integers, the piece's name joined to the
-- sums. Only when every journey touch's piece is in the inventory (a NULL content_idx would
-- merge pieces): attribute/journey_codes.py runs influence.sql otherwise.
WITH dc AS (SELECT DISTINCT deal_code, content_idx FROM journey_codes),
per_piece AS (
    SELECT d.quarter, dc.content_idx,
           coalesce(sum(d.amount_minor) FILTER (WHERE d.status = 'won'), 0)
               AS influenced_revenue_minor,
           coalesce(sum(d.amount_minor) FILTER (WHERE d.status = 'open'), 0)
               AS influenced_pipeline_minor,
           count(*) FILTER (WHERE d.status = 'won') AS won_deals,
           count(*) FILTER (WHERE d.status = 'lost') AS lost_deals,
           count(*) FILTER (WHERE d.status = 'open') AS open_deals
    FROM dc JOIN deal_codes d USING (deal_code)
    GROUP BY d.quarter, dc.content_idx
)
SELECT p.quarter, c.content_id, p.influenced_revenue_minor, p.influenced_pipeline_minor,
       p.won_deals, p.lost_deals, p.open_deals
FROM per_piece p JOIN content_codes c USING (content_idx)
ORDER BY p.quarter, c.content_id
