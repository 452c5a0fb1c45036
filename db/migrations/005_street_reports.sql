-- Citizen reports of a person on the street (dispatch/street-report.ts, bot/dialogs/report-dialog.ts).
-- The row describes the person seen; the reporter's contact is kept only with consent (the CHECK enforces it).
-- delete_after is set at creation (retention) and ReportsRepository.purgeExpired deletes past rows.
CREATE TABLE street_reports (
  id               bigserial PRIMARY KEY,
  -- What the reporter is told ("R-7K3Q9P"): unique, never reused while the row exists.
  reference        text NOT NULL UNIQUE,
  lang             text NOT NULL,
  channel          text NOT NULL,
  conversation_id  text,
  where_text       text NOT NULL DEFAULT '',
  place_name       text,
  commune          text,
  latitude         double precision CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
  longitude        double precision CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
  -- 'shared': the reporter's device sent it; 'place': a station or landmark named in where_text (approximate).
  location_source  text CHECK (location_source IS NULL OR location_source IN ('shared', 'place')),
  seen_when        text NOT NULL CHECK (seen_when IN ('now', 'earlier_today', 'last_night', 'other')),
  seen_when_text   text,
  -- When the reporter answered 'now': the time of the report, so a team knows how fresh the sighting is.
  seen_at          timestamptz,
  description      text NOT NULL DEFAULT '',
  conditions       text[] NOT NULL DEFAULT '{}',
  condition_text   text,
  asked_for_help   text NOT NULL CHECK (asked_for_help IN ('yes', 'no', 'unknown')),
  consent          boolean NOT NULL,
  contact          text CHECK (contact IS NULL OR consent),
  route            text NOT NULL CHECK (route IN ('emergency', 'child-protection', 'outreach', 'street-work')),
  priority         text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal')),
  -- 'new' at creation; the dispatcher console owns the later states.
  status           text NOT NULL DEFAULT 'new',
  emergency_told   boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  delete_after     timestamptz NOT NULL
);
-- The console's queue: open reports by priority, oldest first.
CREATE INDEX street_reports_queue_idx ON street_reports (status, priority, created_at);
CREATE INDEX street_reports_delete_after_idx ON street_reports (delete_after);
