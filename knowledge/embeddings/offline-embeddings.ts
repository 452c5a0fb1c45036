/**
 * The default, offline embedding: lexicon concepts + Dutch stems + character n-grams, hashed into a dense
 * vector (signed feature hashing) so pgvector can index it. No model download, deterministic, multilingual through
 * the concept lexicon. Implements LangChain's Embeddings so neural providers can replace it by configuration.
 *
 * @example
 *   const emb = new OfflineEmbeddings();
 *   const [v] = await emb.embedDocuments(['De uithuiszetting voorkomen…']);
 *   const q = await emb.embedQueryIn('mon proprio veut me mettre dehors', 'fr');
 */
import { Embeddings } from '@langchain/core/embeddings';
import type { Lang } from '../../conversation/languages.js';
import { featurize, type Features } from './featurize.js';
import { defaultLexicon, type Lexicon } from './lexicon.js';

/** Version of the featuriser: bump it when featurize() changes so stored vectors are rebuilt. */
export const FEATURIZER_VERSION = 3;

/** Document frequencies of features over the indexed chunks, used to weight question features (idf). */
export interface FeatureStats {
  documents: number;
  df: Record<string, number>;
}

export interface OfflineEmbeddingsOptions {
  lexicon?: Lexicon;
  /** Vector size; 4000 (the most HNSW indexes for halfvec) has an index in the migrations and keeps hash collisions rare. */
  dims?: number;
  stats?: FeatureStats;
}

/** Language-aware embedder interface: the retriever passes the question's language when it knows it. */
export interface LanguageAwareEmbeddings {
  embedQueryIn(text: string, lang?: Lang): Promise<number[]>;
}

export class OfflineEmbeddings extends Embeddings implements LanguageAwareEmbeddings {
  readonly lexicon: Lexicon;
  readonly dims: number;
  /** Identifies the vectors this embedder makes: a change rebuilds the stored vectors. */
  readonly model: string;
  private stats?: FeatureStats;

  constructor(opts: OfflineEmbeddingsOptions = {}) {
    super({});
    this.lexicon = opts.lexicon ?? defaultLexicon();
    this.dims = opts.dims ?? 4000;
    this.model = `offline-concepts-v${FEATURIZER_VERSION}-d${this.dims}-${this.lexicon.fingerprint}`;
    this.stats = opts.stats;
  }

  /** Sets the corpus statistics used to weight questions (computed at ingestion). */
  setStats(stats: FeatureStats | undefined): void {
    this.stats = stats;
  }

  /** Features and concepts of a plan passage (Dutch unless said otherwise). */
  documentFeatures(text: string, lang: Lang = 'nl') {
    return featurize(this.lexicon, text, { mode: 'document', lang });
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.hash(this.documentFeatures(t).features));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedQueryIn(text);
  }

  /** Embeds a question; features rare in the corpus count more (idf). */
  async embedQueryIn(text: string, lang?: Lang): Promise<number[]> {
    return this.hash(this.queryFeatures(text, lang).features);
  }

  /** The idf-weighted features of a question (also used for full-text expansion and explanations). */
  queryFeatures(text: string, lang?: Lang): { features: Features; concepts: string[] } {
    const { features, concepts } = featurize(this.lexicon, text, { mode: 'query', lang });
    if (this.stats) {
      const n = this.stats.documents;
      for (const [k, v] of features) {
        const df = this.stats.df[k];
        // Unseen features cannot match anything; n-grams keep a flat weight (their df is not tracked).
        if (k.startsWith('g:')) continue;
        if (df === undefined) features.delete(k);
        else features.set(k, v * Math.log(1 + n / df));
      }
    }
    return { features, concepts };
  }

  /** Computes the document frequencies of concept and word features over passages. */
  computeStats(texts: string[]): FeatureStats {
    const df: Record<string, number> = {};
    for (const t of texts) {
      for (const k of this.documentFeatures(t).features.keys()) if (!k.startsWith('g:')) df[k] = (df[k] ?? 0) + 1;
    }
    return { documents: texts.length, df };
  }

  /** Signed feature hashing into `dims` buckets, L2-normalised (cosine distance in pgvector). */
  hash(features: Features): number[] {
    const v = new Float64Array(this.dims);
    for (const [k, w] of features) {
      const h = fnv1a(k);
      const i = h % this.dims;
      v[i] = (v[i] ?? 0) + (h & 0x80000000 ? -1 : 1) * w;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }
}

/** 32-bit FNV-1a: fast, stable across processes and platforms. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
