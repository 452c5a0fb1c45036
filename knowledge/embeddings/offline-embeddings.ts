/**
 * The default, offline embedding: lexicon concepts + Dutch stems + character n-grams, hashed into a dense vector
 * (signed feature hashing) so pgvector can index it. No model download, deterministic, multilingual through the
 * concept lexicon. Implements LangChain's Embeddings so neural providers can replace it by configuration.
 *
 * The vectors are built so that their inner product is BM25 over the features: a passage vector holds each
 * feature's saturated, length-normalised frequency; a question vector holds each feature's idf (from corpus
 * statistics), scaled so a question fully matched scores about 1. pgvector ranks them with `<#>` (inner product).
 *
 * @example
 *   const emb = new OfflineEmbeddings();
 *   const [v] = await emb.embedDocuments(['De uithuiszetting voorkomen…']);
 *   const q = await emb.embedQueryIn('mon proprio veut me mettre dehors', 'fr');
 */
import { Embeddings } from '@langchain/core/embeddings';
import type { Lang } from '../../conversation/languages.js';
import { familyWeight, featurize, type Features } from './featurize.js';
import { defaultLexicon, type Lexicon } from './lexicon.js';

/** Version of the featuriser and weighting: bump it when they change so stored vectors are rebuilt. */
export const FEATURIZER_VERSION = 5;

/** BM25 parameters; AVG_LENGTH is the mean feature mass of a plan chunk (fixed so a vector never depends on others). */
export const BM25 = { k1: 1.5, b: 0.5, avgLength: 160 } as const;

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
  embedDocumentsIn(texts: string[], lang: Lang): Promise<number[][]>;
}

/** Embeds passages in their language when the embedder can (the offline one maps each language's words to concepts). */
export async function embedPassages(
  embeddings: { embedDocuments(texts: string[]): Promise<number[][]> } & Partial<LanguageAwareEmbeddings>,
  items: Array<{ text: string; lang: Lang }>,
): Promise<number[][]> {
  if (!embeddings.embedDocumentsIn) return embeddings.embedDocuments(items.map((i) => i.text));
  const out: number[][] = new Array(items.length);
  const byLang = new Map<Lang, number[]>();
  items.forEach((it, i) => byLang.set(it.lang, [...(byLang.get(it.lang) ?? []), i]));
  for (const [lang, idx] of byLang) {
    const vectors = await embeddings.embedDocumentsIn(idx.map((i) => items[i]!.text), lang);
    idx.forEach((i, j) => (out[i] = vectors[j]!));
  }
  return out;
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
    this.model = `offline-bm25-v${FEATURIZER_VERSION}-d${this.dims}-${this.lexicon.fingerprint}`;
    this.stats = opts.stats;
  }

  /** Sets the corpus statistics used to weight questions (computed at ingestion). */
  setStats(stats: FeatureStats | undefined): void {
    this.stats = stats;
  }

  /** Feature counts and concepts of a plan passage (Dutch unless said otherwise). */
  documentFeatures(text: string, lang: Lang = 'nl') {
    return featurize(this.lexicon, text, { mode: 'document', lang });
  }

  /** BM25 term weights of a passage: saturated frequency, normalised by the passage's length. */
  documentWeights(text: string, lang: Lang = 'nl'): Features {
    const { features } = this.documentFeatures(text, lang);
    let length = 0;
    for (const [k, v] of features) if (k[0] !== 'g') length += v;
    const norm = 1 - BM25.b + (BM25.b * length) / BM25.avgLength;
    const out: Features = new Map();
    for (const [k, tf] of features) out.set(k, (familyWeight(k) * (tf * (BM25.k1 + 1))) / (tf + BM25.k1 * norm));
    return out;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.hash(this.documentWeights(t)));
  }

  /** Embeds passages written in another language than the plans' Dutch (a knowledge card's translations). */
  async embedDocumentsIn(texts: string[], lang: Lang): Promise<number[][]> {
    return texts.map((t) => this.hash(this.documentWeights(t, lang)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedQueryIn(text);
  }

  /** Embeds a question: idf weights, scaled so a question whose every feature is matched scores about 1. */
  async embedQueryIn(text: string, lang?: Lang): Promise<number[]> {
    return this.scaleAndHash(this.queryFeatures(text, lang).features);
  }

  /**
   * Pseudo-relevance feedback: the question plus the concepts that most of the first-ranked passages share
   * (at least two of them), at `beta` of their idf weight. Widens "mon proprio" to the plan's "huurdersondersteuning".
   */
  async embedQueryWithFeedback(text: string, lang: Lang | undefined, feedback: string[][], beta: number): Promise<number[]> {
    const { features } = this.queryFeatures(text, lang);
    const counts = new Map<string, number>();
    for (const concepts of feedback) for (const c of new Set(concepts)) counts.set(`c:${c}`, (counts.get(`c:${c}`) ?? 0) + 1);
    for (const [k, n] of counts) {
      const df = this.stats?.df[k];
      if (n < 2 || df === undefined || !this.stats) continue;
      const idf = Math.log(1 + (this.stats.documents - df + 0.5) / (df + 0.5));
      features.set(k, (features.get(k) ?? 0) + (beta * idf * n) / feedback.length);
    }
    return this.scaleAndHash(features);
  }

  private scaleAndHash(features: Features): number[] {
    let max = 0;
    for (const [k, v] of features) max += v * familyWeight(k) * (BM25.k1 + 1);
    const scaled: Features = new Map();
    for (const [k, v] of features) scaled.set(k, max ? v / max : 0);
    return this.hash(scaled);
  }

  /** The idf-weighted features of a question; features the corpus never has are dropped. */
  queryFeatures(text: string, lang?: Lang): { features: Features; concepts: string[] } {
    const { features, concepts } = featurize(this.lexicon, text, { mode: 'query', lang });
    if (this.stats) {
      const n = this.stats.documents;
      for (const [k, v] of features) {
        if (k[0] === 'g') continue; // n-grams keep a flat weight (their df is not tracked)
        const df = this.stats.df[k];
        if (df === undefined) features.delete(k);
        else features.set(k, v * Math.log(1 + (n - df + 0.5) / (df + 0.5)));
      }
    }
    return { features, concepts };
  }

  /** Share of the indexed passages that mention a concept (undefined before statistics are loaded). */
  conceptShare(id: string): number | undefined {
    if (!this.stats) return undefined;
    return (this.stats.df[`c:${id}`] ?? 0) / Math.max(1, this.stats.documents);
  }

  /** Computes the document frequencies of concept and word features over passages. */
  computeStats(texts: string[]): FeatureStats {
    const df: Record<string, number> = {};
    for (const t of texts) {
      for (const k of this.documentFeatures(t).features.keys()) if (k[0] !== 'g') df[k] = (df[k] ?? 0) + 1;
    }
    return { documents: texts.length, df };
  }

  /** Signed feature hashing into `dims` buckets (no normalisation: the inner product is the score). */
  hash(features: Features): number[] {
    const v = new Array<number>(this.dims).fill(0);
    for (const [k, w] of features) {
      const h = fnv1a(k);
      const i = h % this.dims;
      v[i] = (v[i] ?? 0) + (h & 0x80000000 ? -1 : 1) * w;
    }
    return v;
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
