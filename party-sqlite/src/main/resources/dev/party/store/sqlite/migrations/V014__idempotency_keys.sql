-- Idempotency keys of POST /tasks (the Idempotency-Key header): a retried request with the key of
-- one already stored stores nothing and is answered with the tasks the first stored. The key's row
-- is written in the same transaction as the tasks, so both are stored or neither is. The cleanup
-- deletes rows older than 24 hours.
CREATE TABLE party_idempotency (
  key         TEXT    PRIMARY KEY,  -- the client's key, as sent
  fingerprint TEXT    NOT NULL,     -- SHA-256 of the request; the key reused for another one is a conflict
  answer      TEXT    NOT NULL,     -- the first request's ids in order, comma separated; '~' marks a covering task
  created_at  INTEGER NOT NULL      -- epoch milliseconds
);

-- The cleanup deletes by age.
CREATE INDEX party_idempotency_created ON party_idempotency (created_at);
