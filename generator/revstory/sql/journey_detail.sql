-- Won and lost deals' touches in order, readers numbered per deal in the order they first
-- appear, each with their role on the deal as the CRM gives it (deal_contacts.role; NULL when
-- unknown, or for an account-mode reader who is not a contact of the deal) and their
-- seniority bucket (deal_contacts.seniority, from their job title at load; NULL when
-- unknown). The person key itself never leaves DuckDB.
SELECT d.quarter, j.deal_id, j.occurred_at, j.content_id, j.touch_type, j.channel,
       CAST(dense_rank() OVER (PARTITION BY j.deal_id ORDER BY p.first_seen, j.person_key)
            AS INTEGER) AS reader,
       dc.role, dc.seniority
FROM journeys j JOIN deals d USING (deal_id)
JOIN (SELECT deal_id, person_key, min(occurred_at) AS first_seen FROM journeys
      GROUP BY ALL) p USING (deal_id, person_key)
LEFT JOIN (SELECT deal_id, person_key, nullif(trim(min(role)), '') AS role,
                  min(seniority) AS seniority
           FROM deal_contacts GROUP BY ALL) dc USING (deal_id, person_key)
WHERE d.status IN ('won', 'lost')
ORDER BY d.quarter, j.deal_id, j.occurred_at, j.content_id, j.touch_type, reader
