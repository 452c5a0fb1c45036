/**
 * The knowledge base as the rest of the app sees it: store + embedder + lexicon + retriever, and the
 * "ingest when empty or stale" start-up step.
 */
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createEmbeddings, type NamedEmbeddings } from './create-embeddings.js';
import { defaultLexicon, type Lexicon } from './embeddings/lexicon.js';
import { HybridRetriever, type HybridOptions } from './hybrid-search.js';
import { indexIsStale, ingestCorpus, refreshStats, type IngestDeps, type IngestSummary } from './ingest/ingest.js';
import { PgKnowledgeStore } from './knowledge-store.js';
import { OfflineEmbeddings } from './embeddings/offline-embeddings.js';
import { cardsAreStale, ingestCards } from './cards/ingest-cards.js';
import { loadCards, type Card } from './cards/load-cards.js';

/** A concept in this share of the passages or more is too common to show what a question is about. */
export const COMMON_CONCEPT_SHARE = 0.27;

export interface KnowledgeBase {
  store: PgKnowledgeStore;
  embeddings: NamedEmbeddings;
  lexicon: Lexicon;
  retriever: HybridRetriever;
  /** The knowledge cards by id (knowledge/cards/data). */
  cards: Map<string, Card>;
  /** Runs ingestion of the plans and the cards (incremental). */
  ingest(onProgress?: IngestDeps['onProgress']): Promise<IngestSummary>;
  /**
   * The concepts of a question that say what it is about: without those that a quarter or more of the passages
   * mention ("Brussels", "dwelling"), which are no evidence that a passage answers it.
   */
  informativeConcepts(concepts: string[]): string[];
  /** Ingests if the index is empty or stale, else loads the corpus statistics; returns the summary if it ingested. */
  ensureIndexed(onProgress?: IngestDeps['onProgress']): Promise<IngestSummary | undefined>;
}

/** Wires the knowledge base on an open, migrated database. */
export async function openKnowledgeBase(
  db: Database,
  cfg: Config['embeddings'],
  opts: {
    lexicon?: Lexicon; corpusDir?: string; hybrid?: Partial<HybridOptions>; embeddings?: NamedEmbeddings; cards?: Map<string, Card>;
  } = {},
): Promise<KnowledgeBase> {
  const lexicon = opts.lexicon ?? defaultLexicon();
  const embeddings = opts.embeddings ?? (await createEmbeddings(cfg, lexicon));
  const store = await PgKnowledgeStore.create(db, embeddings);
  const retriever = new HybridRetriever(store, embeddings, lexicon, opts.hybrid);
  const cards = opts.cards ?? loadCards();
  const ingest = async (onProgress?: IngestDeps['onProgress']): Promise<IngestSummary> => {
    const started = performance.now();
    const summary = await ingestCorpus({ store, embeddings, lexicon, corpusDir: opts.corpusDir, onProgress });
    const cardRows = await ingestCards({ store, embeddings, lexicon, cards });
    if (cardRows.length) await store.analyze();
    const counts = await store.counts();
    return {
      ...summary, rows: [...summary.rows, ...cardRows], documents: counts.documents, chunks: counts.chunks,
      changed: summary.changed || cardRows.length > 0, seconds: (performance.now() - started) / 1000,
    };
  };
  return {
    store,
    embeddings,
    lexicon,
    retriever,
    cards,
    ingest,
    informativeConcepts(concepts) {
      if (!(embeddings instanceof OfflineEmbeddings)) return concepts;
      return concepts.filter((c) => (embeddings.conceptShare(c) ?? 0) < COMMON_CONCEPT_SHARE);
    },
    async ensureIndexed(onProgress) {
      if ((await indexIsStale(store, opts.corpusDir)) || (await cardsAreStale(store, cards))) return ingest(onProgress);
      await refreshStats(store, embeddings, false);
      return undefined;
    },
  };
}
