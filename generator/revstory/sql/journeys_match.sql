-- Journeys: every touch that belongs to a deal (run as is by DuckDB and by Spark SQL).
-- A touch belongs to a deal when its person is one of the deal's contacts (contact mode) or its
-- account is the deal's account (account mode), and it happened inside the deal's window
-- (deal_windows, from journeys.sql). Touches after the close never count. The touches are
-- journey_touches: the drop's, plus those carried from snapshots (journeys.py). deal_code is
-- the deal's number in deal_windows (in no particular order).
-- Placeholder: <account_mode> is the literal TRUE or FALSE.
SELECT w.deal_id, t.occurred_at, t.content_id, t.touch_type, t.channel, t.person_key,
       w.deal_code
FROM deal_windows w
JOIN deal_contacts dc ON dc.deal_id = w.deal_id
JOIN journey_touches t ON t.person_key = dc.person_key
WHERE NOT {account_mode}
  AND t.occurred_at >= w.window_start AND t.occurred_at < w.window_end
UNION ALL
SELECT w.deal_id, t.occurred_at, t.content_id, t.touch_type, t.channel, t.person_key,
       w.deal_code
FROM deal_windows w
JOIN journey_touches t ON t.account_id = w.account_id
WHERE {account_mode}
  AND t.occurred_at >= w.window_start AND t.occurred_at < w.window_end
