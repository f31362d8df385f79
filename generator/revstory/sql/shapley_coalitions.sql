-- Shapley coalition counts per quarter (both engines): how many won and lost closed deals
-- touched exactly each set of players (content types or channels), the set as a sorted list.
-- Only these counts leave the engine; the exact Shapley values run on the driver
-- (revstory/attribute/counts.py).
-- Placeholders: <closed> the text of closed_journeys.sql, <player> the players' column,
-- <type_set> the sorted distinct players of a group (spelled per engine).
WITH players AS (
    SELECT quarter, deal_id, won, {player} AS player FROM ({closed}) closed
),
per_deal AS (
    SELECT quarter, deal_id, won, {type_set} AS players
    FROM players GROUP BY quarter, deal_id, won
)
SELECT quarter, players, count(*) FILTER (WHERE won) AS won_deals,
       count(*) FILTER (WHERE NOT won) AS lost_deals
FROM per_deal GROUP BY quarter, players
