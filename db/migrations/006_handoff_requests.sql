-- Hand-off requests: a conversation waiting for a dispatcher of the central point (dispatch/handoff.repository.ts).
-- context holds what the person agreed to pass on (consent); without consent only reason, language and topic ids
-- (the repository strips the rest, the CHECK refuses free text and the intake). delete_after enforces retention.
CREATE TABLE handoff_requests (
  id               text PRIMARY KEY,
  -- What the person is told ("H-7K3Q9P"): unique, never reused while the row exists.
  reference        text NOT NULL UNIQUE,
  conversation_id  text NOT NULL,
  channel          text NOT NULL,
  lang             text NOT NULL,
  reason           text NOT NULL CHECK (reason IN ('person', 'safety', 'place_tonight', 'report', 'complaint', 'unanswered')),
  priority         text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal')),
  consent          boolean NOT NULL,
  context          jsonb NOT NULL DEFAULT '{}'::jsonb,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'closed')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  delete_after     timestamptz NOT NULL,
  CONSTRAINT handoff_requests_consent_context CHECK (
    consent OR NOT (context ?| ARRAY['details', 'transcript', 'intake']))
);
-- The console's queue: open requests by priority, oldest first.
CREATE INDEX handoff_requests_queue_idx ON handoff_requests (status, created_at);
CREATE INDEX handoff_requests_conversation_idx ON handoff_requests (conversation_id, status);
CREATE INDEX handoff_requests_delete_after_idx ON handoff_requests (delete_after);
