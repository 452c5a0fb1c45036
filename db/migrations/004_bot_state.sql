-- Bot Framework conversation and user state (bot/pg-storage.ts): one JSON document per storage key, with the eTag
-- that optimistic concurrency compares. The eTag is not repeated inside data. updated_at lets retention purge old state.
CREATE TABLE bot_state (
  key         text PRIMARY KEY,
  etag        text NOT NULL,
  data        jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bot_state_updated_idx ON bot_state (updated_at);
