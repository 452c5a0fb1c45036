-- Service directory (Open Referral HSDS tables, see directory/model.ts). Each row keeps its whole validated
-- record in `record` (lossless export); the columns beside it are what searches and references need.
CREATE TABLE dir_organizations (
  id      text PRIMARY KEY,
  name    text NOT NULL,
  record  jsonb NOT NULL
);

CREATE TABLE dir_services (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES dir_organizations(id) ON DELETE CASCADE,
  name             text NOT NULL,
  status           text NOT NULL,
  record           jsonb NOT NULL
);
CREATE INDEX dir_services_org_idx ON dir_services (organization_id);

CREATE TABLE dir_locations (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES dir_organizations(id) ON DELETE CASCADE,
  commune          text,
  latitude         double precision,
  longitude        double precision,
  record           jsonb NOT NULL
);

CREATE TABLE dir_service_at_locations (
  id           text PRIMARY KEY,
  service_id   text NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
  location_id  text NOT NULL REFERENCES dir_locations(id) ON DELETE CASCADE,
  record       jsonb NOT NULL
);
CREATE INDEX dir_sal_service_idx ON dir_service_at_locations (service_id);

CREATE TABLE dir_service_areas (
  id          text PRIMARY KEY,
  service_id  text NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
  name        text NOT NULL,
  record      jsonb NOT NULL
);
CREATE INDEX dir_areas_service_idx ON dir_service_areas (service_id);

CREATE TABLE dir_phones (
  id               text PRIMARY KEY,
  organization_id  text REFERENCES dir_organizations(id) ON DELETE CASCADE,
  service_id       text REFERENCES dir_services(id) ON DELETE CASCADE,
  number           text NOT NULL,
  record           jsonb NOT NULL
);

CREATE TABLE dir_schedules (
  id                      text PRIMARY KEY,
  service_id              text REFERENCES dir_services(id) ON DELETE CASCADE,
  service_at_location_id  text REFERENCES dir_service_at_locations(id) ON DELETE CASCADE,
  record                  jsonb NOT NULL
);

CREATE TABLE dir_languages (
  id          text PRIMARY KEY,
  service_id  text NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
  code        text NOT NULL,
  record      jsonb NOT NULL
);
CREATE INDEX dir_languages_service_idx ON dir_languages (service_id);

CREATE TABLE dir_taxonomy_terms (
  id      text PRIMARY KEY,
  kind    text NOT NULL,
  record  jsonb NOT NULL
);

CREATE TABLE dir_attributes (
  id                text PRIMARY KEY,
  link_id           text NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
  taxonomy_term_id  text NOT NULL REFERENCES dir_taxonomy_terms(id) ON DELETE CASCADE,
  record            jsonb NOT NULL
);
CREATE INDEX dir_attributes_term_idx ON dir_attributes (taxonomy_term_id);
CREATE INDEX dir_attributes_link_idx ON dir_attributes (link_id);

CREATE TABLE dir_service_capacities (
  id          text PRIMARY KEY,
  service_id  text NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
  record      jsonb NOT NULL
);

-- Live free places per shelter, written through the capacity API. Not tied to dir_services by a foreign key:
-- re-importing the directory must not erase the figures or their history.
CREATE TABLE capacity_records (
  service_id  text PRIMARY KEY,
  free        integer NOT NULL CHECK (free >= 0),
  total       integer NOT NULL CHECK (total >= 0 AND free <= total),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL
);

CREATE TABLE capacity_history (
  id           bigserial PRIMARY KEY,
  service_id   text NOT NULL,
  free         integer NOT NULL,
  total        integer NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text NOT NULL
);
CREATE INDEX capacity_history_service_idx ON capacity_history (service_id, recorded_at DESC);

-- One token per shelter; only its SHA-256 is stored.
CREATE TABLE shelter_tokens (
  id          bigserial PRIMARY KEY,
  service_id  text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  label       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX shelter_tokens_service_idx ON shelter_tokens (service_id);
