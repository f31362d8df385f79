-- Won and lost deals' touches with what the data-driven models read of them (both engines;
-- the base of markov_transitions.sql and shapley_coalitions.sql, and of the journey frame).
SELECT d.quarter, j.deal_id, d.status = 'won' AS won, j.occurred_at, j.content_id,
       j.touch_type, j.person_key,
       coalesce(c.content_type, '(unknown)') AS content_type,
       coalesce(j.channel, '(none)') AS channel
FROM journeys j JOIN deals d ON d.deal_id = j.deal_id
LEFT JOIN content c ON c.content_id = j.content_id
WHERE d.status IN ('won', 'lost')
