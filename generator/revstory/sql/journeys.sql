-- Journeys: every touch that belongs to a deal, in time order.
-- A touch belongs to a deal when its person is one of the deal's contacts (contact mode) or its
-- account is the deal's account (account mode), and it happened inside
-- [created_at - lookback, close]. Touches after the close never count. A close given as a date
-- covers that whole day; an open deal's window ends with its quarter.
-- The touches are `journey_touches`: the drop's, plus those carried from snapshots (journeys.py).
-- Parameters: $lookback_days (INTEGER), $account_mode (BOOLEAN).
CREATE OR REPLACE TEMP TABLE journeys AS
WITH windows AS (
    SELECT deal_id, account_id, created_at, status,
           -- A deal closed before it was created (imported) looks back from its close.
           least(created_at, coalesce(closed_at, created_at))
               - to_days(CAST($lookback_days AS INTEGER)) AS window_start,
           coalesce(close_cutoff,
                    CAST(strptime(substr(quarter, 1, 4) || '-'
                                  || CAST((CAST(substr(quarter, 7, 1) AS INTEGER) - 1) * 3 + 1
                                          AS VARCHAR) || '-01', '%Y-%m-%d') AS TIMESTAMP)
                    + INTERVAL 3 MONTH) AS window_end
    FROM deals
),
members AS (
    SELECT w.*, dc.person_key, NULL::VARCHAR AS member_account
    FROM windows w JOIN deal_contacts dc USING (deal_id)
    WHERE NOT $account_mode
    UNION ALL
    SELECT w.*, NULL::UBIGINT AS person_key, w.account_id AS member_account
    FROM windows w
    WHERE $account_mode
),
matched AS (
    SELECT m.deal_id, t.occurred_at, t.content_id, t.touch_type, t.channel, t.person_key
    FROM members m JOIN journey_touches t ON t.person_key = m.person_key
    WHERE NOT $account_mode
      AND t.occurred_at >= m.window_start AND t.occurred_at < m.window_end
    UNION ALL
    SELECT m.deal_id, t.occurred_at, t.content_id, t.touch_type, t.channel, t.person_key
    FROM members m JOIN journey_touches t ON t.account_id = m.member_account
    WHERE $account_mode
      AND t.occurred_at >= m.window_start AND t.occurred_at < m.window_end
)
SELECT * FROM matched
ORDER BY deal_id, occurred_at, content_id, touch_type, person_key;
