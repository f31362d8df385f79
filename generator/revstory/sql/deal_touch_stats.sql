-- Per deal with a journey: its touches, distinct readers and first touch (both engines).
SELECT deal_id, count(*) AS touches, count(DISTINCT person_key) AS readers,
       min(occurred_at) AS first_touch_at
FROM journeys GROUP BY deal_id
