-- The journeys as the queries over them read them (DuckDB): a TEMP view over the coded rows
-- of journey_rows.sql, the deal's and the piece's ids looked up in deal_windows and
-- content_codes. The same rows and columns as journeys_match.sql gives (in no order).
CREATE OR REPLACE TEMP VIEW journeys AS
SELECT w.deal_id, j.occurred_at, coalesce(c.content_id, j.content_other) AS content_id,
       CAST(j.touch_type AS VARCHAR) AS touch_type, j.channel, j.person_key, j.deal_code
FROM journey_codes j
JOIN deal_windows w USING (deal_code)
LEFT JOIN content_codes c USING (content_idx);
