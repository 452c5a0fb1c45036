-- Knowledge base: the plans, their chunks, full-text vectors and embeddings.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE documents (
  id            text PRIMARY KEY,
  kind          text NOT NULL DEFAULT 'plan' CHECK (kind IN ('plan', 'card')),
  title         text NOT NULL,
  short_title   text NOT NULL,
  organisation  text NOT NULL,
  year          integer NOT NULL,
  scope         text NOT NULL,
  lang          text NOT NULL,
  programmatic  boolean NOT NULL DEFAULT false,
  source_file   text NOT NULL,
  content_hash  text NOT NULL,
  chunker       text NOT NULL,
  ingested_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chunks (
  id            bigserial PRIMARY KEY,
  document_id   text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal       integer NOT NULL,
  headings      text[] NOT NULL DEFAULT '{}',
  text          text NOT NULL,
  line_from     integer NOT NULL,
  line_to       integer NOT NULL,
  lang          text NOT NULL,
  concepts      text[] NOT NULL DEFAULT '{}',
  -- Language-specific stemming (dutch/french/english/...) and a language-neutral one for names and numbers.
  tsv           tsvector NOT NULL,
  tsv_simple    tsvector NOT NULL,
  UNIQUE (document_id, ordinal)
);
CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv);
CREATE INDEX chunks_tsv_simple_idx ON chunks USING gin (tsv_simple);
CREATE INDEX chunks_concepts_idx ON chunks USING gin (concepts);

-- One row per chunk and embedding model: a model change rebuilds vectors without touching chunks.
CREATE TABLE chunk_embeddings (
  chunk_id   bigint NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
  model      text NOT NULL,
  dims       integer NOT NULL,
  -- halfvec: HNSW indexes up to 4000 dimensions, at half the memory of vector.
  embedding  halfvec NOT NULL,
  PRIMARY KEY (chunk_id, model)
);
-- HNSW needs a fixed dimension: one partial expression index per dimension in use (4000 = the offline embedder;
-- add one in a new migration for a neural model's size, e.g. 768 or 1536; without it searches scan exactly).
-- Inner product: the offline vectors score BM25 by inner product; for normalised neural vectors it equals cosine.
CREATE INDEX chunk_embeddings_hnsw_4000 ON chunk_embeddings
  USING hnsw ((embedding::halfvec(4000)) halfvec_ip_ops) WITH (m = 8, ef_construction = 32) WHERE dims = 4000;

-- Key/value facts about the index (e.g. which embedding model built it).
CREATE TABLE kb_meta (
  key    text PRIMARY KEY,
  value  text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
