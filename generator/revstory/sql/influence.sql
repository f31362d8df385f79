-- Per (quarter, piece): won revenue and open pipeline of the deals whose journey holds the
-- piece, and how many won, lost and open deals that is.
WITH dc AS (SELECT DISTINCT deal_id, content_id FROM journeys)
SELECT d.quarter, dc.content_id,
       coalesce(sum(d.amount_minor) FILTER (WHERE d.status = 'won'), 0)
           AS influenced_revenue_minor,
       coalesce(sum(d.amount_minor) FILTER (WHERE d.status = 'open'), 0)
           AS influenced_pipeline_minor,
       count(*) FILTER (WHERE d.status = 'won') AS won_deals,
       count(*) FILTER (WHERE d.status = 'lost') AS lost_deals,
       count(*) FILTER (WHERE d.status = 'open') AS open_deals
FROM dc JOIN deals d USING (deal_id)
GROUP BY ALL ORDER BY d.quarter, dc.content_id
