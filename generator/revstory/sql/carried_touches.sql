-- Touches carried from the snapshots of quarters whose exports were deleted, joined to this
-- run's people. A carried touch names its reader by the person key of the run that wrote the
-- snapshot, and carried_ids lists the ids (hashed) that person had then; each maps to this
-- run's key through `identities` (or stands as its own key), and a key that is one of a
-- deal's contacts is preferred, then the smallest: one key per carried reader, so no touch
-- is counted twice. Touches of pieces no longer in the content inventory are left out.
CREATE OR REPLACE TEMP TABLE carried_keys AS
WITH ids AS (
    SELECT DISTINCT person_key AS old_key, person_key AS id_key FROM carried_raw
    UNION
    SELECT person_key, alias_key FROM carried_ids
),
now AS (
    SELECT ids.old_key, coalesce(i.person_key, ids.id_key) AS new_key
    FROM ids LEFT JOIN identities i ON i.alias_key = ids.id_key
),
flagged AS (
    SELECT now.old_key, now.new_key, dc.person_key IS NULL AS not_contact
    FROM now LEFT JOIN (SELECT DISTINCT person_key FROM deal_contacts) dc
        ON dc.person_key = now.new_key
)
SELECT old_key, first(new_key ORDER BY not_contact, new_key) AS person_key
FROM flagged
GROUP BY old_key;

CREATE OR REPLACE TEMP TABLE carried_touches AS
SELECT t.occurred_at, k.person_key, t.account_id, CAST(t.content_id AS piece_id) AS content_id,
       CAST(t.touch_type AS touch_kind) AS touch_type, t.channel
FROM carried_raw t
JOIN carried_keys k ON k.old_key = t.person_key
WHERE t.content_id IN (SELECT content_id FROM content);

CREATE OR REPLACE TEMP VIEW journey_touches AS
SELECT occurred_at, person_key, account_id, content_id, touch_type, channel FROM touches
UNION ALL
SELECT occurred_at, person_key, account_id, content_id, touch_type, channel FROM carried_touches;
