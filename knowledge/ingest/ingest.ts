/**
 * Ingestion: corpus files → cleaned lines → structure-aware chunks → concepts + vectors → PostgreSQL.
 * Incremental: a document whose content hash and chunker version are unchanged is skipped; a new or changed one
 * is re-chunked alone; a change of embedding model re-embeds the stored chunks.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Lexicon } from '../embeddings/lexicon.js';
import { embedPassages, OfflineEmbeddings, type FeatureStats } from '../embeddings/offline-embeddings.js';
import type { PgKnowledgeStore } from '../knowledge-store.js';
import { isLang, type Lang } from '../../conversation/languages.js';
import type { Chunk } from '../types.js';
import { chunkDocument } from './chunk.js';
import { cleanDocument } from './clean.js';
import { loadCorpus } from './load-corpus.js';

const INGEST_DIR = dirname(fileURLToPath(import.meta.url));

/** Version of cleaning + chunking: the hash of their source, so any change to them re-chunks every document. */
export const CHUNKER_VERSION = createHash('sha256')
  .update(
    readdirSync(INGEST_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'ingest.ts')
      .sort()
      .map((f) => readFileSync(join(INGEST_DIR, f), 'utf8'))
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12);

export type IngestStatus = 'new' | 'changed' | 'unchanged' | 'removed' | 're-embedded';

export interface IngestRow {
  document: string;
  status: IngestStatus;
  chunks: number;
  seconds: number;
}

export interface IngestSummary {
  rows: IngestRow[];
  documents: number;
  chunks: number;
  seconds: number;
  changed: boolean;
}

export interface IngestDeps {
  store: PgKnowledgeStore;
  embeddings: EmbeddingsInterface;
  lexicon: Lexicon;
  corpusDir?: string;
  /** Called after each step: done of total, and what was just done. */
  onProgress?: (done: number, total: number, label: string) => void;
}

/** From this many vectors to write, the HNSW index is dropped and rebuilt after the load. */
export const BULK_THRESHOLD = 150;

/** Key under which the corpus feature statistics of a model are stored. */
export const statsKey = (model: string) => `feature-stats:${model}`;

/** Ingests the corpus; safe to run at every start (does nothing when nothing changed). */
export async function ingestCorpus(deps: IngestDeps): Promise<IngestSummary> {
  const { store, embeddings, lexicon } = deps;
  const started = performance.now();
  const corpus = await loadCorpus(deps.corpusDir);
  const states = await store.documentStates();
  const rows: IngestRow[] = [];
  let changed = false;
  const total = corpus.length + 1;
  let done = 0;

  // A new embedding model: re-embed the chunks that have no vector of it, then drop the old vectors.
  const reembedMissing = async () => {
    const t1 = performance.now();
    let reembedded = 0;
    for (;;) {
      const missing = await store.chunksMissingVectors(256);
      if (!missing.length) break;
      const vectors = await embedPassages(embeddings, missing.map((m) => ({ text: m.text, lang: isLang(m.lang) ? m.lang : 'nl' })));
      await store.setVectors(missing.map((m, i) => ({ id: m.id, vector: vectors[i]! })));
      reembedded += missing.length;
    }
    const dropped = await store.dropOtherModels();
    if (reembedded || dropped) {
      changed = true;
      rows.push({ document: 'all (model change)', status: 're-embedded', chunks: reembedded, seconds: (performance.now() - t1) / 1000 });
    }
  };

  // Plan: chunk what changed first, so the cost of the vector writes is known before any is made.
  const work: Array<{ doc: (typeof corpus)[number]; isNew: boolean; chunks: Array<Chunk & { concepts: string[] }>; t0: number }> = [];
  for (const doc of corpus) {
    const state = states.get(doc.meta.id);
    if (state && state.hash === doc.hash && state.chunker === CHUNKER_VERSION) {
      rows.push({ document: doc.meta.id, status: 'unchanged', chunks: 0, seconds: 0 });
      deps.onProgress?.(++done, total, doc.meta.id);
      continue;
    }
    const t0 = performance.now();
    const chunks = chunkDocument(doc.meta.id, cleanDocument(doc.raw, { documentId: doc.meta.id })).map((c) => ({
      ...c,
      concepts: conceptsOf(lexicon, c.text, doc.meta.lang),
    }));
    work.push({ doc, isNew: !state, chunks, t0 });
  }
  const pendingVectors = work.reduce((n, w) => n + w.chunks.length, 0) + (await store.countMissingVectors());
  // Inserting into an HNSW index one row at a time is far slower than building it once after a bulk load.
  const load = pendingVectors >= BULK_THRESHOLD ? <T>(fn: () => Promise<T>) => store.bulkLoad(fn) : <T>(fn: () => Promise<T>) => fn();

  await load(async () => {
    for (const { doc, isNew, chunks, t0 } of work) {
      const vectors = await embeddings.embedDocuments(chunks.map((c) => `${c.headings.join('\n')}\n${c.text}`));
      await store.replaceDocument(doc.meta, doc.hash, CHUNKER_VERSION, chunks, vectors);
      changed = true;
      rows.push({ document: doc.meta.id, status: isNew ? 'new' : 'changed', chunks: chunks.length, seconds: (performance.now() - t0) / 1000 });
      deps.onProgress?.(++done, total, doc.meta.id);
    }
    await reembedMissing();
  });

  const removed = await store.deleteDocumentsExcept(corpus.map((d) => d.meta.id));
  if (removed) {
    changed = true;
    rows.push({ document: `${removed} document(s)`, status: 'removed', chunks: 0, seconds: 0 });
  }
  // Fresh planner statistics, so the planner weighs the HNSW index against a scan with real row counts.
  if (changed) await store.analyze();
  await refreshStats(store, embeddings, changed);
  deps.onProgress?.(++done, total, 'statistics');
  const counts = await store.counts();
  return { rows, documents: counts.documents, chunks: counts.chunks, seconds: (performance.now() - started) / 1000, changed };
}

/** Computes (when the index changed or none are stored) and loads the offline embedder's corpus statistics. */
export async function refreshStats(store: PgKnowledgeStore, embeddings: EmbeddingsInterface, force: boolean): Promise<void> {
  if (!(embeddings instanceof OfflineEmbeddings)) return;
  const key = statsKey(embeddings.model);
  let raw = force ? undefined : await store.getMeta(key);
  if (!raw) {
    const texts = await store.allChunkTexts();
    raw = JSON.stringify(embeddings.computeStats(texts.map((t) => t.text)));
    await store.setMeta(key, raw);
  }
  embeddings.setStats(JSON.parse(raw) as FeatureStats);
}

/** Concept ids found in a passage. */
export function conceptsOf(lexicon: Lexicon, text: string, lang: Lang): string[] {
  return [...new Set(lexicon.match(text, new Set([lang])).map((m) => m.concept))];
}

/** Whether the stored index is older than the corpus, the chunker or the model (for start-up). */
export async function indexIsStale(store: PgKnowledgeStore, corpusDir?: string): Promise<boolean> {
  const corpus = await loadCorpus(corpusDir);
  const states = await store.documentStates();
  if (states.size !== corpus.length) return true;
  for (const d of corpus) {
    const s = states.get(d.meta.id);
    if (!s || s.hash !== d.hash || s.chunker !== CHUNKER_VERSION) return true;
  }
  const missing = await store.chunksMissingVectors(1);
  return missing.length > 0;
}
