-- Won deals with a journey, numbered in (quarter, deal_id) order: deal_idx is the row of
-- the deal in the attribution arrays.
SELECT deal_id, quarter, amount_minor
FROM deals WHERE status = 'won' AND deal_id IN (SELECT deal_id FROM journeys)
ORDER BY quarter, deal_id
