/**
 * Hybrid retrieval: vector search (pgvector HNSW) and full-text search (PostgreSQL tsvector), fused by
 * reciprocal rank. The question's words are expanded with the plans' Dutch vocabulary of the concepts it
 * mentions, so "mon proprio veut me mettre dehors" also searches "uithuiszetting" and "woonstverlies".
 *
 * @example
 *   const retriever = new HybridRetriever(store, embeddings, lexicon);
 *   const passages = await retriever.search('waar kan ik slapen vannacht', { lang: 'nl', k: 5 });
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Lang } from '../conversation/languages.js';
import type { Lexicon } from './embeddings/lexicon.js';
import { queryLanguages } from './embeddings/featurize.js';
import { STOPWORDS, tokenize } from './embeddings/text.js';
import type { LanguageAwareEmbeddings } from './embeddings/offline-embeddings.js';
import { toPassage, type PgKnowledgeStore, type PassageRow } from './knowledge-store.js';
import type { Passage, Retriever, SearchOptions, SourceKind } from './types.js';

export interface HybridOptions {
  /** Candidates taken from each ranking before fusion. */
  candidates: number;
  /** Reciprocal rank fusion constant (60 in the original paper; smaller favours the top ranks). */
  rrfK: number;
  /** Weight of the vector ranking and of the full-text ranking in the fusion. */
  vectorWeight: number;
  textWeight: number;
  /** Pseudo-relevance feedback: weight of the concepts shared by the first passages (0 turns it off). */
  feedback: number;
  /** How many first passages feed back. */
  feedbackDocs: number;
}

export const DEFAULT_HYBRID: HybridOptions = {
  candidates: 40, rrfK: 20, vectorWeight: 1, textWeight: 0.6, feedback: 0.3, feedbackDocs: 3,
};

/** An embedder that can fold feedback concepts into a question (the offline one can). */
interface FeedbackEmbeddings {
  embedQueryWithFeedback(text: string, lang: Lang | undefined, feedback: string[][], beta: number): Promise<number[]>;
}

export class HybridRetriever implements Retriever {
  private readonly opts: HybridOptions;

  constructor(
    private readonly store: PgKnowledgeStore,
    private readonly embeddings: EmbeddingsInterface & Partial<LanguageAwareEmbeddings> & Partial<FeedbackEmbeddings>,
    private readonly lexicon: Lexicon,
    opts: Partial<HybridOptions> = {},
  ) {
    this.opts = { ...DEFAULT_HYBRID, ...opts };
  }

  async search(query: string, opts: SearchOptions = {}): Promise<Passage[]> {
    const k = opts.k ?? 5;
    const filter = { documentIds: opts.documentIds, kinds: opts.kinds ?? (['plan'] as SourceKind[]) };
    const vector = this.embeddings.embedQueryIn
      ? await this.embeddings.embedQueryIn(query, opts.lang)
      : await this.embeddings.embedQuery(query);
    const ts = buildTextQuery(this.lexicon, query, opts.lang);
    let [byVector, byText] = await Promise.all([
      this.store.vectorSearch(vector, this.opts.candidates, filter),
      this.store.fullTextSearch(ts, this.opts.candidates, filter),
    ]);
    const { feedback, feedbackDocs } = this.opts;
    if (feedback > 0 && this.embeddings.embedQueryWithFeedback && byVector.length >= feedbackDocs) {
      const first = fuse(byVector, byText, this.opts).slice(0, feedbackDocs).map((p) => p.concepts);
      const widened = await this.embeddings.embedQueryWithFeedback(query, opts.lang, first, feedback);
      byVector = await this.store.vectorSearch(widened, this.opts.candidates, filter);
    }
    return fuse(byVector, byText, this.opts).slice(0, k);
  }
}

/** Reciprocal rank fusion of the two rankings; ties keep the vector order. */
export function fuse(byVector: PassageRow[], byText: PassageRow[], opts: HybridOptions): Passage[] {
  const acc = new Map<string, { row: PassageRow; similarity: number; fused: number }>();
  byVector.forEach((row, rank) => {
    // A question with no known feature embeds to zeros; keep its similarity a number (JSON has no NaN).
    const similarity = Number.isFinite(Number(row.score)) ? Number(row.score) : 0;
    acc.set(String(row.id), { row, similarity, fused: opts.vectorWeight / (opts.rrfK + rank + 1) });
  });
  byText.forEach((row, rank) => {
    const key = String(row.id);
    const add = opts.textWeight / (opts.rrfK + rank + 1);
    const hit = acc.get(key);
    if (hit) hit.fused += add;
    else acc.set(key, { row, similarity: 0, fused: add });
  });
  return [...acc.values()]
    .sort((a, b) => b.fused - a.fused)
    .map((x) => toPassage(x.row, Math.max(0, Math.min(1, x.similarity)), x.fused));
}

/** Letters and digits only: nothing from the question can become a tsquery operator. */
function lexeme(word: string): string {
  return (word.match(/[\p{L}\p{N}]+/gu) ?? []).join('');
}

/**
 * Builds the two to_tsquery expressions: the question's own words plus the Dutch terms of the concepts it
 * mentions (stemmed configuration), and its words as written (simple configuration, for names and numbers).
 */
export function buildTextQuery(lexicon: Lexicon, query: string, lang?: Lang): { stemmed: string; plain: string } {
  const tokens = tokenize(query).filter((t) => t.length >= 2 && !STOPWORDS.has(t));
  const plain = [...new Set(tokens.map(lexeme).filter((t) => t.length >= 3 && /^[a-z0-9]+$/.test(t)))];
  const terms = new Set<string>(plain);
  for (const m of lexicon.matchTokens(tokenize(query), queryLanguages(lang))) {
    for (const t of lexicon.dutchTerms[lexicon.indexOf(m.concept)] ?? []) {
      const words = t.split(/\s+/).map((w) => (w.endsWith('*') ? `${lexeme(w)}:*` : lexeme(w))).filter((w) => w && w !== ':*');
      if (words.length) terms.add(words.join(' <-> '));
    }
  }
  const stemmed = [...terms].slice(0, 80);
  return { stemmed: stemmed.join(' | '), plain: plain.slice(0, 30).join(' | ') };
}
