-- The order-1 Markov chain's transition counts per quarter (both engines): each closed deal's
-- journey in time order, consecutive touches of one state merged, walks START → first state
-- → … → last state → CONVERSION (won) or NULL (lost). from_state NULL is START, to_state NULL
-- the end of the walk (won tells which). Only these counts leave the engine; the exact solve
-- runs on the driver (revstory/attribute/counts.py).
-- Placeholders: <closed> the text of closed_journeys.sql, <state> the column the chain's
-- states are (content_id, content_type or channel).
WITH ordered AS (
    SELECT quarter, deal_id, won, {state} AS state,
           lag({state}) OVER (PARTITION BY deal_id
               ORDER BY occurred_at, content_id, touch_type, person_key) AS previous,
           row_number() OVER (PARTITION BY deal_id
               ORDER BY occurred_at, content_id, touch_type, person_key) AS pos
    FROM ({closed}) closed
),
kept AS (
    SELECT quarter, deal_id, won, state, pos,
           lead(state) OVER (PARTITION BY deal_id ORDER BY pos) AS next_state
    FROM ordered WHERE pos = 1 OR previous <> state
)
SELECT quarter, CAST(NULL AS STRING) AS from_state, state AS to_state, won,
       count(*) AS transitions
FROM kept WHERE pos = 1 GROUP BY quarter, state, won
UNION ALL
SELECT quarter, state AS from_state, next_state AS to_state, won, count(*) AS transitions
FROM kept GROUP BY quarter, state, next_state, won
