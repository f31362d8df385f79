-- One row per reported deal: its canonical columns, how many touches and readers its
-- journey holds, and its sales cycle in days (closed deals; none when the close is dated
-- before the creation, as imported deals can be). DuckDB, on the driver.
-- Placeholder: <touch_stats>, the per-deal figures of deal_touch_stats.sql: that query as a
-- subquery (DuckDB engine) or the table its Spark result was brought back into.
SELECT d.quarter, d.deal_id, d.account_id, d.name, d.segment, d.industry, d.status,
       d.deal_type,
       d.currency, d.amount, d.amount_minor, d.created_at, d.closed_at,
       coalesce(j.touches, 0) AS touches, coalesce(j.readers, 0) AS readers,
       j.first_touch_at, j.touches IS NOT NULL AS touched,
       CASE WHEN CAST(d.closed_at AS DATE) >= CAST(d.created_at AS DATE)
            THEN date_diff('day', CAST(d.created_at AS DATE), CAST(d.closed_at AS DATE))
       END AS cycle_days
FROM deals d LEFT JOIN {touch_stats} j USING (deal_id)
ORDER BY d.quarter, d.deal_id
