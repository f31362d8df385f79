-- deal_touch_stats.sql over the journeys' codes (journey_codes.sql; DuckDB): per deal with a
-- journey its touches, distinct readers and first touch, grouped on the integer deal code.
SELECT c.deal_id, s.touches, s.readers, s.first_touch_at
FROM (SELECT deal_code, count(*) AS touches, count(DISTINCT person_key) AS readers,
             min(occurred_at) AS first_touch_at
      FROM journey_codes GROUP BY deal_code) s
JOIN deal_codes c USING (deal_code)
