-- Conversations: only what the brain needs between turns (the language so far); no message text is stored here.
CREATE TABLE conversations (
  id          text PRIMARY KEY,
  channel     text NOT NULL,
  lang        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_updated_idx ON conversations (updated_at);
