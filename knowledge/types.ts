import type { Lang } from '../conversation/languages.js';

/** Geographic scope of a plan: tells the person how far what it says applies. */
export type Scope = 'brussels-region' | 'city-of-brussels' | 'marollen-anneessens' | 'limburg';

/** Metadata of one plan of the corpus (knowledge/corpus/corpus.json). */
export interface DocumentMeta {
  /** File name without extension, e.g. "004_cb8e911b77208c6d". */
  id: string;
  file: string;
  title: string;
  /** Short title for citations on small screens, e.g. "Masterplan Bruss'help 2024-2029". */
  shortTitle: string;
  organisation: string;
  year: number;
  scope: Scope;
  lang: Lang;
  /** True when the plan describes what should be set up rather than services that exist now. */
  programmatic: boolean;
}

/** One line of a cleaned document, with the line number (1-based) it starts at in the original file. */
export interface CleanLine {
  text: string;
  /** First original line this cleaned line comes from. */
  from: number;
  /** Last original line it comes from (after re-joining wrapped lines). */
  to: number;
}

/** A retrievable piece of a plan, cut along the document's own structure. */
export interface Chunk {
  documentId: string;
  /** Position of the chunk in its document, 0-based. */
  ordinal: number;
  /** Heading path, outermost first, e.g. ["PIJLER 2 – Secundaire preventie", "Maatregel 17 …", "17.2 Informatie …"]. */
  headings: string[];
  text: string;
  lineFrom: number;
  lineTo: number;
}

/** Where an answer comes from: a plan passage, a knowledge card or a directory entry. */
export type SourceKind = 'plan' | 'card' | 'directory';

/** A retrieved passage with everything needed to cite it. */
export interface Passage {
  kind: SourceKind;
  chunkId: string;
  documentId: string;
  title: string;
  shortTitle: string;
  organisation: string;
  year: number;
  scope: Scope;
  programmatic: boolean;
  headings: string[];
  lineFrom: number;
  lineTo: number;
  lang: Lang;
  text: string;
  /** Concept ids of the lexicon found in the passage. */
  concepts: string[];
  /** Relevance in [0, 1]: vector similarity of question and passage (offline: share of the question matched, BM25). */
  score: number;
  /** Position-based fused relevance (reciprocal rank fusion of vector and full-text ranks). */
  fused: number;
}

/** Options of a knowledge search. */
export interface SearchOptions {
  /** The question's language, when known (improves the concept matching). */
  lang?: Lang;
  /** How many passages to return (default 5). */
  k?: number;
  /** Restrict to some documents. */
  documentIds?: string[];
  /** Which sources to search: the plans (default) or the knowledge cards. */
  kinds?: SourceKind[];
}

/** The seam the rest of the system uses to search the knowledge base (SQL stays behind it). */
export interface Retriever {
  search(query: string, opts?: SearchOptions): Promise<Passage[]>;
}
